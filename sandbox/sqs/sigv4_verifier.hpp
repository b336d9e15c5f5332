#pragma once
// Verifies AWS SigV4 Authorization headers the way the AWS front end does for SQS: credential
// scope (known access key, date, region, service), SignedHeaders (host and x-amz-date signed),
// signature over the canonical request, and X-Amz-Date within 15 minutes of the sandbox clock.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/common/sim_clock.hpp"
#include "sandbox/sqs/sigv4.hpp"

namespace sandbox::sqs {

struct ParsedAuthorization {
  std::string access_key_id;
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator;  // aws4_request
  std::vector<std::string> signed_headers;
  std::string signature;
};

// nullopt when the header is not "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…".
std::optional<ParsedAuthorization> ParseAuthorization(const std::string& header);

// Parses "20150830T123600Z"; nullopt when malformed.
std::optional<SimTime> ParseAmzDate(const std::string& amz_date);
std::string FormatAmzDate(SimTime t);

struct SigV4Rejection {
  int http_status;
  std::string code;  // IncompleteSignature, InvalidClientTokenId, SignatureDoesNotMatch, …
  std::string message;
};

class SigV4Verifier {
 public:
  SigV4Verifier(std::map<std::string, std::string> secrets_by_access_key, std::string region,
                std::string service, std::chrono::milliseconds max_skew = std::chrono::minutes(15));

  // nullopt when the request is authentic.
  std::optional<SigV4Rejection> Verify(const SignableRequest& request, SimTime now) const;

 private:
  std::string SkewMinutes() const;

  std::map<std::string, std::string> secrets_;
  std::string region_;
  std::string service_;
  std::chrono::milliseconds max_skew_;
};

}  // namespace sandbox::sqs

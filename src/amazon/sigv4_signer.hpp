#pragma once
// AWS Signature Version 4 (what SQS requires; SP-API itself no longer does). Every step is exposed
// so the tests can compare canonical request, string to sign and Authorization header with AWS's
// published vectors (reference/aws/sigv4-test-suite).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ports/http_client.hpp"

namespace mb::amazon {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary (STS) credentials only
};

struct SigningInput {
  std::string method;  // GET, POST
  std::string path;    // "/" or "/a/b", not yet encoded
  // Decoded name/value pairs; the signer encodes and sorts them.
  std::vector<std::pair<std::string, std::string>> query;
  // Headers to sign, as sent (any case); must include Host. X-Amz-Date is added if missing.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload;
};

struct Signature {
  std::string amz_date;  // 20150830T123600Z
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // host;x-amz-date
  std::string signature;       // lower-case hex
  std::string authorization;   // the Authorization header value
};

std::string Sha256Hex(std::string_view data);
// `20150830T123600Z`
std::string AmzDate(TimePoint t);

class SigV4Signer {
 public:
  SigV4Signer(AwsCredentials credentials, std::string region, std::string service);

  Signature Sign(const SigningInput& input, TimePoint now) const;

  // Signs an outgoing request in place: sets Host, X-Amz-Date, X-Amz-Security-Token (signed, when
  // the credentials have one) and Authorization. Every header already on the request is signed.
  Status SignRequest(HttpRequest& request, TimePoint now) const;

  const std::string& region() const { return region_; }

 private:
  AwsCredentials credentials_;
  std::string region_;
  std::string service_;
};

}  // namespace mb::amazon

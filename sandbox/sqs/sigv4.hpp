#pragma once
// AWS Signature Version 4 (reference/aws/SQS_SIGV4.md §4): canonical request, string to sign,
// signing key, signature and Authorization header, with OpenSSL's SHA-256 and HMAC-SHA256.
// Shared by the verifier (server side) and the tests' signer (client side).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::sqs {

// A request as signed: the path and query as they travel on the wire (percent-encoded).
struct SignableRequest {
  std::string method;
  std::string path = "/";
  std::string query;  // without '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string HexLower(std::string_view bytes);

// RFC 3986 encoding: everything except A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash).
std::string UriEncode(std::string_view s, bool keep_slash);
std::string PercentDecode(std::string_view s);

// `signed_headers` lower-case and sorted.
std::string CanonicalRequest(const SignableRequest& request,
                             const std::vector<std::string>& signed_headers);
// "<date>/<region>/<service>/aws4_request"
std::string CredentialScope(const std::string& date, const std::string& region,
                            const std::string& service);
std::string StringToSign(const std::string& amz_date, const std::string& scope,
                         const std::string& canonical_request);
std::string SigningKey(const std::string& secret, const std::string& date,
                       const std::string& region, const std::string& service);
std::string SignatureHex(const std::string& signing_key, const std::string& string_to_sign);

// Signs every header of the request (names lower-cased and sorted); returns the Authorization
// header value. `amz_date` must equal the request's X-Amz-Date header.
std::string AuthorizationFor(const SignableRequest& request, const std::string& access_key_id,
                             const std::string& secret, const std::string& region,
                             const std::string& service, const std::string& amz_date);

}  // namespace sandbox::sqs

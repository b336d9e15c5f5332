#include "sandbox/sqs/sigv4_verifier.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdio>

#include "sandbox/conformance/text_split.hpp"

namespace sandbox::sqs {
namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

const std::string* FindHeader(const SignableRequest& request, const std::string& lower_name) {
  for (const auto& [n, v] : request.headers) {
    std::string lower = n;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower == lower_name) return &v;
  }
  return nullptr;
}

SigV4Rejection Incomplete(const std::string& what) { return {403, "IncompleteSignature", what}; }

const char* kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

}  // namespace

std::optional<ParsedAuthorization> ParseAuthorization(const std::string& header) {
  const std::string prefix = std::string(kAlgorithm) + " ";
  if (header.rfind(prefix, 0) != 0) return std::nullopt;
  std::map<std::string, std::string> parts;
  for (const auto& part : conformance::SplitKeepEmpty(header.substr(prefix.size()), ',')) {
    std::string p = Trim(part);
    size_t eq = p.find('=');
    if (eq == std::string::npos) return std::nullopt;
    parts[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (!parts.count("Credential") || !parts.count("SignedHeaders") || !parts.count("Signature")) {
    return std::nullopt;
  }
  auto credential = conformance::SplitKeepEmpty(parts["Credential"], '/');
  if (credential.size() != 5) return std::nullopt;
  ParsedAuthorization out{
      credential[0],     credential[1], credential[2],
      credential[3],     credential[4], conformance::SplitKeepEmpty(parts["SignedHeaders"], ';'),
      parts["Signature"]};
  return out;
}

std::optional<SimTime> ParseAmzDate(const std::string& amz_date) {
  int y, mo, d, h, mi, s;
  char z = 0;
  if (amz_date.size() != 16 ||
      std::sscanf(amz_date.c_str(), "%4d%2d%2dT%2d%2d%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
      z != 'Z') {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                  std::chrono::day(d)};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) +
      std::chrono::seconds(s));
}

std::string FormatAmzDate(SimTime t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - days));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

SigV4Verifier::SigV4Verifier(std::map<std::string, std::string> secrets_by_access_key,
                             std::string region, std::string service,
                             std::chrono::milliseconds max_skew)
    : secrets_(std::move(secrets_by_access_key)),
      region_(std::move(region)),
      service_(std::move(service)),
      max_skew_(max_skew) {}

std::string SigV4Verifier::SkewMinutes() const {
  return std::to_string(std::chrono::duration_cast<std::chrono::minutes>(max_skew_).count());
}

std::optional<SigV4Rejection> SigV4Verifier::Verify(const SignableRequest& request,
                                                    SimTime now) const {
  const std::string* header = FindHeader(request, "authorization");
  if (header == nullptr) {
    return SigV4Rejection{403, "MissingAuthenticationToken",
                          "Request is missing Authentication Token"};
  }
  auto auth = ParseAuthorization(Trim(*header));
  if (!auth) {
    return Incomplete(
        "Authorization header requires 'Credential', 'Signature' and "
        "'SignedHeaders' parameters with algorithm AWS4-HMAC-SHA256.");
  }
  const std::string* amz_date = FindHeader(request, "x-amz-date");
  if (amz_date == nullptr) {
    return Incomplete(
        "Authorization header requires existence of either a 'X-Amz-Date' or a "
        "'Date' header.");
  }
  auto signed_at = ParseAmzDate(*amz_date);
  if (!signed_at) return Incomplete("X-Amz-Date '" + *amz_date + "' is not YYYYMMDD'T'HHMMSS'Z'.");
  const auto& names = auth->signed_headers;
  if (!std::is_sorted(names.begin(), names.end()) ||
      std::find(names.begin(), names.end(), "host") == names.end()) {
    return Incomplete("SignedHeaders must be sorted, lower-case and include 'host'.");
  }
  auto secret = secrets_.find(auth->access_key_id);
  if (secret == secrets_.end()) {
    return SigV4Rejection{403, "InvalidClientTokenId",
                          "The security token included in the request is invalid."};
  }
  if (auth->date != amz_date->substr(0, 8) || auth->region != region_ ||
      auth->service != service_ || auth->terminator != "aws4_request") {
    return SigV4Rejection{
        403, "SignatureDoesNotMatch",
        "Credential should be scoped to a valid region, service and date: expected " +
            amz_date->substr(0, 8) + "/" + region_ + "/" + service_ + "/aws4_request."};
  }
  if (*signed_at < now - max_skew_) {
    return SigV4Rejection{403, "SignatureDoesNotMatch",
                          "Signature expired: " + *amz_date + " is now earlier than " +
                              FormatAmzDate(now - max_skew_) + " (" + FormatAmzDate(now) + " - " +
                              SkewMinutes() + " min.)"};
  }
  if (*signed_at > now + max_skew_) {
    return SigV4Rejection{403, "SignatureDoesNotMatch",
                          "Signature not yet current: " + *amz_date + " is still later than " +
                              FormatAmzDate(now + max_skew_) + " (" + FormatAmzDate(now) + " + " +
                              SkewMinutes() + " min.)"};
  }
  const std::string scope = CredentialScope(auth->date, auth->region, auth->service);
  const std::string expected =
      SignatureHex(SigningKey(secret->second, auth->date, auth->region, auth->service),
                   StringToSign(*amz_date, scope, CanonicalRequest(request, names)));
  if (expected.size() != auth->signature.size() ||
      CRYPTO_memcmp(expected.data(), auth->signature.data(), expected.size()) != 0) {
    return SigV4Rejection{403, "SignatureDoesNotMatch", kMismatch};
  }
  return std::nullopt;
}

}  // namespace sandbox::sqs

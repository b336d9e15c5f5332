#include "sandbox/sqs/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

namespace sandbox::sqs {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Trim the ends and collapse inner runs of spaces (SigV4 canonical header values).
std::string CanonicalValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string_view key = part.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
      pairs.emplace_back(UriEncode(PercentDecode(key), false),
                         UriEncode(PercentDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [k, v] : pairs) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

std::string CanonicalUri(std::string_view path) {
  if (path.empty()) return "/";
  return UriEncode(PercentDecode(path), true);
}

}  // namespace

std::string HexLower(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0F];
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sandbox: OpenSSL SHA-256 failed");
  }
  return HexLower(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &len) == nullptr) {
    throw std::runtime_error("sandbox: OpenSSL HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string UriEncode(std::string_view s, bool keep_slash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string CanonicalRequest(const SignableRequest& request,
                             const std::vector<std::string>& signed_headers) {
  std::string headers;
  for (const auto& name : signed_headers) {
    std::string value;
    bool first = true;
    for (const auto& [n, v] : request.headers) {
      if (Lower(n) != name) continue;
      value += (first ? "" : ",") + CanonicalValue(v);
      first = false;
    }
    headers += name + ":" + value + "\n";
  }
  std::string joined;
  for (const auto& name : signed_headers) joined += (joined.empty() ? "" : ";") + name;
  return request.method + "\n" + CanonicalUri(request.path) + "\n" + CanonicalQuery(request.query) +
         "\n" + headers + "\n" + joined + "\n" + Sha256Hex(request.body);
}

std::string CredentialScope(const std::string& date, const std::string& region,
                            const std::string& service) {
  return date + "/" + region + "/" + service + "/aws4_request";
}

std::string StringToSign(const std::string& amz_date, const std::string& scope,
                         const std::string& canonical_request) {
  return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + Sha256Hex(canonical_request);
}

std::string SigningKey(const std::string& secret, const std::string& date,
                       const std::string& region, const std::string& service) {
  std::string k_date = HmacSha256("AWS4" + secret, date);
  std::string k_region = HmacSha256(k_date, region);
  std::string k_service = HmacSha256(k_region, service);
  return HmacSha256(k_service, "aws4_request");
}

std::string SignatureHex(const std::string& signing_key, const std::string& string_to_sign) {
  return HexLower(HmacSha256(signing_key, string_to_sign));
}

std::string AuthorizationFor(const SignableRequest& request, const std::string& access_key_id,
                             const std::string& secret, const std::string& region,
                             const std::string& service, const std::string& amz_date) {
  std::vector<std::string> names;
  for (const auto& [n, v] : request.headers) names.push_back(Lower(n));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = CredentialScope(date, region, service);
  const std::string sts = StringToSign(amz_date, scope, CanonicalRequest(request, names));
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ";") + name;
  return "AWS4-HMAC-SHA256 Credential=" + access_key_id + "/" + scope +
         ", SignedHeaders=" + joined +
         ", Signature=" + SignatureHex(SigningKey(secret, date, region, service), sts);
}

}  // namespace sandbox::sqs

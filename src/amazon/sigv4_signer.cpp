#include "amazon/sigv4_signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "amazon/url_encoding.hpp"

namespace mb::amazon {

namespace {

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0x0F];
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<char*>(out), size);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Trims both ends and collapses inner runs of spaces to one (SigV4 canonical header values).
std::string CanonicalValue(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
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

std::string CanonicalUri(std::string_view path) {
  if (path.empty()) return "/";
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const auto segment =
        path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    out += UrlEncode(segment);
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

// Splits `https://host:port/path?query` into its parts; false when it is not an absolute URL.
bool SplitUrl(const std::string& url, std::string& host, std::string& path, std::string& query) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  const auto authority_start = scheme + 3;
  const auto path_start = url.find_first_of("/?", authority_start);
  host =
      url.substr(authority_start, path_start == std::string::npos ? std::string::npos
                                                                  : path_start - authority_start);
  if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  if (path_start == std::string::npos) {
    path = "/";
    return !host.empty();
  }
  const auto q = url.find('?', path_start);
  path = url.substr(path_start, q == std::string::npos ? std::string::npos : q - path_start);
  if (path.empty()) path = "/";
  if (q != std::string::npos) query = url.substr(q + 1);
  return !host.empty();
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      unsigned value = 0;
      if (std::sscanf(std::string(text.substr(i + 1, 2)).c_str(), "%2x", &value) == 1) {
        out += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    out += text[i] == '+' ? ' ' : text[i];
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return Hex(digest, size);
}

std::string AmzDate(TimePoint t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day));
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buffer;
}

SigV4Signer::SigV4Signer(AwsCredentials credentials, std::string region, std::string service)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)) {}

Signature SigV4Signer::Sign(const SigningInput& input, TimePoint now) const {
  Signature out;
  // Lower-case names, canonical values; repeated names joined with commas, in order.
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : input.headers) {
    std::string lower = Lower(name);
    auto it = std::find_if(headers.begin(), headers.end(),
                           [&](const auto& h) { return h.first == lower; });
    if (it == headers.end()) {
      headers.emplace_back(std::move(lower), CanonicalValue(value));
    } else {
      it->second += "," + CanonicalValue(value);
    }
  }
  auto date = std::find_if(headers.begin(), headers.end(),
                           [](const auto& h) { return h.first == "x-amz-date"; });
  if (date == headers.end()) {
    headers.emplace_back("x-amz-date", AmzDate(now));
    date = std::prev(headers.end());
  }
  out.amz_date = date->second;
  std::sort(headers.begin(), headers.end());

  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [name, value] : input.query)
    query.emplace_back(UrlEncode(name), UrlEncode(value));
  std::sort(query.begin(), query.end());

  std::string canonical_query;
  for (const auto& [name, value] : query) {
    if (!canonical_query.empty()) canonical_query += '&';
    canonical_query += name + "=" + value;
  }
  std::string canonical_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  out.canonical_request = input.method + "\n" + CanonicalUri(input.path) + "\n" + canonical_query +
                          "\n" + canonical_headers + "\n" + out.signed_headers + "\n" +
                          Sha256Hex(input.payload);

  const std::string day = out.amz_date.substr(0, 8);
  const std::string scope = day + "/" + region_ + "/" + service_ + "/aws4_request";
  out.string_to_sign =
      "AWS4-HMAC-SHA256\n" + out.amz_date + "\n" + scope + "\n" + Sha256Hex(out.canonical_request);

  const std::string k_date = Hmac("AWS4" + credentials_.secret_access_key, day);
  const std::string k_region = Hmac(k_date, region_);
  const std::string k_service = Hmac(k_region, service_);
  const std::string k_signing = Hmac(k_service, "aws4_request");
  const std::string raw = Hmac(k_signing, out.string_to_sign);
  out.signature = Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  out.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials_.access_key_id + "/" + scope +
                      ", SignedHeaders=" + out.signed_headers + ", Signature=" + out.signature;
  return out;
}

Status SigV4Signer::SignRequest(HttpRequest& request, TimePoint now) const {
  std::string host;
  std::string path;
  std::string query_text;
  if (!SplitUrl(request.url, host, path, query_text)) {
    return Fail(ErrorCode::kConfigError, "sigv4: cannot sign a request to " + request.url);
  }
  request.headers.Remove("Authorization");
  request.headers.Set("Host", host);
  request.headers.Set("X-Amz-Date", AmzDate(now));
  if (!credentials_.session_token.empty()) {
    request.headers.Set("X-Amz-Security-Token", credentials_.session_token);
  }
  SigningInput input;
  input.method = std::string(MethodName(request.method));
  input.path = PercentDecode(path);
  size_t start = 0;
  while (!query_text.empty() && start <= query_text.size()) {
    const auto end = query_text.find('&', start);
    const std::string pair = query_text.substr(start, end == std::string::npos ? end : end - start);
    const auto eq = pair.find('=');
    input.query.emplace_back(PercentDecode(pair.substr(0, eq)),
                             eq == std::string::npos ? "" : PercentDecode(pair.substr(eq + 1)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  for (const auto& field : request.headers.fields()) input.headers.push_back(field);
  input.payload = request.body;
  request.headers.Set("Authorization", Sign(input, now).authorization);
  return {};
}

}  // namespace mb::amazon

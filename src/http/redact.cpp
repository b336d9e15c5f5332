#include "http/redact.hpp"

#include <algorithm>
#include <array>

namespace mb::http {
namespace {

// Lower case without `_` and `-`, so `client_secret`, `clientSecret` and `Client-Secret` match.
std::string Normalize(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == '_' || c == '-') continue;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  const std::string key = Normalize(name);
  return std::find(names.begin(), names.end(), key) != names.end();
}

// Normalized names (see Normalize).
constexpr std::array<std::string_view, 8> kSecretHeaders = {
    "authorization", "proxyauthorization", "xamzaccesstoken", "xaccesstoken", "xamzsecuritytoken",
    "cookie",        "setcookie",          "xapikey"};

// LWA (refresh_token, client_secret, access_token), generic credentials, and the AWS presigned-URL
// parameters of report and feed document URLs (valid credentials for minutes).
constexpr std::array<std::string_view, 16> kSecretFields = {
    "refreshtoken",  "clientsecret", "accesstoken",   "idtoken",        "sessiontoken",
    "password",      "passwd",       "secret",        "token",          "apikey",
    "authorization", "signature",    "xamzsignature", "xamzcredential", "xamzsecuritytoken",
    "credentials"};

bool IsUrlDelimiter(char c) {
  return c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' ||
         c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\';
}

// `scheme://user:pass@host` anywhere in the text becomes `scheme://***@host`.
std::string MaskUrlCredentials(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (true) {
    const size_t sep = text.find("://", pos);
    if (sep == std::string_view::npos) break;
    const size_t authority = sep + 3;
    size_t end = authority;
    while (end < text.size() && !IsUrlDelimiter(text[end])) ++end;
    const size_t at = text.substr(authority, end - authority).rfind('@');
    out.append(text.substr(pos, authority - pos));
    if (at != std::string_view::npos) {
      out.append(kMask);
      out.append(text.substr(authority + at, end - authority - at));
    } else {
      out.append(text.substr(authority, end - authority));
    }
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

// `a=1&client_secret=x` becomes `a=1&client_secret=***`; used for query strings and form bodies.
std::string MaskFormFields(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    const std::string_view pair = text.substr(pos, amp - pos);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretField(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1));
      out.append(kMask);
    } else {
      out.append(pair);
    }
    if (amp == text.size()) break;
    out.push_back('&');
    pos = amp + 1;
  }
  return out;
}

// End (one past the closing quote) of the JSON string starting at `start` (a quote).
size_t JsonStringEnd(std::string_view text, size_t start) {
  size_t i = start + 1;
  while (i < text.size() && text[i] != '"') i += (text[i] == '\\') ? 2 : 1;
  return std::min(i + 1, text.size());
}

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  return i;
}

// End of the JSON value starting at `start`: a string, an object or array (nested, strings
// respected), or a scalar.
size_t JsonValueEnd(std::string_view text, size_t start) {
  if (start >= text.size()) return start;
  if (text[start] == '"') return JsonStringEnd(text, start);
  size_t i = start;
  if (text[start] == '{' || text[start] == '[') {
    int depth = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '"') {
        i = JsonStringEnd(text, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return i;
  }
  while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && text[i] != ' ' &&
         text[i] != '\n')
    ++i;
  return i;
}

// Masks the value (a whole object if need be) of every secret key, at any depth. A scanner rather
// than a parser so a truncated or invalid document is still redacted.
std::string MaskJsonFields(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '"') {
      ++i;
      continue;
    }
    const size_t end = JsonStringEnd(text, i);
    const std::string_view name = text.substr(i + 1, end > i + 1 ? end - i - 2 : 0);
    const size_t colon = SkipSpace(text, end);
    if (colon >= text.size() || text[colon] != ':' || !IsSecretField(name)) {
      i = end;
      continue;
    }
    const size_t value = SkipSpace(text, colon + 1);
    const size_t value_end = JsonValueEnd(text, value);
    out.append(text.substr(pos, value - pos));
    out.push_back('"');
    out.append(kMask);
    out.push_back('"');
    pos = i = value_end;
  }
  out.append(text.substr(pos));
  return out;
}

bool LooksBinary(std::string_view body) {
  return std::any_of(body.begin(), body.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x09 || (u > 0x0d && u < 0x20);
  });
}

}  // namespace

bool IsSecretHeader(std::string_view name) { return Contains(kSecretHeaders, name); }

bool IsSecretField(std::string_view name) { return Contains(kSecretFields, name); }

std::string RedactUrl(std::string_view url) {
  std::string out = MaskUrlCredentials(url);
  const size_t query = out.find('?');
  if (query == std::string::npos) return out;
  size_t fragment = out.find('#', query);
  if (fragment == std::string::npos) fragment = out.size();
  return out.substr(0, query + 1) +
         MaskFormFields(std::string_view(out).substr(query + 1, fragment - query - 1)) +
         out.substr(fragment);
}

std::string RedactHeaderValue(std::string_view name, std::string_view value) {
  if (IsSecretHeader(name)) return std::string(kMask);
  // Location, Referer and friends may carry URLs with credentials.
  return RedactUrl(value);
}

std::string RedactHeaders(const HttpHeaders& headers) {
  std::string out;
  for (const auto& [name, value] : headers.fields()) {
    if (!out.empty()) out.append(", ");
    out.append(name).append(": ").append(RedactHeaderValue(name, value));
  }
  return out;
}

std::string RedactBody(std::string_view body, std::string_view content_type, size_t max_chars) {
  if (LooksBinary(body)) return "<" + std::to_string(body.size()) + " bytes binary>";
  const size_t first = SkipSpace(body, 0);
  const bool json = content_type.find("json") != std::string_view::npos ||
                    (first < body.size() && (body[first] == '{' || body[first] == '['));
  const std::string credentials_masked = MaskUrlCredentials(body);
  std::string out = json ? MaskJsonFields(credentials_masked) : MaskFormFields(credentials_masked);
  if (out.size() > max_chars) {
    out.resize(max_chars);
    out.append("...(" + std::to_string(body.size()) + " bytes)");
  }
  return out;
}

std::string DescribeForLog(const HttpRequest& request) {
  std::string out(MethodName(request.method));
  out.append(" ").append(RedactUrl(request.url));
  if (!request.operation.empty()) out.append(" (").append(request.operation).append(")");
  return out;
}

std::string RedactForLog(const HttpRequest& request, size_t max_body_chars) {
  std::string out(MethodName(request.method));
  out.append(" ").append(RedactUrl(request.url));
  if (!request.operation.empty()) out.append(" [").append(request.operation).append("]");
  if (!request.headers.empty()) out.append(" headers: ").append(RedactHeaders(request.headers));
  if (!request.body.empty()) {
    out.append(" body: ").append(RedactBody(
        request.body, request.headers.Find("Content-Type").value_or(""), max_body_chars));
  }
  return out;
}

std::string RedactForLog(const HttpResponse& response, size_t max_body_chars) {
  std::string out = std::to_string(response.status);
  if (!response.headers.empty()) out.append(" headers: ").append(RedactHeaders(response.headers));
  if (!response.body.empty()) {
    out.append(" body: ").append(RedactBody(
        response.body, response.headers.Find("Content-Type").value_or(""), max_body_chars));
  }
  return out;
}

}  // namespace mb::http

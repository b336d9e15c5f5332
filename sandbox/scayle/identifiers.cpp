#include "sandbox/scayle/identifiers.hpp"

#include <algorithm>
#include <charconv>

namespace sandbox::scayle {

namespace {

constexpr std::string_view kKeyPrefix = "key=";
constexpr std::string_view kCursorPrefix = "c1.";

std::string UrlDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int value = 0;
      auto [ptr, ec] = std::from_chars(in.data() + i + 1, in.data() + i + 3, value, 16);
      if (ec == std::errc() && ptr == in.data() + i + 3) {
        out.push_back(static_cast<char>(value));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Identifier> ParseIdentifier(std::string_view text) {
  if (text.substr(0, kKeyPrefix.size()) == kKeyPrefix) {
    // Clients may double-encode or leave `%3D` undecoded; decode what remains.
    std::string key = UrlDecode(text.substr(kKeyPrefix.size()));
    if (key.empty()) return std::nullopt;
    return Identifier{std::nullopt, std::move(key)};
  }
  if (text.substr(0, 6) == "key%3D" || text.substr(0, 6) == "key%3d") {
    return ParseIdentifier(UrlDecode(text));
  }
  auto id = ParseId(text);
  if (!id) return std::nullopt;
  return Identifier{id, {}};
}

std::string EncodeCursor(int64_t last_id) {
  return std::string(kCursorPrefix) + std::to_string(last_id);
}

std::optional<int64_t> DecodeCursor(std::string_view cursor) {
  if (cursor.substr(0, kCursorPrefix.size()) != kCursorPrefix) return std::nullopt;
  return ParseId(cursor.substr(kCursorPrefix.size()));
}

std::optional<UrlParts> ParseUrl(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  UrlParts parts;
  parts.path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    parts.user = UrlDecode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) parts.password = UrlDecode(userinfo.substr(colon + 1));
  }
  if (authority.empty()) return std::nullopt;
  parts.scheme_host_port = std::string(scheme) + "://" + std::string(authority);
  return parts;
}

std::string MaskUrlCredentials(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  auto authority_start = scheme_end + 3;
  auto path_start = url.find('/', authority_start);
  auto at = url.substr(0, path_start).rfind('@');
  if (at == std::string_view::npos || at < authority_start) return std::string(url);
  return std::string(url.substr(0, authority_start)) + "***:***" + std::string(url.substr(at));
}

}  // namespace sandbox::scayle

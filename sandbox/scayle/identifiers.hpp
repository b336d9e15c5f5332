#pragma once
// SCAYLE path identifiers and collection cursors (ADMIN_API.md §1): `{...Identifier}` is either the
// numeric SCAYLE id or `key=<referenceKey>` (URL-encoded on the wire; httplib decodes the path).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox::scayle {

struct Identifier {
  std::optional<int64_t> id;
  std::string reference_key;  // set when the identifier was `key=...`
};

// nullopt when the text is neither all digits nor `key=<non-empty>`.
std::optional<Identifier> ParseIdentifier(std::string_view text);

// Cursors are opaque to clients; ours encode the last id returned.
std::string EncodeCursor(int64_t last_id);
std::optional<int64_t> DecodeCursor(std::string_view cursor);

// Splits `http(s)://user:pass@host:port/path` into its parts; user and password are URL-decoded.
struct UrlParts {
  std::string scheme_host_port;
  std::string path;
  std::string user;
  std::string password;
};
std::optional<UrlParts> ParseUrl(std::string_view url);

// The URL with credentials replaced by `***:***`, as SCAYLE shows subscription URLs.
std::string MaskUrlCredentials(std::string_view url);

}  // namespace sandbox::scayle

#pragma once
// Percent-encoding as SP-API, LWA and SigV4 expect it (RFC 3986): everything except the unreserved
// characters A-Z a-z 0-9 - _ . ~ becomes %XX with upper-case hex, space included (%20, never +).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mb::amazon {

std::string UrlEncode(std::string_view text);

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// `a=1&b=x%20y` in the given order (SP-API does not care about order; SigV4 sorts separately).
std::string EncodeQuery(const QueryParams& params);

}  // namespace mb::amazon

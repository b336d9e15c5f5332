#pragma once
// ISO 8601 / RFC 3339 times as SP-API writes and accepts them (UTC "Z" out; offsets accepted in).

#include <optional>
#include <string>
#include <string_view>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::amazon {

// "2026-08-20T09:30:00Z", or with ".123" when the time has milliseconds.
std::string FormatIso(SimTime t);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with "Z" or "+hh:mm"/"-hh:mm".
std::optional<SimTime> ParseIso(std::string_view text);

}  // namespace sandbox::amazon

#pragma once
// SCAYLE's timestamp format: RFC 3339 with an explicit offset, `2020-07-23T11:30:58+00:00`.

#include <optional>
#include <string>
#include <string_view>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::scayle {

std::string FormatTimestamp(SimTime t);
std::string FormatDate(SimTime t);  // YYYY-MM-DD
// Accepts `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`; nullopt for anything else.
std::optional<SimTime> ParseTimestamp(std::string_view text);

}  // namespace sandbox::scayle

#pragma once
// RFC 3339 / ISO 8601 timestamps in UTC. GCC 12 has no std::chrono::parse, so this is the one
// place that reads and writes them.

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace mb {

// Accepts `2026-08-20T09:30:00Z`, lower-case `t`/`z`, a space instead of `T`, fractional seconds
// (kept to the millisecond, extra digits truncated), numeric offsets (`+02:00`, `+0200`, `-05`),
// and with `allow_date_only` a bare date `2026-08-20` (midnight UTC). Validates calendar dates.
Result<TimePoint> ParseTimestamp(std::string_view text, bool allow_date_only = false);

// `2026-08-20T09:30:00Z`, or `2026-08-20T09:30:00.123Z` when the milliseconds are not zero.
std::string FormatTimestamp(TimePoint t);
// `2026-08-20`
std::string FormatDate(TimePoint t);

// Builds a UTC time point from calendar fields (for tests and fixtures). Throws on invalid input.
TimePoint MakeTime(int year, unsigned month, unsigned day, unsigned hour = 0, unsigned minute = 0,
                   unsigned second = 0);

}  // namespace mb

#pragma once
// The date and time shapes seen in settlement reports across marketplaces:
// `2026-08-20T09:30:00+00:00`, `2026-08-20 09:30:00 UTC`, `20.08.2026`, `20.08.2026 09:30:00 UTC`,
// `08/20/2026` (or `20/08/2026`), `2026/08/20`, and a bare ISO date. GCC 12 has no chrono::parse.

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/settlement/marketplace_format.hpp"

namespace mb::settlement {

// What a slash date's first two numbers say about their order: a number above 12 can only be a
// day. Used to decide a file's order from its own content before parsing its dates.
SlashDateOrder SlashDateEvidence(std::string_view text);

// Parses one date or date-time. A time without a zone is rejected rather than assumed to be UTC;
// zone names accepted: UTC, GMT, Z, and the fixed abbreviations PST, PDT, CET, CEST, BST, JST.
// A slash date whose order is kUnknown and cannot be told from its numbers is rejected.
// On failure returns false and sets `why`.
bool ParseSettlementDate(std::string_view text, SlashDateOrder order, TimePoint& out,
                         std::string& why);

}  // namespace mb::settlement

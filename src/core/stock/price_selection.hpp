#pragma once
// Which SCAYLE price becomes Amazon's `our_price` for a marketplace: the one valid now for the
// marketplace's country and currency. SCAYLE keeps several side by side (validity windows, customer
// groups, promotions, merchants); customer-group prices never apply to Amazon buyers, and among the
// rest the one whose window started last wins (a promotion over the base price), then the lower.
//
// Floors and ceilings are guard rails against bad data (a price typed in cents twice, a 100 %
// promotion): a price outside them is held back and explained, never clamped, because a clamped
// price is a price nobody decided.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace mb::stock {

struct PriceCandidate {
  std::string key;
  int64_t amount_minor = 0;
  std::string currency;
  std::string country;  // alpha-2
  std::optional<TimePoint> valid_from;
  std::optional<TimePoint> valid_to;  // exclusive
  std::string group_key;
  std::string promotion_key;
};

struct PriceBounds {
  std::optional<int64_t> floor_minor;
  std::optional<int64_t> ceiling_minor;
};

struct PriceDecision {
  std::optional<Money> price;  // set when there is a price to push
  std::string source_key;      // the SCAYLE price chosen ("" when none)
  std::string reason;          // why this price, or why none
  // When the chosen price is valid until: recompute then.
  std::optional<TimePoint> valid_until;
};

PriceDecision SelectPrice(const std::vector<PriceCandidate>& candidates, const std::string& country,
                          const Currency& currency, TimePoint now, const PriceBounds& bounds);

}  // namespace mb::stock

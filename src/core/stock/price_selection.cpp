#include "core/stock/price_selection.hpp"

#include "core/timestamp.hpp"

namespace mb::stock {

PriceDecision SelectPrice(const std::vector<PriceCandidate>& candidates, const std::string& country,
                          const Currency& currency, TimePoint now, const PriceBounds& bounds) {
  PriceDecision decision;
  const PriceCandidate* best = nullptr;
  for (const auto& candidate : candidates) {
    if (candidate.country != country || candidate.currency != currency.code()) continue;
    if (!candidate.group_key.empty()) continue;
    if (candidate.valid_from && *candidate.valid_from > now) continue;
    if (candidate.valid_to && *candidate.valid_to <= now) continue;
    if (!best) {
      best = &candidate;
      continue;
    }
    TimePoint from = candidate.valid_from.value_or(TimePoint{});
    TimePoint best_from = best->valid_from.value_or(TimePoint{});
    if (from > best_from || (from == best_from && candidate.amount_minor < best->amount_minor))
      best = &candidate;
  }
  if (!best) {
    decision.reason =
        "no SCAYLE price valid now for " + country + "/" + std::string(currency.code());
    return decision;
  }
  decision.source_key = best->key;
  decision.valid_until = best->valid_to;
  Money price(best->amount_minor, currency);
  if (bounds.floor_minor && best->amount_minor < *bounds.floor_minor) {
    decision.reason = "held: " + price.ToString() + " is below the floor " +
                      Money(*bounds.floor_minor, currency).ToString();
    return decision;
  }
  if (bounds.ceiling_minor && best->amount_minor > *bounds.ceiling_minor) {
    decision.reason = "held: " + price.ToString() + " is above the ceiling " +
                      Money(*bounds.ceiling_minor, currency).ToString();
    return decision;
  }
  if (best->amount_minor <= 0) {
    decision.reason = "held: SCAYLE price " + best->key + " is not positive";
    return decision;
  }
  decision.price = price;
  decision.reason =
      "SCAYLE price " + best->key +
      (best->promotion_key.empty() ? "" : " (promotion " + best->promotion_key + ")") +
      (best->valid_from ? " valid from " + FormatTimestamp(*best->valid_from) : "");
  return decision;
}

}  // namespace mb::stock

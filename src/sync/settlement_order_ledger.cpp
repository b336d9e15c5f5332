#include "sync/settlement_order_ledger.hpp"

#include <algorithm>

namespace mb::sync {

Result<std::optional<TimePoint>> OrderStoreLedgerView::FirstOrderSeen(TimePoint from,
                                                                      TimePoint to) {
  // Windows from `from` that double in length: the first one holding any order holds the
  // earliest, and only its orders are read (a whole quarter of orders would be read otherwise).
  Duration window = std::chrono::hours(24);
  for (TimePoint end = std::min(to, from + window);; end = std::min(to, from + window)) {
    auto seen = orders_.ListOrdersSeen(from, end);
    if (!seen) return tl::unexpected(seen.error());
    if (!seen->empty()) {
      auto first = std::min_element(seen->begin(), seen->end(), [](const auto& a, const auto& b) {
        return a.first_seen_at < b.first_seen_at;
      });
      return std::optional<TimePoint>(first->first_seen_at);
    }
    if (end >= to) return std::optional<TimePoint>();
    window *= 2;
  }
}

Result<std::optional<settlement::LedgerOrderFacts>> OrderStoreLedgerView::Find(
    std::string_view amazon_order_id) {
  auto record = orders_.LoadOrder(AmazonOrderId(std::string(amazon_order_id)));
  if (!record) return tl::unexpected(record.error());
  if (!*record) return std::optional<settlement::LedgerOrderFacts>();
  const auto& r = **record;
  settlement::LedgerOrderFacts facts;
  facts.created_in_scayle = r.scayle_order_id != 0;
  facts.shipped =
      !r.packages.empty() || std::any_of(r.units.begin(), r.units.end(),
                                         [](const auto& u) { return u.package_id.has_value(); });
  return std::optional<settlement::LedgerOrderFacts>(facts);
}

}  // namespace mb::sync

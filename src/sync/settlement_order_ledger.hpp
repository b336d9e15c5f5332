#pragma once
// The order loop's ledger (OrderStore, read only) as settlement's view of it: which settled
// orders the engine created in SCAYLE and shipped (src/core/settlement/order_match.hpp).

#include "core/settlement/order_match.hpp"
#include "ports/order_store.hpp"

namespace mb::sync {

class OrderStoreLedgerView final : public settlement::OrderLedgerView {
 public:
  explicit OrderStoreLedgerView(OrderStore& orders) : orders_(orders) {}

  Result<std::optional<TimePoint>> FirstOrderSeen(TimePoint from, TimePoint to) override;
  Result<std::optional<settlement::LedgerOrderFacts>> Find(
      std::string_view amazon_order_id) override;

 private:
  OrderStore& orders_;
};

}  // namespace mb::sync

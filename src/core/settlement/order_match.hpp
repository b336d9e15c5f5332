#pragma once
// Transactional integrity of a settlement (issue 6): its Order and Refund rows matched against the
// orders the engine created in SCAYLE and shipped (the order loop's ledger). Settled orders the
// engine never saw, or saw but never created in SCAYLE, and refunds of orders SCAYLE never shipped
// are findings for finance. A ledger that holds nothing for the period (order loop disabled, or
// started after the period) means "not checked", never "everything unmatched".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "core/settlement/settlement_report.hpp"

namespace mb::settlement {

// What the order ledger knows about one Amazon order, as far as settlement needs it.
struct LedgerOrderFacts {
  bool created_in_scayle = false;
  bool shipped = false;  // at least one unit shipped in SCAYLE
};

// Read-only view of the order ledger (implemented over OrderStore in src/sync).
class OrderLedgerView {
 public:
  virtual ~OrderLedgerView() = default;
  // The earliest first-seen time of the orders the ledger holds in [from, to); nullopt when it
  // holds none there.
  virtual Result<std::optional<TimePoint>> FirstOrderSeen(TimePoint from, TimePoint to) = 0;
  virtual Result<std::optional<LedgerOrderFacts>> Find(std::string_view amazon_order_id) = 0;
};

enum class OrderFindingKind {
  kUnknownOrder,      // settled on Amazon, not in the order ledger
  kNotInScayle,       // in the ledger, never created in SCAYLE
  kRefundNotShipped,  // refunded, but SCAYLE never shipped a unit of it
};
std::string_view OrderFindingKindName(OrderFindingKind kind);
Result<OrderFindingKind> ParseOrderFindingKind(std::string_view name);

struct OrderFinding {
  OrderFindingKind kind = OrderFindingKind::kUnknownOrder;
  std::string order_id;
  int64_t rows = 0;
  // The order's rows (all of them; for kRefundNotShipped its Refund rows), in the settlement's
  // currency, from the seller's side.
  int64_t amount_minor = 0;
  uint32_t first_line = 0;  // in the file
  std::string sku;          // of the first row
};

struct OrderCheck {
  bool checked = false;
  std::string not_checked_reason;      // when !checked
  int64_t orders = 0;                  // distinct order ids on Order / Refund rows
  int64_t matched = 0;                 // found in the ledger, created in SCAYLE, refunds shipped
  int64_t fulfilled_by_amazon = 0;     // fulfillment-id AFN: Amazon ships them, not the engine
  int64_t before_ledger = 0;           // posted before the ledger's first order: cannot be checked
  std::vector<OrderFinding> findings;  // in the order of the file

  int64_t Count(OrderFindingKind kind) const;
  // One line, e.g. "orders: 40 checked, 38 matched, 1 unknown to the engine, 1 refund not shipped".
  std::string Summary() const;
};

// How far before the settlement period the ledger is searched for its first order.
inline constexpr Duration kLedgerLookBack = std::chrono::hours(24 * 90);

// `ledger` may be null (no order ledger in this deployment): not checked.
Result<OrderCheck> CheckOrders(const SettlementReport& report, OrderLedgerView* ledger);

}  // namespace mb::settlement

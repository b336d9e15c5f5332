#pragma once
// Pure checks over ledger records: ghost orders, orders not held or created in time, and the
// ship-by clock with the Late Shipment Rate. They return findings; the sync layer raises them as
// exceptions (keyed by order, so a repeat check never adds a second one).

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/orders/order_ledger.hpp"

namespace mb::orders {

enum class FindingKind { kGhostOrder, kNotHeldInTime, kNotCreatedInTime, kShipByAtRisk };

struct Finding {
  FindingKind kind;
  std::string dedup_key;  // the order id (plus SKU for a ghost line)
  std::string message;    // one line an operator can act on
  std::string details_json;
};

struct GhostSettings {
  Duration hold_within{std::chrono::minutes(5)};     // from first seen
  Duration create_within{std::chrono::minutes(30)};  // from Unshipped
};

// A line whose SellerSKU maps to no SCAYLE variant is a ghost order at once; an order whose units
// are not all held `hold_within` after it was first seen, or not created in SCAYLE `create_within`
// after Amazon said Unshipped, is not held in time. Cancelled, AFN and finished orders never are.
std::vector<Finding> DetectGhosts(const OrderRecord& record, TimePoint now,
                                  const GhostSettings& settings);

struct ShipBySettings {
  // Warn when this little time is left before LatestShipDate (e.g. 24h, 4h, 1h; any order).
  std::vector<Duration> lead_times{std::chrono::hours(24), std::chrono::hours(4),
                                   std::chrono::hours(1)};
};

struct ShipByStatus {
  bool watched = false;   // MFN, not cancelled, not yet confirmed, has a LatestShipDate
  Duration remaining{0};  // LatestShipDate - now (negative: overdue)
  std::optional<Duration> crossed_lead;  // the smallest lead time already crossed
  // Whether that crossing is news: its moment came after the order was first seen, or it is the
  // shortest lead time (then the order is close to or past its deadline, always worth a warning).
  bool warn = false;
};

ShipByStatus ShipByClock(const OrderRecord& record, TimePoint now, const ShipBySettings& settings);
// A finding when `warn` is set. A lead time that had already passed when the engine first saw the
// order does not fire (an MFN order with a 24 h ship window would otherwise raise "24h" at once);
// the shorter ones still do when reached. The dedup key is the order: one exception per order,
// updated as the deadline nears.
std::optional<Finding> ShipByWarning(const OrderRecord& record, TimePoint now,
                                     const ShipBySettings& settings);

// Whether the order's confirmation (last package) came after LatestShipDate.
bool ConfirmedLate(const OrderRecord& record);

// Amazon's Late Shipment Rate over confirmed MFN orders: late / confirmed (0 when none).
struct LateShipmentRate {
  int64_t confirmed = 0;
  int64_t late = 0;
  void Add(const OrderRecord& record);
  double Rate() const { return confirmed == 0 ? 0.0 : static_cast<double>(late) / confirmed; }
};

}  // namespace mb::orders

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
  // Warn when this little time is left before LatestShipDate, largest first (e.g. 24h, 4h, 1h).
  std::vector<Duration> lead_times{std::chrono::hours(24), std::chrono::hours(4),
                                   std::chrono::hours(1)};
};

struct ShipByStatus {
  bool watched = false;   // MFN, not cancelled, not yet confirmed, has a LatestShipDate
  Duration remaining{0};  // LatestShipDate - now (negative: overdue)
  std::optional<Duration> crossed_lead;  // the smallest lead time already crossed
};

ShipByStatus ShipByClock(const OrderRecord& record, TimePoint now, const ShipBySettings& settings);
// A finding when a lead time is crossed; the dedup key names the lead so each level alerts once.
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

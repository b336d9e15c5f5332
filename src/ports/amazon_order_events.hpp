#pragma once
// How the stock loop learns about Amazon orders the moment the order loop knows them (DESIGN §2.1:
// ATS must exclude Amazon orders not yet in SCAYLE, or a stock push re-opens sold units). The order
// loop publishes one event per change of an order's units, after the change is durably recorded,
// synchronously on the order loop's thread: a subscriber must be quick (update its ledger, wake
// its loop) and must not call back into the order loop.
//
// Each event carries the whole current picture of the order (not a delta), so a subscriber that
// missed one, or sees one twice, still ends in the right state: key its ledger by order id and
// replace the previous entry.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace mb {

struct AmazonOrderSkuUnits {
  Sku sku;
  int64_t ordered = 0;    // units Amazon sold
  int64_t cancelled = 0;  // units no longer wanted
  // Units SCAYLE already accounts for: reserved (POST /reservations) or in the SCAYLE order.
  int64_t in_scayle = 0;
  // ordered - cancelled - in_scayle: what ATS must still subtract itself.
  int64_t not_yet_in_scayle = 0;
};

struct AmazonOrderEvent {
  AmazonOrderId order_id;
  MarketplaceId marketplace_id;
  std::string state;  // the ledger state: seen, held, created, shipped, confirmed, cancelled ...
  bool finished = false;  // confirmed or released: drop the order from the ledger
  std::vector<AmazonOrderSkuUnits> skus;
  TimePoint at{};
};

class AmazonOrderEvents {
 public:
  using Handler = std::function<void(const AmazonOrderEvent&)>;
  virtual ~AmazonOrderEvents() = default;
  // Before the order loop starts. Handlers are called in subscription order.
  virtual void Subscribe(Handler handler) = 0;
};

}  // namespace mb

#pragma once
// SCAYLE → Amazon shipments: `order-package-shipped` webhooks (authenticated and de-duplicated by
// the ScayleWebhookReceiver) and a polling backstop that reads the SCAYLE orders of every created,
// not yet fully shipped ledger order. Either path records the packages in the ledger and then
// confirms each on Amazon at once (OrderProcessor).

#include <stop_token>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ports/order_store.hpp"
#include "ports/scayle_api.hpp"
#include "sync/order_processor.hpp"

namespace mb::sync {

class ShipmentWatcher {
 public:
  ShipmentWatcher(ScayleApi& scayle, OrderStore& store, OrderProcessor& processor);

  // For ScayleWebhookReceiver::Subscribe("order-package-shipped", ...). Errors make the receiver
  // answer non-2xx so SCAYLE delivers again.
  Status OnWebhook(const ScayleWebhookEvent& event);
  // One backstop pass over created orders that are not yet fully shipped; ends before the next
  // order when `stop` is requested.
  Status Poll(std::stop_token stop = {});

 private:
  Status Apply(const ScayleOrder& order, std::string_view source, bool report_step_errors);

  ScayleApi& scayle_;
  OrderStore& store_;
  OrderProcessor& processor_;
};

}  // namespace mb::sync

#include "sync/shipment_watcher.hpp"

namespace mb::sync {

ShipmentWatcher::ShipmentWatcher(ScayleApi& scayle, OrderStore& store, OrderProcessor& processor)
    : scayle_(scayle), store_(store), processor_(processor) {}

Status ShipmentWatcher::Apply(const ScayleOrder& order, std::string_view source,
                              bool report_step_errors) {
  if (order.reference_key.empty()) return {};  // not an order Marketbridge created
  AmazonOrderId id(order.reference_key);
  auto recorded = processor_.RecordShipment({id, order}, source);
  if (!recorded) {
    // A D2C order or one of another channel: SCAYLE sends every order's events.
    if (recorded.error().code == ErrorCode::kNotFound) return {};
    return recorded;
  }
  auto processed = processor_.Process(id);
  if (!processed && !report_step_errors) return {};
  return processed;
}

Status ShipmentWatcher::OnWebhook(const ScayleWebhookEvent& event) {
  if (!event.order) return {};
  ScayleOrder order = *event.order;
  // Webhook payloads may be thin; the Admin API has the packages with their items.
  if (order.packages.empty() || order.items.empty()) {
    auto full = scayle_.GetOrderById(order.shop_key, order.country_code, order.id);
    if (!full) return tl::unexpected(full.error());
    order = std::move(*full);
  }
  // Once the package is recorded, a failed confirmation is the engine's to retry (scheduled by the
  // processor), not a reason for SCAYLE to deliver the event again.
  return Apply(order, "webhook", false);
}

Status ShipmentWatcher::Poll(std::stop_token stop) {
  return processor_.ForEachOpenOrder(
      [&](const orders::OrderRecord& r) -> Status {
        if (r.scayle_order_id == 0 || r.cancelled_at) return {};
        auto s = r.State();
        if (s != orders::OrderState::kCreated && s != orders::OrderState::kPartiallyShipped)
          return {};
        auto route = processor_.settings().routes.find(r.marketplace_id.value());
        if (route == processor_.settings().routes.end()) return {};
        auto order = scayle_.GetOrderById(route->second.shop_key, route->second.country_code,
                                          r.scayle_order_id);
        if (!order) return tl::unexpected(order.error());
        if (order->packages.empty()) return {};
        if (order->reference_key.empty()) order->reference_key = r.order_id.value();
        return Apply(*order, "poll", true);
      },
      stop);
}

}  // namespace mb::sync

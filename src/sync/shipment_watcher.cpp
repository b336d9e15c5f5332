#include "sync/shipment_watcher.hpp"

namespace mb::sync {

ShipmentWatcher::ShipmentWatcher(ScayleApi& scayle, OrderStore& store, OrderProcessor& processor)
    : scayle_(scayle), store_(store), processor_(processor) {}

Status ShipmentWatcher::Apply(const ScayleOrder& order, std::string_view source) {
  if (order.reference_key.empty()) return {};  // not an order Marketbridge created
  AmazonOrderId id(order.reference_key);
  auto recorded = processor_.RecordShipment({id, order}, source);
  if (!recorded) {
    // A D2C order or one of another channel: SCAYLE sends every order's events.
    if (recorded.error().code == ErrorCode::kNotFound) return {};
    return recorded;
  }
  return processor_.Process(id);
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
  return Apply(order, "webhook");
}

Status ShipmentWatcher::Poll() {
  auto open = store_.ListOpenOrders(processor_.settings().batch_limit);
  if (!open) return tl::unexpected(open.error());
  Status first_error;
  for (const auto& r : *open) {
    if (r.scayle_order_id == 0 || r.cancelled_at) continue;
    auto s = r.State();
    if (s != orders::OrderState::kCreated && s != orders::OrderState::kPartiallyShipped) continue;
    auto route = processor_.settings().routes.find(r.marketplace_id.value());
    if (route == processor_.settings().routes.end()) continue;
    auto order =
        scayle_.GetOrderById(route->second.shop_key, route->second.country_code, r.scayle_order_id);
    if (!order) {
      if (first_error) first_error = tl::unexpected(order.error());
      continue;
    }
    if (order->packages.empty()) continue;
    if (order->reference_key.empty()) order->reference_key = r.order_id.value();
    auto applied = Apply(*order, "poll");
    if (!applied && first_error) first_error = applied;
  }
  return first_error;
}

}  // namespace mb::sync

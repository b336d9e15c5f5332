#include "sandbox/amazon/order_notification.hpp"

#include <map>

namespace sandbox::amazon {

std::string V0OrderStatus(const std::string& s) {
  static const std::map<std::string, std::string> kNames = {
      {order_status::kPendingAvailability, "PendingAvailability"},
      {order_status::kPending, "Pending"},
      {order_status::kUnshipped, "Unshipped"},
      {order_status::kPartiallyShipped, "PartiallyShipped"},
      {order_status::kShipped, "Shipped"},
      {order_status::kCancelled, "Canceled"}};
  auto it = kNames.find(s);
  return it == kNames.end() ? s : it->second;
}

sqs::OrderChangeFacts OrderChangeFactsOf(const Order& order) {
  sqs::OrderChangeFacts facts;
  facts.seller_id = order.seller_id;
  facts.amazon_order_id = order.order_id;
  facts.marketplace_id = order.marketplace_id;
  facts.order_status = V0OrderStatus(order.status);
  facts.time_of_order_change = order.last_updated_time;
  facts.purchase_date = order.created_time;
  facts.destination_postal_code = order.delivery_address.postal_code;
  facts.earliest_ship_date = order.earliest_ship_date;
  facts.latest_ship_date = order.latest_ship_date;
  facts.earliest_delivery_date = order.earliest_delivery_date;
  facts.latest_delivery_date = order.latest_delivery_date;
  for (const auto& item : order.items) {
    sqs::OrderChangeItem i;
    i.order_item_id = item.order_item_id;
    i.seller_sku = item.sku;
    i.quantity = item.quantity_ordered;
    i.quantity_shipped = item.quantity_shipped;
    i.order_item_status = item.quantity_shipped >= item.quantity_ordered ? "Shipped" : "Unshipped";
    facts.items.push_back(std::move(i));
  }
  return facts;
}

std::string OrderChangeBody(const Order& order, const sqs::NotificationEnvelope& envelope) {
  return sqs::BuildOrderChangeNotification(OrderChangeFactsOf(order), envelope).dump();
}

}  // namespace sandbox::amazon

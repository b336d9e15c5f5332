#pragma once
// The ORDER_CHANGE notification document SP-API writes into the SQS message body, built from
// plain order facts (shape: reference/amazon/models/OrderChangeNotification.json, PascalCase).

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::sqs {

struct OrderChangeItem {
  std::string order_item_id;
  std::string seller_sku;
  std::optional<std::string> supply_source_id;  // null for merchant-fulfilled without sources
  int quantity = 0;
  int quantity_shipped = 0;
  std::string order_item_status = "Unshipped";  // Unshipped | Shipped
  bool is_buyer_requested_cancel = false;
};

struct OrderChangeFacts {
  std::string seller_id;
  std::string amazon_order_id;
  std::string marketplace_id;
  std::string order_status;  // v0 names: Pending, Unshipped, PartiallyShipped, Shipped, Canceled, …
  std::string notification_level = "OrderLevel";  // OrderLevel | OrderItemLevel
  std::string order_change_type =
      "OrderStatusChange";  // | BuyerRequestedChange | DeliveryTipChange
  std::string change_reason = "Order Status Change";
  SimTime time_of_order_change;
  std::optional<SimTime> purchase_date;
  std::optional<std::string> destination_postal_code;
  std::string fulfillment_type = "MFN";  // AFN | MFN
  std::string order_type = "StandardOrder";
  std::optional<SimTime> earliest_ship_date;
  std::optional<SimTime> latest_ship_date;
  std::optional<SimTime> earliest_delivery_date;
  std::optional<SimTime> latest_delivery_date;
  std::optional<SimTime> cancel_notify_date;
  std::vector<std::string> order_programs;     // Business | Prime | Premium | IBA | Replacement
  std::vector<std::string> shipping_programs;  // e.g. EasyShip
  std::vector<OrderChangeItem> items;
};

struct NotificationEnvelope {
  std::string application_id;
  std::string subscription_id;
  std::string notification_id;
  SimTime event_time;
  SimTime publish_time;
};

nlohmann::json BuildOrderChangeNotification(const OrderChangeFacts& facts,
                                            const NotificationEnvelope& envelope);

// "2020-01-11T00:09:53.109Z" (UTC, milliseconds), as SP-API notifications write times.
std::string FormatIsoMillis(SimTime t);

}  // namespace sandbox::sqs

#include "sandbox/sqs/order_change_notification.hpp"

#include <cstdio>

namespace sandbox::sqs {
namespace {

nlohmann::json TimeOrNull(const std::optional<SimTime>& t) {
  return t ? nlohmann::json(FormatIsoMillis(*t)) : nlohmann::json(nullptr);
}

}  // namespace

std::string FormatIsoMillis(SimTime t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss hms(t - days);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

nlohmann::json BuildOrderChangeNotification(const OrderChangeFacts& facts,
                                            const NotificationEnvelope& envelope) {
  int shipped = 0;
  int unshipped = 0;
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : facts.items) {
    shipped += item.quantity_shipped;
    unshipped += item.quantity - item.quantity_shipped;
    items.push_back(
        {{"OrderItemId", item.order_item_id},
         {"SellerSKU", item.seller_sku},
         {"SupplySourceId",
          item.supply_source_id ? nlohmann::json(*item.supply_source_id) : nlohmann::json(nullptr)},
         {"OrderItemStatus", item.order_item_status},
         {"Quantity", item.quantity},
         {"QuantityShipped", item.quantity_shipped},
         {"IsBuyerRequestedCancel", item.is_buyer_requested_cancel}});
  }
  nlohmann::json summary = {
      {"MarketplaceId", facts.marketplace_id},
      {"OrderStatus", facts.order_status},
      {"PurchaseDate", TimeOrNull(facts.purchase_date)},
      {"DestinationPostalCode", facts.destination_postal_code
                                    ? nlohmann::json(*facts.destination_postal_code)
                                    : nlohmann::json(nullptr)},
      {"FulfillmentType", facts.fulfillment_type},
      {"OrderType", facts.order_type},
      {"NumberOfItemsShipped", shipped},
      {"NumberOfItemsUnshipped", unshipped},
      {"OrderPrograms", facts.order_programs},
      {"ShippingPrograms", facts.shipping_programs},
      {"OrderItems", items}};
  // Optional dates are omitted rather than null: the schema types them as plain strings.
  const std::pair<const char*, const std::optional<SimTime>*> dates[] = {
      {"EarliestShipDate", &facts.earliest_ship_date},
      {"LatestShipDate", &facts.latest_ship_date},
      {"EarliestDeliveryDate", &facts.earliest_delivery_date},
      {"LatestDeliveryDate", &facts.latest_delivery_date},
      {"CancelNotifyDate", &facts.cancel_notify_date}};
  for (const auto& [name, value] : dates) {
    if (*value) summary[name] = FormatIsoMillis(**value);
  }
  return {{"NotificationVersion", "1.0"},
          {"NotificationType", "ORDER_CHANGE"},
          {"PayloadVersion", "1.0"},
          {"EventTime", FormatIsoMillis(envelope.event_time)},
          {"Payload",
           {{"OrderChangeNotification",
             {{"NotificationLevel", facts.notification_level},
              {"SellerId", facts.seller_id},
              {"AmazonOrderId", facts.amazon_order_id},
              {"OrderChangeType", facts.order_change_type},
              {"OrderChangeTrigger",
               {{"TimeOfOrderChange", FormatIsoMillis(facts.time_of_order_change)},
                {"ChangeReason", facts.change_reason}}},
              {"Summary", summary}}}}},
          {"NotificationMetadata",
           {{"ApplicationId", envelope.application_id},
            {"SubscriptionId", envelope.subscription_id},
            {"PublishTime", FormatIsoMillis(envelope.publish_time)},
            {"NotificationId", envelope.notification_id}}}};
}

}  // namespace sandbox::sqs

#include "sync/order_processor.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"

namespace mb::sync {
namespace {

const char* kNotification = R"({
  "NotificationVersion": "1.0", "NotificationType": "ORDER_CHANGE", "PayloadVersion": "1.0",
  "EventTime": "2026-11-27T10:00:01.000Z",
  "Payload": {"OrderChangeNotification": {
    "NotificationLevel": "OrderLevel", "SellerId": "A2MB", "AmazonOrderId": "302-1111111-2222222",
    "OrderChangeType": "OrderStatusChange",
    "OrderChangeTrigger": {"TimeOfOrderChange": "2026-11-27T10:00:00.000Z", "ChangeReason": "x"},
    "Summary": {"MarketplaceId": "A1PA6795UKMFR9", "OrderStatus": "Pending",
      "PurchaseDate": "2026-11-27T09:59:00.000Z", "FulfillmentType": "MFN",
      "LatestShipDate": "2026-11-29T23:59:59.000Z",
      "OrderItems": [
        {"OrderItemId": "111", "SellerSKU": "SKU-A", "Quantity": 2, "OrderItemStatus": "Unshipped"},
        {"OrderItemId": "222", "SellerSKU": "SKU-B", "Quantity": 1, "OrderItemStatus": "Canceled"}]}}},
  "NotificationMetadata": {"ApplicationId": "app", "SubscriptionId": "s", "PublishTime": "2026-11-27T10:00:02.000Z", "NotificationId": "n1"}})";

TEST(ParseOrderChangeTest, ReadsTheSummaryWithoutPersonalData) {
  auto s = ParseOrderChange(kNotification);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->order_id.value(), "302-1111111-2222222");
  EXPECT_EQ(s->status, "Pending");
  EXPECT_TRUE(s->merchant_fulfilled);
  EXPECT_EQ(s->last_updated, MakeTime(2026, 11, 27, 10));
  EXPECT_EQ(*s->latest_ship_date, MakeTime(2026, 11, 29, 23, 59, 59));
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].sku.value(), "SKU-A");
  EXPECT_EQ(s->lines[0].quantity, 2);
  EXPECT_EQ(s->lines[0].quantity_cancelled, 0);
  EXPECT_EQ(s->lines[1].quantity_cancelled, 1);
}

TEST(ParseOrderChangeTest, RejectsOtherNotificationsAndGarbage) {
  EXPECT_FALSE(ParseOrderChange("not json"));
  EXPECT_FALSE(ParseOrderChange(R"({"NotificationType":"ANY_OFFER_CHANGED"})"));
  EXPECT_FALSE(ParseOrderChange(R"({"NotificationType":"ORDER_CHANGE","Payload":{}})"));
}

TEST(OrderEventHubTest, EventSaysWhatAtsMustStillSubtract) {
  auto s = ParseOrderChange(kNotification);
  orders::OrderRecord r;
  orders::ApplySnapshot(r, *s, MakeTime(2026, 11, 27, 10), true);
  ASSERT_TRUE(
      orders::MarkUnitHeld(r, {AmazonOrderItemId("111"), 1}, 5, MakeTime(2026, 11, 27, 10)));
  auto e = OrderEventHub::EventFor(r, MakeTime(2026, 11, 27, 10));
  ASSERT_EQ(e.skus.size(), 2u);
  EXPECT_EQ(e.skus[0].sku.value(), "SKU-A");
  EXPECT_EQ(e.skus[0].ordered, 2);
  EXPECT_EQ(e.skus[0].in_scayle, 1);
  EXPECT_EQ(e.skus[0].not_yet_in_scayle, 1);
  EXPECT_EQ(e.skus[1].cancelled, 1);
  EXPECT_EQ(e.skus[1].not_yet_in_scayle, 0);
  EXPECT_FALSE(e.finished);

  OrderEventHub hub;
  int calls = 0;
  hub.Subscribe([&](const AmazonOrderEvent& ev) {
    ++calls;
    EXPECT_EQ(ev.order_id, r.order_id);
  });
  hub.Publish(r, MakeTime(2026, 11, 27, 10));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace mb::sync

#include "sandbox/amazon/order_notification.hpp"

#include <gtest/gtest.h>

#include "sandbox/conformance/json_schema.hpp"

namespace sandbox::amazon {
namespace {

using namespace std::chrono_literals;

const SimTime kPurchased{std::chrono::milliseconds(1764617000000)};  // 2025-12-01T19:23:20Z

Order PartlyShippedOrder() {
  Order o;
  o.order_id = "302-1234567-1234567";
  o.seller_id = "A2ZPJ4TLUOSWY8";
  o.marketplace_id = "A1PA6795UKMFR9";
  o.created_time = kPurchased;
  o.last_updated_time = kPurchased + 212s;
  o.status = order_status::kPartiallyShipped;
  o.earliest_ship_date = kPurchased + 24h;
  o.latest_ship_date = kPurchased + 48h;
  o.earliest_delivery_date = kPurchased + 72h;
  o.latest_delivery_date = kPurchased + 120h;
  o.delivery_address.postal_code = "10115";
  o.items.push_back({"111", "SKU-123-M", "B000000001", "Shirt", 2, 2, {}});
  o.items.push_back({"222", "SKU-124-L", "B000000002", "Shoe", 3, 1, {}});
  return o;
}

TEST(OrderNotification, NamesAmazonsStatusesAsOrdersV0Does) {
  EXPECT_EQ(V0OrderStatus(order_status::kPendingAvailability), "PendingAvailability");
  EXPECT_EQ(V0OrderStatus(order_status::kPending), "Pending");
  EXPECT_EQ(V0OrderStatus(order_status::kUnshipped), "Unshipped");
  EXPECT_EQ(V0OrderStatus(order_status::kPartiallyShipped), "PartiallyShipped");
  EXPECT_EQ(V0OrderStatus(order_status::kShipped), "Shipped");
  EXPECT_EQ(V0OrderStatus(order_status::kCancelled), "Canceled");
  EXPECT_EQ(V0OrderStatus("ON_THE_MOON"), "ON_THE_MOON");
}

TEST(OrderNotification, FactsAreTheOrdersAsItStandsNow) {
  auto f = OrderChangeFactsOf(PartlyShippedOrder());
  EXPECT_EQ(f.seller_id, "A2ZPJ4TLUOSWY8");
  EXPECT_EQ(f.amazon_order_id, "302-1234567-1234567");
  EXPECT_EQ(f.marketplace_id, "A1PA6795UKMFR9");
  EXPECT_EQ(f.order_status, "PartiallyShipped");
  EXPECT_EQ(f.time_of_order_change, kPurchased + 212s);
  EXPECT_EQ(f.purchase_date, kPurchased);
  EXPECT_EQ(f.destination_postal_code, "10115");
  EXPECT_EQ(f.latest_ship_date, kPurchased + 48h);
  EXPECT_EQ(f.latest_delivery_date, kPurchased + 120h);
  ASSERT_EQ(f.items.size(), 2u);
  EXPECT_EQ(f.items[0].order_item_id, "111");
  EXPECT_EQ(f.items[0].seller_sku, "SKU-123-M");
  EXPECT_EQ(f.items[0].quantity, 2);
  EXPECT_EQ(f.items[0].order_item_status, "Shipped");
  EXPECT_EQ(f.items[1].quantity_shipped, 1);
  EXPECT_EQ(f.items[1].order_item_status, "Unshipped");
}

TEST(OrderNotification, BodyIsTheOfficialDocument) {
  sqs::NotificationEnvelope env{"amzn1.sp.solution.app", "sub-1", "n-1", kPurchased + 213s,
                                kPurchased + 214s};
  auto doc = nlohmann::json::parse(OrderChangeBody(PartlyShippedOrder(), env));
  auto schema = conformance::JsonSchema::FromFile(
      std::string(MB_SHARED_DIR) + "/reference/amazon/models/OrderChangeNotification.json",
      conformance::JsonSchema::Draft::kDraft7);
  auto errors = schema.Validate(doc);
  EXPECT_TRUE(errors.empty()) << errors.front();
  const auto& n = doc["Payload"]["OrderChangeNotification"];
  EXPECT_EQ(n["AmazonOrderId"], "302-1234567-1234567");
  EXPECT_EQ(n["Summary"]["OrderStatus"], "PartiallyShipped");
  EXPECT_EQ(n["Summary"]["NumberOfItemsShipped"], 3);
  EXPECT_EQ(n["Summary"]["NumberOfItemsUnshipped"], 2);
  EXPECT_EQ(doc["NotificationMetadata"]["NotificationId"], "n-1");
}

}  // namespace
}  // namespace sandbox::amazon

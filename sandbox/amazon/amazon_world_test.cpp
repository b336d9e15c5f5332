#include "sandbox/amazon/amazon_world.hpp"

#include <gtest/gtest.h>

namespace sandbox::amazon {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";
constexpr const char* kFr = "A13V1IB3VIYZZH";
constexpr const char* kUs = "ATVPDKIKX0DER";

json ShirtBody(int quantity) {
  return {{"productType", "SHIRT"},
          {"attributes",
           {{"item_name", {{{"value", "Shirt"}, {"language_tag", "de_DE"}}}},
            {"fulfillment_availability",
             {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", quantity}}}},
            {"purchasable_offer",
             {{{"currency", "EUR"},
               {"our_price", {{{"schedule", {{{"value_with_tax", 19.99}}}}}}}}}}}}};
}

class AmazonWorldTest : public ::testing::Test {
 protected:
  SimClock clock_{SimTime(490000h), 0.0};
  AmazonWorld world_{clock_, AmazonConfig{}};
};

TEST_F(AmazonWorldTest, EuropeIsOneQuantityAcrossMarketplaces) {
  ASSERT_EQ(world_.PutListing(kSeller, kDe, "SKU-1", ShirtBody(3), false)->status, "ACCEPTED");
  ASSERT_TRUE(world_.PutListing(kSeller, kFr, "SKU-1", ShirtBody(3), false));
  auto order = world_.PlaceOrder({kSeller, kFr, {{"SKU-1", 2, std::nullopt}}});
  ASSERT_TRUE(order) << order.error().message;
  EXPECT_EQ(order->items[0].unit_price.minor, 1999);
  EXPECT_EQ(ListedQuantity(*world_.GetListing(kSeller, Region::kEurope, "SKU-1")), 1);
  // DE sees the same lowered quantity: the buyer there can't get 2 any more.
  auto second = world_.PlaceOrder({kSeller, kDe, {{"SKU-1", 2, std::nullopt}}});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "InsufficientQuantity");
  // The US is another region: no listing there.
  EXPECT_EQ(world_.PlaceOrder({kSeller, kUs, {{"SKU-1", 1, std::nullopt}}}).error().code,
            "NotListed");
  EXPECT_EQ(world_.Counters().orders_rejected, 2);
}

TEST_F(AmazonWorldTest, CancellationKeepsListedQuantityUnlessConfigured) {
  ASSERT_TRUE(world_.PutListing(kSeller, kDe, "SKU-1", ShirtBody(3), false));
  auto order = world_.PlaceOrder({kSeller, kDe, {{"SKU-1", 1, std::nullopt}}});
  ASSERT_TRUE(world_.CancelOrder(order->order_id));
  EXPECT_EQ(ListedQuantity(*world_.GetListing(kSeller, Region::kEurope, "SKU-1")), 2);

  AmazonConfig config;
  config.cancel_restores_quantity = true;
  AmazonWorld restoring(clock_, config);
  ASSERT_TRUE(restoring.PutListing(kSeller, kDe, "SKU-1", ShirtBody(3), false));
  auto o2 = restoring.PlaceOrder({kSeller, kDe, {{"SKU-1", 1, std::nullopt}}});
  ASSERT_TRUE(restoring.CancelOrder(o2->order_id));
  EXPECT_EQ(ListedQuantity(*restoring.GetListing(kSeller, Region::kEurope, "SKU-1")), 3);
}

TEST_F(AmazonWorldTest, ShipmentsPartialThenFullAndLateCountedOncePerOrder) {
  ASSERT_TRUE(world_.PutListing(kSeller, kDe, "SKU-1", ShirtBody(5), false));
  PlaceOrderRequest req{kSeller, kDe, {{"SKU-1", 3, std::nullopt}}};
  req.status = order_status::kUnshipped;
  req.ship_within = 1h;
  auto order = world_.PlaceOrder(req);
  const std::string item = order->items[0].order_item_id;
  Package p1{"1", "DHL", "", "", "T1", clock_.Now(), {}, {{item, 1}}};
  ASSERT_TRUE(world_.ConfirmShipment(kSeller, order->order_id, {kDe, p1}));
  EXPECT_EQ(world_.GetOrder(order->order_id)->status, order_status::kPartiallyShipped);
  clock_.Advance(2h);
  Package p2{"2", "DHL", "", "", "T2", clock_.Now(), {}, {{item, 3}}};
  EXPECT_FALSE(world_.ConfirmShipment(kSeller, order->order_id, {kDe, p2}));  // 3 > 2 unshipped
  p2.items[0].quantity = 2;
  ASSERT_TRUE(world_.ConfirmShipment(kSeller, order->order_id, {kDe, p2}));
  Package p3{"3", "DHL", "", "", "T3", clock_.Now(), {}, {{item, 1}}};
  EXPECT_FALSE(world_.ConfirmShipment(kSeller, order->order_id, {kDe, p3}));  // nothing left
  EXPECT_EQ(world_.GetOrder(order->order_id)->status, order_status::kShipped);
  auto log = world_.Confirmations();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_FALSE(log[0].late);
  EXPECT_TRUE(log[1].late);
  EXPECT_EQ(world_.Counters().late_shipments, 1);
  EXPECT_EQ(world_.Counters().shipments_confirmed, 2);
}

TEST_F(AmazonWorldTest, ObserversSeeEveryOrderChange) {
  std::vector<std::string> seen;
  world_.AddOrderObserver([&](const Order& o) { seen.push_back(o.status); });
  ASSERT_TRUE(world_.PutListing(kSeller, kDe, "SKU-1", ShirtBody(5), false));
  auto order = world_.PlaceOrder({kSeller, kDe, {{"SKU-1", 1, std::nullopt}}});
  ASSERT_TRUE(world_.SetOrderStatus(order->order_id, order_status::kUnshipped));
  Package p{"1", "DHL", "", "", "T1", clock_.Now(), {}, {{order->items[0].order_item_id, 1}}};
  ASSERT_TRUE(world_.ConfirmShipment(kSeller, order->order_id, {kDe, p}));
  EXPECT_FALSE(world_.CancelOrder(order->order_id));  // shipped: refused, no event
  EXPECT_EQ(seen, (std::vector<std::string>{"PENDING", "UNSHIPPED", "SHIPPED"}));
}

}  // namespace
}  // namespace sandbox::amazon

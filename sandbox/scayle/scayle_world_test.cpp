#include "sandbox/scayle/scayle_world.hpp"

#include <gtest/gtest.h>

#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using namespace std::chrono_literals;
using testing::TestStart;

class ScayleWorldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.SeedDefaultTenant();
    world_.SetEventSink([this](const WorldEvent& e) { events_.push_back(e); });
    Product p;
    p.reference_key = "TEE-black";
    p.master_key = "TEE";
    p.name = {{"en_GB", "Tee"}};
    Variant v;
    v.reference_key = kSku;
    v.ean = "4000000000017";
    world_.AddProduct(p, {v}, {{{"wh-main", 2, TestStart(), false, std::nullopt}}});
  }
  Identifier Sku() const { return Identifier{std::nullopt, kSku}; }
  ReservationRequest Reservation(std::string key, int64_t ttl = 600) const {
    return {std::move(key), "wh-main", ttl, Sku(), std::nullopt};
  }

  static constexpr const char* kSku = "TEE-black-M";
  SimClock clock_{TestStart(), 0.0};
  ScayleWorld world_{clock_};
  std::vector<WorldEvent> events_;
};

TEST_F(ScayleWorldTest, D2cPurchaseConsumesSellableStockAndFailsWhenNoneIsLeft) {
  EXPECT_EQ(world_.SellableD2c(Sku(), "ms", "DE"), 2);
  auto first = world_.PurchaseD2c(Sku(), "ms", "de");  // country codes are case-insensitive
  ASSERT_TRUE(first);
  EXPECT_EQ(first->warehouse_key, "wh-main");
  EXPECT_EQ(first->remaining_sellable, 1);
  ASSERT_TRUE(world_.PurchaseD2c(Sku(), "ms", "DE"));
  auto third = world_.PurchaseD2c(Sku(), "ms", "DE");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().key, "OUT_OF_STOCK");
  EXPECT_EQ(world_.VariantStocks(Sku())->at(0).quantity, 0);
  // Each sale announced its new quantity.
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[1].name, "product-variant-stock-updated");
  EXPECT_EQ(events_[1].envelope["payload"]["quantity"], 0);
  EXPECT_EQ(events_[1].envelope["payload"]["productVariant"]["referenceKey"], kSku);
}

TEST_F(ScayleWorldTest, ReservedUnitsAreNotSellableToD2cUntilReleasedOrExpired) {
  auto out = world_.Reserve({Reservation("amz-1:1", 600), Reservation("amz-1:2", 1200)});
  ASSERT_TRUE(out[0].reservation && out[1].reservation);
  EXPECT_EQ(world_.SellableD2c(Sku(), "ms", "DE"), 0);
  EXPECT_FALSE(world_.PurchaseD2c(Sku(), "ms", "DE"));
  // A third unit cannot be reserved: only two exist.
  auto third = world_.Reserve({Reservation("amz-1:3")});
  ASSERT_TRUE(third[0].error);
  EXPECT_EQ(third[0].error->key, "INSUFFICIENT_STOCK");
  // The GET figure does not subtract reservations by default (docs/sandbox.md).
  EXPECT_EQ(world_.VariantStocks(Sku())->at(0).quantity, 2);

  ASSERT_TRUE(world_.ReleaseReservation(Identifier{out[0].reservation->id, {}}));
  EXPECT_EQ(world_.SellableD2c(Sku(), "ms", "DE"), 1);
  clock_.Advance(1199s);
  EXPECT_EQ(world_.ActiveReservationCount(), 1u);
  clock_.Advance(1s);
  EXPECT_EQ(world_.ActiveReservationCount(), 0u);
  EXPECT_EQ(world_.SellableD2c(Sku(), "ms", "DE"), 2);
}

TEST_F(ScayleWorldTest, StockReadCanBeConfiguredToSubtractReservations) {
  ScayleWorld world(clock_, WorldConfig{"sandbox", true, 3600});
  world.SeedDefaultTenant();
  Variant v;
  v.reference_key = "X-1";
  world.AddProduct(Product{}, {v}, {{{"wh-main", 3, TestStart(), false, std::nullopt}}});
  ASSERT_TRUE(
      world.Reserve({{"r1", "wh-main", std::nullopt, {std::nullopt, "X-1"}, std::nullopt}})[0]
          .reservation);
  EXPECT_EQ(world.VariantStocks({std::nullopt, "X-1"})->at(0).quantity, 2);
}

TEST_F(ScayleWorldTest, OrderItemConsumesItsReservationAndCancelReturnsTheUnit) {
  auto r = world_.Reserve({Reservation("amz-9:1")});
  ASSERT_TRUE(r[0].reservation);
  Json body = {{"referenceKey", "amz-9"},
               {"items",
                {{{"variant", {{"referenceKey", kSku}}},
                  {"reservationKey", "amz-9:1"},
                  {"price", {{"withTax", 1999}, {"tax", {{"vat", {{"rate", 0.19}}}}}}}}}}};
  auto order = world_.CreateOrder("ms", "DE", body);
  ASSERT_TRUE(order) << order.error().message;
  EXPECT_EQ(world_.ActiveReservationCount(), 0u);
  EXPECT_EQ(world_.VariantStocks(Sku())->at(0).quantity, 1);
  EXPECT_EQ(order->items.at(0).status, "available");
  EXPECT_EQ(order->items.at(0).price_without_tax, 1680);  // 19.99 / 1.19, rounded
  auto cancelled = world_.CancelOrder(order->id);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->status, "cancellation_completed");
  EXPECT_EQ(world_.VariantStocks(Sku())->at(0).quantity, 2);
  EXPECT_EQ(events_.back().name, "order-canceled");
  EXPECT_FALSE(world_.CancelOrder(order->id));
}

TEST_F(ScayleWorldTest, ShippingInTwoPackagesCompletesTheOrder) {
  Json body = {
      {"referenceKey", "amz-10"},
      {"items",
       Json::array({{{"variant", {{"referenceKey", kSku}}}, {"price", {{"withTax", 1000}}}},
                    {{"variant", {{"referenceKey", kSku}}}, {"price", {{"withTax", 1000}}}}})}};
  auto order = world_.CreateOrder("ms", "DE", body);
  ASSERT_TRUE(order);
  ASSERT_EQ(world_.OrdersAwaitingShipment().size(), 1u);
  auto first = world_.ShipOrder(order->id, {{"DHL_STD_NATIONAL", "TRK-1", {order->items[0].id}}});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->shipping_code, "shipping_partially_shipped");
  EXPECT_EQ(first->status, "payment_reserved");
  auto again = world_.ShipOrder(order->id, {{"DHL_STD_NATIONAL", "TRK-1b", {order->items[0].id}}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().key, "ITEM_NOT_SHIPPABLE");
  EXPECT_FALSE(world_.ShipOrder(order->id, {{"NO_SUCH_CARRIER", "TRK-2", {}}}));
  auto second = world_.ShipOrder(order->id, {{"DPD", "TRK-2", {}}});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, "invoice_completed");
  EXPECT_TRUE(world_.OrdersAwaitingShipment().empty());
  ASSERT_EQ(second->packages.size(), 2u);
  EXPECT_EQ(second->items[1].package_id, second->packages[1].id);
  int shipped_events = 0;
  for (const auto& e : events_) shipped_events += e.name == "order-package-shipped";
  EXPECT_EQ(shipped_events, 2);
}

TEST_F(ScayleWorldTest, DuplicateOrderReferenceKeyIsRejected) {
  Json body = {{"referenceKey", "amz-11"},
               {"items", {{{"variant", {{"referenceKey", kSku}}}, {"price", {{"withTax", 1}}}}}}};
  ASSERT_TRUE(world_.CreateOrder("ms", "DE", body));
  auto dup = world_.CreateOrder("ms", "DE", body);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().status, 409);
  EXPECT_EQ(dup.error().key, "ORDER_ALREADY_EXISTS");
  // The rejected duplicate took no stock.
  EXPECT_EQ(world_.VariantStocks(Sku())->at(0).quantity, 1);
}

TEST_F(ScayleWorldTest, CatalogueChangesFireTheirEvents) {
  ASSERT_TRUE(world_.SetProductState({std::nullopt, "TEE-black"}, "blocked"));
  ASSERT_TRUE(world_.SetPrices(Sku(), {}));
  ASSERT_TRUE(world_.DeleteVariant(Sku()));
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_EQ(events_[0].envelope["type"], "product-updated");
  EXPECT_EQ(events_[0].envelope["payload"]["state"], "blocked");
  EXPECT_EQ(events_[1].envelope["type"], "product-variant-prices-updated");
  EXPECT_EQ(events_[2].envelope["type"], "product-variant-deleted");
  EXPECT_FALSE(world_.FindVariant(Sku()));
}

}  // namespace
}  // namespace sandbox::scayle

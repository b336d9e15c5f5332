#include "core/stock/ats_ledger.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"

namespace mb::stock {
namespace {

TimePoint At(int minute, int second = 0) {
  return MakeTime(2026, 11, 27, 12, static_cast<unsigned>(minute), static_cast<unsigned>(second));
}

class AtsLedgerTest : public ::testing::Test {
 protected:
  AtsLedgerTest()
      : ledger_({RegionConfig{"EU", {"wh-main", "wh-south"}}, RegionConfig{"NA", {"wh-us"}}},
                policies_) {}

  int64_t Ats(const std::string& sku, const std::string& region = "EU") {
    auto value = ledger_.Compute(sku, region);
    EXPECT_TRUE(value.has_value()) << value.error().message;
    return value ? value->quantity : -1;
  }

  BufferPolicies policies_;
  AtsLedger ledger_;
};

TEST_F(AtsLedgerTest, SumsOnlyTheWarehousesServingTheRegion) {
  ledger_.ApplyStock("S", "wh-main", 5, At(0));
  ledger_.ApplyStock("S", "wh-south", 3, At(0));
  ledger_.ApplyStock("S", "wh-store", 40, At(0));  // a shop warehouse not serving Amazon
  ledger_.ApplyStock("S", "wh-us", 9, At(0));
  EXPECT_EQ(Ats("S"), 8);
  EXPECT_EQ(Ats("S", "NA"), 9);
}

TEST_F(AtsLedgerTest, NegativeWarehouseReadingsCountAsZero) {
  ledger_.ApplyStock("S", "wh-main", -2, At(0));  // sellableWithoutStock lets stock go below 0
  ledger_.ApplyStock("S", "wh-south", 3, At(0));
  EXPECT_EQ(Ats("S"), 3);
}

TEST_F(AtsLedgerTest, UnknownSkuAndRegionAreErrors) {
  auto unknown = ledger_.Compute("NOPE", "EU");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  ledger_.ApplyStock("S", "wh-main", 1, At(0));
  EXPECT_EQ(ledger_.Compute("S", "JP").error().code, ErrorCode::kInvalidInput);
}

TEST_F(AtsLedgerTest, OutOfOrderStockReadingsNeverRegress) {
  EXPECT_EQ(ledger_.ApplyStock("S", "wh-main", 5, At(2)), ApplyResult::kApplied);
  EXPECT_EQ(ledger_.ApplyStock("S", "wh-main", 9, At(1)), ApplyResult::kStale);
  EXPECT_EQ(Ats("S"), 5);
  EXPECT_EQ(ledger_.ApplyStock("S", "wh-main", 5, At(2)), ApplyResult::kDuplicate);
  EXPECT_EQ(ledger_.ApplyStock("S", "wh-main", 4, At(3)), ApplyResult::kApplied);
  EXPECT_EQ(Ats("S"), 4);
}

TEST_F(AtsLedgerTest, SameChangedAtWithAnotherQuantityKeepsTheLowerOne) {
  ledger_.ApplyStock("S", "wh-main", 5, At(2));
  EXPECT_EQ(ledger_.ApplyStock("S", "wh-main", 7, At(2)), ApplyResult::kDuplicate);
  EXPECT_EQ(Ats("S"), 5);
  EXPECT_EQ(ledger_.ApplyStock("S", "wh-main", 3, At(2)), ApplyResult::kApplied);
  EXPECT_EQ(Ats("S"), 3);
}

TEST_F(AtsLedgerTest, AmazonOrdersNotHeldByScayleAreSubtractedOnce) {
  ledger_.ApplyStock("S", "wh-main", 5, At(0));
  EXPECT_EQ(*ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 2, At(1)), ApplyResult::kApplied);
  EXPECT_EQ(Ats("S"), 3);
  EXPECT_EQ(*ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 2, At(1)), ApplyResult::kDuplicate);
  EXPECT_EQ(Ats("S"), 3);
  EXPECT_EQ(Ats("S", "NA"), 0);  // an EU order does not touch NA
}

TEST_F(AtsLedgerTest, HeldOrderStaysSubtractedUntilANewerStockReadingReflectsIt) {
  ledger_.ApplyStock("S", "wh-main", 5, At(0));
  ASSERT_TRUE(ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 1, At(1)));
  ASSERT_TRUE(ledger_.MarkOrderHeld("A-1:1", At(2), "wh-main"));
  EXPECT_EQ(Ats("S"), 4);
  // A webhook that was on its way before SCAYLE held the unit still shows 5: not reflected.
  ledger_.ApplyStock("S", "wh-main", 5, At(1, 30));
  EXPECT_EQ(Ats("S"), 4);
  // Another warehouse moving does not reflect a hold in wh-main.
  ledger_.ApplyStock("S", "wh-south", 0, At(3));
  EXPECT_EQ(Ats("S"), 4);
  // SCAYLE's stock after the hold: 4, and the order is no longer subtracted twice.
  ledger_.ApplyStock("S", "wh-main", 4, At(3));
  EXPECT_EQ(Ats("S"), 4);
  auto value = ledger_.Compute("S", "EU", true);
  EXPECT_EQ(value->open_order_units, 0);
  EXPECT_TRUE(value->open_orders.empty());
  // A late duplicate of the order does not come back.
  EXPECT_EQ(*ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 1, At(1)), ApplyResult::kDuplicate);
  EXPECT_EQ(Ats("S"), 4);
}

TEST_F(AtsLedgerTest, HeldInAnUnknownWarehouseIsReflectedByAnyNewerReading) {
  ledger_.ApplyStock("S", "wh-main", 5, At(0));
  ASSERT_TRUE(ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 1, At(1)));
  ASSERT_TRUE(ledger_.MarkOrderHeld("A-1:1", At(2), ""));
  ledger_.ApplyStock("S", "wh-south", 0, At(3));
  EXPECT_EQ(ledger_.Compute("S", "EU")->open_order_units, 0);
}

TEST_F(AtsLedgerTest, CancelledOrderGivesItsUnitsBack) {
  ledger_.ApplyStock("S", "wh-main", 5, At(0));
  ASSERT_TRUE(ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 2, At(1)));
  EXPECT_EQ(*ledger_.CancelOrder("A-1:1"), ApplyResult::kApplied);
  EXPECT_EQ(Ats("S"), 5);
  EXPECT_EQ(*ledger_.CancelOrder("A-1:1"), ApplyResult::kDuplicate);
  EXPECT_EQ(ledger_.CancelOrder("A-9:9").error().code, ErrorCode::kNotFound);
}

TEST_F(AtsLedgerTest, OrderForUnconfiguredRegionOrWithoutUnitsIsRejected) {
  EXPECT_EQ(ledger_.ApplyAmazonOrder("JP", "S", "A-1:1", 1, At(0)).error().code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(ledger_.ApplyAmazonOrder("EU", "S", "A-1:2", 0, At(0)).error().code,
            ErrorCode::kInvalidInput);
}

TEST_F(AtsLedgerTest, ValueComputedBeforeTheNewestOrderIsNotCurrent) {
  ledger_.ApplyStock("S", "wh-main", 5, At(0));
  auto before = *ledger_.Compute("S", "EU");
  EXPECT_TRUE(ledger_.IsCurrent(before));
  // An Amazon order arrives while `before` waits to be pushed.
  ASSERT_TRUE(ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 1, At(1)));
  EXPECT_FALSE(ledger_.IsCurrent(before));
  auto after = *ledger_.Compute("S", "EU");
  EXPECT_TRUE(ledger_.IsCurrent(after));
  EXPECT_EQ(after.quantity, 4);
  EXPECT_GT(after.order_watermark, before.version);
  // A stock change keeps a value current (newest-wins handles it); only orders gate.
  ledger_.ApplyStock("S", "wh-main", 6, At(2));
  EXPECT_TRUE(ledger_.IsCurrent(after));
  // Orders in another region do not make an EU value stale.
  ledger_.ApplyStock("S", "wh-us", 3, At(2));
  auto eu = *ledger_.Compute("S", "EU");
  ASSERT_TRUE(ledger_.ApplyAmazonOrder("NA", "S", "A-2:1", 1, At(3)));
  EXPECT_TRUE(ledger_.IsCurrent(eu));
}

TEST_F(AtsLedgerTest, BufferAppliesAfterOpenOrders) {
  BufferRule rule;
  rule.fixed_units = 1;
  rule.zero_below = 2;
  policies_.Set(RuleScope::kProduct, "P", rule);
  ledger_.SetPlacement(SkuPlacement{"S", "P", {}});
  ledger_.ApplyStock("S", "wh-main", 5, At(0));
  EXPECT_EQ(Ats("S"), 4);
  ASSERT_TRUE(ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 2, At(1)));
  EXPECT_EQ(Ats("S"), 2);
  ASSERT_TRUE(ledger_.ApplyAmazonOrder("EU", "S", "A-2:1", 1, At(1)));
  auto value = *ledger_.Compute("S", "EU", true);
  EXPECT_EQ(value.quantity, 0);  // 5 - 3 - 1 = 1 < 2
  EXPECT_EQ(value.buffer_units, 2);
  EXPECT_EQ(value.rule.scope, RuleScope::kProduct);
  EXPECT_EQ(value.open_orders.size(), 2u);
  EXPECT_EQ(ledger_.ComputeQuantity("S", "EU").value(), 0);
}

TEST_F(AtsLedgerTest, OversoldInputsClampAtZero) {
  ledger_.ApplyStock("S", "wh-main", 1, At(0));
  ASSERT_TRUE(ledger_.ApplyAmazonOrder("EU", "S", "A-1:1", 3, At(1)));
  auto value = *ledger_.Compute("S", "EU");
  EXPECT_EQ(value.quantity, 0);
  EXPECT_EQ(value.buffer_units, 0);
}

}  // namespace
}  // namespace mb::stock

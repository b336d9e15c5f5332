#include "core/orders/order_ledger.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"

namespace mb::orders {
namespace {

const TimePoint kT0 = MakeTime(2026, 11, 27, 10);

AmazonOrderSnapshot Snapshot(std::string status, TimePoint updated, int qty_a = 2, int qty_b = 1) {
  AmazonOrderSnapshot s;
  s.order_id = AmazonOrderId("302-0000001-0000001");
  s.marketplace_id = MarketplaceId("A1PA6795UKMFR9");
  s.status = std::move(status);
  s.last_updated = updated;
  s.latest_ship_date = kT0 + std::chrono::hours(48);
  s.lines.push_back(
      {AmazonOrderItemId("A"), Sku("SKU-A"), qty_a, 0, Money(1999, Currency::Of("EUR"))});
  if (qty_b > 0)
    s.lines.push_back(
        {AmazonOrderItemId("B"), Sku("SKU-B"), qty_b, 0, Money(500, Currency::Of("EUR"))});
  return s;
}

TEST(OrderLedgerTest, ParsesBothStatusSpellingsAndKeepsUnknownOnes) {
  EXPECT_EQ(ParseAmazonStatus("Unshipped"), AmazonStatus::kUnshipped);
  EXPECT_EQ(ParseAmazonStatus("UNSHIPPED"), AmazonStatus::kUnshipped);
  EXPECT_EQ(ParseAmazonStatus("PENDING_AVAILABILITY"), AmazonStatus::kPendingAvailability);
  EXPECT_EQ(ParseAmazonStatus("Canceled"), AmazonStatus::kCanceled);
  EXPECT_EQ(ParseAmazonStatus("CANCELLED"), AmazonStatus::kCanceled);
  EXPECT_EQ(ParseAmazonStatus("ON_THE_MOON"), AmazonStatus::kUnknown);
}

TEST(OrderLedgerTest, KeysArePerUnitPerOrderAndPerPackage) {
  AmazonOrderId order("302-1");
  EXPECT_EQ(ReservationKey(order, AmazonOrderItemId("77"), 2), "302-1:77:2");
  EXPECT_NE(ReservationKey(order, AmazonOrderItemId("77"), 1),
            ReservationKey(order, AmazonOrderItemId("77"), 2));
  EXPECT_EQ(OrderCreationKey(order), "302-1");
  EXPECT_EQ(ConfirmationKey(order, "3"), "302-1:3");
  EXPECT_EQ(ReserveEffectKey("302-1:77:2").value(), "orders.reserve:302-1:77:2");
  EXPECT_EQ(ConfirmEffectKey(order, "3").value(), "orders.confirm:302-1:3");
}

TEST(OrderLedgerTest, CancellationAfterCreationCancelsScayleItemsUntilDoneOrRefused) {
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Unshipped", kT0), kT0, true);
  for (auto& u : PlanSteps(r).reserve) ASSERT_TRUE(MarkUnitHeld(r, u, 7, kT0));
  ASSERT_TRUE(MarkCreatedInScayle(r, 900, kT0));
  // Unit A:1 named its reservation; A:2 and B:1 are found by SKU, in unit order.
  LinkScayleItems(r, {{11, "SKU-A", ReservationKey(r.order_id, AmazonOrderItemId("A"), 1)},
                      {12, "SKU-A", ""},
                      {13, "SKU-B", ""}});
  EXPECT_EQ(r.units[0].scayle_item_id, 11);
  EXPECT_EQ(r.units[1].scayle_item_id, 12);
  EXPECT_EQ(r.units[2].scayle_item_id, 13);
  EXPECT_TRUE(PlanSteps(r).cancel_in_scayle.empty());
  ApplySnapshot(r, Snapshot("Canceled", kT0 + std::chrono::minutes(5)), kT0, false);
  auto steps = PlanSteps(r);
  ASSERT_EQ(steps.cancel_in_scayle.size(), 3u);
  EXPECT_EQ(r.State(), OrderState::kCancelled);
  ASSERT_TRUE(MarkUnitCancelledInScayle(r, steps.cancel_in_scayle[0], kT0));
  ASSERT_TRUE(MarkUnitCancelledInScayle(r, steps.cancel_in_scayle[1], kT0));
  ASSERT_TRUE(MarkUnitCancelRefused(r, steps.cancel_in_scayle[2], "already shipped", kT0));
  EXPECT_TRUE(PlanSteps(r).cancel_in_scayle.empty());  // a refusal is final
  for (auto& u : PlanSteps(r).release) ASSERT_TRUE(MarkUnitReleased(r, u, kT0));
  EXPECT_EQ(r.State(), OrderState::kReleased);
  EXPECT_EQ(CancelEffectKey(r.order_id, AmazonOrderItemId("A"), 2).value(),
            "orders.cancel:302-0000001-0000001:A:2");
}

TEST(OrderLedgerTest, ReservationsTheScayleOrderConsumedAreNotReleasedAgain) {
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Pending", kT0), kT0, true);
  for (auto& u : PlanSteps(r).reserve) ASSERT_TRUE(MarkUnitHeld(r, u, 7, kT0));
  ApplySnapshot(r, Snapshot("Unshipped", kT0 + std::chrono::minutes(1)), kT0, false);
  ASSERT_TRUE(MarkCreatedInScayle(r, 900, kT0));
  // A:1 and B:1 named their reservations; A:2's item did not (SCAYLE took free stock for it).
  LinkScayleItems(r, {{11, "SKU-A", ReservationKey(r.order_id, AmazonOrderItemId("A"), 1)},
                      {12, "SKU-A", ""},
                      {13, "SKU-B", ReservationKey(r.order_id, AmazonOrderItemId("B"), 1)}});
  EXPECT_TRUE(r.units[0].released);
  EXPECT_FALSE(r.units[1].released);
  EXPECT_TRUE(r.units[2].released);
  const TimePoint cancelled = kT0 + std::chrono::minutes(5);
  ApplySnapshot(r, Snapshot("Canceled", cancelled), cancelled, false);
  auto steps = PlanSteps(r);
  EXPECT_EQ(steps.cancel_in_scayle.size(), 3u);
  ASSERT_EQ(steps.release.size(), 1u);  // only the reservation no item took
  EXPECT_EQ(steps.release[0].order_item_id, AmazonOrderItemId("A"));
  EXPECT_EQ(steps.release[0].index, 2);
  ASSERT_TRUE(MarkUnitReleased(r, steps.release[0], cancelled));
  for (auto& u : steps.cancel_in_scayle) ASSERT_TRUE(MarkUnitCancelledInScayle(r, u, cancelled));
  EXPECT_EQ(r.State(), OrderState::kReleased);
  EXPECT_EQ(r.released_at, cancelled);  // the last SCAYLE cancellation finished it
}

TEST(OrderLedgerTest, ScayleOrderFoundAfterACrashConsumedUnitsTheLedgerNeverHeld) {
  // Reserved and created in one pass, killed before the ledger recorded either; Amazon then
  // cancels and the engine finds the SCAYLE order by its referenceKey.
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Unshipped", kT0, 1, 0), kT0, true);
  ApplySnapshot(r, Snapshot("Canceled", kT0 + std::chrono::minutes(5), 1, 0), kT0, false);
  EXPECT_TRUE(PlanSteps(r).release.empty());  // nothing recorded as held
  RecordScayleOrderOfCancelled(r, 900);
  LinkScayleItems(r, {{11, "SKU-A", ReservationKey(r.order_id, AmazonOrderItemId("A"), 1)}});
  auto steps = PlanSteps(r);
  EXPECT_TRUE(steps.release.empty());  // the SCAYLE order took the unit from its reservation
  ASSERT_EQ(steps.cancel_in_scayle.size(), 1u);
  EXPECT_EQ(r.State(), OrderState::kCancelled);
  ASSERT_TRUE(MarkUnitCancelledInScayle(r, steps.cancel_in_scayle[0], kT0));
  EXPECT_EQ(r.State(), OrderState::kReleased);
}

TEST(OrderLedgerTest, PendingOrderIsHeldPerUnitButNotCreated) {
  OrderRecord r;
  auto out = ApplySnapshot(r, Snapshot("Pending", kT0), kT0, true);
  EXPECT_TRUE(out.created);
  ASSERT_EQ(r.units.size(), 3u);
  auto steps = PlanSteps(r);
  EXPECT_EQ(steps.reserve.size(), 3u);
  EXPECT_FALSE(steps.create_in_scayle);
  EXPECT_EQ(r.State(), OrderState::kSeen);
  for (auto& u : steps.reserve) ASSERT_TRUE(MarkUnitHeld(r, u, 7, kT0));
  EXPECT_EQ(r.State(), OrderState::kHeld);
  EXPECT_EQ(r.held_at, kT0);
  EXPECT_TRUE(PlanSteps(r).reserve.empty());
}

TEST(OrderLedgerTest, WalksTheHappyPathToConfirmed) {
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Pending", kT0), kT0, true);
  for (auto& u : PlanSteps(r).reserve) ASSERT_TRUE(MarkUnitHeld(r, u, 1, kT0));
  ApplySnapshot(r, Snapshot("Unshipped", kT0 + std::chrono::minutes(30)), kT0, false);
  auto steps = PlanSteps(r);
  EXPECT_TRUE(steps.create_in_scayle);
  ASSERT_TRUE(MarkCreatedInScayle(r, 555, kT0));
  EXPECT_EQ(r.State(), OrderState::kCreated);
  EXPECT_FALSE(PlanSteps(r).create_in_scayle);

  // Two packages: the first carries one A, the second the rest.
  auto ref1 = RecordPackage(r, {11, "dhl", "T1", kT0, {{AmazonOrderItemId("A"), 1}}}, kT0);
  ASSERT_TRUE(ref1);
  EXPECT_EQ(*ref1, "1");
  EXPECT_EQ(r.State(), OrderState::kPartiallyShipped);
  auto ref2 = RecordPackage(
      r, {12, "ups", "T2", kT0, {{AmazonOrderItemId("A"), 1}, {AmazonOrderItemId("B"), 1}}}, kT0);
  ASSERT_TRUE(ref2);
  EXPECT_EQ(*ref2, "2");
  // The same SCAYLE package again keeps its reference.
  EXPECT_EQ(*RecordPackage(r, {11, "dhl", "T1", kT0, {{AmazonOrderItemId("A"), 1}}}, kT0), "1");
  EXPECT_EQ(r.packages.size(), 2u);
  EXPECT_EQ(r.State(), OrderState::kShipped);
  EXPECT_EQ(PlanSteps(r).confirm, (std::vector<std::string>{"1", "2"}));
  ASSERT_TRUE(MarkPackageConfirmed(r, "1", kT0 + std::chrono::hours(1)));
  EXPECT_EQ(r.State(), OrderState::kShipped);
  ASSERT_TRUE(MarkPackageConfirmed(r, "2", kT0 + std::chrono::hours(2)));
  EXPECT_EQ(r.State(), OrderState::kConfirmed);
  EXPECT_EQ(r.confirmed_at, kT0 + std::chrono::hours(2));
  EXPECT_TRUE(r.Terminal());
}

TEST(OrderLedgerTest, CancellationReleasesHeldUnitsAndIsFinal) {
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Pending", kT0), kT0, true);
  ASSERT_TRUE(MarkUnitHeld(r, {AmazonOrderItemId("A"), 1}, 1, kT0));
  auto out = ApplySnapshot(r, Snapshot("Canceled", kT0 + std::chrono::minutes(5)), kT0, false);
  EXPECT_TRUE(out.became_cancelled);
  EXPECT_EQ(r.State(), OrderState::kCancelled);
  auto steps = PlanSteps(r);
  ASSERT_EQ(steps.release.size(), 1u);
  EXPECT_TRUE(steps.reserve.empty());
  EXPECT_FALSE(steps.create_in_scayle);
  ASSERT_TRUE(MarkUnitReleased(r, steps.release[0], kT0));
  EXPECT_EQ(r.State(), OrderState::kReleased);
  // A late Unshipped notification does not revive it.
  ApplySnapshot(r, Snapshot("Unshipped", kT0 + std::chrono::minutes(9)), kT0, false);
  EXPECT_EQ(r.State(), OrderState::kReleased);
  EXPECT_FALSE(PlanSteps(r).create_in_scayle);
}

TEST(OrderLedgerTest, StaleSnapshotIsIgnoredAndUnknownStatusIsFlagged) {
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Unshipped", kT0 + std::chrono::minutes(10)), kT0, true);
  auto stale = ApplySnapshot(r, Snapshot("Pending", kT0), kT0, false);
  EXPECT_TRUE(stale.stale);
  EXPECT_EQ(r.status, AmazonStatus::kUnshipped);
  auto odd = ApplySnapshot(r, Snapshot("ON_THE_MOON", kT0 + std::chrono::minutes(20)), kT0, false);
  EXPECT_TRUE(odd.status_unknown);
  EXPECT_EQ(r.raw_status, "ON_THE_MOON");
  // Stock stays held; nothing new is created until the status is known.
  EXPECT_EQ(PlanSteps(r).reserve.size(), 3u);
  EXPECT_FALSE(PlanSteps(r).create_in_scayle);
}

TEST(OrderLedgerTest, ItemLevelCancellationCancelsUnitsOfThatLine) {
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Unshipped", kT0), kT0, true);
  auto s = Snapshot("Unshipped", kT0 + std::chrono::minutes(1));
  s.lines[0].quantity_cancelled = 1;
  ApplySnapshot(r, s, kT0, false);
  EXPECT_EQ(r.ActiveUnitCount(), 2);
  EXPECT_EQ(PlanSteps(r).reserve.size(), 2u);
}

TEST(OrderLedgerTest, UnmappedLineBlocksCreationButNotTheOthersHold) {
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Unshipped", kT0), kT0, true);
  r.FindLine(AmazonOrderItemId("B"))->unmapped = true;
  auto steps = PlanSteps(r);
  EXPECT_EQ(steps.reserve.size(), 2u);
  EXPECT_FALSE(steps.create_in_scayle);
}

TEST(OrderLedgerTest, AfnOrdersAreRecordedButNeverActedOn) {
  OrderRecord r;
  auto s = Snapshot("Unshipped", kT0);
  s.merchant_fulfilled = false;
  ApplySnapshot(r, s, kT0, true);
  auto steps = PlanSteps(r);
  EXPECT_TRUE(steps.reserve.empty());
  EXPECT_FALSE(steps.create_in_scayle);
  EXPECT_TRUE(r.Terminal());
}

TEST(OrderLedgerTest, PurgeTimeIsRetentionAfterDeliveryOrCancellation) {
  OrderRecord r;
  ApplySnapshot(r, Snapshot("Canceled", kT0), kT0, true);
  UpdatePurgeTime(r, std::chrono::days(30));
  EXPECT_EQ(r.pii_purge_after, kT0 + std::chrono::days(30));
  OrderRecord d;
  auto s = Snapshot("Unshipped", kT0, 1, 0);
  s.latest_delivery_date = kT0 + std::chrono::days(3);
  ApplySnapshot(d, s, kT0, true);
  ASSERT_TRUE(MarkCreatedInScayle(d, 1, kT0));
  ASSERT_TRUE(RecordPackage(d, {5, "dhl", "T", kT0, {{AmazonOrderItemId("A"), 1}}}, kT0));
  ASSERT_TRUE(MarkPackageConfirmed(d, "1", kT0 + std::chrono::hours(1)));
  UpdatePurgeTime(d, std::chrono::days(30));
  EXPECT_EQ(d.pii_purge_after, kT0 + std::chrono::days(33));
}

}  // namespace
}  // namespace mb::orders

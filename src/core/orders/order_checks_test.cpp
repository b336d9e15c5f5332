#include "core/orders/order_checks.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"

namespace mb::orders {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const TimePoint kT0 = MakeTime(2026, 11, 27, 10);

OrderRecord Order(std::string status) {
  AmazonOrderSnapshot s;
  s.order_id = AmazonOrderId("302-9");
  s.status = std::move(status);
  s.last_updated = kT0;
  s.latest_ship_date = kT0 + hours(24);
  s.lines.push_back({AmazonOrderItemId("A"), Sku("SKU-A"), 1, 0, std::nullopt});
  OrderRecord r;
  ApplySnapshot(r, s, kT0, true);
  return r;
}

TEST(GhostDetectorTest, UnmappedSkuIsAGhostAtOnce) {
  OrderRecord r = Order("Pending");
  r.lines[0].unmapped = true;
  auto f = DetectGhosts(r, kT0, GhostSettings{});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, FindingKind::kGhostOrder);
  EXPECT_EQ(f[0].dedup_key, "302-9:SKU-A");
  EXPECT_NE(f[0].message.find("SKU-A"), std::string::npos);
  EXPECT_NE(f[0].details_json.find("\"seller_sku\":\"SKU-A\""), std::string::npos);
}

TEST(GhostDetectorTest, NotHeldOrNotCreatedInTime) {
  GhostSettings settings{minutes(5), minutes(30)};
  OrderRecord r = Order("Pending");
  EXPECT_TRUE(DetectGhosts(r, kT0 + minutes(4), settings).empty());
  auto late = DetectGhosts(r, kT0 + minutes(6), settings);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].kind, FindingKind::kNotHeldInTime);
  ASSERT_TRUE(MarkUnitHeld(r, {AmazonOrderItemId("A"), 1}, 1, kT0));
  EXPECT_TRUE(DetectGhosts(r, kT0 + minutes(6), settings).empty());
  r.status = AmazonStatus::kUnshipped;
  r.unshipped_at = kT0 + minutes(10);
  EXPECT_TRUE(DetectGhosts(r, kT0 + minutes(39), settings).empty());
  auto uncreated = DetectGhosts(r, kT0 + minutes(41), settings);
  ASSERT_EQ(uncreated.size(), 1u);
  EXPECT_EQ(uncreated[0].kind, FindingKind::kNotCreatedInTime);
  ASSERT_TRUE(MarkCreatedInScayle(r, 9, kT0));
  EXPECT_TRUE(DetectGhosts(r, kT0 + minutes(41), settings).empty());
}

TEST(GhostDetectorTest, CancelledOrdersAreNeverGhosts) {
  OrderRecord r = Order("Canceled");
  r.lines[0].unmapped = true;
  EXPECT_TRUE(DetectGhosts(r, kT0 + hours(5), GhostSettings{}).empty());
}

TEST(ShipByClockTest, WarnsAtEachLeadTime) {
  ShipBySettings settings{{hours(24), hours(4), hours(1)}};
  OrderRecord r = Order("Unshipped");
  r.latest_ship_date = kT0 + hours(30);
  EXPECT_FALSE(ShipByWarning(r, kT0, settings));
  auto at24 = ShipByClock(r, kT0 + hours(7), settings);
  ASSERT_TRUE(at24.crossed_lead);
  EXPECT_EQ(*at24.crossed_lead, hours(24));
  auto at1 = ShipByClock(r, kT0 + hours(29) + minutes(30), settings);
  EXPECT_EQ(*at1.crossed_lead, hours(1));
  auto w = ShipByWarning(r, kT0 + hours(31), settings);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->kind, FindingKind::kShipByAtRisk);
  EXPECT_NE(w->message.find("overdue by 60 min"), std::string::npos);
}

TEST(ShipByClockTest, ALeadTimeAlreadyPassedWhenFirstSeenDoesNotFire) {
  // A typical MFN order: seen 2 minutes after purchase with a 24 h ship window.
  ShipBySettings settings{{hours(24), hours(4), hours(1)}};
  OrderRecord r = Order("Unshipped");
  r.latest_ship_date = kT0 + hours(24) - minutes(2);
  auto seen = ShipByClock(r, kT0, settings);
  ASSERT_TRUE(seen.crossed_lead);
  EXPECT_EQ(*seen.crossed_lead, hours(24));
  EXPECT_FALSE(seen.warn);
  EXPECT_FALSE(ShipByWarning(r, kT0, settings));
  EXPECT_FALSE(ShipByWarning(r, kT0 + hours(19), settings));  // 4 h 58 min left
  auto at4 = ShipByWarning(r, kT0 + hours(20), settings);     // 3 h 58 min left
  ASSERT_TRUE(at4);
  EXPECT_NE(at4->details_json.find("\"lead_minutes\":240"), std::string::npos) << at4->details_json;
  EXPECT_NE(at4->message.find("238 min left"), std::string::npos) << at4->message;
  auto at1 = ShipByWarning(r, kT0 + hours(23), settings);
  ASSERT_TRUE(at1);
  EXPECT_NE(at1->details_json.find("\"lead_minutes\":60"), std::string::npos);
}

TEST(ShipByClockTest, FirstSeenInsideTheLastLeadTimeOrLateWarnsAtOnce) {
  // Leads in any order: the shortest is found, not assumed last.
  ShipBySettings settings{{hours(1), hours(24), hours(4)}};
  OrderRecord inside = Order("Unshipped");
  inside.latest_ship_date = kT0 + minutes(40);
  auto w = ShipByWarning(inside, kT0, settings);
  ASSERT_TRUE(w);
  EXPECT_NE(w->message.find("40 min left"), std::string::npos) << w->message;
  EXPECT_NE(w->details_json.find("\"lead_minutes\":60"), std::string::npos);

  OrderRecord late = Order("Unshipped");
  late.latest_ship_date = kT0 - minutes(90);
  auto overdue = ShipByWarning(late, kT0, settings);
  ASSERT_TRUE(overdue);
  EXPECT_NE(overdue->message.find("overdue by 90 min"), std::string::npos) << overdue->message;

  // Seen between 4 h and 1 h before the deadline: nothing until the last lead time.
  OrderRecord between = Order("Unshipped");
  between.latest_ship_date = kT0 + hours(3);
  EXPECT_FALSE(ShipByWarning(between, kT0, settings));
  EXPECT_FALSE(ShipByWarning(between, kT0 + hours(1) + minutes(59), settings));
  EXPECT_TRUE(ShipByWarning(between, kT0 + hours(2) + minutes(1), settings));
}

TEST(ShipByClockTest, NoLeadTimesNoWarnings) {
  OrderRecord late = Order("Unshipped");
  late.latest_ship_date = kT0 - hours(1);
  EXPECT_FALSE(ShipByWarning(late, kT0, ShipBySettings{{}}));
}

TEST(ShipByClockTest, ConfirmedOrdersAreNotWatchedAndCountForLateShipmentRate) {
  OrderRecord on_time = Order("Unshipped");
  ASSERT_TRUE(MarkCreatedInScayle(on_time, 1, kT0));
  ASSERT_TRUE(RecordPackage(on_time, {1, "dhl", "T", kT0, {{AmazonOrderItemId("A"), 1}}}, kT0));
  ASSERT_TRUE(MarkPackageConfirmed(on_time, "1", kT0 + hours(2)));
  EXPECT_FALSE(ShipByClock(on_time, kT0 + hours(30), ShipBySettings{}).watched);
  OrderRecord late = Order("Unshipped");
  ASSERT_TRUE(MarkCreatedInScayle(late, 2, kT0));
  ASSERT_TRUE(RecordPackage(late, {2, "dhl", "T", kT0, {{AmazonOrderItemId("A"), 1}}}, kT0));
  ASSERT_TRUE(MarkPackageConfirmed(late, "1", kT0 + hours(25)));
  LateShipmentRate lsr;
  lsr.Add(on_time);
  lsr.Add(late);
  lsr.Add(Order("Pending"));
  EXPECT_EQ(lsr.confirmed, 2);
  EXPECT_EQ(lsr.late, 1);
  EXPECT_DOUBLE_EQ(lsr.Rate(), 0.5);
}

}  // namespace
}  // namespace mb::orders

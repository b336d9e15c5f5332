#include "core/settlement/order_match.hpp"

#include <gtest/gtest.h>

#include <map>

#include "core/settlement/flat_file_parser.hpp"
#include "core/settlement/test_fixtures.hpp"
#include "core/timestamp.hpp"

namespace mb::settlement {
namespace {

// us_dot.tsv: Order rows of 111-0000001-0000001 (9 rows, 1093.54, posted 2026-08-03) and
// 111-0000002-0000002 (3 rows, 12.00, 2026-08-05); Refund rows of 111-0000003-0000003 (6 rows,
// -30.19, 2026-08-07) plus a Refund_Retrocharge, which is not a refund of goods.
class FakeLedger final : public OrderLedgerView {
 public:
  Result<std::optional<TimePoint>> FirstOrderSeen(TimePoint from, TimePoint to) override {
    window_from = from;
    window_to = to;
    if (first_seen && *first_seen >= from && *first_seen < to) return first_seen;
    return std::optional<TimePoint>();
  }
  Result<std::optional<LedgerOrderFacts>> Find(std::string_view id) override {
    ++lookups;
    auto it = orders.find(std::string(id));
    if (it == orders.end()) return std::optional<LedgerOrderFacts>();
    return std::optional<LedgerOrderFacts>(it->second);
  }

  std::optional<TimePoint> first_seen;
  std::map<std::string, LedgerOrderFacts> orders;
  TimePoint window_from{}, window_to{};
  int lookups = 0;
};

SettlementReport Report(std::string text = testing::ReadFixture("us_dot.tsv")) {
  auto r = ParseSettlementBytes(std::move(text), "us_dot.tsv");
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

TEST(OrderMatchTest, WithoutALedgerNothingIsFlagged) {
  auto check = CheckOrders(Report(), nullptr);
  ASSERT_TRUE(check);
  EXPECT_FALSE(check->checked);
  EXPECT_EQ(check->orders, 3);
  EXPECT_TRUE(check->findings.empty());
  EXPECT_EQ(check->Summary(), "orders not checked: no order ledger in this deployment");
}

TEST(OrderMatchTest, AnEmptyLedgerMeansNotCheckedRatherThanEverythingUnmatched) {
  FakeLedger ledger;
  auto check = CheckOrders(Report(), &ledger);
  ASSERT_TRUE(check);
  EXPECT_FALSE(check->checked);
  EXPECT_TRUE(check->findings.empty());
  EXPECT_EQ(ledger.lookups, 0);
  EXPECT_EQ(check->not_checked_reason,
            "the order ledger holds no orders seen between 2026-05-03 and 2026-08-16 (order loop "
            "disabled or started later)");
  // The window reaches 90 days before the settlement start (2026-08-01 09:30 UTC).
  EXPECT_EQ(ledger.window_from, MakeTime(2026, 5, 3, 9, 30));
}

TEST(OrderMatchTest, FlagsUnknownOrdersAndRefundsOfOrdersNeverShipped) {
  FakeLedger ledger;
  ledger.first_seen = MakeTime(2026, 7, 1);
  ledger.orders["111-0000001-0000001"] = {true, true};
  ledger.orders["111-0000003-0000003"] = {true, false};  // created, never shipped, refunded
  auto check = CheckOrders(Report(), &ledger);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->checked);
  EXPECT_EQ(check->orders, 3);
  EXPECT_EQ(check->matched, 1);
  ASSERT_EQ(check->findings.size(), 2u);
  const auto& unknown = check->findings[0];
  EXPECT_EQ(unknown.kind, OrderFindingKind::kUnknownOrder);
  EXPECT_EQ(unknown.order_id, "111-0000002-0000002");
  EXPECT_EQ(unknown.rows, 3);
  EXPECT_EQ(unknown.amount_minor, 1200);
  EXPECT_EQ(unknown.sku, "SKU-CABLE");
  EXPECT_EQ(unknown.first_line, 12u);
  const auto& refund = check->findings[1];
  EXPECT_EQ(refund.kind, OrderFindingKind::kRefundNotShipped);
  EXPECT_EQ(refund.order_id, "111-0000003-0000003");
  EXPECT_EQ(refund.rows, 6);  // the Refund_Retrocharge row is not counted
  EXPECT_EQ(refund.amount_minor, -3019);
  EXPECT_EQ(check->Summary(),
            "orders: 3 settled, 1 matched the order ledger, 1 unknown to the engine, 1 refunded "
            "but never shipped");
}

TEST(OrderMatchTest, OrdersNeverCreatedInScayleAreFlagged) {
  FakeLedger ledger;
  ledger.first_seen = MakeTime(2026, 7, 1);
  ledger.orders["111-0000001-0000001"] = {false, false};  // e.g. a ghost order
  ledger.orders["111-0000002-0000002"] = {true, true};
  ledger.orders["111-0000003-0000003"] = {true, true};
  auto check = CheckOrders(Report(), &ledger);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->matched, 2);
  ASSERT_EQ(check->findings.size(), 1u);
  EXPECT_EQ(check->findings[0].kind, OrderFindingKind::kNotInScayle);
  EXPECT_EQ(check->findings[0].amount_minor, 109354);
}

TEST(OrderMatchTest, OrdersPostedBeforeTheLedgerStartedAreNotFlagged) {
  FakeLedger ledger;
  ledger.first_seen = MakeTime(2026, 8, 6);  // the engine started mid-period
  auto check = CheckOrders(Report(), &ledger);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->checked);
  EXPECT_EQ(check->before_ledger, 2);  // posted 08-03 and 08-05
  // The refund, posted 08-07 after the ledger started, should be in it.
  ASSERT_EQ(check->findings.size(), 1u);
  EXPECT_EQ(check->findings[0].order_id, "111-0000003-0000003");
  EXPECT_EQ(check->findings[0].kind, OrderFindingKind::kUnknownOrder);
}

TEST(OrderMatchTest, OrdersFulfilledByAmazonAreNotTheEnginesToMatch) {
  std::string text = testing::ReadFixture("us_dot.tsv");
  // Order 111-0000002's rows become AFN (fulfillment-id precedes the posted date).
  size_t replaced = 0;
  for (size_t at = 0; (at = text.find("\t\t2026-08-05 09:30:00 UTC", at)) != std::string::npos;) {
    text.replace(at, 2, "\tAFN\t");
    ++replaced;
  }
  ASSERT_GE(replaced, 3u);
  FakeLedger ledger;
  ledger.first_seen = MakeTime(2026, 7, 1);
  ledger.orders["111-0000001-0000001"] = {true, true};
  ledger.orders["111-0000003-0000003"] = {true, true};
  auto check = CheckOrders(Report(text), &ledger);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->fulfilled_by_amazon, 1);
  EXPECT_EQ(check->matched, 2);
  EXPECT_TRUE(check->findings.empty());
}

}  // namespace
}  // namespace mb::settlement

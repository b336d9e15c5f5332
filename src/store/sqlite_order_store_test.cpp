#include "store/sqlite_order_store.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"

namespace mb::store {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = MakeTime(2026, 11, 27, 10);

orders::OrderRecord SampleOrder(std::string id) {
  orders::AmazonOrderSnapshot s;
  s.order_id = AmazonOrderId(std::move(id));
  s.marketplace_id = MarketplaceId("A1PA6795UKMFR9");
  s.status = "Unshipped";
  s.last_updated = kT0;
  s.latest_ship_date = kT0 + 48h;
  s.lines.push_back({AmazonOrderItemId("A"), Sku("SKU-A"), 2, 0, Money(1999, Currency::Of("EUR"))});
  orders::OrderRecord r;
  orders::ApplySnapshot(r, s, kT0, true);
  return r;
}

class SqliteOrderStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_shared<SqliteDatabase>(":memory:");
    auto m = AllSqliteMigrations();
    ASSERT_TRUE(db_->Migrate(m, kT0));
    store_ = std::make_unique<SqliteOrderStore>(db_);
  }
  std::shared_ptr<SqliteDatabase> db_;
  std::unique_ptr<SqliteOrderStore> store_;
};

TEST_F(SqliteOrderStoreTest, RecordRoundTripsWithEveryFact) {
  auto r = SampleOrder("302-1");
  ASSERT_TRUE(orders::MarkUnitHeld(r, {AmazonOrderItemId("A"), 1}, 41, kT0 + 1s));
  ASSERT_TRUE(orders::MarkCreatedInScayle(r, 9001, kT0 + 2s));
  ASSERT_TRUE(orders::RecordPackage(r, {77, "dhl", "TRK1", kT0 + 3s, {{AmazonOrderItemId("A"), 2}}},
                                    kT0 + 3s));
  ASSERT_TRUE(orders::MarkPackageRejected(r, "1", "carrier unknown"));
  r.lines[0].unmapped = true;
  OrderTimelineEntry e{kT0, "amazon", "notification", "Unshipped"};
  ASSERT_TRUE(store_->SaveOrder(r, std::span(&e, 1)));
  auto loaded = store_->LoadOrder(AmazonOrderId("302-1"));
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ(OrderRecordToJson(**loaded), OrderRecordToJson(r));
  EXPECT_EQ((*loaded)->units[0].reservation_id, 41);
  EXPECT_EQ((*loaded)->packages[0].rejection, "carrier unknown");
  EXPECT_EQ((*loaded)->lines[0].unit_price, Money(1999, Currency::Of("EUR")));
  EXPECT_FALSE(*store_->LoadOrder(AmazonOrderId("nope")));
}

TEST_F(SqliteOrderStoreTest, OpenOrdersExcludeFinishedOnesAndTimelineIsOrdered) {
  auto open = SampleOrder("302-1");
  auto done = SampleOrder("302-2");
  ASSERT_TRUE(orders::MarkCreatedInScayle(done, 1, kT0));
  ASSERT_TRUE(
      orders::RecordPackage(done, {1, "dhl", "T", kT0, {{AmazonOrderItemId("A"), 2}}}, kT0));
  ASSERT_TRUE(orders::MarkPackageConfirmed(done, "1", kT0));
  ASSERT_TRUE(store_->SaveOrder(open, {}));
  ASSERT_TRUE(store_->SaveOrder(done, {}));
  auto list = store_->ListOpenOrders(100);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].order_id.value(), "302-1");
  EXPECT_EQ(store_->ListOrdersSeen(kT0, kT0 + 1s)->size(), 2u);
  std::vector<OrderTimelineEntry> events{{kT0 + 2s, "scayle", "created", "SCAYLE order 1"},
                                         {kT0 + 1s, "engine", "reserved", "2 unit(s)"}};
  ASSERT_TRUE(store_->SaveOrder(open, events));
  auto timeline = store_->Timeline(AmazonOrderId("302-1"));
  ASSERT_EQ(timeline->size(), 2u);
  EXPECT_EQ((*timeline)[0].event, "reserved");
  EXPECT_EQ((*timeline)[1].source, "scayle");
}

TEST_F(SqliteOrderStoreTest, PiiIsPurgedOnlyAfterItsTime) {
  auto r = SampleOrder("302-1");
  ASSERT_TRUE(store_->SaveOrder(r, {}));
  ASSERT_TRUE(store_->SavePii(r.order_id, "v1:sealed", kT0));
  EXPECT_EQ(*store_->PurgePii(kT0 + 1000h), 0);  // not finished: no purge time yet
  r.cancelled_at = kT0;
  orders::UpdatePurgeTime(r, 720h);
  ASSERT_TRUE(store_->SaveOrder(r, {}));
  EXPECT_EQ(*store_->PurgePii(kT0 + 719h), 0);
  EXPECT_EQ(**store_->LoadPii(r.order_id), "v1:sealed");
  EXPECT_EQ(*store_->PurgePii(kT0 + 720h), 1);
  EXPECT_FALSE(*store_->LoadPii(r.order_id));
}

}  // namespace
}  // namespace mb::store

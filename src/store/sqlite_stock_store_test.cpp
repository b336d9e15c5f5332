#include "store/sqlite_stock_store.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"

namespace mb::store {
namespace {

class SqliteStockStoreTest : public ::testing::Test {
 protected:
  SqliteStockStoreTest() : db_(std::make_shared<SqliteDatabase>(":memory:")), store_(db_) {
    auto all = AllSqliteMigrations();
    auto applied = db_->Migrate(all, MakeTime(2026, 11, 27));
    EXPECT_TRUE(applied.has_value()) << applied.error().message;
  }
  std::shared_ptr<SqliteDatabase> db_;
  SqliteStockStore store_;
};

TEST_F(SqliteStockStoreTest, StockLevelsKeepTheNewestReading) {
  ASSERT_TRUE(store_.SaveStockLevel({"S", "wh-main", 5, MakeTime(2026, 11, 27, 12)}));
  ASSERT_TRUE(store_.SaveStockLevels({{"S", "wh-main", 9, MakeTime(2026, 11, 27, 11)},
                                      {"S", "wh-south", 2, MakeTime(2026, 11, 27, 11)}}));
  ASSERT_TRUE(store_.SaveStockLevel({"S", "wh-south", 1, MakeTime(2026, 11, 27, 11)}));
  auto levels = store_.LoadStockLevels();
  ASSERT_TRUE(levels.has_value());
  ASSERT_EQ(levels->size(), 2u);
  for (const auto& level : *levels) {
    if (level.warehouse == "wh-main") {
      EXPECT_EQ(level.quantity, 5);  // the older reading did not replace it
    } else {
      EXPECT_EQ(level.quantity, 1);  // same time, lower quantity wins
    }
  }
}

TEST_F(SqliteStockStoreTest, OpenOrdersRoundTripAndUpdateHeld) {
  OpenOrderRow row{"A-1:1", "EU", "S", 2, MakeTime(2026, 11, 27, 12), std::nullopt, ""};
  ASSERT_TRUE(store_.SaveOpenOrder(row));
  row.held_at = MakeTime(2026, 11, 27, 12, 1);
  row.held_warehouse = "wh-main";
  ASSERT_TRUE(store_.SaveOpenOrder(row));
  auto orders = store_.LoadOpenOrders();
  ASSERT_EQ(orders->size(), 1u);
  EXPECT_EQ(orders->at(0).units, 2);
  EXPECT_EQ(orders->at(0).held_at, MakeTime(2026, 11, 27, 12, 1));
  EXPECT_EQ(orders->at(0).held_warehouse, "wh-main");
  ASSERT_TRUE(store_.DeleteOpenOrder("A-1:1"));
  EXPECT_TRUE(store_.LoadOpenOrders()->empty());
}

TEST_F(SqliteStockStoreTest, PushesWithAnswersNewestFirstAndLastLanded) {
  StockPushRow push;
  push.sku = "S";
  push.region = "EU";
  push.kind = "quantity";
  push.value = 5;
  push.version = 3;
  push.lane = "normal";
  push.via = "JSON_LISTINGS_FEED";
  push.feed_id = "F-1";
  push.submitted_at = MakeTime(2026, 11, 27, 12);
  auto first = store_.RecordPush(push);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(store_.RecordPushAnswer(*first, "applied", "", MakeTime(2026, 11, 27, 12, 5)));
  push.value = 0;
  push.version = 4;
  push.lane = "urgent";
  push.via = "patchListingsItem";
  push.feed_id = "";
  auto second = store_.RecordPush(push);
  ASSERT_TRUE(store_.RecordPushAnswer(*second, "INVALID", "8541: bad value", push.submitted_at));

  auto pushes = store_.PushesFor("S", 10);
  ASSERT_EQ(pushes->size(), 2u);
  EXPECT_EQ(pushes->at(0).value, 0);
  EXPECT_EQ(pushes->at(0).amazon_answer, "8541: bad value");
  EXPECT_EQ(pushes->at(1).feed_id, "F-1");

  auto landed = store_.LastLandedPushes();
  ASSERT_EQ(landed->size(), 1u);  // the INVALID one never landed
  EXPECT_EQ(landed->at(0).value, 5);
  EXPECT_EQ(store_.FeedPushes("F-1")->size(), 1u);
  EXPECT_EQ(store_.RecordPushAnswer(999, "x", "", push.submitted_at).error().code,
            ErrorCode::kNotFound);
}

TEST_F(SqliteStockStoreTest, FeedsStayOpenUntilFinished) {
  StockFeedRow feed{"F-1", "EU", MakeTime(2026, 11, 27, 12), 3, "IN_QUEUE", 0, 0, std::nullopt};
  ASSERT_TRUE(store_.RecordFeed(feed));
  EXPECT_EQ(store_.OpenFeeds()->size(), 1u);
  feed.processing_status = "DONE";
  feed.accepted = 2;
  feed.invalid = 1;
  feed.finished_at = MakeTime(2026, 11, 27, 12, 3);
  ASSERT_TRUE(store_.UpdateFeed(feed));
  EXPECT_TRUE(store_.OpenFeeds()->empty());
  feed.feed_id = "F-404";
  EXPECT_FALSE(store_.UpdateFeed(feed).has_value());
}

}  // namespace
}  // namespace mb::store

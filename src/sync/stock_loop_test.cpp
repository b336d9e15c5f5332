#include "sync/stock_loop.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"
#include "store/sqlite_stock_store.hpp"
#include "sync/stock_fakes.hpp"

namespace mb::sync {
namespace {

using testing::FakeAmazonListings;
using testing::FakeScayleCatalogue;

const TimePoint kStart = MakeTime(2026, 11, 27, 12);

TimePoint At(int second) { return kStart + std::chrono::seconds(second); }

ScayleWebhookEvent StockEvent(const std::string& key, const std::string& sku, int64_t quantity,
                              TimePoint changed_at, const std::string& warehouse = "wh-main") {
  return testing::StockWebhookEvent(key, sku, quantity, changed_at, warehouse);
}

class StockLoopTest : public ::testing::Test {
 protected:
  StockLoopTest()
      : clock_(kStart),
        db_(std::make_shared<store::SqliteDatabase>(":memory:")),
        state_(db_),
        stock_store_(db_),
        exceptions_(state_, clock_, nullptr) {
    auto all = store::AllSqliteMigrations();
    EXPECT_TRUE(db_->Migrate(all, kStart).has_value());
    settings_.seller = SellerId("A2SELLER");
    settings_.regions = {StockRegion{
        "EU", {"wh-main"}, {StockMarketplace{MarketplaceId("A1PA6795UKMFR9"), "DE", "EUR"}}}};
    settings_.handling_time_days = 2;
    settings_.handling_time_by_sku = {{"SLOW", 5}};
    settings_.feed_interval = std::chrono::seconds(0);
    settings_.normal_per_item_max = 0;  // ordinary changes go by feed unless a test says so
    settings_.push_prices = false;
  }

  StockLoop& Loop() {
    if (!loop_)
      loop_ = std::make_unique<StockLoop>(settings_, policies_, scayle_, amazon_, stock_store_,
                                          state_, exceptions_, clock_);
    return *loop_;
  }

  // Snapshot, push and process feeds until nothing is pending (bounded).
  void Settle() {
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(Loop().PushStep());
      ASSERT_TRUE(Loop().PollFeeds());
      if (Loop().PendingPushes() == 0 && Loop().OpenFeedCount() == 0) return;
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  std::vector<RaisedException> Open(ExceptionType type) {
    ExceptionFilter filter;
    filter.type = type;
    filter.open_only = true;
    return *exceptions_.List(filter);
  }

  FakeClock clock_;
  std::shared_ptr<store::SqliteDatabase> db_;
  store::SqliteStateStore state_;
  store::SqliteStockStore stock_store_;
  ExceptionRegistry exceptions_;
  stock::BufferPolicies policies_;
  StockLoopSettings settings_;
  FakeScayleCatalogue scayle_;
  FakeAmazonListings amazon_;
  std::unique_ptr<StockLoop> loop_;
};

TEST_F(StockLoopTest, SnapshotReachesAmazonInOneFeedWithHandlingTime) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  scayle_.AddVariant("B", "wh-main", 3, At(0));
  scayle_.AddVariant("SLOW", "wh-main", 2, At(0));
  scayle_.AddVariant("C", "wh-store", 9, At(0));  // not serving Amazon: lists 0
  amazon_.quantity = {{"A", 5}, {"B", 0}, {"SLOW", 0}, {"C", 0}};
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  EXPECT_EQ(amazon_.quantity["B"], 3);
  EXPECT_EQ(amazon_.quantity["SLOW"], 2);
  EXPECT_EQ(amazon_.handling_time["SLOW"], 5);
  EXPECT_EQ(amazon_.handling_time["B"], 2);
  EXPECT_EQ(amazon_.quantity["C"], 0);
  EXPECT_EQ(amazon_.CountCalls("createFeed"), 1);
  // Nothing to tell Amazon: no second feed.
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  EXPECT_EQ(amazon_.CountCalls("createFeed"), 1);
  auto explanation = Loop().Explain(Sku("B"), "EU");
  ASSERT_TRUE(explanation.has_value());
  ASSERT_FALSE(explanation->pushes.empty());
  EXPECT_EQ(explanation->pushes[0].amazon_status, "applied");
  EXPECT_EQ(explanation->pushes[0].via, "JSON_LISTINGS_FEED FEED-1");
}

TEST_F(StockLoopTest, ZeroCrossingGoesPerItemWithMergeAndHandlingTime) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  int feeds = amazon_.CountCalls("createFeed");
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 0, At(10))));
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.quantity["A"], 0);
  EXPECT_EQ(amazon_.CountCalls("createFeed"), feeds);
  ASSERT_EQ(amazon_.CountCalls("patchListingsItem"), 1);
  const auto& call = amazon_.calls.back();
  EXPECT_EQ(call.priority, CallPriority::kUrgent);
  EXPECT_NE(call.body.find("merge /attributes/fulfillment_availability"), std::string::npos);
  EXPECT_NE(call.body.find("\"lead_time_to_ship_max_days\":2"), std::string::npos);
  auto effect =
      state_.FindEffect(IdempotencyKey("stock:run:A:EU:quantity:" + std::to_string(2) + ":item:0"));
  ASSERT_TRUE(effect.has_value());
}

TEST_F(StockLoopTest, DuplicateAndOutOfOrderWebhooksNeverRegressAQuantity) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "A", 2, At(20))));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 4, At(10))));  // older, delivered late
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "A", 2, At(20))));  // duplicate
  Settle();
  EXPECT_EQ(amazon_.quantity["A"], 2);
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 2);
  EXPECT_EQ(Loop().counters().webhooks_ignored, 2u);
  // A snapshot read before the webhook (older changedAt) does not regress either.
  ASSERT_TRUE(Loop().Snapshot());
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 2);
}

TEST_F(StockLoopTest, AmazonOrderWhilePushPendingNeverReopensTheUnit) {
  scayle_.AddVariant("A", "wh-main", 3, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  ASSERT_EQ(amazon_.quantity["A"], 3);
  // Restock to 5 in SCAYLE: a push of 5 waits for the next feed ...
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 5, At(10))));
  // ... while a buyer orders 1 on Amazon (Amazon lowers its listing to 2 by itself).
  amazon_.BuyerOrders("A", 1);
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("A"), "111-1:1", 1, At(11)));
  Settle();
  EXPECT_EQ(amazon_.quantity["A"], 4);  // 5 - 1, never 5
  for (const auto& call : amazon_.calls)
    EXPECT_EQ(call.body.find("\"quantity\":5"), std::string::npos) << call.body;
  // SCAYLE takes hold of the order; its stock reading after the hold (4) does not subtract again.
  ASSERT_TRUE(Loop().OnOrderHeld("111-1:1", At(12), "wh-main"));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "A", 4, At(13))));
  Settle();
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 4);
  EXPECT_EQ(amazon_.quantity["A"], 4);
}

TEST_F(StockLoopTest, ValueTakenBeforeAnOrderIsNotSent) {
  scayle_.AddVariant("A", "wh-main", 10, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  // 10 -> 0 is urgent; an Amazon order lands right after the value was computed.
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 2, At(10))));
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("A"), "111-2:1", 1, At(11)));
  ASSERT_TRUE(Loop().PushStep());
  Settle();
  EXPECT_EQ(amazon_.quantity["A"], 1);
  for (const auto& call : amazon_.calls)
    EXPECT_EQ(call.body.find("\"quantity\":2"), std::string::npos) << call.body;
}

TEST_F(StockLoopTest, FeedWithRejectedAndUnappliedSkusIsDetectedAndRepaired) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  scayle_.AddVariant("B", "wh-main", 5, At(0));
  scayle_.AddVariant("BAD", "wh-main", 5, At(0));
  amazon_.quantity = {{"A", 9}, {"B", 9}, {"BAD", 9}};
  amazon_.silently_dropped_skus = {"B"};
  amazon_.invalid_skus = {"BAD"};
  settings_.max_attempts = 2;
  ASSERT_TRUE(Loop().Snapshot());
  // 9 -> 5 is a small drop: all three go in one feed.
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.CountCalls("createFeed"), 1);
  EXPECT_EQ(amazon_.CountCalls("patchListingsItem"), 0);
  ASSERT_TRUE(Loop().PollFeeds());
  EXPECT_EQ(amazon_.quantity["A"], 5);
  EXPECT_EQ(amazon_.quantity["B"], 9);  // DONE without an issue, yet not applied
  EXPECT_EQ(Loop().counters().unapplied, 1u);
  EXPECT_EQ(Loop().counters().rejected, 1u);
  // The unapplied one is repaired per item at once.
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.quantity["B"], 5);
  EXPECT_GE(amazon_.CountCalls("searchListingsItems"), 1);
  // The rejected one is retried and, when it keeps failing, raised.
  Settle();
  ASSERT_TRUE(Loop().PollFeeds());
  auto raised = Open(ExceptionType::kStockPushFailed);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].dedup_key, "BAD");
  EXPECT_NE(raised[0].message.find("8541"), std::string::npos) << raised[0].message;
  auto explanation = Loop().Explain(Sku("B"), "EU");
  ASSERT_GE(explanation->pushes.size(), 2u);
  EXPECT_EQ(explanation->pushes[1].amazon_status, "unapplied");
  EXPECT_EQ(explanation->pushes[0].amazon_status, "ACCEPTED");
}

TEST_F(StockLoopTest, ThrottlingDelaysButLosesNoChangeAndPersistentThrottlingIsRaised) {
  settings_.quota_exhausted_after = std::chrono::seconds(30);
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  amazon_.throttle_next = 3;
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 0, At(10))));
  ASSERT_TRUE(Loop().PushStep());  // 429
  EXPECT_EQ(amazon_.quantity["A"], 5);
  clock_.Advance(std::chrono::seconds(40));
  ASSERT_TRUE(Loop().PushStep());  // 429 again, for 40 s now
  EXPECT_EQ(Open(ExceptionType::kQuotaExhausted).size(), 1u);
  ASSERT_TRUE(Loop().PushStep());  // 429
  ASSERT_TRUE(Loop().PushStep());  // through
  EXPECT_EQ(amazon_.quantity["A"], 0);
  EXPECT_TRUE(Open(ExceptionType::kQuotaExhausted).empty());  // resolved by the success
  EXPECT_EQ(Loop().counters().throttled, 3u);
}

TEST_F(StockLoopTest, DriftAuditRaisesWithTheNumbersAndRepairsOverListing) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  scayle_.AddVariant("B", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  amazon_.quantity["A"] = 12;          // someone typed it in Seller Central
  amazon_.quantity["GHOST"] = 4;       // a listing SCAYLE does not know
  amazon_.parents.insert("P-FAMILY");  // a variation parent: no offer, no stock to manage
  ASSERT_TRUE(Loop().AuditDrift());
  auto drift = Open(ExceptionType::kStockDrift);
  ASSERT_EQ(drift.size(), 1u);
  EXPECT_EQ(drift[0].dedup_key, "A");
  EXPECT_NE(drift[0].message.find("shows 12, the engine intended 5"), std::string::npos);
  EXPECT_NE(drift[0].details.find("\"difference\":7"), std::string::npos);
  auto unknown = Open(ExceptionType::kUnmappedSku);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].dedup_key, "GHOST");
  Settle();
  EXPECT_EQ(amazon_.quantity["A"], 5);
  ASSERT_TRUE(Loop().AuditDrift());
  EXPECT_TRUE(Open(ExceptionType::kStockDrift).empty());
}

TEST_F(StockLoopTest, DriftAuditWaitsOneAuditBeforeRaisingAShortfall) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  scayle_.AddVariant("B", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  // A buyer ordered one A: Amazon lowered the listing at once, the notice is still on its way.
  amazon_.quantity["A"] = 4;
  // Something else took 3 of B on Amazon's side, and no order will ever explain it.
  amazon_.quantity["B"] = 2;
  ASSERT_TRUE(Loop().AuditDrift());
  EXPECT_TRUE(Open(ExceptionType::kStockDrift).empty());
  // The order arrives: the intent drops to 4, Amazon already shows it.
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("A"), "111-9:1", 1, At(1)));
  Settle();
  EXPECT_EQ(amazon_.quantity["A"], 4);
  clock_.Advance(std::chrono::minutes(15));
  ASSERT_TRUE(Loop().AuditDrift());
  auto drift = Open(ExceptionType::kStockDrift);
  ASSERT_EQ(drift.size(), 1u);  // B persisted; A was explained by its order
  EXPECT_EQ(drift[0].dedup_key, "B");
  EXPECT_NE(drift[0].message.find("shows 2, the engine intended 5"), std::string::npos)
      << drift[0].message;
  EXPECT_NE(drift[0].details.find("\"difference\":-3"), std::string::npos) << drift[0].details;
  EXPECT_NE(drift[0].details.find("\"short_since\":\"2026-11-27T12:00:"), std::string::npos)
      << drift[0].details;
  // Showing more is raised at the first audit, as before.
  amazon_.quantity["A"] = 9;
  ASSERT_TRUE(Loop().AuditDrift());
  EXPECT_EQ(Open(ExceptionType::kStockDrift).size(), 2u);
}

TEST_F(StockLoopTest, SnapshotAndAuditEndAtOnceWhenStopping) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  scayle_.AddVariant("B", "wh-main", 5, At(0));
  std::stop_source source;
  source.request_stop();
  ASSERT_TRUE(Loop().Snapshot(source.get_token()));
  EXPECT_EQ(Loop().PendingPushes(), 0u);
  EXPECT_FALSE(Loop().Ats(Sku("A"), "EU"));  // no page was read
  ASSERT_TRUE(Loop().Snapshot());
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 5);
  Settle();
  int searches = amazon_.CountCalls("searchListingsItems");
  amazon_.quantity["A"] = 12;
  ASSERT_TRUE(Loop().AuditDrift(SIZE_MAX, source.get_token()));
  EXPECT_EQ(amazon_.CountCalls("searchListingsItems"), searches);
  EXPECT_TRUE(Open(ExceptionType::kStockDrift).empty());
}

TEST_F(StockLoopTest, PricesValidNowArePushedOnlyOnChange) {
  settings_.push_prices = true;
  ScaylePrice price;
  price.key = "p1";
  price.price = Money(1999, Currency::Of("EUR"));
  price.country_code = "DE";
  scayle_.prices["A"] = {price};
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  EXPECT_EQ(amazon_.price["A1PA6795UKMFR9|A"], "19.99");
  int feeds = amazon_.CountCalls("createFeed");
  ScayleWebhookEvent event;
  event.key = "p-1";
  event.name = "product-variant-prices-updated";
  event.variant = ScayleVariantRef{1, Sku("A")};
  ASSERT_TRUE(Loop().OnWebhook(event));  // same price again
  Settle();
  EXPECT_EQ(amazon_.CountCalls("createFeed"), feeds);
  scayle_.prices["A"][0].price = Money(1799, Currency::Of("EUR"));
  event.key = "p-2";
  ASSERT_TRUE(Loop().OnWebhook(event));
  Settle();
  EXPECT_EQ(amazon_.price["A1PA6795UKMFR9|A"], "17.99");
}

TEST_F(StockLoopTest, RestoreRebuildsTheLedgerAndWhatAmazonWasTold) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("A"), "111-3:1", 2, At(5)));
  Settle();
  loop_.reset();
  ASSERT_TRUE(Loop().Restore());
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 3);
  EXPECT_EQ(Loop().PendingPushes(), 0u);  // Amazon already shows 3
}

TEST_F(StockLoopTest, ExplainShowsInputsRuleAndUnknownSkus) {
  stock::BufferRule rule;
  rule.fixed_units = 1;
  policies_.Set(stock::RuleScope::kCategory, "Fashion/Shoes", rule);
  scayle_.AddVariant("A", "wh-main", 5, At(0), {"Fashion", "Shoes", "Sneakers"});
  ASSERT_TRUE(Loop().Snapshot());
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("A"), "111-4:1", 1, At(5)));
  Settle();
  auto e = Loop().Explain(Sku("A"), "EU");
  ASSERT_TRUE(e.has_value());
  ASSERT_TRUE(e->ats.has_value());
  EXPECT_EQ(e->ats->quantity, 3);
  EXPECT_EQ(e->ats->open_order_units, 1);
  EXPECT_EQ(e->ats->rule.key, "Fashion/Shoes");
  std::string text = stock::FormatExplanation(*e);
  EXPECT_NE(text.find("ATS 3 = sellable 5 - open Amazon orders 1 - buffer 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("111-4:1"), std::string::npos);
  auto unknown = Loop().Explain(Sku("NOPE"), "EU");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_FALSE(unknown->ats.has_value());
}

TEST_F(StockLoopTest, UrgentLaneSendsZeroCrossingsBeforeOtherDrops) {
  for (const char* sku : {"A", "B", "C"}) scayle_.AddVariant(sku, "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 2, At(10))));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "B", 0, At(11))));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e3", "C", 1, At(12))));
  int before = amazon_.CountCalls("patchListingsItem");
  amazon_.tokens["patchListingsItem"] = 1;  // one per-item token this second
  ASSERT_TRUE(Loop().PushStep());
  ASSERT_EQ(amazon_.CountCalls("patchListingsItem"), before + 1);
  EXPECT_EQ(amazon_.calls.back().sku, "B");  // queued second, sent first: it sold out
  EXPECT_EQ(amazon_.quantity["B"], 0);
  amazon_.tokens["patchListingsItem"] = 1;
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.calls.back().sku, "C");  // then the fewest units left
  amazon_.tokens["patchListingsItem"] = 1;
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.calls.back().sku, "A");
  EXPECT_EQ(amazon_.quantity["A"], 2);
  EXPECT_EQ(Loop().PendingPushes(), 0u);
}

TEST_F(StockLoopTest, UrgentOverflowTheItemRateCannotClearGoesInTheNextFeed) {
  // 1 push/s and a feed landing in 2 s: the per-item lane keeps 2 urgent values, the rest spill.
  settings_.per_item_rate = 1.0;
  settings_.feed_landing_estimate = std::chrono::seconds(2);
  for (int i = 0; i < 5; ++i) scayle_.AddVariant("S" + std::to_string(i), "wh-main", 50, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  int feeds = amazon_.CountCalls("createFeed");
  for (int i = 0; i < 5; ++i)  // S0 -> 0, S1 -> 1 ... S4 -> 4: all urgent
    ASSERT_TRUE(Loop().OnWebhook(
        StockEvent("e" + std::to_string(i), "S" + std::to_string(i), i, At(10 + i))));
  amazon_.tokens["patchListingsItem"] = 0;  // the per-item quota is spent
  ASSERT_TRUE(Loop().PushStep());
  ASSERT_EQ(amazon_.CountCalls("createFeed"), feeds + 1);
  const std::string& feed = amazon_.calls.back().body;
  EXPECT_EQ(feed.find("\"sku\":\"S0\""), std::string::npos);  // zero stays per item
  EXPECT_EQ(feed.find("\"sku\":\"S1\""), std::string::npos);
  for (const char* spilled : {"S2", "S3", "S4"})
    EXPECT_NE(feed.find("\"sku\":\"" + std::string(spilled) + "\""), std::string::npos) << feed;
  EXPECT_EQ(Loop().counters().spilled_to_feed, 3u);
  amazon_.tokens.erase("patchListingsItem");
  Settle();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(amazon_.quantity["S" + std::to_string(i)], i);
}

TEST_F(StockLoopTest, OrdinaryChangesUseSparePerItemCapacityOnlyWhileTheUrgentLaneIsIdle) {
  settings_.normal_per_item_max = SIZE_MAX;
  scayle_.AddVariant("A", "wh-main", 20, At(0));
  scayle_.AddVariant("B", "wh-main", 20, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  int feeds = amazon_.CountCalls("createFeed");
  int patches = amazon_.CountCalls("patchListingsItem");
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 25, At(10))));  // a rise: ordinary
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.quantity["A"], 25);  // per item at once, no feed needed
  EXPECT_EQ(amazon_.CountCalls("patchListingsItem"), patches + 1);
  EXPECT_EQ(amazon_.CountCalls("createFeed"), feeds);
  // With urgent work left over, the ordinary change waits for the feed.
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "A", 0, At(20))));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e3", "B", 22, At(21))));
  amazon_.tokens["patchListingsItem"] = 0;
  amazon_.tokens["createFeed"] = 0;
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.quantity["B"], 20);
  amazon_.tokens["patchListingsItem"] = 1;
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.quantity["A"], 0);
  EXPECT_EQ(amazon_.quantity["B"], 20);  // the token went to the zero-crossing
  amazon_.tokens.clear();
  Settle();
  EXPECT_EQ(amazon_.quantity["B"], 22);
}

TEST_F(StockLoopTest, OrderDropAmazonAlreadyShowsIsReadBackNotPushed) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  scayle_.AddVariant("B", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  int patches = amazon_.CountCalls("patchListingsItem");
  int searches = amazon_.CountCalls("searchListingsItems");
  // A: the buyer ordered after our last push landed, so Amazon lowered it to 4 itself.
  amazon_.BuyerOrders("A", 1);
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("A"), "111-1/A", 1, At(10)));
  // B: Amazon still shows 5 (our push landed after the order and re-opened the unit).
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("B"), "111-2/B", 1, At(10)));
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.CountCalls("searchListingsItems"), searches + 1);  // both SKUs in one read
  EXPECT_EQ(amazon_.CountCalls("patchListingsItem"), patches + 1);
  EXPECT_EQ(amazon_.calls.back().sku, "B");
  EXPECT_EQ(amazon_.calls.back().priority, CallPriority::kUrgent);
  EXPECT_EQ(amazon_.quantity["A"], 4);
  EXPECT_EQ(amazon_.quantity["B"], 4);
  EXPECT_EQ(Loop().counters().order_drops_verified, 1u);
  // Afterwards A's next change is measured against 4.
  ASSERT_TRUE(Loop().OnOrderHeld("111-1/A", At(15), "wh-main"));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 4, At(20))));  // SCAYLE shows the hold
  Settle();
  EXPECT_EQ(amazon_.CountCalls("patchListingsItem"), patches + 1);
}

TEST_F(StockLoopTest, OrderDropIsPushedWhenAmazonCannotBeRead) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  amazon_.throttle_next = 1;  // the read answers 429
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("A"), "111-1/A", 2, At(10)));
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.quantity["A"], 3);
}

AmazonOrderEvent OrderEvent(const std::string& id, const std::string& sku, int64_t ordered,
                            int64_t cancelled, int64_t in_scayle, TimePoint at,
                            bool finished = false) {
  AmazonOrderEvent event;
  event.order_id = AmazonOrderId(id);
  event.marketplace_id = MarketplaceId("A1PA6795UKMFR9");
  event.state = "seen";
  event.finished = finished;
  event.at = at;
  event.skus.push_back(AmazonOrderSkuUnits{Sku(sku), ordered, cancelled, in_scayle,
                                           ordered - cancelled - in_scayle});
  return event;
}

TEST_F(StockLoopTest, OrderLoopEventsLowerThePushedQuantityUntilScayleShowsTheHold) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  // Amazon still shows 5 (the order came before our last push landed): the event lowers it.
  ASSERT_TRUE(Loop().OnAmazonOrderEvent(OrderEvent("028-1", "A", 2, 0, 0, At(10))));
  ASSERT_TRUE(Loop().OnAmazonOrderEvent(OrderEvent("028-1", "A", 2, 0, 0, At(11))));  // again
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 3);
  Settle();
  EXPECT_EQ(amazon_.quantity["A"], 3);
  // A D2C sale before SCAYLE holds the order: SCAYLE says 4, the order still counts.
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 4, At(12))));
  Settle();
  EXPECT_EQ(amazon_.quantity["A"], 2);
  // SCAYLE holds it; its next reading (2) shows the hold and the order stops counting.
  ASSERT_TRUE(Loop().OnAmazonOrderEvent(OrderEvent("028-1", "A", 2, 0, 2, At(13))));
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 2);
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "A", 2, At(14))));
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 2);
  // Another order, cancelled before SCAYLE held it: its unit comes back.
  ASSERT_TRUE(Loop().OnAmazonOrderEvent(OrderEvent("028-2", "A", 1, 0, 0, At(20))));
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 1);
  ASSERT_TRUE(Loop().OnAmazonOrderEvent(OrderEvent("028-2", "A", 1, 1, 0, At(21), true)));
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 2);
  // Other marketplaces and SKUs unknown to SCAYLE are not the ledger's.
  auto elsewhere = OrderEvent("028-3", "A", 1, 0, 0, At(22));
  elsewhere.marketplace_id = MarketplaceId("ATVPDKIKX0DER");
  ASSERT_TRUE(Loop().OnAmazonOrderEvent(elsewhere));
  ASSERT_TRUE(Loop().OnAmazonOrderEvent(OrderEvent("028-4", "GHOST", 1, 0, 0, At(22))));
  EXPECT_EQ(*Loop().Ats(Sku("A"), "EU"), 2);
}

TEST_F(StockLoopTest, OrdinaryChangesGoInAFeedOnlyBeyondWhatThePerItemLaneClearsFirst) {
  settings_.normal_per_item_max = SIZE_MAX;
  settings_.per_item_rate = 1.0;
  settings_.feed_landing_estimate = std::chrono::seconds(2);  // per item: 2 before a feed lands
  for (int i = 0; i < 4; ++i) scayle_.AddVariant("S" + std::to_string(i), "wh-main", 20, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  int feeds = amazon_.CountCalls("createFeed");
  for (int i = 0; i < 4; ++i)  // rises: ordinary
    ASSERT_TRUE(Loop().OnWebhook(
        StockEvent("e" + std::to_string(i), "S" + std::to_string(i), 30 + i, At(10 + i))));
  amazon_.tokens["patchListingsItem"] = 0;
  ASSERT_TRUE(Loop().PushStep());
  ASSERT_EQ(amazon_.CountCalls("createFeed"), feeds + 1);
  const std::string& feed = amazon_.calls.back().body;
  EXPECT_EQ(feed.find("\"sku\":\"S0\""), std::string::npos);  // the oldest stay per item
  EXPECT_EQ(feed.find("\"sku\":\"S1\""), std::string::npos);
  EXPECT_NE(feed.find("\"sku\":\"S2\""), std::string::npos) << feed;
  EXPECT_NE(feed.find("\"sku\":\"S3\""), std::string::npos) << feed;
  // Two left, within what the per-item lane clears: no feed for them.
  clock_.Advance(std::chrono::minutes(5));
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.CountCalls("createFeed"), feeds + 1);
  amazon_.tokens.clear();
  Settle();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(amazon_.quantity["S" + std::to_string(i)], 30 + i);
  EXPECT_EQ(amazon_.CountCalls("createFeed"), feeds + 1);
}

TEST_F(StockLoopTest, OrdinaryChangesGoByFeedWhileTheUrgentLaneTakesEveryToken) {
  settings_.normal_per_item_max = SIZE_MAX;
  for (const char* sku : {"A", "B"}) scayle_.AddVariant(sku, "wh-main", 20, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  int feeds = amazon_.CountCalls("createFeed");
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 0, At(10))));   // urgent
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "B", 25, At(11))));  // ordinary
  amazon_.tokens["patchListingsItem"] = 0;  // the urgent value is left over
  ASSERT_TRUE(Loop().PushStep());
  ASSERT_EQ(amazon_.CountCalls("createFeed"), feeds + 1);
  EXPECT_NE(amazon_.calls.back().body.find("\"sku\":\"B\""), std::string::npos);
  EXPECT_EQ(amazon_.calls.back().body.find("\"sku\":\"A\""), std::string::npos);
}

TEST_F(StockLoopTest, OlderFeedValueShowingAfterANewerItemPushIsRepairedFirst) {
  scayle_.AddVariant("A", "wh-main", 20, At(0));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  amazon_.feeds_done = false;
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "A", 18, At(10))));  // ordinary: by feed
  ASSERT_TRUE(Loop().PushStep());
  ASSERT_EQ(Loop().OpenFeedCount(), 1u);
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "A", 0, At(20))));  // sold out: per item
  ASSERT_TRUE(Loop().PushStep());
  ASSERT_EQ(amazon_.quantity["A"], 0);
  // The feed's 18 was applied after the 0 and a buyer took one: Amazon shows 17.
  amazon_.quantity["A"] = 17;
  amazon_.silently_dropped_skus = {"A"};  // (the fake must not apply it again)
  amazon_.feeds_done = true;
  int patches = amazon_.CountCalls("patchListingsItem");
  ASSERT_TRUE(Loop().PollFeeds());
  ASSERT_TRUE(Loop().PushStep());
  EXPECT_EQ(amazon_.CountCalls("patchListingsItem"), patches + 1);
  EXPECT_EQ(amazon_.calls.back().priority, CallPriority::kUrgent);
  EXPECT_EQ(amazon_.quantity["A"], 0);
}

TEST_F(StockLoopTest, QuantityForASkuAmazonDoesNotListIsKeptBackUntilTheCatalogueListsIt) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  scayle_.AddVariant("NEW", "wh-main", 4, At(0));
  amazon_.quantity = {{"A", 0}};
  amazon_.unlisted_skus = {"NEW"};
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  EXPECT_EQ(amazon_.quantity["A"], 5);
  // The feed accepted NEW's message and applied nothing; the read-back found no listing.
  EXPECT_TRUE(Loop().Unlisted(Sku("NEW"), "EU"));
  EXPECT_FALSE(Loop().Unlisted(Sku("A"), "EU"));
  auto explanation = Loop().Explain(Sku("NEW"), "EU");
  ASSERT_TRUE(explanation.has_value());
  ASSERT_FALSE(explanation->pushes.empty());
  EXPECT_EQ(explanation->pushes[0].amazon_status, "not listed");
  // Later changes are kept back, not sent: a zero-crossing would otherwise go out at once.
  int patches = amazon_.CountCalls("patchListingsItem");
  int feeds = amazon_.CountCalls("createFeed");
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "NEW", 0, At(10))));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "NEW", 2, At(11))));
  Settle();
  EXPECT_EQ(amazon_.CountCalls("patchListingsItem"), patches);
  EXPECT_EQ(amazon_.CountCalls("createFeed"), feeds);
  EXPECT_GE(Loop().counters().parked_unlisted, 1u);
  // The catalogue loop's listing is accepted: the newest value goes out.
  amazon_.unlisted_skus.clear();
  amazon_.quantity["NEW"] = 0;
  Loop().OnListingChange(Sku("NEW"), MarketplaceId("A1PA6795UKMFR9"), true);
  Settle();
  EXPECT_EQ(amazon_.quantity["NEW"], 2);
  EXPECT_FALSE(Loop().Unlisted(Sku("NEW"), "EU"));
  // The catalogue loop replaces the whole listing again (its quantity with it): sent again.
  amazon_.quantity["NEW"] = 0;
  Loop().OnListingChange(Sku("NEW"), MarketplaceId("A1PA6795UKMFR9"), true);
  Settle();
  EXPECT_EQ(amazon_.quantity["NEW"], 2);
  // Delisted: kept back again.
  Loop().OnListingChange(Sku("NEW"), MarketplaceId("A1PA6795UKMFR9"), false);
  EXPECT_TRUE(Loop().Unlisted(Sku("NEW"), "EU"));
}

TEST_F(StockLoopTest, DriftAuditLearnsWhichSkusAmazonListsBothWays) {
  scayle_.AddVariant("A", "wh-main", 5, At(0));
  scayle_.AddVariant("GONE", "wh-main", 3, At(0));
  amazon_.quantity = {{"A", 5}};
  amazon_.unlisted_skus = {"GONE"};
  ASSERT_TRUE(Loop().Snapshot());
  ASSERT_TRUE(Loop().AuditDrift());  // a whole walk: GONE is not there
  EXPECT_TRUE(Loop().Unlisted(Sku("GONE"), "EU"));
  Settle();
  for (const auto& call : amazon_.calls) {  // GONE waits
    if (call.operation == "createFeed") {
      EXPECT_EQ(call.body.find("GONE"), std::string::npos);
    }
  }
  // A partial walk proves nothing about what it did not reach.
  amazon_.unlisted_skus.clear();
  amazon_.quantity["GONE"] = 0;
  ASSERT_TRUE(Loop().AuditDrift());
  EXPECT_FALSE(Loop().Unlisted(Sku("GONE"), "EU"));
  Settle();
  EXPECT_EQ(amazon_.quantity["GONE"], 3);
  for (int i = 0; i < 25; ++i) amazon_.quantity["Z" + std::to_string(100 + i)] = 1;
  amazon_.quantity.erase("A");
  ASSERT_TRUE(Loop().AuditDrift(1));  // stops after the first page
  EXPECT_FALSE(Loop().Unlisted(Sku("A"), "EU"));
  // Announced by the catalogue loop while a walk is under way (the walk had passed its place):
  // not taken for missing. Announced before the walk began and still not met: missing.
  clock_.Advance(std::chrono::minutes(1));
  Loop().OnListingChange(Sku("A"), MarketplaceId("A1PA6795UKMFR9"), true);
  ASSERT_TRUE(Loop().AuditDrift());
  EXPECT_FALSE(Loop().Unlisted(Sku("A"), "EU"));
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(Loop().AuditDrift());
  EXPECT_TRUE(Loop().Unlisted(Sku("A"), "EU"));
}

TEST_F(StockLoopTest, AuditSendsTheIntentAgainToAListingThatLostItsQuantity) {
  scayle_.AddVariant("R", "wh-main", 4, At(0));
  amazon_.quantity = {{"R", 0}};
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  ASSERT_EQ(amazon_.quantity["R"], 4);
  // Another tool replaced the listing in full: it shows no fulfilment channel at all.
  amazon_.quantity.erase("R");
  amazon_.parents.insert("R");
  ASSERT_TRUE(Loop().AuditDrift());
  Settle();
  EXPECT_EQ(amazon_.quantity["R"], 4);
  EXPECT_GE(Loop().counters().repaired, 1u);
}

}  // namespace
}  // namespace mb::sync

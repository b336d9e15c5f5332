// The stock loop end to end against the sandbox's Amazon SP-API on loopback (LWA, usage plans,
// listings, feeds with processing reports, faults), through the real SP-API adapter and governor.
// The SCAYLE side is the in-memory catalogue of src/sync/stock_fakes.hpp: the SCAYLE Admin API
// adapter (ScayleApi over HTTP) had not landed on main when this was written.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "amazon/lwa_token_provider.hpp"
#include "amazon/rate_governor.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_client.hpp"
#include "core/exception_registry.hpp"
#include "core/timestamp.hpp"
#include "http/curl_http_client.hpp"
#include "sandbox/amazon/amazon_server.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"
#include "store/sqlite_stock_store.hpp"
#include "sync/stock_fakes.hpp"
#include "sync/stock_loop.hpp"

namespace mb {
namespace {

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";

nlohmann::json ShirtAttributes(int quantity) {
  return {{"item_name", {{{"value", "Shirt"}, {"language_tag", "de_DE"}, {"marketplace_id", kDe}}}},
          {"fulfillment_availability",
           {{{"fulfillment_channel_code", "DEFAULT"},
             {"quantity", quantity},
             {"lead_time_to_ship_max_days", 2}}}},
          {"purchasable_offer",
           {{{"marketplace_id", kDe},
             {"currency", "EUR"},
             {"our_price", {{{"schedule", {{{"value_with_tax", 24.95}}}}}}}}}}};
}

sandbox::amazon::AmazonConfig FastFeeds() {
  sandbox::amazon::AmazonConfig config;
  config.feed_queue_delay = std::chrono::seconds(0);
  config.feed_processing_delay = std::chrono::seconds(0);
  config.feed_processing_per_message = std::chrono::milliseconds(0);
  config.gzip_feed_results = true;
  return config;
}

ScayleWebhookEvent StockEvent(const std::string& key, const std::string& sku, int64_t quantity,
                              TimePoint changed_at) {
  ScayleWebhookEvent event;
  event.key = key;
  event.name = "product-variant-stock-updated";
  event.occurred_at = changed_at;
  ScayleStockChange change;
  change.variant = ScayleVariantRef{1, Sku(sku)};
  change.warehouse = WarehouseKey("wh-main");
  change.quantity = quantity;
  change.created_at = changed_at;
  event.stock = change;
  return event;
}

class StockE2eTest : public ::testing::Test {
 protected:
  explicit StockE2eTest(sandbox::amazon::AmazonConfig config = FastFeeds())
      : sim_clock_(std::chrono::time_point_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now()),
                   1.0),
        world_(sim_clock_, std::move(config)),
        db_(std::make_shared<store::SqliteDatabase>(":memory:")),
        state_(db_),
        stock_store_(db_),
        exceptions_(state_, clock_, nullptr) {}

  void SetUp() override {
    server_ = std::make_unique<sandbox::amazon::AmazonServer>(
        world_, sandbox::amazon::AmazonServerOptions{});
    server_->Start();
    auto all = store::AllSqliteMigrations();
    ASSERT_TRUE(db_->Migrate(all, clock_.Now()).has_value());
    const auto& app = server_->lwa_application();
    tokens_ = std::make_unique<amazon::LwaTokenProvider>(
        curl_, clock_,
        amazon::LwaCredentials{server_->base_url() + "/auth/o2/token", app.client_id,
                               app.client_secret, world_.config().sellers.front().refresh_token});
    governor_ = std::make_unique<amazon::RateGovernor>(clock_);
    amazon::SpApiSettings settings;
    settings.endpoint = server_->base_url();
    settings.region = "eu";
    settings.seller_id = kSeller;
    settings.max_quota_wait_urgent = std::chrono::seconds(5);
    settings.max_quota_wait_normal = std::chrono::seconds(5);
    settings.max_quota_wait_bulk = std::chrono::seconds(5);
    client_ = std::make_unique<amazon::SpApiClient>(curl_, *tokens_, *governor_, clock_, settings);
    amazon_ = std::make_unique<amazon::SpApiAmazonApi>(*client_, *governor_, "eu");

    settings_.seller = SellerId(kSeller);
    settings_.regions = {sync::StockRegion{
        "EU", {"wh-main"}, {sync::StockMarketplace{MarketplaceId(kDe), "DE", "EUR"}}}};
    settings_.product_type = "SHIRT";
    settings_.feed_interval = std::chrono::seconds(0);
    settings_.normal_per_item_max = 0;
    settings_.push_prices = false;
    settings_.quota_exhausted_after = std::chrono::seconds(0);
  }

  void TearDown() override {
    loop_.reset();
    governor_->Stop();
    server_->Stop();
  }

  sync::StockLoop& Loop() {
    if (!loop_)
      loop_ = std::make_unique<sync::StockLoop>(settings_, policies_, scayle_, *amazon_,
                                                stock_store_, state_, exceptions_, clock_);
    return *loop_;
  }

  void SeedListing(const std::string& sku, int quantity) {
    auto sub = world_.PutListing(
        kSeller, kDe, sku, {{"productType", "SHIRT"}, {"attributes", ShirtAttributes(quantity)}},
        false);
    ASSERT_TRUE(sub && sub->status == "ACCEPTED");
  }

  int Listed(const std::string& sku) {
    auto listing = world_.GetListing(kSeller, sandbox::amazon::Region::kEurope, sku);
    return listing ? sandbox::amazon::ListedQuantity(*listing) : -1;
  }

  // Pushes and reads back until nothing is pending or in a feed; bounded by a deadline.
  void Settle(std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      ASSERT_TRUE(Loop().PushStep());
      ASSERT_TRUE(Loop().PollFeeds());
      if (Loop().PendingPushes() == 0 && Loop().OpenFeedCount() == 0) return;
    }
    FAIL() << "stock loop did not settle: " << Loop().PendingPushes() << " pending, "
           << Loop().OpenFeedCount() << " feeds open";
  }

  TimePoint Now() const { return clock_.Now(); }

  SystemClock clock_;
  sandbox::SimClock sim_clock_;
  sandbox::amazon::AmazonWorld world_;
  std::unique_ptr<sandbox::amazon::AmazonServer> server_;
  http::CurlHttpClient curl_;
  std::unique_ptr<amazon::LwaTokenProvider> tokens_;
  std::unique_ptr<amazon::RateGovernor> governor_;
  std::unique_ptr<amazon::SpApiClient> client_;
  std::unique_ptr<amazon::SpApiAmazonApi> amazon_;
  std::shared_ptr<store::SqliteDatabase> db_;
  store::SqliteStateStore state_;
  store::SqliteStockStore stock_store_;
  ExceptionRegistry exceptions_;
  stock::BufferPolicies policies_;
  sync::StockLoopSettings settings_;
  sync::testing::FakeScayleCatalogue scayle_;
  std::unique_ptr<sync::StockLoop> loop_;
};

TEST_F(StockE2eTest, StockChangeReachesAmazonByFeedAndZeroByPatch) {
  SeedListing("SHIRT-M", 9);
  SeedListing("SHIRT-L", 9);
  scayle_.AddVariant("SHIRT-M", "wh-main", 7, Now());
  scayle_.AddVariant("SHIRT-L", "wh-main", 9, Now());
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  EXPECT_EQ(Listed("SHIRT-M"), 7);  // 9 -> 7 travels in a JSON_LISTINGS_FEED
  EXPECT_EQ(Loop().counters().feeds, 1u);
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "SHIRT-L", 0, Now())));
  Settle();
  EXPECT_EQ(Listed("SHIRT-L"), 0);  // a zero-crossing goes per item
  EXPECT_EQ(Loop().counters().item_pushes, 1u);
  auto listing = world_.GetListing(kSeller, sandbox::amazon::Region::kEurope, "SHIRT-L");
  ASSERT_TRUE(listing.has_value());
  EXPECT_EQ(listing->attributes["fulfillment_availability"][0]["lead_time_to_ship_max_days"], 2);
  auto e = Loop().Explain(Sku("SHIRT-L"), "EU");
  ASSERT_TRUE(e.has_value());
  ASSERT_FALSE(e->pushes.empty());
  EXPECT_EQ(e->pushes[0].via, "patchListingsItem");
  EXPECT_EQ(e->pushes[0].amazon_status, "ACCEPTED");
}

TEST_F(StockE2eTest, AmazonOrderDuringAPendingPushNeverGetsItsUnitReopened) {
  SeedListing("SHIRT-M", 3);
  scayle_.AddVariant("SHIRT-M", "wh-main", 3, Now());
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  ASSERT_EQ(Listed("SHIRT-M"), 3);
  // SCAYLE restocks to 5; before the push goes out a buyer orders 1 on Amazon.
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "SHIRT-M", 5, Now())));
  sandbox::amazon::PlaceOrderRequest order;
  order.seller_id = kSeller;
  order.marketplace_id = kDe;
  order.lines.push_back({"SHIRT-M", 1, std::nullopt});
  auto placed = world_.PlaceOrder(order);
  ASSERT_TRUE(placed.has_value());
  ASSERT_EQ(Listed("SHIRT-M"), 2);  // Amazon lowered it itself
  ASSERT_TRUE(Loop().OnAmazonOrder("EU", Sku("SHIRT-M"), placed->order_id + ":1", 1, Now()));
  Settle();
  EXPECT_EQ(Listed("SHIRT-M"), 4);  // 5 in SCAYLE - 1 sold on Amazon, never 5
}

TEST_F(StockE2eTest, DuplicateAndOutOfOrderWebhooksDoNotRegressAQuantity) {
  SeedListing("SHIRT-M", 9);
  scayle_.AddVariant("SHIRT-M", "wh-main", 9, Now() - std::chrono::minutes(10));
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  TimePoint t = Now();
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "SHIRT-M", 6, t)));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "SHIRT-M", 8, t - std::chrono::seconds(5))));
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e2", "SHIRT-M", 6, t)));
  Settle();
  EXPECT_EQ(Listed("SHIRT-M"), 6);
  EXPECT_EQ(*Loop().Ats(Sku("SHIRT-M"), "EU"), 6);
}

class StockE2eDroppingFeedTest : public StockE2eTest {
 protected:
  static sandbox::amazon::AmazonConfig Dropping() {
    auto config = FastFeeds();
    config.feed_silently_dropped_skus = {"SHIRT-L"};
    return config;
  }
  StockE2eDroppingFeedTest() : StockE2eTest(Dropping()) {}
};

TEST_F(StockE2eDroppingFeedTest, FeedWithUnappliedSkusIsDetectedAndRepaired) {
  SeedListing("SHIRT-M", 9);
  SeedListing("SHIRT-L", 9);
  scayle_.AddVariant("SHIRT-M", "wh-main", 7, Now());
  scayle_.AddVariant("SHIRT-L", "wh-main", 7, Now());
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  EXPECT_EQ(Listed("SHIRT-M"), 7);
  EXPECT_EQ(Listed("SHIRT-L"), 7);  // repaired per item after the feed did not apply it
  EXPECT_EQ(Loop().counters().unapplied, 1u);
  EXPECT_EQ(Loop().counters().repaired, 1u);
  EXPECT_EQ(world_.Counters().feed_messages_silently_dropped, 1);
}

TEST_F(StockE2eTest, A429StormSlowsTheLoopWithoutLosingAChange) {
  SeedListing("SHIRT-M", 5);
  scayle_.AddVariant("SHIRT-M", "wh-main", 5, Now());
  ASSERT_TRUE(Loop().Snapshot());
  Settle();
  sandbox::amazon::FaultRule storm;
  storm.kind = sandbox::amazon::FaultKind::kThrottle;
  storm.count = 6;
  server_->faults().Add("listings.patchListingsItem", storm);
  ASSERT_TRUE(Loop().OnWebhook(StockEvent("e1", "SHIRT-M", 0, Now())));
  Settle(std::chrono::seconds(30));
  EXPECT_EQ(Listed("SHIRT-M"), 0);
  EXPECT_GE(server_->Counters()["listings.patchListingsItem"].throttled, 6);
  EXPECT_GE(Loop().counters().throttled, 1u);
}

}  // namespace
}  // namespace mb

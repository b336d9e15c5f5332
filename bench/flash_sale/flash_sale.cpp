// Flash-sale driver: the same scenario twice on a simulated clock (1 s ticks), once with the stock
// loop (src/sync/stock_loop) and once with a baseline that uploads a full inventory feed every
// 15 minutes, as the hubs do. Small and self-contained on purpose: sandbox/market (D2C demand,
// Amazon buyers, warehouse) was not available, so the worlds are the in-memory fakes of
// src/sync/stock_fakes.hpp behind documented SP-API limits (patch 5/s burst 5, createFeed one per
// 120 s and five per 5 minutes, getFeed 2/s, search 5/s) and a feed processing delay.
//
//   bench_flash_sale [--report FILE.json] [--skus N] [--hot N] [--minutes M] [--seed S]

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "core/exception_registry.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"
#include "store/sqlite_stock_store.hpp"
#include "sync/stock_fakes.hpp"
#include "sync/stock_loop.hpp"

namespace {

using namespace mb;
using nlohmann::json;

struct Bucket {
  double rate;
  double burst;
  double tokens;
  TimePoint at{};
  bool Take(TimePoint now) {
    double elapsed = std::chrono::duration<double>(now - at).count();
    tokens = std::min(burst, tokens + elapsed * rate);
    at = now;
    if (tokens < 1.0) return false;
    tokens -= 1.0;
    return true;
  }
  Duration Wait(TimePoint now) const {
    double elapsed = std::chrono::duration<double>(now - at).count();
    double t = std::min(burst, tokens + elapsed * rate);
    if (t >= 1.0) return Duration(0);
    return Duration(static_cast<int64_t>((1.0 - t) / rate * 1000.0) + 1);
  }
};

struct OpStats {
  int64_t calls = 0;
  int64_t throttled = 0;
};

// Amazon with its documented limits and a feed processing delay, over the in-memory listings.
class LimitedAmazon final : public AmazonApi {
 public:
  LimitedAmazon(sync::testing::FakeAmazonListings& inner, const Clock& clock)
      : inner_(inner), clock_(clock) {
    TimePoint now = clock.Now();
    buckets_["patchListingsItem"] = {5, 5, 5, now};
    buckets_["createFeed"] = {1.0 / 120.0, 15, 15, now};
    buckets_["createFeed:JSON_LISTINGS_FEED"] = {5.0 / 300.0, 5, 5, now};
    buckets_["getFeed"] = {2, 15, 15, now};
    buckets_["searchListingsItems"] = {5, 5, 5, now};
  }
  std::map<std::string, OpStats> stats;
  Duration feed_delay{std::chrono::seconds(120)};

  bool Spend(const std::string& op) {
    auto& s = stats[op];
    ++s.calls;
    if (!buckets_[op].Take(clock_.Now())) {
      ++s.throttled;
      return false;
    }
    return true;
  }

  Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest& r) override {
    if (!Spend("patchListingsItem")) return Fail(ErrorCode::kThrottled, "429 patchListingsItem");
    return inner_.PatchListingsItem(r);
  }
  Result<FeedId> SubmitFeed(const CreateFeedRequest& r, std::string_view type,
                            std::string_view content) override {
    if (!Spend("createFeed")) return Fail(ErrorCode::kThrottled, "429 createFeed");
    if (!buckets_["createFeed:JSON_LISTINGS_FEED"].Take(clock_.Now())) {
      ++stats["createFeed"].throttled;
      return Fail(ErrorCode::kThrottled, "429 createFeed (feed type)");
    }
    auto id = inner_.SubmitFeed(r, type, content);
    if (id) due_[id->value()] = clock_.Now() + feed_delay;
    return id;
  }
  Result<AmazonFeed> GetFeed(const FeedId& id, CallPriority p) override {
    if (!Spend("getFeed")) return Fail(ErrorCode::kThrottled, "429 getFeed");
    if (clock_.Now() < due_[id.value()]) {
      AmazonFeed feed;
      feed.feed_id = id;
      feed.processing_status = "IN_PROGRESS";
      return feed;
    }
    return inner_.GetFeed(id, p);
  }
  Result<ListingsFeedReport> GetListingsFeedReport(const std::string& d, CallPriority p) override {
    ++stats["getFeedDocument"].calls;
    return inner_.GetListingsFeedReport(d, p);
  }
  Result<ListingsItemsPage> SearchListingsItems(const SearchListingsItemsRequest& r) override {
    if (!Spend("searchListingsItems")) return Fail(ErrorCode::kThrottled, "429 search");
    return inner_.SearchListingsItems(r);
  }
  Duration QuotaWait(std::string_view op, CallPriority) override {
    auto it = buckets_.find(std::string(op));
    return it == buckets_.end() ? Duration(0) : it->second.Wait(clock_.Now());
  }
  Result<ListingsItem> GetListingsItem(const GetListingsItemRequest& r) override {
    return inner_.GetListingsItem(r);
  }
  Result<ListingsSubmission> PutListingsItem(const PutListingsItemRequest& r) override {
    return inner_.PutListingsItem(r);
  }
  Result<ListingsSubmission> DeleteListingsItem(const DeleteListingsItemRequest& r) override {
    return inner_.DeleteListingsItem(r);
  }
  Result<FeedDocumentUpload> CreateFeedDocument(std::string_view c, CallPriority p) override {
    return inner_.CreateFeedDocument(c, p);
  }
  Status UploadFeedDocument(const FeedDocumentUpload& d, std::string_view t,
                            std::string_view c) override {
    return inner_.UploadFeedDocument(d, t, c);
  }
  Result<FeedId> CreateFeed(const CreateFeedRequest& r) override { return inner_.CreateFeed(r); }
  Result<std::string> GetFeedDocument(const std::string& d, CallPriority p) override {
    return inner_.GetFeedDocument(d, p);
  }
  Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest& r) override {
    return inner_.SearchOrders(r);
  }
  Result<AmazonOrder> GetOrder(const GetOrderRequest& r) override { return inner_.GetOrder(r); }
  Status ConfirmShipment(const ConfirmShipmentRequest& r) override {
    return inner_.ConfirmShipment(r);
  }
  Result<AmazonReportsPage> GetReports(const GetReportsRequest& r) override {
    return inner_.GetReports(r);
  }
  Result<AmazonReport> GetReport(const ReportId& r, CallPriority p) override {
    return inner_.GetReport(r, p);
  }
  Result<std::string> GetReportDocument(const std::string& d, CallPriority p) override {
    return inner_.GetReportDocument(d, p);
  }
  Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest& r) override {
    return inner_.GetDefinitionsProductType(r);
  }
  Result<std::string> DownloadSchema(const std::string& u) override {
    return inner_.DownloadSchema(u);
  }
  Result<NotificationDestination> CreateDestination(const CreateDestinationRequest& r) override {
    return inner_.CreateDestination(r);
  }
  Result<NotificationSubscription> CreateSubscription(const CreateSubscriptionRequest& r) override {
    return inner_.CreateSubscription(r);
  }

 private:
  sync::testing::FakeAmazonListings& inner_;
  const Clock& clock_;
  std::map<std::string, Bucket> buckets_;
  std::map<std::string, TimePoint> due_;
};

struct Options {
  int skus = 20000;
  int hot = 2000;
  int minutes = 40;
  unsigned seed = 7;
  std::string report;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// One run. `baseline`: a full feed of SCAYLE stock every 15 minutes instead of the loop.
json Run(const Options& o, bool baseline) {
  const TimePoint start = MakeTime(2026, 11, 27, 20);
  FakeClock clock(start);
  auto db = std::make_shared<store::SqliteDatabase>(":memory:");
  auto all = store::AllSqliteMigrations();
  (void)db->Migrate(all, start);
  store::SqliteStateStore state(db);
  store::SqliteStockStore stock_store(db);
  ExceptionRegistry exceptions(state, clock, nullptr);
  stock::BufferPolicies policies;
  sync::testing::FakeScayleCatalogue scayle;
  scayle.page_size = 500;
  sync::testing::FakeAmazonListings listings;
  LimitedAmazon amazon(listings, clock);

  std::mt19937 rng(o.seed);
  std::vector<std::string> skus;
  std::vector<int64_t> physical;      // units in the warehouse
  std::vector<int64_t> scayle_stock;  // what SCAYLE shows (lags Amazon orders until held)
  for (int i = 0; i < o.skus; ++i) {
    skus.push_back("SKU-" + std::to_string(i));
    int64_t q =
        i < o.hot ? 1 + static_cast<int64_t>(rng() % 5) : 20 + static_cast<int64_t>(rng() % 80);
    physical.push_back(q);
    scayle_stock.push_back(q);
    scayle.AddVariant(skus.back(), "wh-main", q, start - std::chrono::hours(1));
    listings.quantity[skus.back()] = q;
  }
  sync::StockLoopSettings settings;
  settings.seller = SellerId("A2SELLER");
  settings.regions = {
      sync::StockRegion{"EU", {"wh-main"}, {{MarketplaceId("A1PA6795UKMFR9"), "DE", "EUR"}}}};
  settings.push_prices = false;
  settings.feed_interval = std::chrono::seconds(120);
  sync::StockLoop loop(settings, policies, scayle, amazon, stock_store, state, exceptions, clock);
  if (!baseline) (void)loop.Snapshot();

  struct Pending {
    TimePoint at;
    int sku;
    bool zero;
  };
  std::vector<Pending> waiting;  // SCAYLE changes not yet reflected on Amazon
  std::vector<double> propagation, zero_crossing;
  struct Delayed {
    TimePoint at;
    int sku;
    int kind;  // 0 order seen by the engine, 1 held in SCAYLE
    std::string key;
  };
  std::vector<Delayed> delayed;
  int64_t oversold = 0, d2c_sales = 0, amazon_sales = 0;
  int64_t order_seq = 0;
  std::map<int, int64_t> baseline_pending;  // feed contents waiting to apply
  TimePoint baseline_due{};
  bool baseline_in_flight = false;
  TimePoint last_baseline = start - std::chrono::minutes(15);

  auto intended = [&](int i) -> int64_t {
    // What Amazon should show: SCAYLE stock minus Amazon orders not yet held (for the loop the
    // ledger knows; for the baseline the same truth is used to judge propagation).
    return std::max<int64_t>(0, physical[i]);
  };
  auto on_scayle_change = [&](int i, TimePoint now) {
    waiting.push_back({now, i, intended(i) == 0});
  };

  const int ticks = o.minutes * 60;
  // The engine runs before the sale: its first snapshot has landed on Amazon by then.
  const int sale_start = 600;
  for (int t = 0; t < ticks; ++t) {
    TimePoint now = clock.Now();
    bool sale = t >= sale_start;
    // Demand: hot SKUs sell on both channels during the sale, the rest trickle.
    for (int k = 0; k < (sale ? 12 : 1); ++k) {
      int i = sale && rng() % 10 < 8 ? static_cast<int>(rng() % o.hot)
                                     : static_cast<int>(rng() % o.skus);
      if (physical[i] > 0) {  // D2C buys on SCAYLE stock
        --physical[i];
        --scayle_stock[i];
        ++d2c_sales;
        ScayleWebhookEvent e;
        e.key = "d2c-" + std::to_string(t) + "-" + std::to_string(k);
        e.name = "product-variant-stock-updated";
        e.occurred_at = now;
        ScayleStockChange c;
        c.variant = ScayleVariantRef{i, Sku(skus[i])};
        c.warehouse = WarehouseKey("wh-main");
        c.quantity = scayle_stock[i];
        c.created_at = now;
        e.stock = c;
        if (!baseline) (void)loop.OnWebhook(e);
        on_scayle_change(i, now);
      }
      int j = sale && rng() % 10 < 8 ? static_cast<int>(rng() % o.hot)
                                     : static_cast<int>(rng() % o.skus);
      if (listings.quantity[skus[j]] > 0) {  // an Amazon buyer buys only what is listed
        listings.BuyerOrders(skus[j], 1);
        ++amazon_sales;
        if (physical[j] > 0) {
          --physical[j];
        } else {
          ++oversold;
        }
        std::string key = "ORDER-" + std::to_string(++order_seq);
        delayed.push_back({now + std::chrono::seconds(10), j, 0, key});  // order loop sees it
        delayed.push_back({now + std::chrono::seconds(30), j, 1, key});  // SCAYLE holds it
        on_scayle_change(j, now);
      }
    }
    // The order loop's side, delayed.
    for (auto it = delayed.begin(); it != delayed.end();) {
      if (it->at > now) {
        ++it;
        continue;
      }
      int i = it->sku;
      if (it->kind == 0) {
        if (!baseline) (void)loop.OnAmazonOrder("EU", Sku(skus[i]), it->key, 1, it->at);
      } else {
        scayle_stock[i] = std::max<int64_t>(0, scayle_stock[i] - 1);
        if (!baseline) {
          (void)loop.OnOrderHeld(it->key, now, "wh-main");
          ScayleWebhookEvent e;
          e.key = "hold-" + it->key;
          e.name = "product-variant-stock-updated";
          e.occurred_at = now + std::chrono::milliseconds(1);
          ScayleStockChange c;
          c.variant = ScayleVariantRef{i, Sku(skus[i])};
          c.warehouse = WarehouseKey("wh-main");
          c.quantity = scayle_stock[i];
          c.created_at = now + std::chrono::milliseconds(1);
          e.stock = c;
          (void)loop.OnWebhook(e);
        }
      }
      it = delayed.erase(it);
    }
    // Pushing.
    if (baseline) {
      if (!baseline_in_flight && now - last_baseline >= std::chrono::minutes(15)) {
        if (amazon.Spend("createFeed")) {
          for (int i = 0; i < o.skus; ++i) baseline_pending[i] = scayle_stock[i];
          baseline_due = now + amazon.feed_delay;
          baseline_in_flight = true;
          last_baseline = now;
        }
      }
      if (baseline_in_flight && now >= baseline_due) {
        for (auto& [i, q] : baseline_pending) listings.quantity[skus[i]] = q;
        baseline_pending.clear();
        baseline_in_flight = false;
      }
    } else {
      (void)loop.PushStep();
      if (t % 10 == 0) (void)loop.PollFeeds();
    }
    // Propagation: a change is reflected once Amazon shows no more than the truth for the SKU.
    for (auto it = waiting.begin(); it != waiting.end();) {
      int i = it->sku;
      if (listings.quantity[skus[i]] <= intended(i)) {
        double s = std::chrono::duration<double>(now - it->at).count();
        propagation.push_back(s);
        if (it->zero) zero_crossing.push_back(s);
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    clock.Advance(std::chrono::seconds(1));
  }
  // Changes never reflected count with the time they waited (lower bound).
  for (const auto& w : waiting) {
    double s = std::chrono::duration<double>(clock.Now() - w.at).count();
    propagation.push_back(s);
    if (w.zero) zero_crossing.push_back(s);
  }
  json calls = json::object(), throttled = json::object();
  int64_t total_calls = 0, total_throttled = 0;
  for (const auto& [op, s] : amazon.stats) {
    calls[op] = s.calls;
    throttled[op] = s.throttled;
    total_calls += s.calls;
    total_throttled += s.throttled;
  }
  return json{{"oversold_units", oversold},
              {"propagation_p50_s", Percentile(propagation, 0.50)},
              {"propagation_p95_s", Percentile(propagation, 0.95)},
              {"propagation_p99_s", Percentile(propagation, 0.99)},
              {"zero_crossing_p99_s", Percentile(zero_crossing, 0.99)},
              {"changes", propagation.size()},
              {"zero_crossings", zero_crossing.size()},
              {"d2c_units", d2c_sales},
              {"amazon_units", amazon_sales},
              {"calls", calls},
              {"throttled", throttled},
              {"throttled_share",
               total_calls ? static_cast<double>(total_throttled) / static_cast<double>(total_calls)
                           : 0.0}};
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--report")
      o.report = argv[i + 1];
    else if (flag == "--skus")
      o.skus = std::atoi(argv[i + 1]);
    else if (flag == "--hot")
      o.hot = std::atoi(argv[i + 1]);
    else if (flag == "--minutes")
      o.minutes = std::atoi(argv[i + 1]);
    else if (flag == "--seed")
      o.seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
  }
  json report{{"scenario",
               {{"skus", o.skus},
                {"hot_skus", o.hot},
                {"minutes", o.minutes},
                {"seed", o.seed},
                {"driver", "bench/flash_sale (in-memory worlds, simulated clock, 1 s ticks)"}}},
              {"marketbridge", Run(o, false)},
              {"baseline_full_feed_15min", Run(o, true)}};
  std::printf("%s\n", report.dump(2).c_str());
  if (!o.report.empty()) std::ofstream(o.report) << report.dump(2) << "\n";
  return 0;
}

// `marketbridge bench flash-sale`: see flash_sale_bench.hpp and bench/RESULTS.md.
//
// Small and in-process on purpose: sandbox/market (D2C demand, Amazon buyers, warehouse) was not
// available, so Amazon is the in-memory listings of src/sync/stock_fakes.hpp behind the documented
// SP-API limits (SPAPI.md §3: patchListingsItem 5/s burst 5, searchListingsItems 5/s burst 5,
// createFeed 1 per 120 s burst 15, JSON_LISTINGS_FEED 5 per 5 minutes, getFeed 2/s burst 15) and
// the sandbox's documented feed processing times; SCAYLE is the in-memory catalogue. The stock
// loop is the engine's own code and gets the order loop's events through the same entry point the
// engine subscribes (StockLoop::OnAmazonOrderEvent).

#include "flash_sale_bench.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "core/exception_registry.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"
#include "store/sqlite_stock_store.hpp"
#include "sync/stock_fakes.hpp"
#include "sync/stock_loop.hpp"

namespace mb::bench {

namespace {

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
  // The sandbox's documented feed times (sandbox/amazon/amazon_world.hpp AmazonConfig): 45 s in
  // the queue, 90 s processing, plus 20 ms per message.
  Duration FeedDelay(size_t messages) const {
    return std::chrono::seconds(45 + 90) +
           std::chrono::milliseconds(20 * static_cast<int64_t>(messages));
  }

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
    size_t messages = nlohmann::json::parse(content)["messages"].size();
    if (id) due_[id->value()] = clock_.Now() + FeedDelay(messages);
    return id;
  }
  // Amazon applies a feed once it is processed, whether or not anyone asks.
  void ApplyDueFeeds() {
    for (auto it = due_.begin(); it != due_.end();) {
      if (clock_.Now() < it->second) {
        ++it;
        continue;
      }
      (void)inner_.GetFeed(FeedId(it->first), CallPriority::kNormal);
      done_.insert(it->first);
      it = due_.erase(it);
    }
  }

  Result<AmazonFeed> GetFeed(const FeedId& id, CallPriority p) override {
    if (!Spend("getFeed")) return Fail(ErrorCode::kThrottled, "429 getFeed");
    if (!done_.count(id.value())) {
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
  std::set<std::string> done_;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

constexpr const char* kMarketplace = "A1PA6795UKMFR9";
constexpr const char* kWarehouse = "wh-main";

struct Strategy {
  bool baseline = false;
  bool buffered = false;
};

// Something that happens later: a SCAYLE webhook delivered, the order loop learning of an order,
// SCAYLE holding it.
struct Delayed {
  enum class Kind { kStockWebhook, kOrderSeen, kOrderHeld };
  Kind kind;
  int sku = 0;
  int64_t quantity = 0;  // webhook: SCAYLE's stock after the change
  TimePoint changed_at{};
  int64_t order = 0;
};

// What the order loop publishes (src/sync/order_processor.cpp OrderEventHub::EventFor).
AmazonOrderEvent OrderEvent(int64_t order, const std::string& sku, bool held, TimePoint at) {
  AmazonOrderEvent e;
  e.order_id = AmazonOrderId("028-" + std::to_string(order));
  e.marketplace_id = MarketplaceId(kMarketplace);
  e.state = held ? "held" : "seen";
  e.at = at;
  e.skus.push_back(AmazonOrderSkuUnits{Sku(sku), 1, 0, held ? 1 : 0, held ? 0 : 1});
  return e;
}

json Run(const FlashSaleOptions& o, Strategy strategy) {
  const TimePoint start = MakeTime(2026, 11, 27, 20);
  FakeClock clock(start);
  auto db = std::make_shared<store::SqliteDatabase>(":memory:");
  auto all = store::AllSqliteMigrations();
  (void)db->Migrate(all, start);
  store::SqliteStateStore state(db);
  store::SqliteStockStore stock_store(db);
  ExceptionRegistry exceptions(state, clock, nullptr);
  stock::BufferPolicies policies;
  stock::BufferRule sale_buffer;
  sale_buffer.zero_below = o.buffer_zero_below;
  sale_buffer.percent = o.buffer_percent;
  if (strategy.buffered) policies.SetDefault(sale_buffer);
  sync::testing::FakeScayleCatalogue scayle;
  scayle.page_size = 500;
  sync::testing::FakeAmazonListings listings;
  LimitedAmazon amazon(listings, clock);

  std::mt19937_64 rng(o.seed);
  std::vector<std::string> skus;
  std::vector<int64_t> physical;      // units in the warehouse
  std::vector<int64_t> scayle_stock;  // what SCAYLE shows (lags Amazon orders until held)
  for (int i = 0; i < o.skus; ++i) {
    skus.push_back("SKU-" + std::to_string(i));
    int64_t q =
        i < o.hot ? 1 + static_cast<int64_t>(rng() % 5) : 20 + static_cast<int64_t>(rng() % 80);
    physical.push_back(q);
    scayle_stock.push_back(q);
    scayle.AddVariant(skus.back(), kWarehouse, q, start - std::chrono::hours(1));
    listings.quantity[skus.back()] = q;  // what a hub or the engine listed earlier in the day
  }
  sync::StockLoopSettings settings;  // the engine's defaults, except what the scenario fixes
  settings.seller = SellerId("A2SELLER");
  settings.regions = {
      sync::StockRegion{"EU", {kWarehouse}, {{MarketplaceId(kMarketplace), "DE", "EUR"}}}};
  settings.push_prices = false;
  sync::StockLoop loop(settings, policies, scayle, amazon, stock_store, state, exceptions, clock);
  if (!strategy.baseline) (void)loop.Snapshot();

  std::multimap<TimePoint, Delayed> delayed;
  struct Waiting {
    TimePoint at;
    int sku;
    bool zero;
  };
  std::vector<Waiting> waiting;  // SCAYLE changes Amazon does not reflect yet
  std::vector<double> propagation, zero_crossing;
  int64_t oversold = 0, d2c_sales = 0, amazon_sales = 0, order_seq = 0, webhook_seq = 0;
  std::uniform_int_distribution<int> notice(o.order_notice_min_s, o.order_notice_max_s);
  const auto seconds = [](int s) { return std::chrono::seconds(s); };
  // Baseline: a full feed of SCAYLE's stock every 15 minutes (the buffer applied if any).
  std::map<int, int64_t> baseline_pending;
  TimePoint baseline_due{};
  bool baseline_in_flight = false;
  TimePoint last_baseline = start - std::chrono::minutes(15);
  auto listed_by_baseline = [&](int64_t q) {
    return strategy.buffered ? stock::ApplyBuffer(sale_buffer, q).listed : std::max<int64_t>(0, q);
  };
  // Hot SKUs are the first `hot`; during the sale they draw 80 % of the demand.
  auto pick = [&](bool sale) {
    return sale && rng() % 10 < 8 ? static_cast<int>(rng() % static_cast<uint64_t>(o.hot))
                                  : static_cast<int>(rng() % static_cast<uint64_t>(o.skus));
  };

  const int ticks = o.minutes * 60;
  const int sale_start = 600;  // the engine's first snapshot has landed on Amazon by then
  for (int t = 0; t < ticks; ++t) {
    const TimePoint now = clock.Now();
    const bool sale = t >= sale_start;
    const int d2c = sale ? o.d2c_per_s : 1;
    const int buyers = sale ? o.amazon_per_s : 1;
    for (int k = 0; k < std::max(d2c, buyers); ++k) {
      if (k < d2c) {  // D2C buys on SCAYLE's stock
        int i = pick(sale);
        if (physical[i] > 0 && scayle_stock[i] > 0) {
          --physical[i];
          --scayle_stock[i];
          ++d2c_sales;
          delayed.emplace(now + seconds(o.webhook_s),
                          Delayed{Delayed::Kind::kStockWebhook, i, scayle_stock[i], now, 0});
          if (listings.quantity[skus[i]] > physical[i])
            waiting.push_back({now, i, physical[i] == 0});
        }
      }
      if (k < buyers) {  // an Amazon buyer buys only what is listed
        int j = pick(sale);
        if (listings.quantity[skus[j]] > 0) {
          listings.BuyerOrders(skus[j], 1);
          ++amazon_sales;
          if (physical[j] > 0)
            --physical[j];
          else
            ++oversold;
          int64_t order = ++order_seq;
          TimePoint seen = now + seconds(notice(rng));
          delayed.emplace(seen, Delayed{Delayed::Kind::kOrderSeen, j, 0, now, order});
          delayed.emplace(seen + seconds(o.hold_s),
                          Delayed{Delayed::Kind::kOrderHeld, j, 0, now, order});
        }
      }
    }
    // What is due now: webhooks, the order loop, SCAYLE holding orders.
    while (!delayed.empty() && delayed.begin()->first <= now) {
      Delayed d = delayed.begin()->second;
      delayed.erase(delayed.begin());
      const std::string& sku = skus[d.sku];
      switch (d.kind) {
        case Delayed::Kind::kStockWebhook:
          if (!strategy.baseline)
            (void)loop.OnWebhook(
                sync::testing::StockWebhookEvent("stock-" + std::to_string(++webhook_seq), sku,
                                                 d.quantity, d.changed_at, kWarehouse));
          break;
        case Delayed::Kind::kOrderSeen:
          if (!strategy.baseline)
            (void)loop.OnAmazonOrderEvent(OrderEvent(d.order, sku, false, now));
          break;
        case Delayed::Kind::kOrderHeld:
          // SCAYLE's reservation lowers its stock now; its webhook comes a moment later.
          scayle_stock[d.sku] = std::max<int64_t>(0, scayle_stock[d.sku] - 1);
          delayed.emplace(now + seconds(o.webhook_s), Delayed{Delayed::Kind::kStockWebhook, d.sku,
                                                              scayle_stock[d.sku], now, 0});
          // The order loop publishes after SCAYLE answered: a moment after SCAYLE's own change.
          if (!strategy.baseline)
            (void)loop.OnAmazonOrderEvent(
                OrderEvent(d.order, sku, true, now + std::chrono::milliseconds(200)));
          break;
      }
    }
    amazon.ApplyDueFeeds();
    if (strategy.baseline) {
      if (!baseline_in_flight && now - last_baseline >= std::chrono::minutes(15) &&
          amazon.Spend("createFeed")) {
        for (int i = 0; i < o.skus; ++i) baseline_pending[i] = listed_by_baseline(scayle_stock[i]);
        baseline_due = now + amazon.FeedDelay(baseline_pending.size());
        baseline_in_flight = true;
        last_baseline = now;
      }
      if (baseline_in_flight && now >= baseline_due) {
        for (auto& [i, q] : baseline_pending) listings.quantity[skus[i]] = q;
        baseline_pending.clear();
        baseline_in_flight = false;
      }
    } else {
      (void)loop.PushStep();                    // stock.push_interval 1 s (and woken by webhooks)
      if (t % 30 == 0) (void)loop.PollFeeds();  // stock.feed_poll_interval 30 s
    }
    // A change is reflected once Amazon shows no more than the physical truth for the SKU.
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (listings.quantity[skus[it->sku]] <= physical[it->sku]) {
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
  // Changes never reflected count with the time they waited (a lower bound).
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
  json result{{"oversold_units", oversold},
              {"propagation_p50_s", Percentile(propagation, 0.50)},
              {"propagation_p95_s", Percentile(propagation, 0.95)},
              {"propagation_p99_s", Percentile(propagation, 0.99)},
              {"zero_crossing_p99_s", Percentile(zero_crossing, 0.99)},
              {"zero_crossing_p50_s", Percentile(zero_crossing, 0.50)},
              {"changes_to_propagate", propagation.size()},
              {"zero_crossings", zero_crossing.size()},
              {"unreflected_at_end", waiting.size()},
              {"d2c_units", d2c_sales},
              {"amazon_units", amazon_sales},
              {"calls", calls},
              {"throttled", throttled},
              {"calls_total", total_calls},
              {"throttled_total", total_throttled},
              {"throttled_share",
               total_calls ? static_cast<double>(total_throttled) / static_cast<double>(total_calls)
                           : 0.0}};
  if (!strategy.baseline) {
    auto c = loop.counters();
    result["loop"] = {{"item_pushes", c.item_pushes},
                      {"feeds", c.feeds},
                      {"feed_messages", c.feed_messages},
                      {"spilled_to_feed", c.spilled_to_feed},
                      {"order_drops_verified", c.order_drops_verified},
                      {"stale_skipped", c.stale_skipped},
                      {"order_events", c.order_events}};
  }
  return result;
}

}  // namespace

json RunFlashSaleBench(const FlashSaleOptions& o) {
  json report;
  report["scenario"] = {
      {"skus", o.skus},
      {"hot_skus", o.hot},
      {"minutes", o.minutes},
      {"sale_starts_at_minute", 10},
      {"seed", o.seed},
      {"d2c_per_s", o.d2c_per_s},
      {"amazon_buyers_per_s", o.amazon_per_s},
      {"order_notice_s", {o.order_notice_min_s, o.order_notice_max_s}},
      {"hold_after_notice_s", o.hold_s},
      {"scayle_webhook_s", o.webhook_s},
      {"buffered_runs",
       "stock.buffer_default zero_below=" + std::to_string(o.buffer_zero_below) +
           (o.buffer_percent > 0 ? ",percent=" + std::to_string(o.buffer_percent) : std::string())},
      {"driver",
       "bench/flash_sale: stock loop (src/sync) vs full feed every 15 min, in-memory worlds, "
       "documented SP-API limits, sandbox feed times, simulated clock in 1 s steps"}};
  report["marketbridge"] = Run(o, {false, false});
  report["baseline_full_feed_15min"] = Run(o, {true, false});
  report["marketbridge_buffered"] = Run(o, {false, true});
  report["baseline_full_feed_15min_buffered"] = Run(o, {true, true});
  return report;
}

}  // namespace mb::bench

#include "sandbox/market/market.hpp"

#include <gtest/gtest.h>

#include "sandbox/amazon/iso_time.hpp"
#include "sandbox/market/scenario.hpp"

namespace sandbox::market {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";

nlohmann::json ListingAttributes(int64_t quantity) {
  return {{"item_name", {{{"value", "Shirt"}, {"language_tag", "de_DE"}, {"marketplace_id", kDe}}}},
          {"fulfillment_availability",
           {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", quantity}}}},
          {"purchasable_offer",
           {{{"marketplace_id", kDe},
             {"currency", "EUR"},
             {"our_price", {{{"schedule", {{{"value_with_tax", 24.95}}}}}}}}}}};
}

Scenario SmallScenario(uint64_t seed) {
  Scenario s = ParseScenario(nlohmann::json::parse(R"({
    "name": "small", "seed": 1, "timeScale": 0, "start": "2026-11-20T06:00:00Z",
    "durationHours": 30,
    "catalogue": {"skus": 60, "maxStockPerWarehouse": 6},
    "demand": [{"fromHour": 0, "d2cPerHour": 20, "amazonPerHour": 10},
               {"fromHour": 8, "d2cPerHour": 40, "amazonPerHour": 20}],
    "flashSales": [{"atHour": 4, "hours": 1, "hotSkus": 3, "stockPerSku": 2,
                    "d2cPerHour": 30, "amazonPerHour": 30}],
    "orders": {"paymentDelaySeconds": 600, "cancelShare": 0.1, "preorderShare": 0.05,
               "multiItemShare": 0.3, "multiQuantityShare": 0.3},
    "warehouse": {"handlingDelayMinutes": 60},
    "settlement": {"everyHours": 12, "refundShare": 0.2, "promotionShare": 0.2}
  })"));
  s.seed = s.market.seed = seed;
  return s;
}

// A stand-in for the engine: lists every SCAYLE SKU on Amazon at start, every `sync` sets each
// listing to the SCAYLE figure, and confirms Unshipped orders a fixed time after they were paid.
class EngineStandIn {
 public:
  explicit EngineStandIn(ScenarioRunner& runner) : runner_(runner) {}

  void ListAll() {
    for (const auto& sku : runner_.scayle_world().Skus()) {
      auto& world = runner_.amazon_world();
      // A product type the sandbox does not serve: only the general attribute check applies,
      // so this stand-in's minimal listings are accepted (SHIRT would need every required
      // attribute of the served schema).
      nlohmann::json body = {{"productType", "PRODUCT"},
                             {"requirements", "LISTING"},
                             {"attributes", ListingAttributes(Sellable(sku))}};
      ASSERT_TRUE(world.PutListing(kSeller, kDe, sku, body, false));
    }
  }
  void Sync() {
    for (const auto& sku : runner_.scayle_world().Skus()) {
      nlohmann::json patch = {
          {"productType", "PRODUCT"},
          {"patches",
           {{{"op", "replace"},
             {"path", "/attributes/fulfillment_availability"},
             {"value",
              {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", Sellable(sku)}}}}}}}};
      (void)runner_.amazon_world().PatchListing(kSeller, kDe, sku, patch, false);
    }
  }
  void Confirm() {
    auto& world = runner_.amazon_world();
    const SimTime now = runner_.clock().Now();
    for (const auto& order : world.Orders(kSeller)) {
      if (order.status != amazon::order_status::kUnshipped) continue;
      if (now < order.last_updated_time + 20h) continue;  // some late, most on time
      amazon::Package p{"1", "DHL", "", "", "T" + order.order_id, now, {}, {}};
      for (const auto& item : order.items)
        p.items.push_back({item.order_item_id, item.quantity_ordered});
      ASSERT_TRUE(world.ConfirmShipment(kSeller, order.order_id, {kDe, p}));
    }
  }

 private:
  int64_t Sellable(const std::string& sku) {
    return runner_.scayle_world().SellableD2c(scayle::Identifier{std::nullopt, sku}, "ms", "DE");
  }
  ScenarioRunner& runner_;
};

nlohmann::json RunSmall(uint64_t seed, ScenarioRunner** keep = nullptr) {
  static std::unique_ptr<ScenarioRunner> last;
  last = std::make_unique<ScenarioRunner>(SmallScenario(seed));
  ScenarioRunner& runner = *last;
  runner.Start();
  EngineStandIn engine(runner);
  engine.ListAll();
  int minute = 0;
  while (!runner.Done()) {
    runner.clock().Advance(1min);
    runner.Tick();
    if (++minute % 10 == 0) engine.Sync();
    if (minute % 30 == 0) engine.Confirm();
  }
  if (keep) *keep = &runner;
  auto report = runner.Report();
  return report;
}

TEST(MarketScenarioTest, ReportMatchesTheEventsItGenerated) {
  ScenarioRunner* runner = nullptr;
  const nlohmann::json r = RunSmall(7, &runner);
  ASSERT_NE(runner, nullptr);
  auto& amazon = runner->amazon_world();
  const auto orders = amazon.Orders(kSeller);
  int64_t cancelled = 0, units = 0, multi_item = 0, multi_qty = 0;
  for (const auto& o : orders) {
    if (o.status == amazon::order_status::kCancelled) ++cancelled;
    if (o.items.size() > 1) ++multi_item;
    for (const auto& i : o.items) {
      units += i.quantity_ordered;
      if (i.quantity_ordered > 1) ++multi_qty;
    }
  }
  const auto& m = r["market"];
  ASSERT_GT(orders.size(), 50u);
  EXPECT_EQ(m["amazonOrders"], orders.size());
  EXPECT_EQ(r["orderLatency"]["amazonOrders"], orders.size());
  EXPECT_EQ(m["amazonUnits"], units);
  EXPECT_EQ(m["amazonCancelled"], cancelled);
  EXPECT_EQ(m["multiItemOrders"], multi_item);
  EXPECT_EQ(m["multiQuantityLines"], multi_qty);
  EXPECT_GT(cancelled, 0);
  EXPECT_GT(m["preorders"].get<int>(), 0);
  EXPECT_GT(m["d2cSales"].get<int>(), 100);

  // Oversold units: the ledger's total is the sum per SKU.
  int64_t per_sku = 0;
  for (const auto& [sku, n] : r["oversoldBySku"].items()) per_sku += n.get<int64_t>();
  EXPECT_EQ(r["oversoldUnits"], per_sku);
  EXPECT_EQ(r["oversoldUnits"], runner->market().ledger().OversoldTotal());

  // Shipment confirmations and late shipments, as Amazon recorded them.
  const auto confirmations = amazon.Confirmations();
  int64_t late = 0;
  for (const auto& c : confirmations) late += c.late ? 1 : 0;
  ASSERT_GT(confirmations.size(), 10u);
  EXPECT_EQ(r["shipmentConfirmation"]["confirmations"], confirmations.size());
  EXPECT_EQ(r["lateShipments"], late);
  EXPECT_EQ(r["lateShipments"], amazon.Counters().late_shipments);

  // Propagation: the stand-in syncs every 10 sim minutes and the market checks on the next
  // one-minute tick, so no change takes longer than 11 minutes.
  const auto& prop = r["stockPropagation"];
  ASSERT_GT(prop["samples"].get<int>(), 20);
  EXPECT_LE(prop["maxMs"].get<int64_t>(), 11 * 60 * 1000);
  EXPECT_LE(prop["p50Ms"].get<int64_t>(), prop["p95Ms"].get<int64_t>());
  EXPECT_LE(prop["p95Ms"].get<int64_t>(), prop["p99Ms"].get<int64_t>());
  EXPECT_GT(prop["zeroCrossings"]["samples"].get<int>(), 0);
  EXPECT_LE(prop["zeroCrossings"]["samples"], prop["samples"]);

  // Settlements every 12 h in a 30 h run: two, published as Amazon reports.
  ASSERT_EQ(r["settlements"].size(), 2u);
  EXPECT_EQ(m["settlements"], 2);
  int reports = 0;
  for (const auto& rep : amazon.Reports(kSeller))
    reports += rep.report_type == amazon::AmazonWorld::kSettlementReportType ? 1 : 0;
  EXPECT_EQ(reports, 2);
  for (const auto& s : runner->market().Settlements()) {
    int64_t sum = 0;
    for (const auto& line : s.lines) sum += line.amount_minor;
    EXPECT_EQ(sum, s.TotalMinor());
  }
  // Confirmations come 20 h after payment: the first period settles nothing, the second sells.
  EXPECT_TRUE(runner->market().Settlements()[0].lines.empty());
  EXPECT_GT(runner->market().Settlements()[1].lines.size(), 4u);

  // Calls are counted per operation (the stand-in works in-process, so only LWA-free counters).
  EXPECT_TRUE(r["calls"].is_object());
  EXPECT_EQ(r["catalogue"]["variants"].get<int>(), runner->scayle_world().Skus().size());
}

TEST(MarketScenarioTest, DeterministicForASeed) {
  const auto a = RunSmall(11);
  const auto b = RunSmall(11);
  EXPECT_EQ(a.dump(), b.dump());
  const auto c = RunSmall(12);
  EXPECT_NE(a["market"].dump(), c["market"].dump());
}

TEST(MarketScenarioTest, AmazonBuyersOversellWhatAmazonListsBeyondPhysicalStock) {
  Scenario s = SmallScenario(3);
  s.market.cancel_share = 0;
  s.market.flash_sales.clear();
  s.market.demand = {{0, 0, 60}};  // Amazon buyers only
  s.duration = 2h;
  ScenarioRunner runner(s);
  runner.Start();
  const std::string sku = runner.scayle_world().Skus().front();
  const int64_t physical = runner.market().ledger().OnHand(sku);
  // The "engine" lists 50 units more than exist and never corrects it.
  nlohmann::json body = {{"productType", "PRODUCT"},  // not served: general check only
                         {"requirements", "LISTING"},
                         {"attributes", ListingAttributes(physical + 50)}};
  ASSERT_TRUE(runner.amazon_world().PutListing(kSeller, kDe, sku, body, false));
  while (!runner.Done()) {
    runner.clock().Advance(1min);
    runner.Tick();
  }
  int64_t units = 0;
  for (const auto& o : runner.amazon_world().Orders(kSeller))
    for (const auto& i : o.items) units += i.quantity_ordered;
  ASSERT_GT(units, physical);
  const auto r = runner.Report();
  EXPECT_EQ(r["oversoldUnits"], units - physical);
  EXPECT_EQ(r["oversoldBySku"][sku], units - physical);
}

}  // namespace
}  // namespace sandbox::market

#pragma once
// The market on the sandbox clock (issue 3 "The market"): D2C shoppers consuming SCAYLE stock,
// Amazon buyers who buy only what Amazon lists, a warehouse shipping SCAYLE orders, settlements
// published on Amazon's schedule, and the measurements of a run. It acts on the worlds in-process
// and never lists on Amazon itself: listings are the engine's job. Deterministic for a seed, given
// the same engine behaviour (own decisions draw from seeded streams, per-order ones from hashes).

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/amazon/amazon_world.hpp"
#include "sandbox/common/sim_clock.hpp"
#include "sandbox/market/settlement_report.hpp"
#include "sandbox/market/stock_ledger.hpp"
#include "sandbox/scayle/catalogue_generator.hpp"
#include "sandbox/scayle/scayle_world.hpp"

namespace sandbox::market {

struct DemandPhase {
  double from_hour = 0;  // hours after the start
  double d2c_per_hour = 60;
  double amazon_per_hour = 30;
};

// Hot SKUs with low stock and a demand spike on both channels.
struct FlashSale {
  double at_hour = 1;
  double hours = 0.5;
  int hot_skus = 5;
  int stock_per_sku = 3;  // the hot SKUs' stock is set to this at the start (a WMS write)
  double d2c_per_hour = 600;
  double amazon_per_hour = 300;
};

struct MarketConfig {
  uint64_t seed = 1;
  size_t catalogue_skus = 1000;
  int max_stock_per_warehouse = 20;
  double zero_stock_share = 0.1;
  std::vector<DemandPhase> demand = {DemandPhase{}};
  std::vector<FlashSale> flash_sales;
  std::string seller_id = "A2MBSANDBOX1";
  std::string marketplace_id = "A1PA6795UKMFR9";  // Amazon.de
  std::string shop = "ms";
  std::string country = "DE";
  std::chrono::seconds payment_delay{300};
  std::chrono::seconds preorder_release{std::chrono::hours(2)};
  std::chrono::seconds ship_within{std::chrono::hours(48)};
  double cancel_share = 0.03;
  double preorder_share = 0.01;
  double multi_item_share = 0.15;
  double multi_quantity_share = 0.1;
  std::chrono::seconds handling_delay{std::chrono::hours(4)};
  std::chrono::seconds handling_jitter{std::chrono::hours(2)};
  double split_package_share = 0.2;
  std::chrono::seconds listing_refresh{60};
  std::chrono::seconds warehouse_interval{60};
  std::chrono::seconds settlement_every{std::chrono::hours(24)};
  double commission_rate = 0.15;
  double promotion_share = 0.05;
  double refund_share = 0.02;
  double reserve_rate = 0.1;
};

struct MarketCounters {
  int64_t d2c_sales = 0;
  int64_t d2c_out_of_stock = 0;
  int64_t amazon_orders = 0;
  int64_t amazon_units = 0;
  int64_t amazon_rejected = 0;  // buyer found nothing buyable (listing changed since browsing)
  int64_t amazon_no_listing = 0;
  int64_t amazon_cancelled = 0;
  int64_t preorders = 0;
  int64_t multi_item_orders = 0;
  int64_t multi_quantity_lines = 0;
  int64_t scayle_orders_shipped = 0;
  int64_t packages_shipped = 0;
  int64_t settlements = 0;
};

// Latency samples in milliseconds of sim time.
struct LatencyStats {
  size_t samples = 0;
  int64_t p50_ms = 0;
  int64_t p95_ms = 0;
  int64_t p99_ms = 0;
  int64_t max_ms = 0;
};
LatencyStats Summarise(std::vector<int64_t> samples_ms);
nlohmann::json ToJson(const LatencyStats& stats);

class Market {
 public:
  Market(SimClock& clock, amazon::AmazonWorld& amazon, scayle::ScayleWorld& scayle,
         MarketConfig config);

  // Generates the SCAYLE catalogue (the world must have its tenant seeded) and fills the ledger
  // from its stock. Call once, before anyone trades.
  scayle::CatalogueSummary Setup();
  // Processes every market event due up to `now`, in time order, then checks propagation.
  void AdvanceTo(SimTime now);
  SimTime start() const { return start_; }

  MarketCounters Counters() const;
  const StockLedger& ledger() const { return ledger_; }
  // Measurements so far: oversold, propagation, order and shipment latency, settlements.
  nlohmann::json Metrics() const;
  std::vector<Settlement> Settlements() const;

 private:
  struct PendingChange {
    SimTime changed_at;
    int64_t sellable = 0;  // SCAYLE figure Amazon has to come down to
  };
  enum class Transition { kRelease, kPaymentDone };

  double HoursSinceStart(SimTime t) const;
  const DemandPhase& PhaseAt(SimTime t) const;
  const FlashSale* FlashAt(SimTime t) const;
  SimTime NextArrival(SimTime from, double per_hour, std::mt19937_64& rng);
  void StartFlashSale(const FlashSale& sale, SimTime now);
  void D2cPurchase(SimTime now);
  void AmazonPurchase(SimTime now);
  void RefreshListings();
  void RunTransition(const std::string& order_id, Transition transition, SimTime now);
  void RunWarehouse(SimTime now);
  void PublishSettlement(SimTime now);
  void RecordScayleChange(const std::string& sku, int64_t sellable, SimTime now);
  void CheckPropagation(SimTime now);
  uint64_t Hash(const std::string& text, uint64_t salt) const;

  SimClock& clock_;
  amazon::AmazonWorld& amazon_;
  scayle::ScayleWorld& scayle_;
  MarketConfig config_;
  StockLedger ledger_;

  mutable std::mutex mu_;  // AdvanceTo is single-threaded; mu_ guards what Metrics() reads
  SimTime start_;
  std::mt19937_64 d2c_rng_;
  std::mt19937_64 amazon_rng_;
  std::vector<std::string> skus_;         // SCAYLE catalogue
  std::vector<std::string> listed_skus_;  // Amazon, buyable, from the last refresh
  std::set<std::string> hot_skus_;
  std::vector<std::string> active_hot_;
  SimTime next_d2c_;
  SimTime next_amazon_;
  SimTime next_refresh_;
  SimTime next_warehouse_;
  SimTime next_settlement_;
  SimTime last_settlement_;
  size_t flash_started_ = 0;
  std::multimap<SimTime, std::pair<std::string, Transition>> transitions_;
  std::map<std::string, std::vector<PendingChange>> pending_;
  std::vector<int64_t> propagation_ms_;
  std::vector<int64_t> zero_crossing_ms_;
  std::set<std::string> settled_orders_;
  int64_t reserve_held_minor_ = 0;
  std::vector<Settlement> settlements_;
  MarketCounters counters_;
};

}  // namespace sandbox::market

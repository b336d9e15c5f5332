#include "sandbox/market/market.hpp"

#include <algorithm>
#include <cmath>
#include <regex>

namespace sandbox::market {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr uint64_t kSaltCancel = 1, kSaltWarehouse = 2, kSaltSplit = 3, kSaltCarrier = 4,
                   kSaltPromotion = 5, kSaltRefund = 6, kSaltTracking = 7;

int64_t Ms(std::chrono::milliseconds d) { return d.count(); }

double Unit(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

// The Amazon order id (3-7-7) an engine-created SCAYLE order refers to, if any.
std::string AmazonOrderIdIn(const std::string& text) {
  static const std::regex kOrderId(R"(\d{3}-\d{7}-\d{7})");
  std::smatch m;
  return std::regex_search(text, m, kOrderId) ? m.str() : "";
}

}  // namespace

LatencyStats Summarise(std::vector<int64_t> samples) {
  LatencyStats s;
  s.samples = samples.size();
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double p) {  // nearest rank
    size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(samples.size())));
    return samples[std::clamp<size_t>(i, 1, samples.size()) - 1];
  };
  s.p50_ms = rank(0.50);
  s.p95_ms = rank(0.95);
  s.p99_ms = rank(0.99);
  s.max_ms = samples.back();
  return s;
}

nlohmann::json ToJson(const LatencyStats& s) {
  return {{"samples", s.samples},
          {"p50Ms", s.p50_ms},
          {"p95Ms", s.p95_ms},
          {"p99Ms", s.p99_ms},
          {"maxMs", s.max_ms}};
}

Market::Market(SimClock& clock, amazon::AmazonWorld& amazon, scayle::ScayleWorld& scayle,
               MarketConfig config)
    : clock_(clock),
      amazon_(amazon),
      scayle_(scayle),
      config_(std::move(config)),
      d2c_rng_(config_.seed * 0x9E3779B97F4A7C15ULL + 11),
      amazon_rng_(config_.seed * 0x9E3779B97F4A7C15ULL + 23) {
  if (config_.demand.empty()) config_.demand.push_back({});
  std::sort(config_.demand.begin(), config_.demand.end(),
            [](const auto& a, const auto& b) { return a.from_hour < b.from_hour; });
  std::sort(config_.flash_sales.begin(), config_.flash_sales.end(),
            [](const auto& a, const auto& b) { return a.at_hour < b.at_hour; });
}

scayle::CatalogueSummary Market::Setup() {
  scayle::CatalogueSpec spec;
  spec.seed = config_.seed;
  spec.target_skus = config_.catalogue_skus;
  spec.max_stock_per_warehouse = config_.max_stock_per_warehouse;
  spec.zero_stock_share = config_.zero_stock_share;
  auto summary = scayle::GenerateFashionCatalogue(scayle_, spec);
  skus_ = scayle_.Skus();
  std::sort(skus_.begin(), skus_.end());
  for (const auto& sku : skus_) {
    int64_t units = 0;
    if (auto stocks = scayle_.VariantStocks(scayle::Identifier{std::nullopt, sku})) {
      for (const auto& row : *stocks) units += row.quantity;
    }
    ledger_.Set(sku, units);
  }
  std::lock_guard lock(mu_);
  start_ = clock_.Now();
  next_d2c_ = NextArrival(start_, PhaseAt(start_).d2c_per_hour, d2c_rng_);
  next_amazon_ = NextArrival(start_, PhaseAt(start_).amazon_per_hour, amazon_rng_);
  next_refresh_ = start_;
  next_warehouse_ = start_ + config_.warehouse_interval;
  next_settlement_ = start_ + config_.settlement_every;
  last_settlement_ = start_;
  return summary;
}

double Market::HoursSinceStart(SimTime t) const {
  return std::chrono::duration<double, std::ratio<3600>>(t - start_).count();
}

const DemandPhase& Market::PhaseAt(SimTime t) const {
  const double h = HoursSinceStart(t);
  const DemandPhase* phase = &config_.demand.front();
  for (const auto& p : config_.demand) {
    if (p.from_hour <= h) phase = &p;
  }
  return *phase;
}

const FlashSale* Market::FlashAt(SimTime t) const {
  const double h = HoursSinceStart(t);
  for (const auto& sale : config_.flash_sales) {
    if (sale.at_hour <= h && h < sale.at_hour + sale.hours) return &sale;
  }
  return nullptr;
}

SimTime Market::NextArrival(SimTime from, double per_hour, std::mt19937_64& rng) {
  if (per_hour <= 0) return from + std::chrono::minutes(1);  // re-check the rate later
  std::exponential_distribution<double> gap(per_hour / 3600.0);
  return from + milliseconds(1) +
         milliseconds(static_cast<int64_t>(std::min(gap(rng), 86400.0) * 1000.0));
}

uint64_t Market::Hash(const std::string& text, uint64_t salt) const {
  uint64_t h = 1469598103934665603ULL ^ (config_.seed * 0x9E3779B97F4A7C15ULL) ^ (salt << 32);
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

void Market::AdvanceTo(SimTime now) {
  std::lock_guard lock(mu_);
  for (;;) {
    SimTime due =
        std::min({next_d2c_, next_amazon_, next_refresh_, next_warehouse_, next_settlement_});
    if (!transitions_.empty()) due = std::min(due, transitions_.begin()->first);
    if (flash_started_ < config_.flash_sales.size()) {
      const auto& sale = config_.flash_sales[flash_started_];
      due = std::min(due,
                     start_ + duration_cast<milliseconds>(
                                  std::chrono::duration<double, std::ratio<3600>>(sale.at_hour)));
    }
    if (due > now) break;
    if (flash_started_ < config_.flash_sales.size() &&
        start_ + duration_cast<milliseconds>(std::chrono::duration<double, std::ratio<3600>>(
                     config_.flash_sales[flash_started_].at_hour)) ==
            due) {
      StartFlashSale(config_.flash_sales[flash_started_++], due);
    } else if (!transitions_.empty() && transitions_.begin()->first == due) {
      auto [order_id, transition] = transitions_.begin()->second;
      transitions_.erase(transitions_.begin());
      RunTransition(order_id, transition, due);
    } else if (next_refresh_ == due) {
      RefreshListings();
      next_refresh_ = due + config_.listing_refresh;
    } else if (next_d2c_ == due) {
      const FlashSale* flash = FlashAt(due);
      if (PhaseAt(due).d2c_per_hour + (flash ? flash->d2c_per_hour : 0) > 0) D2cPurchase(due);
      next_d2c_ =
          NextArrival(due, PhaseAt(due).d2c_per_hour + (flash ? flash->d2c_per_hour : 0), d2c_rng_);
    } else if (next_amazon_ == due) {
      const FlashSale* flash = FlashAt(due);
      if (PhaseAt(due).amazon_per_hour + (flash ? flash->amazon_per_hour : 0) > 0) {
        AmazonPurchase(due);
      }
      next_amazon_ = NextArrival(
          due, PhaseAt(due).amazon_per_hour + (flash ? flash->amazon_per_hour : 0), amazon_rng_);
    } else if (next_warehouse_ == due) {
      RunWarehouse(due);
      next_warehouse_ = due + config_.warehouse_interval;
    } else {
      PublishSettlement(due);
      next_settlement_ = due + config_.settlement_every;
    }
  }
  CheckPropagation(now);
}

void Market::StartFlashSale(const FlashSale& sale, SimTime now) {
  active_hot_.clear();
  if (skus_.empty()) return;
  // Hot SKUs: preferably ones the engine lists on Amazon, so both channels compete for them.
  std::vector<std::string> pool = listed_skus_.empty() ? skus_ : listed_skus_;
  std::sort(pool.begin(), pool.end());
  std::shuffle(pool.begin(), pool.end(), d2c_rng_);
  pool.resize(std::min<size_t>(pool.size(), static_cast<size_t>(std::max(sale.hot_skus, 0))));
  for (const auto& sku : pool) {
    const scayle::Identifier id{std::nullopt, sku};
    auto stocks = scayle_.VariantStocks(id);
    if (!stocks) continue;
    int64_t before = 0;
    for (const auto& row : *stocks) before += row.quantity;
    // The WMS counts the hot SKUs down to a few units in one warehouse.
    bool first = true;
    for (const auto& row : *stocks) {
      scayle::StockUpdate update;
      update.warehouse_key = row.warehouse_key;
      update.quantity = first ? sale.stock_per_sku : 0;
      update.changed_at = now;
      (void)scayle_.SetStock(id, update);
      first = false;
    }
    ledger_.Add(sku, (stocks->empty() ? 0 : sale.stock_per_sku) - before);
    RecordScayleChange(sku, scayle_.SellableD2c(id, config_.shop, config_.country), now);
    active_hot_.push_back(sku);
    hot_skus_.insert(sku);
  }
}

void Market::D2cPurchase(SimTime now) {
  if (skus_.empty()) return;
  const FlashSale* flash = FlashAt(now);
  const double base = PhaseAt(now).d2c_per_hour;
  std::uniform_real_distribution<double> u(0, 1);
  std::string sku;
  if (flash && !active_hot_.empty() && u(d2c_rng_) * (base + flash->d2c_per_hour) >= base) {
    sku = active_hot_[d2c_rng_() % active_hot_.size()];
  } else {
    sku = skus_[d2c_rng_() % skus_.size()];
  }
  auto sale =
      scayle_.PurchaseD2c(scayle::Identifier{std::nullopt, sku}, config_.shop, config_.country);
  if (!sale) {
    ++counters_.d2c_out_of_stock;
    return;
  }
  ++counters_.d2c_sales;
  ledger_.Take(sku, 1);
  RecordScayleChange(sku, sale->remaining_sellable, now);
}

void Market::RefreshListings() {
  listed_skus_.clear();
  amazon_.ForEachListing(config_.seller_id, amazon::Region::kEurope,
                         [this](const amazon::Listing& listing) {
                           if (listing.marketplace_ids.count(config_.marketplace_id) &&
                               amazon::ListedQuantity(listing) > 0)
                             listed_skus_.push_back(listing.sku);
                         });
  std::sort(listed_skus_.begin(), listed_skus_.end());
}

void Market::AmazonPurchase(SimTime now) {
  std::uniform_real_distribution<double> u(0, 1);
  const FlashSale* flash = FlashAt(now);
  const double base = PhaseAt(now).amazon_per_hour;
  // Draw every decision up front so the stream does not depend on what is listed.
  const double pick_hot = u(amazon_rng_);
  const double multi_item = u(amazon_rng_);
  const double multi_qty = u(amazon_rng_);
  const double preorder = u(amazon_rng_);
  const uint64_t pick1 = amazon_rng_(), pick2 = amazon_rng_(), pick3 = amazon_rng_();

  std::vector<std::string> browse;
  if (flash && !active_hot_.empty() && pick_hot * (base + flash->amazon_per_hour) >= base) {
    browse = active_hot_;
  } else {
    browse = listed_skus_;
  }
  if (browse.empty()) {
    ++counters_.amazon_no_listing;
    return;
  }
  amazon::PlaceOrderRequest request;
  request.seller_id = config_.seller_id;
  request.marketplace_id = config_.marketplace_id;
  request.ship_within = config_.ship_within;
  const int lines = multi_item < config_.multi_item_share ? 2 + static_cast<int>(pick3 % 2) : 1;
  for (int i = 0; i < lines; ++i) {
    const std::string& sku =
        browse[(i == 0 ? pick1 : pick2 + static_cast<uint64_t>(i)) % browse.size()];
    if (std::any_of(request.lines.begin(), request.lines.end(),
                    [&](const auto& l) { return l.sku == sku; }))
      continue;
    // A buyer sees only what Amazon lists now, and never asks for more than that.
    auto listing = amazon_.GetListing(config_.seller_id, amazon::Region::kEurope, sku);
    const int listed = listing ? amazon::ListedQuantity(*listing) : 0;
    if (listed <= 0) continue;
    int qty =
        (i == 0 && multi_qty < config_.multi_quantity_share) ? 2 + static_cast<int>(pick3 % 2) : 1;
    qty = std::min(qty, listed);
    request.lines.push_back({sku, qty, std::nullopt});
  }
  if (request.lines.empty()) {
    ++counters_.amazon_rejected;
    return;
  }
  const bool is_preorder = preorder < config_.preorder_share;
  if (is_preorder) request.status = amazon::order_status::kPendingAvailability;
  auto order = amazon_.PlaceOrder(request);
  if (!order) {
    ++counters_.amazon_rejected;
    return;
  }
  ++counters_.amazon_orders;
  if (request.lines.size() > 1) ++counters_.multi_item_orders;
  for (const auto& line : request.lines) {
    counters_.amazon_units += line.quantity;
    if (line.quantity > 1) ++counters_.multi_quantity_lines;
    ledger_.Take(line.sku, line.quantity);
  }
  if (is_preorder) {
    ++counters_.preorders;
    transitions_.emplace(now + config_.preorder_release,
                         std::make_pair(order->order_id, Transition::kRelease));
  } else {
    transitions_.emplace(now + config_.payment_delay,
                         std::make_pair(order->order_id, Transition::kPaymentDone));
  }
}

void Market::RunTransition(const std::string& order_id, Transition transition, SimTime now) {
  if (transition == Transition::kRelease) {
    (void)amazon_.SetOrderStatus(order_id, amazon::order_status::kPending);
    transitions_.emplace(now + config_.payment_delay,
                         std::make_pair(order_id, Transition::kPaymentDone));
    return;
  }
  if (Unit(Hash(order_id, kSaltCancel)) < config_.cancel_share) {
    auto order = amazon_.CancelOrder(order_id);
    if (order) {
      ++counters_.amazon_cancelled;
      for (const auto& item : order->items) ledger_.Add(item.sku, item.quantity_ordered);
    }
    return;
  }
  (void)amazon_.SetOrderStatus(order_id, amazon::order_status::kUnshipped);
}

void Market::RunWarehouse(SimTime now) {
  const auto carriers = scayle_.Carriers();
  if (carriers.empty()) return;
  for (const auto& order : scayle_.OrdersAwaitingShipment()) {
    const std::string key = std::to_string(order.id);
    const auto jitter = milliseconds(static_cast<int64_t>(
        Unit(Hash(key, kSaltWarehouse)) * static_cast<double>(Ms(config_.handling_jitter))));
    if (order.created_at + config_.handling_delay + jitter > now) continue;
    std::vector<int64_t> open;
    for (const auto& item : order.items) {
      if (item.status == "available" && !item.shipped_at && !item.cancelled_at)
        open.push_back(item.id);
    }
    if (open.empty()) continue;
    const auto& carrier = carriers[Hash(key, kSaltCarrier) % carriers.size()];
    auto tracking = [&](int n) {
      return "MB" +
             std::to_string(Hash(key + "#" + std::to_string(n), kSaltTracking) % 1000000000000ULL);
    };
    std::vector<scayle::PackageSpec> packages;
    if (open.size() > 1 && Unit(Hash(key, kSaltSplit)) < config_.split_package_share) {
      const auto half = open.begin() + static_cast<std::ptrdiff_t>(open.size() / 2);
      packages.push_back({carrier.key, tracking(1), {open.begin(), half}});
      packages.push_back({carrier.key, tracking(2), {half, open.end()}});
    } else {
      packages.push_back({carrier.key, tracking(1), open});
    }
    if (scayle_.ShipOrder(order.id, packages)) {
      ++counters_.scayle_orders_shipped;
      counters_.packages_shipped += static_cast<int64_t>(packages.size());
    }
  }
}

void Market::PublishSettlement(SimTime now) {
  const auto& mp = config_.marketplace_id;
  Settlement s;
  s.settlement_id =
      std::to_string(10000000000ULL + Hash(std::to_string(settlements_.size()), 9) % 9000000000ULL);
  s.marketplace_id = mp;
  s.marketplace_name = "Amazon.de";
  s.currency = "EUR";
  s.start = last_settlement_;
  s.end = now;
  s.deposit = now + std::chrono::hours(72);
  int64_t net_sales = 0;
  std::set<std::string> orders;
  for (const auto& c : amazon_.Confirmations()) {
    if (c.confirmed_at <= now && !settled_orders_.count(c.order_id)) orders.insert(c.order_id);
  }
  for (const auto& id : orders) {
    settled_orders_.insert(id);
    auto order = amazon_.GetOrder(id);
    if (!order) continue;
    const bool refunded = Unit(Hash(id, kSaltRefund)) < config_.refund_share;
    for (const auto& item : order->items) {
      if (item.quantity_shipped <= 0) continue;
      const int64_t principal = item.unit_price.minor * item.quantity_shipped;
      const int64_t commission = -static_cast<int64_t>(
          std::llround(static_cast<double>(principal) * config_.commission_rate));
      SettlementLine base;
      base.order_id = id;
      base.posted = order->last_updated_time;
      base.order_item_code = item.order_item_id;
      base.sku = item.sku;
      base.quantity = item.quantity_shipped;
      auto add = [&](std::string type, std::string amount_type, std::string desc, int64_t minor) {
        SettlementLine line = base;
        line.transaction_type = std::move(type);
        line.amount_type = std::move(amount_type);
        line.amount_description = std::move(desc);
        line.amount_minor = minor;
        s.lines.push_back(std::move(line));
        return &s.lines.back();
      };
      add("Order", "ItemPrice", "Principal", principal);
      add("Order", "ItemFees", "Commission", commission);
      net_sales += principal + commission;
      if (Unit(Hash(item.order_item_id, kSaltPromotion)) < config_.promotion_share) {
        const int64_t promo = -principal / 10;
        add("Order", "Promotion", "Principal", promo)->promotion_id = "MB-PROMO-10";
        net_sales += promo;
      }
      if (refunded) {
        // Amazon keeps 20% of the commission as refund administration fee.
        const int64_t back = -commission - (-commission) / 5;
        add("Refund", "ItemPrice", "Principal", -principal)->adjustment_id =
            "ADJ" + id.substr(0, 3);
        add("Refund", "ItemFees", "Commission", back)->adjustment_id = "ADJ" + id.substr(0, 3);
        net_sales += back - principal;
      }
    }
  }
  auto other = [&](std::string desc, int64_t minor) {
    SettlementLine line;
    line.transaction_type = "other-transaction";
    line.amount_type = "other-transaction";
    line.amount_description = std::move(desc);
    line.amount_minor = minor;
    line.posted = now;
    s.lines.push_back(std::move(line));
  };
  if (reserve_held_minor_ != 0) other("Previous Reserve Amount Balance", reserve_held_minor_);
  reserve_held_minor_ = std::max<int64_t>(
      0, static_cast<int64_t>(std::llround(static_cast<double>(net_sales) * config_.reserve_rate)));
  if (reserve_held_minor_ != 0) other("Current Reserve Amount", -reserve_held_minor_);
  amazon_.AddReport(config_.seller_id, amazon::AmazonWorld::kSettlementReportType, mp,
                    RenderSettlement(s), now);
  ++counters_.settlements;
  settlements_.push_back(std::move(s));
  last_settlement_ = now;
}

void Market::RecordScayleChange(const std::string& sku, int64_t sellable, SimTime now) {
  auto listing = amazon_.GetListing(config_.seller_id, amazon::Region::kEurope, sku);
  if (!listing || amazon::ListedQuantity(*listing) <= sellable) return;  // nothing to propagate
  pending_[sku].push_back({now, sellable});
}

void Market::CheckPropagation(SimTime now) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    auto listing = amazon_.GetListing(config_.seller_id, amazon::Region::kEurope, it->first);
    const int64_t listed = listing ? amazon::ListedQuantity(*listing) : 0;
    auto& changes = it->second;
    std::erase_if(changes, [&](const PendingChange& c) {
      if (listed > c.sellable) return false;
      const int64_t ms = Ms(duration_cast<milliseconds>(now - c.changed_at));
      propagation_ms_.push_back(ms);
      if (c.sellable == 0) zero_crossing_ms_.push_back(ms);
      return true;
    });
    it = changes.empty() ? pending_.erase(it) : std::next(it);
  }
}

MarketCounters Market::Counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

std::vector<Settlement> Market::Settlements() const {
  std::lock_guard lock(mu_);
  return settlements_;
}

nlohmann::json Market::Metrics() const {
  std::lock_guard lock(mu_);
  nlohmann::json out;
  out["oversoldUnits"] = ledger_.OversoldTotal();
  out["oversoldBySku"] = ledger_.OversoldBySku();
  size_t pending = 0;
  for (const auto& [sku, changes] : pending_) pending += changes.size();
  out["stockPropagation"] = ToJson(Summarise(propagation_ms_));
  out["stockPropagation"]["unpropagated"] = pending;
  out["stockPropagation"]["zeroCrossings"] = ToJson(Summarise(zero_crossing_ms_));

  // Amazon order -> SCAYLE order (the engine's, naming the Amazon order id in its referenceKey).
  std::map<std::string, const scayle::Order*> scayle_by_amazon;
  std::vector<scayle::Order> scayle_orders;
  for (const auto& sc : scayle_.ShopCountries()) {
    std::optional<int64_t> next;
    int64_t after = 0;
    do {
      auto page = scayle_.ListOrders(sc.shop_key, sc.country_code, after, 1000, next);
      scayle_orders.insert(scayle_orders.end(), page.begin(), page.end());
      if (next) after = *next;
    } while (next);
  }
  for (const auto& o : scayle_orders) {
    const std::string id = AmazonOrderIdIn(o.reference_key.value_or(""));
    if (!id.empty() && !scayle_by_amazon.count(id)) scayle_by_amazon[id] = &o;
  }
  std::vector<int64_t> order_ms;
  int64_t amazon_orders = 0, with_reservation = 0;
  std::map<std::string, SimTime> first_package;
  for (const auto& order : amazon_.Orders(config_.seller_id)) {
    ++amazon_orders;
    auto it = scayle_by_amazon.find(order.order_id);
    if (it == scayle_by_amazon.end()) continue;
    order_ms.push_back(
        Ms(duration_cast<milliseconds>(it->second->created_at - order.created_time)));
    if (std::any_of(it->second->items.begin(), it->second->items.end(),
                    [](const auto& item) { return item.reservation_key.has_value(); }))
      ++with_reservation;
    for (const auto& p : it->second->packages) {
      auto [pos, inserted] = first_package.emplace(order.order_id, p.shipped_at);
      if (!inserted) pos->second = std::min(pos->second, p.shipped_at);
    }
  }
  out["orderLatency"] = ToJson(Summarise(order_ms));
  out["orderLatency"]["amazonOrders"] = amazon_orders;
  out["orderLatency"]["scayleOrders"] = order_ms.size();
  out["orderLatency"]["withReservation"] = with_reservation;

  std::vector<int64_t> confirm_ms;
  std::set<std::string> seen;
  int64_t late = 0, confirmations = 0;
  for (const auto& c : amazon_.Confirmations()) {
    if (c.edit) continue;
    ++confirmations;
    if (c.late) ++late;
    if (!seen.insert(c.order_id).second) continue;
    auto shipped = first_package.find(c.order_id);
    if (shipped != first_package.end())
      confirm_ms.push_back(Ms(duration_cast<milliseconds>(c.confirmed_at - shipped->second)));
  }
  out["shipmentConfirmation"] = ToJson(Summarise(confirm_ms));
  out["shipmentConfirmation"]["confirmations"] = confirmations;
  out["lateShipments"] = late;

  const auto& c = counters_;
  out["market"] = {{"d2cSales", c.d2c_sales},
                   {"d2cOutOfStock", c.d2c_out_of_stock},
                   {"amazonOrders", c.amazon_orders},
                   {"amazonUnits", c.amazon_units},
                   {"amazonRejected", c.amazon_rejected},
                   {"amazonNothingListed", c.amazon_no_listing},
                   {"amazonCancelled", c.amazon_cancelled},
                   {"preorders", c.preorders},
                   {"multiItemOrders", c.multi_item_orders},
                   {"multiQuantityLines", c.multi_quantity_lines},
                   {"scayleOrdersShipped", c.scayle_orders_shipped},
                   {"packagesShipped", c.packages_shipped},
                   {"settlements", c.settlements}};
  nlohmann::json settlements = nlohmann::json::array();
  for (const auto& s : settlements_) {
    settlements.push_back({{"settlementId", s.settlement_id},
                           {"lines", s.lines.size()},
                           {"totalAmountMinor", s.TotalMinor()},
                           {"currency", s.currency}});
  }
  out["settlements"] = settlements;
  return out;
}

}  // namespace sandbox::market

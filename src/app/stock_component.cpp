#include "app/stock_component.hpp"

#include <charconv>

#include "log/log.hpp"
#include "scayle/scayle_webhook_receiver.hpp"
#include "store/sqlite_stock_store.hpp"
#include "sync/periodic_task.hpp"

namespace mb::app {

namespace {

Result<int64_t> ParseCount(std::string_view text, std::string_view what) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    return Fail(ErrorCode::kConfigError,
                "stock: '" + std::string(text) + "' is not a count for " + std::string(what));
  return value;
}

}  // namespace

Result<stock::BufferRule> ParseBufferRule(std::string_view text) {
  stock::BufferRule rule;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    auto eq = part.find('=');
    if (eq == std::string_view::npos)
      return Fail(ErrorCode::kConfigError,
                  "stock: buffer rule part '" + std::string(part) + "' is not name=value");
    std::string_view name = part.substr(0, eq);
    auto value = ParseCount(part.substr(eq + 1), name);
    if (!value) return tl::unexpected(value.error());
    if (name == "fixed") {
      rule.fixed_units = *value;
    } else if (name == "percent") {
      if (*value > 100) return Fail(ErrorCode::kConfigError, "stock: percent above 100");
      rule.percent = static_cast<int>(*value);
    } else if (name == "max") {
      rule.max_listed = *value;
    } else if (name == "zero_below") {
      rule.zero_below = *value;
    } else {
      return Fail(ErrorCode::kConfigError, "stock: unknown buffer rule part '" + std::string(name) +
                                               "' (fixed, percent, max, zero_below)");
    }
  }
  return rule;
}

Result<stock::BufferPolicies> BufferPoliciesFromConfig(const config::Config& config) {
  stock::BufferPolicies policies;
  if (const auto& text = config.GetString("stock.buffer_default"); !text.empty()) {
    auto rule = ParseBufferRule(text);
    if (!rule) return tl::unexpected(rule.error());
    policies.SetDefault(*rule);
  }
  for (const auto& [target, text] : config.GetMap("stock.buffer_rules")) {
    auto colon = target.find(':');
    std::string scope = target.substr(0, colon);
    std::string key = colon == std::string::npos ? "" : target.substr(colon + 1);
    auto rule = ParseBufferRule(text);
    if (!rule) return tl::unexpected(rule.error());
    if (scope == "sku" && !key.empty()) {
      policies.Set(stock::RuleScope::kSku, key, *rule);
    } else if (scope == "product" && !key.empty()) {
      policies.Set(stock::RuleScope::kProduct, key, *rule);
    } else if (scope == "category" && !key.empty()) {
      policies.Set(stock::RuleScope::kCategory, key, *rule);
    } else {
      return Fail(ErrorCode::kConfigError, "stock.buffer_rules: '" + target +
                                               "' must be sku:KEY, product:KEY or category:PATH");
    }
  }
  return policies;
}

Result<sync::StockLoopSettings> StockSettingsFromConfig(const config::Config& config) {
  sync::StockLoopSettings s;
  s.seller = SellerId(config.GetString("amazon.seller_id"));
  sync::StockRegion region;
  region.name = config.GetString("stock.region");
  region.warehouses = config.GetList("stock.warehouses");
  const auto& prices = config.GetMap("stock.marketplace_prices");
  for (const auto& marketplace : config.GetList("amazon.marketplace_ids")) {
    sync::StockMarketplace m{MarketplaceId(marketplace), "", ""};
    if (auto it = prices.find(marketplace); it != prices.end()) {
      auto colon = it->second.find(':');
      if (colon == std::string::npos)
        return Fail(ErrorCode::kConfigError, "stock.marketplace_prices: '" + it->second + "' for " +
                                                 marketplace + " is not COUNTRY:CURRENCY");
      m.country = it->second.substr(0, colon);
      m.currency = it->second.substr(colon + 1);
    }
    region.marketplaces.push_back(std::move(m));
  }
  s.regions = {std::move(region)};
  s.product_type = config.GetString("stock.product_type");
  s.handling_time_days = static_cast<int>(config.GetInt("stock.handling_time_days"));
  for (const auto& [sku, days] : config.GetMap("stock.handling_time_by_sku")) {
    auto value = ParseCount(days, "stock.handling_time_by_sku." + sku);
    if (!value) return tl::unexpected(value.error());
    s.handling_time_by_sku[sku] = static_cast<int>(*value);
  }
  s.coalescer.large_drop_units = config.GetInt("stock.large_drop_units");
  s.coalescer.large_drop_percent = static_cast<int>(config.GetInt("stock.large_drop_percent"));
  s.coalescer.urgent_at_or_below = config.GetInt("stock.urgent_at_or_below");
  s.push_prices = config.GetBool("stock.push_prices");
  if (auto floor = config.GetInt("stock.price_floor_minor"); floor > 0)
    s.price_bounds.floor_minor = floor;
  if (auto ceiling = config.GetInt("stock.price_ceiling_minor"); ceiling > 0)
    s.price_bounds.ceiling_minor = ceiling;
  s.feed_interval = config.GetDuration("stock.feed_interval");
  s.max_attempts = static_cast<int>(config.GetInt("stock.max_attempts"));
  s.drift_tolerance = config.GetInt("stock.drift_tolerance");
  s.quota_exhausted_after = config.GetDuration("stock.quota_exhausted_after");
  return s;
}

namespace {

// The loop with its tasks. Amazon, SCAYLE, the rate governor and the webhook receiver are the
// engine's shared ones (EngineContext), so every loop draws from the same Amazon quotas.
class StockComponent final : public Component {
 public:
  StockComponent(EngineContext& context, sync::StockLoopSettings settings,
                 stock::BufferPolicies policies)
      : context_(context),
        policies_(std::move(policies)),
        stock_store_(context.sqlite),
        loop_(std::move(settings), policies_, *context.scayle, *context.amazon, stock_store_,
              context.store, context.exceptions, context.clock),
        push_(
            "stock.push", Every(context.config.GetDuration("stock.push_interval")),
            [this] { return loop_.PushStep(); }, context.clock, &context.metrics),
        poll_(
            "stock.feeds", Every(context.config.GetDuration("stock.feed_poll_interval")),
            [this] { return loop_.PollFeeds(); }, context.clock, &context.metrics),
        snapshot_(
            "stock.snapshot", Every(context.config.GetDuration("stock.snapshot_interval")),
            [this](std::stop_token stop) { return loop_.Snapshot(stop); }, context.clock,
            &context.metrics),
        audit_(
            "stock.audit", Later(context.config.GetDuration("stock.audit_interval")),
            [this](std::stop_token stop) { return loop_.AuditDrift(SIZE_MAX, stop); },
            context.clock, &context.metrics) {
    for (const char* event : {"product-variant-stock-updated", "product-variant-prices-updated"}) {
      context.scayle_webhooks->Subscribe(event, [this](const ScayleWebhookEvent& e) -> Status {
        auto ok = loop_.OnWebhook(e);
        push_.RunNow();
        return ok;
      });
    }
  }

  std::string_view name() const override { return "stock"; }

  Status Start() override {
    if (auto restored = loop_.Restore(); !restored) return restored;
    // Amazon orders the moment the order loop knows them (before it starts): ATS subtracts them
    // until SCAYLE shows the hold.
    if (context_.amazon_order_events != nullptr) {
      context_.amazon_order_events->Subscribe([this](const AmazonOrderEvent& event) {
        if (auto ok = loop_.OnAmazonOrderEvent(event); !ok)
          log::Get("stock")->warn("order event {}: {}", event.order_id.value(), ok.error().message);
        push_.RunNow();
      });
    }
    // Listings the catalogue loop got accepted: their kept-back quantities go out now.
    if (context_.listing_events != nullptr) {
      context_.listing_events->Subscribe([this](const ListingChange& change) {
        loop_.OnListingChange(change.sku, change.marketplace_id, change.listed);
        if (change.listed) push_.RunNow();
      });
    }
    snapshot_.Start();
    push_.Start();
    poll_.Start();
    audit_.Start();
    return {};
  }

  void RequestStop() override {
    for (auto* task : {&audit_, &poll_, &push_, &snapshot_}) task->RequestStop();
  }
  void Stop() override {
    RequestStop();  // all at once: each task then only finishes its own step
    audit_.Stop();
    poll_.Stop();
    push_.Stop();
    snapshot_.Stop();
  }

 private:
  static sync::PeriodicTask::Settings Every(Duration period) {
    sync::PeriodicTask::Settings settings;
    settings.period = period;
    settings.jitter = 0.1;
    return settings;
  }
  static sync::PeriodicTask::Settings Later(Duration period) {
    auto settings = Every(period);
    settings.run_on_start = false;
    return settings;
  }

  EngineContext& context_;
  stock::BufferPolicies policies_;
  store::SqliteStockStore stock_store_;
  sync::StockLoop loop_;
  // Declared after what their steps use, so they stop first.
  sync::PeriodicTask push_;
  sync::PeriodicTask poll_;
  sync::PeriodicTask snapshot_;
  sync::PeriodicTask audit_;
};

}  // namespace

Result<std::unique_ptr<Component>> MakeStockComponent(EngineContext& context) {
  if (!context.config.GetBool("stock.enabled")) return std::unique_ptr<Component>();
  if (!context.sqlite)
    return Fail(ErrorCode::kConfigError, "stock.enabled: the stock loop needs the SQLite store");
  if (context.amazon == nullptr || context.scayle == nullptr ||
      context.scayle_webhooks == nullptr) {
    return Fail(
        ErrorCode::kConfigError,
        "stock.enabled: the stock loop needs Amazon (amazon.seller_id, amazon.lwa_*) and SCAYLE "
        "(scayle.endpoint, scayle.access_token) configured");
  }
  auto settings = StockSettingsFromConfig(context.config);
  if (!settings) return tl::unexpected(settings.error());
  auto policies = BufferPoliciesFromConfig(context.config);
  if (!policies) return tl::unexpected(policies.error());
  settings->run_id = std::to_string(context.clock.Now().time_since_epoch().count());
  return std::unique_ptr<Component>(
      std::make_unique<StockComponent>(context, std::move(*settings), std::move(*policies)));
}

}  // namespace mb::app

// Settlement discovery in the running engine: every settlement.discovery_interval, list Amazon's
// new settlement reports and import them (src/sync/settlement_sync.hpp). Needs Amazon configured.
#include "app/component.hpp"
#include "app/settlement_rules.hpp"
#include "core/settlement/settlement_import.hpp"
#include "log/log.hpp"
#include "store/sqlite_order_store.hpp"
#include "store/sqlite_settlement_store.hpp"
#include "sync/periodic_task.hpp"
#include "sync/settlement_order_ledger.hpp"
#include "sync/settlement_sync.hpp"

namespace mb::app {

namespace {

sync::PeriodicTask::Settings TaskSettings(const config::Config& config) {
  sync::PeriodicTask::Settings settings;
  settings.period = config.GetDuration("settlement.discovery_interval");
  settings.jitter = 0.1;
  return settings;
}

class SettlementComponent final : public Component {
 public:
  SettlementComponent(EngineContext& ctx, settlement::RuleTable rules,
                      sync::SettlementSyncOptions options)
      : store_(ctx.sqlite),
        orders_(ctx.sqlite),
        ledger_(orders_),
        service_(store_, ctx.exceptions, &ledger_),
        rules_(std::move(rules)),
        sync_(*ctx.amazon, ctx.store, service_, rules_, ctx.clock, std::move(options)),
        task_(
            "settlement_discovery", TaskSettings(ctx.config), [this] { return RunOnce(); },
            ctx.clock, &ctx.metrics) {}

  std::string_view name() const override { return "settlement"; }
  Status Start() override {
    task_.Start();
    return {};
  }
  void RequestStop() override { task_.RequestStop(); }
  void Stop() override { task_.Stop(); }

 private:
  Status RunOnce() {
    auto result = sync_.RunOnce();
    if (!result) return tl::unexpected(result.error());
    auto logger = log::Get("settlement");
    if (result->reports > 0) {
      logger->info(
          "settlement discovery: {} report(s), {} imported, {} duplicate(s), {} re-issue(s)",
          result->reports, result->imported, result->duplicates, result->reissues);
    }
    for (const auto& failure : result->failures) logger->warn("settlement discovery: {}", failure);
    return {};
  }

  store::SqliteSettlementStore store_;
  // The order loop's ledger, read to match settled orders (empty when the loop is off).
  store::SqliteOrderStore orders_;
  sync::OrderStoreLedgerView ledger_;
  settlement::SettlementService service_;
  settlement::RuleTable rules_;
  sync::SettlementSync sync_;
  sync::PeriodicTask task_;
};

}  // namespace

Result<std::unique_ptr<Component>> MakeSettlementComponent(EngineContext& ctx) {
  if (!ctx.config.GetBool("settlement.enabled")) return std::unique_ptr<Component>();
  if (ctx.amazon == nullptr || !ctx.sqlite) {
    return Fail(ErrorCode::kConfigError,
                "settlement.enabled: settlement discovery needs Amazon configured "
                "(amazon.seller_id, amazon.lwa_*) and the SQLite store");
  }
  auto rules = LoadSettlementRules(ctx.config.GetString("settlement.rules_file"));
  if (!rules)
    return Fail(ErrorCode::kConfigError, "settlement.rules_file: " + rules.error().message);
  sync::SettlementSyncOptions options;
  for (const auto& id : ctx.config.GetList("amazon.marketplace_ids"))
    options.marketplace_ids.emplace_back(id);
  options.compile.split_at_month_end = ctx.config.GetBool("settlement.split_at_month_end");
  return std::unique_ptr<Component>(
      std::make_unique<SettlementComponent>(ctx, std::move(*rules), std::move(options)));
}

}  // namespace mb::app

// `marketbridge sku explain SKU`: why a SKU shows what it shows on Amazon, from the state store.

#include <iostream>

#include "app/cli.hpp"
#include "app/stock_component.hpp"
#include "store/sqlite_stock_store.hpp"

namespace mb::app {

void AddStockCommands(CLI::App& app, Context& ctx) {
  auto* sku = app.add_subcommand("sku", "Stock and price of one SKU")->require_subcommand(1);
  auto* explain = sku->add_subcommand(
      "explain",
      "Current ATS, each input, the buffer rule, and the last pushes with Amazon's answer");
  auto sku_value = std::make_shared<std::string>();
  auto region = std::make_shared<std::string>();
  explain->add_option("SKU", *sku_value, "Seller SKU (SCAYLE variant referenceKey)")->required();
  explain->add_option("--region", *region, "Amazon region (default: stock.region)");
  OnRun(explain, [&ctx, sku_value, region]() -> int {
    auto config = ctx.LoadConfig();
    if (!config) return ReportError(config.error(), kExitUsage);
    auto settings = StockSettingsFromConfig(**config);
    if (!settings) return ReportError(settings.error(), kExitUsage);
    auto policies = BufferPoliciesFromConfig(**config);
    if (!policies) return ReportError(policies.error(), kExitUsage);
    auto store = ctx.OpenStore();
    if (!store) return ReportError(store.error());
    store::SqliteStockStore stock_store((*store)->database());
    std::string r = region->empty() ? settings->regions.front().name : *region;
    auto explanation =
        sync::ExplainFromStore(stock_store, *settings, *policies, Sku(*sku_value), r);
    if (!explanation) return ReportError(explanation.error());
    std::cout << stock::FormatExplanation(*explanation);
    return kExitOk;
  });
}

}  // namespace mb::app

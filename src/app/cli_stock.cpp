// `marketbridge sku explain SKU`: why a SKU shows what it shows on Amazon, from the state store.
// `marketbridge bench flash-sale`: the stock loop in a simulated flash sale (bench/flash_sale).

#include <algorithm>
#include <iostream>

#include "app/cli.hpp"
#include "app/stock_component.hpp"
#include "store/sqlite_stock_store.hpp"

#ifdef MB_HAVE_FLASH_SALE_BENCH
#include <fstream>

#include "flash_sale_bench.hpp"
#endif

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

#ifdef MB_HAVE_FLASH_SALE_BENCH
  auto* bench = app.get_subcommand("bench")->add_subcommand(
      "flash-sale",
      "A simulated flash sale: the stock loop vs a full inventory feed every 15 minutes");
  auto report = std::make_shared<std::string>();
  auto options = std::make_shared<bench::FlashSaleOptions>();
  bench->add_option("--report", *report, "Write the JSON report here")->required();
  bench->add_option("--skus", options->skus, "SKUs listed")->check(CLI::Range(10, 2000000));
  bench->add_option("--hot", options->hot, "Hot SKUs (1-5 units, 80 % of the sale's demand)")
      ->check(CLI::Range(1, 2000000));
  bench->add_option("--minutes", options->minutes, "Simulated minutes (the sale starts at 10)")
      ->check(CLI::Range(11, 24 * 60));
  bench->add_option("--seed", options->seed, "Random seed");
  bench
      ->add_option("--zero-below", options->buffer_zero_below,
                   "Sale buffer of the buffered runs: list 0 below this many units")
      ->check(CLI::Range(1, 1000));
  bench
      ->add_option("--percent", options->buffer_percent,
                   "Sale buffer of the buffered runs: also hold back this percent")
      ->check(CLI::Range(0, 100));
  bench
      ->add_option("--notice-max", options->order_notice_max_s,
                   "The order loop learns of an Amazon order within this many seconds")
      ->check(CLI::Range(1, 3600));
  OnRun(bench, [report, options]() -> int {
    if (options->hot > options->skus)
      return ReportError(Error{ErrorCode::kInvalidInput, "--hot is larger than --skus"},
                         kExitUsage);
    options->order_notice_min_s =
        std::min(options->order_notice_min_s, options->order_notice_max_s);
    nlohmann::json result = bench::RunFlashSaleBench(*options);
    std::ofstream(*report) << result.dump(2) << "\n";
    std::cout << result.dump(2) << "\n";
    return kExitOk;
  });
#endif
}

}  // namespace mb::app

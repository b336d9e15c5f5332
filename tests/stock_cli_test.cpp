// `marketbridge sku explain` as an operator runs it, and the stock settings read from the config.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/cli_test_support.hpp"
#include "app/stock_component.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_stock_store.hpp"

namespace mb {
namespace {

std::pair<int, std::string> RunBinary(const std::string& args) {
  auto run = app::testing::RunMarketbridge(args);
  return {run.exit_code, run.output};
}

TEST(StockConfigTest, BufferRulesParseAndRejectNonsense) {
  auto rule = app::ParseBufferRule("fixed=1,percent=10,max=50,zero_below=2");
  ASSERT_TRUE(rule.has_value());
  EXPECT_EQ(rule->fixed_units, 1);
  EXPECT_EQ(rule->percent, 10);
  EXPECT_EQ(rule->max_listed, 50);
  EXPECT_EQ(rule->zero_below, 2);
  EXPECT_EQ(app::ParseBufferRule("")->fixed_units, 0);
  EXPECT_FALSE(app::ParseBufferRule("fixed=-1").has_value());
  EXPECT_FALSE(app::ParseBufferRule("percent=150").has_value());
  EXPECT_FALSE(app::ParseBufferRule("bogus=1").has_value());
  EXPECT_FALSE(app::ParseBufferRule("fixed").has_value());
}

TEST(StockCliTest, SkuExplainShowsInputsAndPushesFromTheStore) {
  auto dir =
      std::filesystem::temp_directory_path() / ("mb-stock-cli-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db_path = (dir / "mb.db").string();
  auto config = (dir / "mb.toml").string();
  std::ofstream(config) << "[store]\nsqlite_path = \"" << db_path << "\"\n"
                        << "[stock]\nwarehouses = [\"wh-main\"]\nbuffer_default = \"fixed=1\"\n";
  {
    auto db = std::make_shared<store::SqliteDatabase>(db_path);
    auto all = store::AllSqliteMigrations();
    ASSERT_TRUE(db->Migrate(all, MakeTime(2026, 11, 27)).has_value());
    store::SqliteStockStore stock(db);
    ASSERT_TRUE(stock.SaveStockLevel({"SKU-1", "wh-main", 6, MakeTime(2026, 11, 27, 12)}));
    ASSERT_TRUE(stock.SaveOpenOrder(
        {"305-1:1", "EU", "SKU-1", 2, MakeTime(2026, 11, 27, 12, 5), std::nullopt, ""}));
    StockPushRow push;
    push.sku = "SKU-1";
    push.region = "EU";
    push.kind = "quantity";
    push.value = 3;
    push.version = 2;
    push.lane = "urgent";
    push.via = "patchListingsItem";
    push.submitted_at = MakeTime(2026, 11, 27, 12, 6);
    auto id = stock.RecordPush(push);
    ASSERT_TRUE(id.has_value());
    ASSERT_TRUE(stock.RecordPushAnswer(*id, "ACCEPTED", "", MakeTime(2026, 11, 27, 12, 6)));
  }
  auto [code, out] = RunBinary("--config " + config + " sku explain SKU-1");
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("ATS 3 = sellable 6 - open Amazon orders 2 - buffer 1"), std::string::npos)
      << out;
  EXPECT_NE(out.find("305-1:1: 2 unit(s)"), std::string::npos) << out;
  EXPECT_NE(out.find("quantity 3 via patchListingsItem (version 2): ACCEPTED"), std::string::npos)
      << out;
  auto [unknown_code, unknown] = RunBinary("--config " + config + " sku explain NOPE");
  EXPECT_EQ(unknown_code, 0);
  EXPECT_NE(unknown.find("not known to SCAYLE"), std::string::npos) << unknown;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mb

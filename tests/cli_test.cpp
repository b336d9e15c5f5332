// The `marketbridge` binary as a user runs it: exit codes, messages, and the store it leaves
// behind.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/cli_test_support.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"

namespace mb {
namespace {

using Run = app::testing::CliRun;

Run Marketbridge(const std::string& args) { return app::testing::RunMarketbridge(args); }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mb-cli-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_ = (dir_ / "mb.toml").string();
    std::ofstream(config_) << "[store]\nsqlite_path = \"" << (dir_ / "mb.db").string()
                           << "\"\n[server]\nport = 0\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string config_;
};

TEST_F(CliTest, HelpListsEverySubcommand) {
  auto r = Marketbridge("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub :
       {"run", "demo", "check-config", "migrate", "exceptions", "config-reference"}) {
    EXPECT_NE(r.output.find(std::string("  ") + sub), std::string::npos) << sub;
  }
  auto v = Marketbridge("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_TRUE(v.output.starts_with("marketbridge ")) << v.output;
}

TEST_F(CliTest, CheckConfigReportsEveryProblemWithItsPosition) {
  auto bad = (dir_ / "bad.toml").string();
  std::ofstream(bad) << "[server]\nport = \"x\"\n[stroe]\nsqlite_path = \"a\"\n";
  auto r = Marketbridge("check-config " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find(bad + ":2:8: 'server.port' must be a integer"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(bad + ":3:2: unknown key 'stroe'"), std::string::npos) << r.output;
  auto ok = Marketbridge("check-config " + config_);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
}

TEST_F(CliTest, ExampleConfigIsValid) {
  std::string env =
      "MB_LWA_CLIENT_SECRET=x MB_LWA_REFRESH_TOKEN=y MB_SCAYLE_ACCESS_TOKEN=z "
      "MB_SCAYLE_WEBHOOK_PASSWORD=w ";
  auto r = Marketbridge("check-config " + std::string(MB_SOURCE_DIR) +
                        "/config/marketbridge.example.toml");
  EXPECT_EQ(r.exit_code, 2) << "without the secrets in the environment the example must be refused";
  EXPECT_NE(r.output.find("MB_LWA_CLIENT_SECRET is not set"), std::string::npos) << r.output;
  std::string cmd = "env " + env + MB_BINARY + " check-config " + MB_SOURCE_DIR +
                    "/config/marketbridge.example.toml 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[512] = {};
  size_t n = fread(buf, 1, sizeof buf - 1, pipe);
  EXPECT_EQ(pclose(pipe), 0) << std::string(buf, n);
}

TEST_F(CliTest, MigrateIsIdempotent) {
  auto first = Marketbridge("migrate -c " + config_);
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("applied core/1"), std::string::npos);
  auto second = Marketbridge("migrate -c " + config_);
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.output.find("up to date"), std::string::npos);
}

TEST_F(CliTest, ExceptionsFilterByTeamAndState) {
  {
    auto store = store::OpenSqliteStateStore(
        (dir_ / "mb.db").string(), store::AllSqliteMigrations(), MakeTime(2026, 11, 28, 8, 0, 0));
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->UpsertException(ExceptionType::kGhostOrder, "028-1234567-1234567",
                                          "item SKU-RED-M maps to no SCAYLE variant", "{}",
                                          MakeTime(2026, 11, 28, 8, 0, 0)));
    ASSERT_TRUE((*store)->UpsertException(ExceptionType::kUnmappedTransactionType, "S-1",
                                          "unmapped", "{}", MakeTime(2026, 11, 28, 8, 0, 0)));
    ASSERT_TRUE((*store)->ResolveException(ExceptionType::kUnmappedTransactionType, "S-1",
                                           "rule added", MakeTime(2026, 11, 28, 9, 0, 0)));
  }
  auto ops = Marketbridge("exceptions --team ops -c " + config_);
  EXPECT_EQ(ops.exit_code, 0) << ops.output;
  EXPECT_NE(ops.output.find("ghost_order"), std::string::npos);
  EXPECT_NE(ops.output.find("act-by=2026-11-28T08:30:00Z"), std::string::npos) << ops.output;
  EXPECT_EQ(ops.output.find("unmapped_transaction_type"), std::string::npos);

  auto finance_open = Marketbridge("exceptions --team finance --open -c " + config_);
  EXPECT_NE(finance_open.output.find("no exceptions"), std::string::npos) << finance_open.output;
  auto all_json = Marketbridge("exceptions --json -c " + config_);
  EXPECT_NE(all_json.output.find("\"resolution\": \"rule added\""), std::string::npos)
      << all_json.output;

  auto bad_team = Marketbridge("exceptions --team sales -c " + config_);
  EXPECT_EQ(bad_team.exit_code, 2);
}

TEST_F(CliTest, RunNeedsAConfigAndStopsCleanly) {
  auto no_config = Marketbridge("run");
  EXPECT_EQ(no_config.exit_code, 2);
  EXPECT_NE(no_config.output.find("run needs --config FILE"), std::string::npos);
  auto demo = Marketbridge("demo -c " + config_ + " --port 0 --skus 50 --duration 1 --dir " +
                           (dir_ / "demo").string());
  EXPECT_EQ(demo.exit_code, 0) << demo.output;
  EXPECT_NE(demo.output.find("dashboard  http://127.0.0.1:"), std::string::npos) << demo.output;
  EXPECT_NE(demo.output.find("marketbridge demo summary"), std::string::npos) << demo.output;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "demo" / "marketbridge.db"));
}

}  // namespace
}  // namespace mb

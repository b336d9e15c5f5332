// `marketbridge settlement ...` as finance runs it: exit codes, messages, the store it leaves.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/cli_test_support.hpp"
#include "core/settlement/default_rules.hpp"

namespace mb::app {
namespace {

using testing::CliRun;

class SettlementCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mb-settlement-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_ = (dir_ / "mb.toml").string();
    std::ofstream(config_) << "[store]\nsqlite_path = \"" << (dir_ / "mb.db").string() << "\"\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CliRun Marketbridge(const std::string& args) {
    return testing::RunMarketbridge("-c " + config_ + " " + args);
  }

  static std::string Fixture(const std::string& name) {
    return std::string(MB_SOURCE_DIR) + "/tests/fixtures/settlement/" + name;
  }

  std::filesystem::path dir_;
  std::string config_;
};

TEST_F(SettlementCliTest, ImportListShowExport) {
  auto first = Marketbridge("settlement import " + Fixture("us_dot.tsv"));
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("imported settlement 11111111111"), std::string::npos);
  auto again = Marketbridge("settlement import " + Fixture("us_dot.tsv"));
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.output.find("already imported with the same content"), std::string::npos);
  auto reissue = Marketbridge("settlement import " + Fixture("us_reissue.tsv"));
  EXPECT_EQ(reissue.exit_code, 1);
  EXPECT_NE(reissue.output.find("re-issued"), std::string::npos);
  EXPECT_NE(reissue.output.find("total-amount 666.45 USD -> 686.45 USD (+20.00), rows 28 -> 28"),
            std::string::npos)
      << reissue.output;
  auto raised = Marketbridge("exceptions --team finance --open");
  EXPECT_NE(raised.output.find("settlement_reissued"), std::string::npos) << raised.output;
  // Finance keeps the stored version: the exception closes; a second time there is none to close.
  auto keep = Marketbridge("settlement resolve 11111111111 reissue --note 'wrong download'");
  EXPECT_EQ(keep.exit_code, 0) << keep.output;
  EXPECT_EQ(Marketbridge("exceptions --team finance --open").output.find("settlement_reissued"),
            std::string::npos);
  auto again_keep = Marketbridge("settlement resolve 11111111111 reissue --note x");
  EXPECT_EQ(again_keep.exit_code, 1);
  EXPECT_NE(again_keep.output.find("has no open settlement_reissued exception"), std::string::npos)
      << again_keep.output;

  auto list = Marketbridge("settlement list");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find("11111111111  postable  2026-08-01 to 2026-08-15  deposit 666.45 USD"),
            std::string::npos)
      << list.output;
  auto show = Marketbridge("settlement show 11111111111");
  EXPECT_NE(show.output.find("6150     advertising"), std::string::npos) << show.output;
  // No order loop ran against this store: the orders are not checked, and nothing is flagged.
  EXPECT_NE(show.output.find("orders not checked: the order ledger holds no orders seen between "
                             "2026-05-03 and 2026-08-16"),
            std::string::npos)
      << show.output;

  auto csv = (dir_ / "j.csv").string();
  EXPECT_EQ(Marketbridge("settlement export 11111111111 --format csv -o " + csv).exit_code, 0);
  std::ifstream in(csv, std::ios::binary);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ifstream golden(Fixture("us_dot.journal.csv"), std::ios::binary);
  EXPECT_EQ(written, std::string((std::istreambuf_iterator<char>(golden)),
                                 std::istreambuf_iterator<char>()));
  auto xero = Marketbridge("settlement export 11111111111 --format xero");
  EXPECT_NE(xero.output.find("*Narration,*Date"), std::string::npos);
  EXPECT_EQ(Marketbridge("settlement show 999").exit_code, 1);
}

TEST_F(SettlementCliTest, BrokenFilesImportNothing) {
  for (const char* name : {"truncated.tsv", "garbage.bin"}) {
    auto r = Marketbridge(std::string("settlement import ") + Fixture(name));
    EXPECT_EQ(r.exit_code, 1) << name;
    EXPECT_NE(r.output.find(name + std::string(":")), std::string::npos) << r.output;
  }
  EXPECT_NE(Marketbridge("settlement list").output.find("no settlements imported"),
            std::string::npos);
}

TEST_F(SettlementCliTest, BlockedUntilARuleIsAddedThenRecompiled) {
  auto blocked = Marketbridge("settlement import " + Fixture("unknown_type.tsv"));
  EXPECT_EQ(blocked.exit_code, 0);
  EXPECT_NE(blocked.output.find("blocked, 2 unmapped"), std::string::npos) << blocked.output;
  EXPECT_EQ(Marketbridge("settlement export 66666666666 --format xero").exit_code, 1);
  auto open = Marketbridge("exceptions --team finance --open");
  EXPECT_NE(open.output.find("unmapped_transaction_type"), std::string::npos) << open.output;

  auto rules = (dir_ / "rules.csv").string();
  std::ofstream(rules) << mb::settlement::DefaultRuleTableCsv()
                       << "NewRegulatoryFee,RegulatoryFee,*,6170,Regulatory fees,service_fees\n";
  auto re = Marketbridge("settlement recompile 66666666666 --rules " + rules);
  EXPECT_EQ(re.exit_code, 0) << re.output;
  EXPECT_NE(re.output.find("postable"), std::string::npos) << re.output;
  auto closed = Marketbridge("exceptions --team finance --open");
  EXPECT_EQ(closed.output.find("unmapped_transaction_type"), std::string::npos) << closed.output;
}

}  // namespace
}  // namespace mb::app

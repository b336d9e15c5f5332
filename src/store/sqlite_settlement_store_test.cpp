#include "store/sqlite_settlement_store.hpp"

#include <gtest/gtest.h>

#include "core/settlement/default_rules.hpp"
#include "core/settlement/flat_file_parser.hpp"
#include "core/settlement/journal_export.hpp"
#include "core/settlement/settlement_import.hpp"
#include "core/settlement/test_fixtures.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"

namespace mb::store {
namespace {

using namespace mb::settlement;

class SettlementImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_->Migrate(AllSqliteMigrations(), clock_.Now()));
    auto rules = RuleTable::Parse(DefaultRuleTableCsv(), "default");
    ASSERT_TRUE(rules);
    rules_ = *rules;
  }

  SettlementReport Report(const std::string& name) {
    auto r = ParseSettlementBytes(settlement::testing::ReadFixture(name), name);
    if (!r) throw std::runtime_error(r.error().message);
    return *r;
  }

  ImportOutcome Import(const std::string& name, CompileOptions options = {}) {
    auto outcome = service_.Import(Report(name), rules_, options, clock_.Now());
    if (!outcome) throw std::runtime_error(outcome.error().message);
    return *outcome;
  }

  std::optional<RaisedException> OpenException(ExceptionType type, const std::string& key) {
    ExceptionFilter filter;
    filter.type = type;
    filter.open_only = true;
    auto list = registry_.List(filter);
    if (!list) throw std::runtime_error(list.error().message);
    for (auto& e : *list) {
      if (e.dedup_key == key) return e;
    }
    return std::nullopt;
  }

  FakeClock clock_{MakeTime(2026, 8, 18, 6)};
  std::shared_ptr<SqliteDatabase> db_ = std::make_shared<SqliteDatabase>(":memory:");
  SqliteStateStore state_{db_};
  SqliteSettlementStore store_{db_};
  ExceptionRegistry registry_{state_, clock_, nullptr};
  SettlementService service_{store_, registry_};
  RuleTable rules_;
};

TEST_F(SettlementImportTest, ImportsOnceAndRoundTripsTheJournal) {
  auto first = Import("us_dot.tsv");
  EXPECT_EQ(first.kind, ImportKind::kNew);
  EXPECT_EQ(first.status, SettlementStatus::kPostable);
  EXPECT_EQ(first.settlement_id, "11111111111");

  auto loaded = store_.Load("11111111111");
  ASSERT_TRUE(loaded && *loaded);
  // The stored journal exports exactly as the freshly compiled one (the golden file).
  EXPECT_EQ(JournalToCsv((*loaded)->journal),
            settlement::testing::ReadFixture("us_dot.journal.csv"));
  EXPECT_EQ((*loaded)->aggregate.row_count, 28);
  EXPECT_EQ((*loaded)->imported_at, clock_.Now());

  auto again = Import("us_dot.tsv");
  EXPECT_EQ(again.kind, ImportKind::kDuplicate);
  EXPECT_EQ(again.status, SettlementStatus::kPostable);
  auto list = store_.List(10);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].total_amount.ToString(), "666.45 USD");
  EXPECT_TRUE((*list)[0].difference.is_zero());
}

TEST_F(SettlementImportTest, ReissueIsReportedNotMerged) {
  Import("us_dot.tsv");
  auto reissue = Import("us_reissue.tsv");
  EXPECT_EQ(reissue.kind, ImportKind::kReissue);
  EXPECT_NE(reissue.message.find("re-issued"), std::string::npos);
  auto loaded = store_.Load("11111111111");
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ((*loaded)->reissues, 1);
  EXPECT_EQ((*loaded)->journal.total_amount.ToString(), "666.45 USD");  // the original stays
  EXPECT_EQ(Import("us_reissue.tsv").kind, ImportKind::kReissue);
  EXPECT_EQ((*store_.Load("11111111111"))->reissues, 1);  // the same re-issue counts once

  // A person compared them and takes the new version.
  auto replaced = service_.Import(Report("us_reissue.tsv"), rules_, {}, clock_.Now(), true);
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_TRUE(replaced->replaced);
  EXPECT_EQ(replaced->status, SettlementStatus::kPostable);
  auto now_stored = store_.Load("11111111111");
  ASSERT_TRUE(now_stored && *now_stored);
  EXPECT_EQ((*now_stored)->journal.total_amount.ToString(), "686.45 USD");
  EXPECT_EQ((*now_stored)->reissues, 0);
  EXPECT_EQ(Import("us_reissue.tsv").kind, ImportKind::kDuplicate);
}

TEST_F(SettlementImportTest, UnmappedBlocksRaisesAndARuleThenPostsAndResolves) {
  auto blocked = Import("unknown_type.tsv");
  EXPECT_EQ(blocked.status, SettlementStatus::kBlocked);
  auto raised = OpenException(ExceptionType::kUnmappedTransactionType, "66666666666");
  ASSERT_TRUE(raised);
  EXPECT_NE(raised->message.find("NewRegulatoryFee / RegulatoryFee / EPR Packaging: 1 rows, "
                                 "-7.25 USD"),
            std::string::npos)
      << raised->message;
  EXPECT_NE(raised->details.find("\"line\": 6"), std::string::npos) << raised->details;
  EXPECT_FALSE(OpenException(ExceptionType::kSettlementUnbalanced, "66666666666"));

  // The stored unmapped list survives a reload, with its sample rows.
  auto loaded = store_.Load("66666666666");
  ASSERT_TRUE(loaded && *loaded);
  ASSERT_EQ((*loaded)->journal.unmapped.size(), 2u);
  ASSERT_EQ((*loaded)->journal.unmapped[0].samples.size(), 1u);
  EXPECT_EQ((*loaded)->journal.unmapped[0].samples[0].amount, "-7.25");

  ASSERT_TRUE(rules_.Add(
      Rule{"NewRegulatoryFee", "*", "*", Account{"6170", "Regulatory fees"}, "service_fees", 100}));
  auto recompiled = service_.Recompile("66666666666", rules_, clock_.Now());
  ASSERT_TRUE(recompiled) << recompiled.error().message;
  EXPECT_EQ(recompiled->status, SettlementStatus::kPostable);
  EXPECT_FALSE(OpenException(ExceptionType::kUnmappedTransactionType, "66666666666"));
  EXPECT_EQ((*store_.Load("66666666666"))->journal.status, SettlementStatus::kPostable);
}

TEST_F(SettlementImportTest, UnbalancedIsHeldAndRaised) {
  auto held = Import("unbalanced.tsv");
  EXPECT_EQ(held.status, SettlementStatus::kHeld);
  auto raised = OpenException(ExceptionType::kSettlementUnbalanced, "77777777777");
  ASSERT_TRUE(raised);
  EXPECT_NE(raised->message.find("difference 12.34 USD"), std::string::npos) << raised->message;
  EXPECT_NE(raised->details.find("\"difference\": \"12.34\""), std::string::npos);
}

TEST_F(SettlementImportTest, MonthSplitIsKeptForRecompiles) {
  CompileOptions split;
  split.split_at_month_end = true;
  Import("fr_comma_bom.tsv", split);
  auto recompiled = service_.Recompile("44444444444", rules_, clock_.Now());
  ASSERT_TRUE(recompiled);
  ASSERT_EQ(recompiled->journals.size(), 3u);
  EXPECT_EQ(recompiled->journals[1].reference, "44444444444/2026-09");
  EXPECT_FALSE(service_.Recompile("nope", rules_, clock_.Now()));
}

}  // namespace
}  // namespace mb::store

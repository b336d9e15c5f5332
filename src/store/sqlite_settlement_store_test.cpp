#include "store/sqlite_settlement_store.hpp"

#include <gtest/gtest.h>

#include "core/settlement/default_rules.hpp"
#include "core/settlement/flat_file_parser.hpp"
#include "core/settlement/journal_export.hpp"
#include "core/settlement/settlement_import.hpp"
#include "core/settlement/test_fixtures.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_order_store.hpp"
#include "store/sqlite_state_store.hpp"
#include "sync/settlement_order_ledger.hpp"

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
  SqliteOrderStore orders_{db_};
  sync::OrderStoreLedgerView ledger_{orders_};
  SettlementService service_{store_, registry_, &ledger_};
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
  // Raised for finance with what differs: the deposit and the one combination that changed.
  ASSERT_TRUE(reissue.reissue);
  EXPECT_EQ(reissue.reissue->rows_before, 28);
  EXPECT_EQ(reissue.reissue->rows_after, 28);
  ASSERT_EQ(reissue.reissue->changes.size(), 1u);
  EXPECT_EQ(reissue.reissue->changes[0].combination.amount_description, "Current Reserve Amount");
  auto raised = OpenException(ExceptionType::kSettlementReissued, "11111111111");
  ASSERT_TRUE(raised);
  EXPECT_NE(raised->message.find(
                "total-amount 666.45 USD -> 686.45 USD (+20.00), rows 28 -> 28, 1 combination(s) "
                "changed: other-transaction / other-transaction / Current Reserve Amount -420.00 "
                "-> -400.00"),
            std::string::npos)
      << raised->message;
  EXPECT_NE(raised->details.find("\"total_after\": \"686.45\""), std::string::npos)
      << raised->details;
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
  EXPECT_FALSE(OpenException(ExceptionType::kSettlementReissued, "11111111111"));
  EXPECT_EQ(Import("us_reissue.tsv").kind, ImportKind::kDuplicate);
}

TEST(SettlementReissueTest, RowCountsAndNewCombinationsAreSummarised) {
  SettlementAggregate before, after;
  before.total_amount = after.total_amount = Money(1000, Currency::Of("EUR"));
  before.row_count = 2;
  after.row_count = 3;
  const Combination fee{"other-transaction", "other-transaction", "Storage Fee"};
  const Combination epr{"other-transaction", "other-transaction", "EPR Fee"};
  before.totals = {CombinationTotal{fee, 0, 2, -500}};
  after.totals = {CombinationTotal{fee, 0, 1, -250}, CombinationTotal{fee, 1, 1, -250},
                  CombinationTotal{epr, 1, 1, -100}};
  auto diff = CompareAggregates(before, after);
  // Months are summed: the storage fee did not change, the EPR fee is new.
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].combination.amount_description, "EPR Fee");
  EXPECT_EQ(diff.Summary(),
            "total-amount 10.00 EUR -> 10.00 EUR (+0.00), rows 2 -> 3, 1 combination(s) changed: "
            "other-transaction / other-transaction / EPR Fee 0.00 -> -1.00 (0 -> 1 rows)");
}

// Settled orders against the order loop's ledger (the same database).
class SettlementOrderCheckTest : public SettlementImportTest {
 protected:
  void AddOrder(const std::string& id, int64_t scayle_order_id, bool shipped) {
    orders::OrderRecord r;
    r.order_id = AmazonOrderId(id);
    r.marketplace_id = MarketplaceId("ATVPDKIKX0DER");
    r.first_seen_at = MakeTime(2026, 7, 20);
    r.scayle_order_id = scayle_order_id;
    if (shipped) {
      orders::OrderPackage p;
      p.scayle_package_id = 7;
      p.package_reference_id = "1";
      r.packages.push_back(p);
    }
    ASSERT_TRUE(orders_.SaveOrder(r, {}));
  }
};

TEST_F(SettlementOrderCheckTest, EmptyLedgerIsNotCheckedAndRaisesNothing) {
  auto outcome = Import("us_dot.tsv");
  ASSERT_TRUE(outcome.orders);
  EXPECT_FALSE(outcome.orders->checked);
  EXPECT_NE(outcome.message.find("orders not checked: the order ledger holds no orders"),
            std::string::npos)
      << outcome.message;
  EXPECT_FALSE(OpenException(ExceptionType::kSettlementOrderMismatch, "11111111111"));
  auto loaded = store_.Load("11111111111");
  ASSERT_TRUE(loaded && *loaded && (*loaded)->order_check);
  EXPECT_FALSE((*loaded)->order_check->checked);
  EXPECT_EQ((*loaded)->order_check->orders, 3);
}

TEST_F(SettlementOrderCheckTest, UnknownOrdersAndUnshippedRefundsAreRaisedAndStored) {
  AddOrder("111-0000001-0000001", 501, true);
  AddOrder("111-0000003-0000003", 503, false);
  auto outcome = Import("us_dot.tsv");
  ASSERT_TRUE(outcome.orders);
  EXPECT_EQ(outcome.orders->matched, 1);
  auto raised = OpenException(ExceptionType::kSettlementOrderMismatch, "11111111111");
  ASSERT_TRUE(raised);
  EXPECT_NE(raised->message.find("[unknown_order 111-0000002-0000002, 3 rows, 12.00 USD, line 12]"),
            std::string::npos)
      << raised->message;
  EXPECT_NE(raised->message.find("[refund_not_shipped 111-0000003-0000003, 6 rows, -30.19 USD"),
            std::string::npos)
      << raised->message;
  EXPECT_NE(raised->details.find("\"kind\": \"refund_not_shipped\""), std::string::npos);

  auto loaded = store_.Load("11111111111");
  ASSERT_TRUE(loaded && *loaded && (*loaded)->order_check);
  const auto& check = *(*loaded)->order_check;
  EXPECT_TRUE(check.checked);
  ASSERT_EQ(check.findings.size(), 2u);
  EXPECT_EQ(check.findings[1].kind, OrderFindingKind::kRefundNotShipped);
  EXPECT_EQ(check.findings[1].amount_minor, -3019);
  EXPECT_EQ(check.findings[0].sku, "SKU-CABLE");

  // The corrected settlement (replaced after review) is checked again; the same findings stay
  // open, and deleting the settlement removes its check.
  auto replaced = service_.Import(Report("us_reissue.tsv"), rules_, {}, clock_.Now(), true);
  ASSERT_TRUE(replaced && replaced->orders);
  EXPECT_EQ(replaced->orders->findings.size(), 2u);
  ASSERT_TRUE(store_.Delete("11111111111"));
  EXPECT_FALSE(*store_.Load("11111111111"));
}

TEST_F(SettlementOrderCheckTest, EveryOrderMatchedResolvesTheException) {
  AddOrder("111-0000001-0000001", 501, true);
  AddOrder("111-0000003-0000003", 503, false);
  Import("us_dot.tsv");
  ASSERT_TRUE(OpenException(ExceptionType::kSettlementOrderMismatch, "11111111111"));
  AddOrder("111-0000002-0000002", 502, true);
  AddOrder("111-0000003-0000003", 503, true);
  auto replaced = service_.Import(Report("us_reissue.tsv"), rules_, {}, clock_.Now(), true);
  ASSERT_TRUE(replaced && replaced->orders);
  EXPECT_EQ(replaced->orders->matched, 3);
  EXPECT_FALSE(OpenException(ExceptionType::kSettlementOrderMismatch, "11111111111"));
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

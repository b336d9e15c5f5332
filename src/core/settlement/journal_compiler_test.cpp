#include "core/settlement/journal_compiler.hpp"

#include <gtest/gtest.h>

#include "core/settlement/default_rules.hpp"
#include "core/settlement/flat_file_parser.hpp"
#include "core/settlement/test_fixtures.hpp"
#include "core/timestamp.hpp"

namespace mb::settlement {
namespace {

RuleTable DefaultRules() {
  auto t = RuleTable::Parse(DefaultRuleTableCsv(), "default");
  if (!t) throw std::runtime_error(t.error().message);
  return *t;
}

SettlementReport Report(const std::string& name) {
  auto r = ParseSettlementBytes(testing::ReadFixture(name), name);
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

// "account/category" → amount, for compact assertions.
std::map<std::string, std::string> Lines(const Journal& j) {
  std::map<std::string, std::string> out;
  for (const auto& l : j.lines) {
    out[l.account.code + "/" + l.category] = l.amount.ToDecimalString();
  }
  return out;
}

TEST(SettlementJournal, UsSettlementBalancesAndTiesToTheDeposit) {
  auto j = CompileJournal(Report("us_dot.tsv"), DefaultRules());
  EXPECT_EQ(j.status, SettlementStatus::kPostable) << j.Summary();
  EXPECT_TRUE(j.difference.is_zero());
  EXPECT_EQ(j.rule_table_version, "2026-11-28.1");
  ASSERT_EQ(j.journals.size(), 1u);
  const Journal& journal = j.journals[0];
  EXPECT_TRUE(journal.Balance().is_zero());
  EXPECT_EQ(journal.date, MakeTime(2026, 8, 15, 9, 30));
  std::map<std::string, std::string> expected = {
      {"1200/bank", "666.45"},
      {"1365/reserve_held", "420.00"},
      {"1365/reserve_released", "-310.00"},
      {"1780/marketplace_facilitator_tax", "101.06"},
      {"1780/retrocharges", "0.47"},
      {"1780/tax_collected", "-101.06"},
      {"4000/sales_principal", "-1269.98"},
      {"4010/shipping_income", "-15.00"},
      {"4050/refunds", "39.99"},
      {"4060/promotions", "45.00"},
      {"4800/reimbursements", "-22.50"},
      {"6100/referral_fees", "98.20"},
      {"6110/fulfilment_fees", "26.44"},
      {"6120/storage_fees", "18.34"},
      {"6130/inbound_fees", "12.00"},
      {"6145/subscription_fees", "39.99"},
      {"6150/advertising", "250.00"},
      {"6160/deals_and_coupons", "0.60"},
  };
  EXPECT_EQ(Lines(journal), expected);
  // Bank line last, account lines in chart order.
  EXPECT_EQ(journal.lines.back().category, "bank");
  EXPECT_EQ(journal.lines.front().account.code, "1365");
}

TEST(SettlementJournal, EuropeanFilesCompileToTheSameJournal) {
  auto rules = DefaultRules();
  auto de = CompileJournal(Report("de_comma.tsv"), rules);
  auto cp1252 = CompileJournal(Report("de_cp1252.tsv"), rules);
  ASSERT_EQ(de.status, SettlementStatus::kPostable) << de.Summary();
  ASSERT_EQ(cp1252.status, SettlementStatus::kPostable);
  EXPECT_EQ(Lines(de.journals[0]), Lines(cp1252.journals[0]));
  auto lines = Lines(de.journals[0]);
  EXPECT_EQ(lines["1200/bank"], "-1888.53");  // Amazon charges the seller this time
  EXPECT_EQ(lines["6120/storage_fees"], "2345.67");
  EXPECT_EQ(lines["4000/sales_principal"], "-1073.95");
  EXPECT_EQ(lines["4050/refunds"], "1049.00");
  EXPECT_EQ(lines["4800/reimbursements"], "8.00");  // a reversed reimbursement is a debit
  EXPECT_TRUE(de.journals[0].Balance().is_zero());
}

TEST(SettlementJournal, MonthEndSplitBalancesEachPartThroughClearing) {
  CompileOptions options;
  options.split_at_month_end = true;
  auto j = CompileJournal(Report("fr_comma_bom.tsv"), DefaultRules(), options);
  ASSERT_EQ(j.status, SettlementStatus::kPostable) << j.Summary();
  ASSERT_EQ(j.journals.size(), 3u);
  EXPECT_EQ(j.journals[0].reference, "44444444444/2026-08");
  EXPECT_EQ(j.journals[0].date, MakeTime(2026, 8, 31, 23, 59, 59) + std::chrono::milliseconds(999));
  EXPECT_EQ(j.journals[1].reference, "44444444444/2026-09");
  EXPECT_EQ(j.journals[2].reference, "44444444444/deposit");
  EXPECT_EQ(j.journals[2].date, MakeTime(2026, 9, 17, 9, 30));
  int64_t clearing = 0;
  for (const auto& journal : j.journals) {
    EXPECT_TRUE(journal.Balance().is_zero()) << journal.reference;
    for (const auto& l : journal.lines) {
      if (l.category == "clearing") clearing += l.amount.minor_units();
    }
  }
  EXPECT_EQ(clearing, 0);  // clearing nets out exactly when the settlement ties
}

TEST(SettlementJournal, UnbalancedSettlementIsHeldWithTheDifference) {
  auto j = CompileJournal(Report("unbalanced.tsv"), DefaultRules());
  EXPECT_EQ(j.status, SettlementStatus::kHeld);
  EXPECT_EQ(j.difference.ToString(), "12.34 USD");
  EXPECT_EQ(j.journals[0].Balance().ToString(), "12.34 USD");
  EXPECT_NE(j.Summary().find("difference 12.34 USD"), std::string::npos) << j.Summary();
}

TEST(SettlementJournal, UnknownTypeBlocksThenARulePostsIt) {
  auto report = Report("unknown_type.tsv");
  auto rules = DefaultRules();
  auto blocked = CompileJournal(report, rules);
  EXPECT_EQ(blocked.status, SettlementStatus::kBlocked);
  ASSERT_EQ(blocked.unmapped.size(), 2u);
  const auto& u = blocked.unmapped[0];
  EXPECT_EQ(u.transaction_type, "NewRegulatoryFee");
  EXPECT_EQ(u.amount_type, "RegulatoryFee");
  EXPECT_EQ(u.amount_description, "EPR Packaging");
  EXPECT_EQ(u.rows, 1);
  EXPECT_EQ(u.total.ToString(), "-7.25 USD");
  ASSERT_EQ(u.samples.size(), 1u);
  EXPECT_EQ(u.samples[0].line, 6u);
  EXPECT_EQ(u.samples[0].amount, "-7.25");
  EXPECT_TRUE(blocked.difference.is_zero());  // the file itself is fine

  ASSERT_TRUE(rules.Add(Rule{"NewRegulatoryFee", "RegulatoryFee", "*",
                             Account{"6170", "Amazon regulatory fees"}, "service_fees", 999}));
  auto posted = CompileJournal(report, rules);
  EXPECT_EQ(posted.status, SettlementStatus::kPostable) << posted.Summary();
  EXPECT_EQ(Lines(posted.journals[0])["6170/service_fees"], "10.35");
}

TEST(SettlementJournal, TiedRulesBlockAndSayWhich) {
  auto rules = DefaultRules();
  ASSERT_TRUE(
      rules.Add(Rule{"*", "ItemPrice", "Princip*", Account{"4001", "x"}, "sales_principal", 901}));
  ASSERT_TRUE(
      rules.Add(Rule{"*", "ItemPrice", "*ncipalX", Account{"4002", "y"}, "sales_principal", 902}));
  ASSERT_TRUE(
      rules.Add(Rule{"Order", "ItemPrice", "*", Account{"4003", "z"}, "sales_principal", 903}));
  // Order/ItemPrice/Principal still goes to the exact rule; an unseen description ties.
  auto report = ParseSettlementReport(
      "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\t"
      "currency\ttransaction-type\tamount-type\tamount-description\tamount\n"
      "9\t2026-08-01\t2026-08-02\t2026-08-03\t1.00\tUSD\t\t\t\t\n"
      "\t\t\t\t\t\tRefund\tItemPrice\tPrincipalX\t1.00\n",
      "t");
  ASSERT_TRUE(report) << report.error().message;
  auto j = CompileJournal(*report, rules);
  ASSERT_EQ(j.status, SettlementStatus::kBlocked);
  ASSERT_EQ(j.unmapped.size(), 1u);
  EXPECT_EQ(j.unmapped[0].ambiguity, "rules at lines 901 and 902 match equally well");
}

TEST(SettlementJournal, ImportClassification) {
  auto us = Report("us_dot.tsv");
  auto reissue = Report("us_reissue.tsv");
  EXPECT_EQ(ClassifyImport(nullptr, us.content_hash), ImportKind::kNew);
  EXPECT_EQ(ClassifyImport(&us.content_hash, Report("us_dot.tsv").content_hash),
            ImportKind::kDuplicate);
  EXPECT_EQ(ClassifyImport(&us.content_hash, reissue.content_hash), ImportKind::kReissue);
}

}  // namespace
}  // namespace mb::settlement

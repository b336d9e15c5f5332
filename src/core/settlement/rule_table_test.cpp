#include "core/settlement/rule_table.hpp"

#include <gtest/gtest.h>

#include "core/settlement/default_rules.hpp"

namespace mb::settlement {
namespace {

constexpr std::string_view kHead =
    "version,7\nbank,1200,Bank\ntransaction-type,amount-type,amount-description,account,"
    "account-name,category\n";

TEST(SettlementRuleTable, GlobMatch) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "Order"));
  EXPECT_TRUE(GlobMatch("MarketplaceFacilitatorTax-*", "MarketplaceFacilitatorTax-Shipping"));
  EXPECT_TRUE(GlobMatch("*Reserve*", "Previous Reserve Amount Balance"));
  EXPECT_FALSE(GlobMatch("Order", "Order_Retrocharge"));
  EXPECT_FALSE(GlobMatch("TCS-*", "TDS (Section 194-O)"));
}

TEST(SettlementRuleTable, ParsesTheShippedDefault) {
  auto t = RuleTable::Parse(DefaultRuleTableCsv(), "settlement-rules.csv");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->version(), "2026-11-28.1");
  EXPECT_EQ(t->bank().code, "1200");
  EXPECT_EQ(t->clearing().code, "1360");
  EXPECT_GT(t->rules().size(), 50u);
}

TEST(SettlementRuleTable, MostSpecificWins) {
  auto t = RuleTable::Parse(std::string(kHead) +
                                "*,ItemPrice,Principal,4000,Sales,sales_principal\n"
                                "Refund,ItemPrice,Principal,4050,Refunds,refunds\n"
                                "Refund,*,*,4059,Refund other,refunds\n"
                                "Liquidations,ItemPrice,*,4810,Liquidations,liquidations\n"
                                "*,ItemFees,Commission,6100,Referral,referral_fees\n",
                            "t.csv");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->Find("Order", "ItemPrice", "Principal")->account.code, "4000");
  EXPECT_EQ(t->Find("Refund", "ItemPrice", "Principal")->account.code, "4050");
  EXPECT_EQ(t->Find("Refund", "ItemFees", "Commission")->account.code, "6100");
  EXPECT_EQ(t->Find("Refund", "ItemPrice", "Tax")->account.code, "4059");
  EXPECT_EQ(t->Find("Liquidations", "ItemPrice", "Principal")->account.code, "4810");
  EXPECT_EQ(t->Find("Order", "ItemPrice", "Tax"), nullptr);
}

TEST(SettlementRuleTable, EqualSpecificityIsReportedAsATie) {
  auto t = RuleTable::Parse(std::string(kHead) +
                                "*,ItemFees,Commi*,6100,Referral,referral_fees\n"
                                "*,ItemFees,*ssion,6101,Referral 2,referral_fees\n",
                            "t.csv");
  ASSERT_TRUE(t);
  const Rule* tie = nullptr;
  const Rule* r = t->Find("Order", "ItemFees", "Commission", &tie);
  ASSERT_NE(r, nullptr);
  ASSERT_NE(tie, nullptr);
  EXPECT_NE(r->line, tie->line);
}

TEST(SettlementRuleTable, QuotingCommentsAndBom) {
  auto t = RuleTable::Parse("\xEF\xBB\xBF# comment\n" + std::string(kHead) +
                                "\"*\",\"ItemWithheldTax\",\"TDS (Section 194-O), India\",1790,"
                                "\"Withheld \"\"TDS\"\"\",withholding_tax\r\n,,,,,\n",
                            "t.csv");
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->rules().size(), 1u);
  EXPECT_EQ(t->rules()[0].amount_description, "TDS (Section 194-O), India");
  EXPECT_EQ(t->rules()[0].account.name, "Withheld \"TDS\"");
}

TEST(SettlementRuleTable, RejectsMistakesWithTheLine) {
  auto unknown =
      RuleTable::Parse(std::string(kHead) + "*,ItemPrice,Principal,4000,S,sales\n", "t.csv");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "t.csv:line 4: unknown category 'sales'");
  auto dup = RuleTable::Parse(std::string(kHead) +
                                  "*,ItemPrice,Principal,4000,S,sales_principal\n"
                                  "*,ItemPrice,Principal,4001,S,sales_principal\n",
                              "t.csv");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("same patterns as line 4"), std::string::npos);
  auto short_row =
      RuleTable::Parse(std::string(kHead) + "*,ItemPrice,4000,S,sales_principal\n", "t.csv");
  ASSERT_FALSE(short_row);
  EXPECT_NE(short_row.error().message.find("t.csv:4: expected 6 fields"), std::string::npos);
  EXPECT_FALSE(RuleTable::Parse("bank,1,B\n", "t.csv"));   // no version
  EXPECT_FALSE(RuleTable::Parse("version,1\n", "t.csv"));  // no bank
}

}  // namespace
}  // namespace mb::settlement

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

// Every value SPAPI.md §7.2 lists maps to exactly one most specific rule of the shipped table.
TEST(SettlementRuleTable, DefaultCoversTheValueCatalogue) {
  auto t = RuleTable::Parse(DefaultRuleTableCsv(), "settlement-rules.csv");
  ASSERT_TRUE(t);
  struct Case {
    std::vector<std::string> transaction_types;
    std::string amount_type;
    std::vector<std::string> descriptions;
  };
  const std::vector<std::string> item_transactions = {"Order", "Refund", "Order_Retrocharge",
                                                      "Refund_Retrocharge", "Liquidations"};
  const std::vector<Case> cases = {
      {item_transactions,
       "ItemPrice",
       {"Principal", "Tax", "Shipping", "ShippingTax", "RestockingFee", "GiftWrap", "GiftWrapTax",
        "Goodwill"}},
      {item_transactions,
       "ItemFees",
       {"Commission", "FBAPerUnitFulfillmentFee", "RefundCommission", "ShippingChargeback",
        "LiquidationsBrokerageFee", "DigitalServicesFee", "FBAPerOrderFulfillmentFee",
        "FBAWeightBasedFee", "GiftwrapChargeback", "MarketplaceFacilitatorVAT-Principal",
        "MarketplaceFacilitatorVAT-Shipping"}},
      {item_transactions,
       "ItemWithheldTax",
       {"MarketplaceFacilitatorTax-Principal", "MarketplaceFacilitatorTax-Shipping", "TCS-CGST",
        "TCS-SGST", "TCS-IGST", "TDS (Section 194-O)"}},
      {item_transactions, "Promotion", {"Principal", "Shipping"}},
      {{"other-transaction"},
       "other-transaction",
       {"Subscription Fee", "Storage Fee", "FBA Inbound Placement Service Fee", "Successful charge",
        "Payable to Amazon", "Previous Reserve Amount Balance", "Current Reserve Amount",
        "FBA Long-Term Storage", "DisposalComplete", "FBAInboundTransportationFee",
        "Manual Processing Fee"}},
      {{"other-transaction"},
       "FBA Inventory Reimbursement",
       {"REVERSAL_REIMBURSEMENT", "COMPENSATED_CLAWBACK", "FREE_REPLACEMENT_REFUND_ITEMS",
        "WAREHOUSE_DAMAGE"}},
      {{"ServiceFee"}, "Cost of Advertising", {"TransactionTotalAmount"}},
      {{"AmazonFees"}, "Coupon Participation Fee", {"Base fee"}},
      {{"AmazonFees"}, "Coupon Performance Based Fee", {"Base fee"}},
      {{"AmazonFees"}, "Deal Participation Fee", {"Base fee"}},
      {{"AmazonFees"}, "Deal Performance Based Fee", {"Base fee"}},
      {{"FBAFees"}, "Inbound Defect Fee", {"Base fee"}},
      {{"Order"}, "Shipment-Fees", {"FBAPerOrderFulfillmentFee", "FBATransportationFee"}},
      // Legacy-format transaction types, whatever their amount columns say.
      {{"Storage Fee", "Subscription Fee", "Successful charge", "Payable to Amazon",
        "Inbound Transportation Fee", "WAREHOUSE_DAMAGE", "Micro Deposit"},
       "x",
       {"y"}},
  };
  int checked = 0;
  for (const auto& c : cases) {
    for (const auto& tt : c.transaction_types) {
      for (const auto& ad : c.descriptions) {
        const Rule* tie = nullptr;
        const Rule* r = t->Find(tt, c.amount_type, ad, &tie);
        EXPECT_NE(r, nullptr) << tt << " / " << c.amount_type << " / " << ad;
        EXPECT_EQ(tie, nullptr) << tt << " / " << c.amount_type << " / " << ad;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 165);
  auto category = [&](const char* tt, const char* at, const char* ad) {
    return t->Find(tt, at, ad)->category;
  };
  EXPECT_EQ(category("Refund", "ItemPrice", "Principal"), "refunds");
  EXPECT_EQ(category("Refund", "ItemPrice", "Tax"), "tax_collected");
  EXPECT_EQ(category("Liquidations", "ItemPrice", "Principal"), "liquidations");
  EXPECT_EQ(category("Order_Retrocharge", "ItemPrice", "Tax"), "retrocharges");
  EXPECT_EQ(category("Order", "ItemWithheldTax", "TCS-IGST"), "withholding_tax");
  EXPECT_EQ(category("other-transaction", "other-transaction", "Current Reserve Amount"),
            "reserve_held");
  EXPECT_EQ(category("other-transaction", "other-transaction", "Previous Reserve Amount Balance"),
            "reserve_released");
  EXPECT_EQ(category("Micro Deposit", "x", "y"), "transfers");
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

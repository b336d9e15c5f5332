#include "core/settlement/flat_file_parser.hpp"

#include <gtest/gtest.h>

#include "core/settlement/test_fixtures.hpp"
#include "core/timestamp.hpp"

namespace mb::settlement {
namespace {

using testing::ReadFixture;

Result<SettlementReport> ParseFixture(const std::string& name, const ParseOptions& options = {}) {
  return ParseSettlementBytes(ReadFixture(name), name, options);
}

int64_t SumRows(const SettlementReport& r) {
  int64_t sum = 0;
  for (const auto& row : r.rows) sum += row.amount_minor;
  return sum;
}

TEST(SettlementParser, UsDotDecimals) {
  auto r = ParseFixture("us_dot.tsv");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->settlement_id(), "11111111111");
  EXPECT_EQ(r->currency().code(), "USD");
  EXPECT_EQ(r->summary.total_amount.ToDecimalString(), "666.45");
  EXPECT_EQ(r->summary.start, MakeTime(2026, 8, 1, 9, 30));
  EXPECT_EQ(r->summary.end, MakeTime(2026, 8, 15, 9, 30));
  EXPECT_EQ(r->summary.deposit_date, MakeTime(2026, 8, 17, 9, 30));
  EXPECT_EQ(r->decimal_style, DecimalStyle::kDotDecimal);
  EXPECT_EQ(r->decimal_style_reason, "marketplace Amazon.com");
  ASSERT_EQ(r->rows.size(), 28u);
  EXPECT_EQ(SumRows(*r), r->summary.total_amount.minor_units());
  const auto& first = r->rows[0];
  EXPECT_EQ(first.line, 3u);
  EXPECT_EQ(r->Field(first, Column::kTransactionType), "Order");
  EXPECT_EQ(r->Field(first, Column::kAmountType), "ItemPrice");
  EXPECT_EQ(r->Field(first, Column::kAmountDescription), "Principal");
  EXPECT_EQ(first.amount_minor, 124999);
  EXPECT_EQ(r->Field(first, Column::kOrderId), "111-0000001-0000001");
  EXPECT_EQ(r->Field(first, Column::kSku), "SKU-TV-55");
  EXPECT_EQ(first.quantity, 1);
  EXPECT_EQ(first.posted, MakeTime(2026, 8, 3, 9, 30));
  // FBAFees rows carry an FBA shipment id in order-id (SPAPI.md §7.1).
  EXPECT_EQ(r->Field(r->rows[22], Column::kOrderId), "FBA19CD9HGQ8");
  EXPECT_EQ(r->content_hash.size(), 16u);
}

TEST(SettlementParser, UkShuffledColumnsUnknownColumnAndCrlf) {
  auto r = ParseFixture("uk_dot_crlf.tsv");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->currency().code(), "GBP");
  EXPECT_EQ(r->summary.total_amount.ToDecimalString(), "666.45");
  EXPECT_EQ(r->rows.size(), 28u);
  EXPECT_EQ(r->Field(r->rows[0], Column::kSku), "SKU-TV-55");  // no trailing \r left on any field
  EXPECT_EQ(r->Field(r->rows.back(), Column::kPromotionId), "");
  EXPECT_EQ(SumRows(*r), r->summary.total_amount.minor_units());
}

TEST(SettlementParser, DeCommaDecimals) {
  auto r = ParseFixture("de_comma.tsv");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->decimal_style, DecimalStyle::kCommaDecimal);
  EXPECT_EQ(r->summary.total_amount.ToDecimalString(), "-1888.53");
  EXPECT_EQ(r->rows[0].amount_minor, 104900);    // 1.049,00
  EXPECT_EQ(r->rows[16].amount_minor, -234567);  // -2.345,67
  EXPECT_EQ(r->summary.start, MakeTime(2026, 8, 1));
  EXPECT_EQ(SumRows(*r), r->summary.total_amount.minor_units());
}

TEST(SettlementParser, FrBomAndWindows1252DeGiveTheSameAmounts) {
  auto fr = ParseFixture("fr_comma_bom.tsv");
  auto de = ParseFixture("de_cp1252.tsv");
  ASSERT_TRUE(fr) << fr.error().message;
  ASSERT_TRUE(de) << de.error().message;
  EXPECT_EQ(fr->Field(fr->rows[0], Column::kSku), "SKU-SOFA-cr\xC3\xA8me");
  EXPECT_EQ(de->Field(de->rows[0], Column::kSku), "SKU-SOFA-Gr\xC3\xBC\xE2\x82\xAC");
  EXPECT_EQ(fr->summary.total_amount, de->summary.total_amount);
  EXPECT_EQ(fr->rows[2].posted, MakeTime(2026, 9, 3, 9, 30));  // every third row is in September
}

TEST(SettlementParser, ContentHashIgnoresLineEndingsAndColumnOrderButNotAmounts) {
  auto us = ParseFixture("us_dot.tsv");
  auto again = ParseFixture("us_dot.tsv");
  auto reissue = ParseFixture("us_reissue.tsv");
  ASSERT_TRUE(us && again && reissue);
  EXPECT_EQ(us->content_hash, again->content_hash);
  EXPECT_NE(us->content_hash, reissue->content_hash);

  std::string text = ReadFixture("us_dot.tsv");
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto crlf_report = ParseSettlementBytes(crlf, "crlf");
  ASSERT_TRUE(crlf_report);
  EXPECT_EQ(crlf_report->content_hash, us->content_hash);
}

std::string Header() {
  return "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\t"
         "currency\ttransaction-type\tamount-type\tamount-description\tamount\tmarketplace-name\t"
         "posted-date\n";
}

std::string Summary(std::string total, std::string currency = "EUR") {
  return "42\t2026-08-01\t2026-08-15\t2026-08-17\t" + total + "\t" + currency + "\t\t\t\t\t\t\n";
}

std::string Detail(std::string amount, std::string marketplace = "",
                   std::string date = "2026-08-03") {
  return "\t\t\t\t\t\tOrder\tItemPrice\tPrincipal\t" + amount + "\t" + marketplace + "\t" + date +
         "\n";
}

TEST(SettlementParser, DecimalStyleFromCurrencyThenAmounts) {
  auto sek = ParseSettlementReport(Header() + Summary("1.234,50", "SEK") + Detail("1.234,50"), "t");
  ASSERT_TRUE(sek) << sek.error().message;
  EXPECT_EQ(sek->decimal_style_reason, "currency SEK");
  EXPECT_EQ(sek->summary.total_amount.minor_units(), 123450);

  // EUR without a marketplace: `12,50` only reads as comma decimals.
  auto eur = ParseSettlementReport(Header() + Summary("12,50") + Detail("12,50"), "t");
  ASSERT_TRUE(eur) << eur.error().message;
  EXPECT_EQ(eur->decimal_style, DecimalStyle::kCommaDecimal);

  // `1.500` reads as 1.50 or 1500.00 in the two styles and nothing decides: rejected.
  auto ambiguous = ParseSettlementReport(Header() + Summary("1.500") + Detail("1.500"), "t");
  ASSERT_FALSE(ambiguous);
  EXPECT_NE(ambiguous.error().message.find("decimal style"), std::string::npos);

  // The operator may say.
  ParseOptions options;
  options.decimal_style = DecimalStyle::kDotDecimal;
  auto forced = ParseSettlementReport(Header() + Summary("1,234") + Detail("1,234"), "t", options);
  ASSERT_TRUE(forced);
  EXPECT_EQ(forced->summary.total_amount.minor_units(), 123400);
}

TEST(SettlementParser, MarketplaceStyleIsEnforcedNotGuessed) {
  // A DE file with a dot-decimal amount is an error at that field, not a silent 100x.
  auto r = ParseSettlementReport(
      Header() + Summary("12,50") + Detail("12,50", "Amazon.de") + Detail("12.50", "Amazon.de"),
      "de.tsv");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("de.tsv:4:33: amount: amount '12.50'"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("marketplace Amazon.de"), std::string::npos);
}

TEST(SettlementParser, SlashDatesDecidedPerFile) {
  auto day_first =
      ParseSettlementReport(Header() + Summary("2.00", "GBP") + Detail("1.00", "", "05/06/2026") +
                                Detail("1.00", "", "20/06/2026"),
                            "t");
  ASSERT_TRUE(day_first) << day_first.error().message;
  EXPECT_EQ(day_first->rows[0].posted, MakeTime(2026, 6, 5));
  auto us = ParseSettlementReport(
      Header() + Summary("1.00", "USD") + Detail("1.00", "Amazon.com", "05/06/2026"), "t");
  ASSERT_TRUE(us);
  EXPECT_EQ(us->rows[0].posted, MakeTime(2026, 5, 6));
  auto unknown = ParseSettlementReport(
      Header() + Summary("1.00", "CAD") + Detail("1.00", "Amazon.ca", "05/06/2026"), "t");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("ambiguous date"), std::string::npos);
}

TEST(SettlementParser, StructuralErrorsNameLineAndColumn) {
  auto missing = ParseSettlementReport("settlement-id\tamount\n1\t2\n", "m.tsv");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("m.tsv:1:1: not a V2 settlement flat file"),
            std::string::npos);
  EXPECT_NE(missing.error().message.find("total-amount"), std::string::npos);

  auto no_summary = ParseSettlementReport(Header() + Detail("1.00"), "n.tsv");
  ASSERT_FALSE(no_summary);
  EXPECT_NE(no_summary.error().message.find("n.tsv:2:7: transaction-type: no summary row"),
            std::string::npos)
      << no_summary.error().message;

  auto extra = ParseSettlementReport(
      Header() + Summary("1.00") + Detail("1.00") + "\t\t\t\t\t\tx\ty\tz\t1\t\t\textra\n", "e.tsv");
  ASSERT_FALSE(extra);
  EXPECT_NE(extra.error().message.find("e.tsv:4:"), std::string::npos);
  EXPECT_NE(extra.error().message.find("more fields"), std::string::npos);

  auto other_id = ParseSettlementReport(
      Header() + Summary("1.00") + "43\t\t\t\t\t\tOrder\tItemPrice\tPrincipal\t1.00\t\t\n",
      "o.tsv");
  ASSERT_FALSE(other_id);
  EXPECT_NE(other_id.error().message.find("o.tsv:3:1: settlement-id: '43' differs"),
            std::string::npos)
      << other_id.error().message;

  EXPECT_FALSE(ParseSettlementReport("", "empty.tsv"));
  EXPECT_FALSE(ParseSettlementReport(Header(), "header-only.tsv"));
}

TEST(SettlementParser, TruncatedAndGarbageFilesAreRejectedWhole) {
  auto truncated = ParseFixture("truncated.tsv");
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message.find("truncated.tsv:26:"), std::string::npos)
      << truncated.error().message;
  EXPECT_NE(truncated.error().message.find("truncated file?"), std::string::npos);

  auto garbage = ParseFixture("garbage.bin");
  ASSERT_FALSE(garbage);
  EXPECT_NE(garbage.error().message.find("garbage.bin:1:1: not a V2 settlement flat file"),
            std::string::npos)
      << garbage.error().message;
}

}  // namespace
}  // namespace mb::settlement

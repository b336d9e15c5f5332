#include "sandbox/market/settlement_report.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "sandbox/amazon/iso_time.hpp"

namespace sandbox::market {
namespace {

std::vector<std::vector<std::string>> Rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    size_t from = 0;
    for (size_t tab; (tab = line.find('\t', from)) != std::string::npos; from = tab + 1)
      cells.push_back(line.substr(from, tab - from));
    cells.push_back(line.substr(from));
    rows.push_back(cells);
  }
  return rows;
}

// Reads an amount back to minor units: both formats always write two decimals, so dropping the
// separators leaves the minor units. Checks the decimal mark is the expected one.
int64_t ParseAmount(const std::string& text, bool decimal_comma) {
  EXPECT_EQ(text[text.size() - 3], decimal_comma ? ',' : '.') << text;
  std::string digits;
  for (char c : text) {
    if (c == '-' || (c >= '0' && c <= '9')) digits += c;
  }
  return std::stoll(digits);
}

Settlement Sample(const std::string& marketplace_id) {
  const SimTime t = *amazon::ParseIso("2026-11-20T10:00:00Z");
  Settlement s;
  s.settlement_id = "12345678901";
  s.marketplace_id = marketplace_id;
  s.marketplace_name = "Amazon.de";
  s.currency = "EUR";
  s.start = t;
  s.end = t + std::chrono::hours(24);
  s.deposit = t + std::chrono::hours(96);
  auto line = [&](std::string type, std::string at, std::string desc, int64_t minor) {
    SettlementLine l;
    l.transaction_type = type;
    l.order_id = type == "other-transaction" ? "" : "302-1234567-1234567";
    l.amount_type = at;
    l.amount_description = desc;
    l.amount_minor = minor;
    l.posted = t + std::chrono::hours(3);
    l.sku = "SKU-1";
    l.quantity = 2;
    s.lines.push_back(l);
  };
  line("Order", "ItemPrice", "Principal", 123456);
  line("Order", "ItemFees", "Commission", -18518);
  line("Refund", "ItemPrice", "Principal", -4995);
  line("other-transaction", "other-transaction", "Current Reserve Amount", -10000);
  return s;
}

TEST(SettlementReportTest, AmountsInTheMarketplaceFormat) {
  const auto de = SettlementFormatFor("A1PA6795UKMFR9");
  const auto us = SettlementFormatFor("ATVPDKIKX0DER");
  EXPECT_EQ(FormatSettlementAmount(123456, de), "1.234,56");
  EXPECT_EQ(FormatSettlementAmount(-1234567890, de), "-12.345.678,90");
  EXPECT_EQ(FormatSettlementAmount(-5, de), "-0,05");
  EXPECT_EQ(FormatSettlementAmount(99500, SettlementFormatFor("A13V1IB3VIYZZH")), "995,00");
  EXPECT_EQ(FormatSettlementAmount(123456, us), "1234.56");
  EXPECT_EQ(FormatSettlementAmount(-5, us), "-0.05");
  const SimTime t = *amazon::ParseIso("2026-11-20T09:05:03Z");
  EXPECT_EQ(FormatSettlementDate(t, de, true), "20.11.2026 09:05:03 UTC");
  EXPECT_EQ(FormatSettlementDate(t, SettlementFormatFor("A1F83G8C2ARO7P"), false), "20/11/2026");
  EXPECT_EQ(FormatSettlementDate(t, us, true), "2026-11-20 09:05:03 UTC");
}

TEST(SettlementReportTest, SummaryFirstAndDetailsSumToTotalInBothFormats) {
  for (const std::string mp : {"A1PA6795UKMFR9", "ATVPDKIKX0DER"}) {
    const Settlement s = Sample(mp);
    const bool comma = mp == "A1PA6795UKMFR9";
    const auto rows = Rows(RenderSettlement(s));
    ASSERT_EQ(rows.size(), 2 + s.lines.size());
    EXPECT_EQ(rows[0], SettlementColumns());
    for (const auto& row : rows) ASSERT_EQ(row.size(), 24u);
    // Summary row: id, dates, total, currency only.
    EXPECT_EQ(rows[1][0], "12345678901");
    EXPECT_EQ(rows[1][1], comma ? "20.11.2026 10:00:00 UTC" : "2026-11-20 10:00:00 UTC");
    EXPECT_EQ(rows[1][4], comma ? "899,43" : "899.43");
    EXPECT_EQ(rows[1][5], "EUR");
    for (size_t i = 6; i < 24; ++i) EXPECT_EQ(rows[1][i], "") << i;
    int64_t sum = 0;
    for (size_t r = 2; r < rows.size(); ++r) {
      EXPECT_EQ(rows[r][0], "12345678901");
      EXPECT_EQ(rows[r][4], "");  // total-amount only on the summary row
      sum += ParseAmount(rows[r][14], comma);
    }
    EXPECT_EQ(sum, ParseAmount(rows[1][4], comma));
    EXPECT_EQ(sum, s.TotalMinor());
    EXPECT_EQ(rows[2][14], comma ? "1.234,56" : "1234.56");
    EXPECT_EQ(rows[2][6], "Order");
    EXPECT_EQ(rows[2][13], "Principal");
    EXPECT_EQ(rows[2][22], "2");
  }
}

}  // namespace
}  // namespace sandbox::market

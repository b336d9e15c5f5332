#include "core/settlement/journal_export.hpp"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "core/settlement/default_rules.hpp"
#include "core/settlement/flat_file_parser.hpp"
#include "core/settlement/test_fixtures.hpp"

namespace mb::settlement {
namespace {

SettlementJournal Compile(const std::string& name, const CompileOptions& options = {}) {
  auto rules = RuleTable::Parse(DefaultRuleTableCsv(), "default");
  auto report = ParseSettlementBytes(testing::ReadFixture(name), name);
  if (!rules || !report) throw std::runtime_error("fixture " + name + " does not parse");
  return CompileJournal(*report, *rules, options);
}

// Compares with tests/fixtures/settlement/<golden>; MB_UPDATE_GOLDEN=1 rewrites the file instead
// (then review the diff before committing it).
void ExpectGolden(const std::string& golden, const std::string& actual) {
  if (std::getenv("MB_UPDATE_GOLDEN")) {
    std::ofstream(testing::FixturePath(golden), std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, testing::ReadFixture(golden)) << "golden " << golden;
}

TEST(SettlementExport, CsvGoldens) {
  ExpectGolden("us_dot.journal.csv", JournalToCsv(Compile("us_dot.tsv")));
  ExpectGolden("uk_dot_crlf.journal.csv", JournalToCsv(Compile("uk_dot_crlf.tsv")));
  ExpectGolden("de_comma.journal.csv", JournalToCsv(Compile("de_comma.tsv")));
  ExpectGolden("unbalanced.journal.csv", JournalToCsv(Compile("unbalanced.tsv")));
}

TEST(SettlementExport, JsonGoldens) {
  ExpectGolden("us_dot.journal.json", JournalToJson(Compile("us_dot.tsv")));
  ExpectGolden("unknown_type.journal.json", JournalToJson(Compile("unknown_type.tsv")));
}

TEST(SettlementExport, XeroManualJournal) {
  CompileOptions split;
  split.split_at_month_end = true;
  XeroOptions options;
  options.tracking_name = "Channel";
  options.tracking_option = "Amazon FR";
  auto xero = JournalToXeroCsv(Compile("fr_comma_bom.tsv", split), options);
  ASSERT_TRUE(xero) << xero.error().message;
  ExpectGolden("fr_comma_bom.xero.csv", *xero);
  EXPECT_EQ(xero->substr(0, xero->find('\r')),
            "*Narration,*Date,Description,*AccountCode,*TaxRate,*Amount,TrackingName1,"
            "TrackingOption1,TrackingName2,TrackingOption2");
  EXPECT_NE(
      xero->find("Amazon settlement 44444444444 2026-08-01 to 2026-09-15 (deposit),17/09/2026,"
                 "\"Bank - Amazon payouts (bank, 21 rows)\",1200,No VAT,-1888.53,Channel,"
                 "Amazon FR,,\r\n"),
      std::string::npos);
}

TEST(SettlementExport, XeroRefusesWhatMustNotBePosted) {
  auto held = JournalToXeroCsv(Compile("unbalanced.tsv"));
  ASSERT_FALSE(held);
  EXPECT_EQ(held.error().code, ErrorCode::kConflict);
  EXPECT_NE(held.error().message.find("held"), std::string::npos);
  EXPECT_FALSE(JournalToXeroCsv(Compile("unknown_type.tsv")));
}

}  // namespace
}  // namespace mb::settlement

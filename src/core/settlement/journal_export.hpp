#pragma once
// Journal exports: CSV and JSON for people and scripts, and Xero's manual journal import CSV for
// the accounting system (docs/settlement.md describes each format).

#include <string>

#include "core/error.hpp"
#include "core/settlement/journal_compiler.hpp"
#include "core/settlement/order_match.hpp"
#include "core/settlement/reissue.hpp"

namespace mb::settlement {

// One row per journal line: settlement_id, journal, date, account, account_name, category, debit,
// credit, currency, rows, status, rule_table_version. Any status (finance reviews held ones too).
std::string JournalToCsv(const SettlementJournal& journal);

// The whole compiled settlement, including status, difference and unmapped combinations.
std::string JournalToJson(const SettlementJournal& journal);

// Exception details (JSON objects) for unmapped_transaction_type and settlement_unbalanced.
std::string UnmappedDetailsJson(const SettlementJournal& journal);
std::string UnbalancedDetailsJson(const SettlementJournal& journal);
// ... for settlement_reissued and settlement_order_mismatch.
std::string ReissueDetailsJson(const ReissueDiff& diff);
std::string OrderCheckDetailsJson(std::string_view settlement_id, const OrderCheck& check,
                                  Currency currency);

struct XeroOptions {
  // Xero wants the full name of a tax rate on every line. Settlement lines are posted net (tax has
  // its own lines), so the default is the "no tax" rate of Xero UK; AU uses "BAS Excluded", US
  // "Tax Exempt".
  std::string tax_rate = "No VAT";
  // Optional Xero tracking category, e.g. name "Channel", option "Amazon DE".
  std::string tracking_name;
  std::string tracking_option;
};

// Xero "Manual Journals → Import" template: *Narration, *Date (dd/mm/yyyy), Description,
// *AccountCode, *TaxRate, *Amount (positive = debit), TrackingName1, TrackingOption1,
// TrackingName2, TrackingOption2. Only postable settlements: a held or blocked one would post
// wrong numbers into the ledger.
Result<std::string> JournalToXeroCsv(const SettlementJournal& journal,
                                     const XeroOptions& options = {});

}  // namespace mb::settlement

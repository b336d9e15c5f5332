#pragma once
// Settlement report + rule table → the journal(s) finance posts: lines summed per account and
// category, plus the deposit on the bank account. A settlement is postable only when every detail
// row is mapped and the detail rows sum to total-amount to the cent (DESIGN §2.4).

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "core/settlement/rule_table.hpp"
#include "core/settlement/settlement_aggregate.hpp"
#include "core/settlement/settlement_report.hpp"

namespace mb::settlement {

enum class SettlementStatus {
  kPostable,  // balanced, ties to the deposit, every row mapped
  kBlocked,   // some rows map to no rule (or to two equally specific rules):
              // unmapped_transaction_type
  kHeld,      // rows do not sum to total-amount: settlement_unbalanced
};
std::string_view SettlementStatusName(SettlementStatus status);

struct JournalLine {
  Account account;
  std::string category;  // "bank" and "clearing" for the deposit and month-end clearing lines
  Money amount;          // debit positive, credit negative
  int64_t rows = 0;      // settlement rows summed into this line
};

struct Journal {
  std::string reference;  // settlement id, or "<id>/2026-08" and "<id>/deposit" when split
  TimePoint date{};
  std::string narration;
  std::vector<JournalLine> lines;

  Money Balance() const;  // sum of the lines: zero for a balanced journal
};

struct UnmappedCombination {
  std::string transaction_type;
  std::string amount_type;
  std::string amount_description;
  int64_t rows = 0;
  Money total = Money::Zero(Currency::Of("XXX"));
  std::vector<UnmappedSample> samples;
  // Set when two rules match equally well instead of none: "rules at lines 12 and 40 tie".
  std::string ambiguity;
};

struct CompileOptions {
  // One journal per calendar month (UTC, by posted-date) the settlement spans, each balanced
  // through the clearing account, plus a deposit journal moving clearing to bank.
  bool split_at_month_end = false;
  size_t max_samples = 3;  // per unmapped combination, when compiling from a report
};

struct SettlementJournal {
  std::string settlement_id;
  std::string source;
  std::string content_hash;
  std::string rule_table_version;
  TimePoint start{};
  TimePoint end{};
  TimePoint deposit_date{};
  // "XXX" is ISO 4217's "no currency" until the compiler fills these in.
  Money total_amount = Money::Zero(Currency::Of("XXX"));  // the deposit, from the summary row
  Money detail_total = Money::Zero(Currency::Of("XXX"));  // sum of every detail row
  Money difference = Money::Zero(Currency::Of("XXX"));    // total - detail; non-zero holds it
  int64_t row_count = 0;
  SettlementStatus status = SettlementStatus::kPostable;
  std::vector<Journal> journals;
  std::vector<UnmappedCombination> unmapped;

  // One line for lists and exception messages.
  std::string Summary() const;
};

SettlementJournal CompileJournal(const SettlementAggregate& aggregate, const RuleTable& rules,
                                 const CompileOptions& options = {});
// Aggregate(report) then compile.
SettlementJournal CompileJournal(const SettlementReport& report, const RuleTable& rules,
                                 const CompileOptions& options = {});

// Idempotent import: a settlement id is imported once. Same id and same content hash: a
// duplicate (overlapping discovery, re-download), skipped. Same id, other hash: Amazon re-issued
// it; reported for a person to decide, never merged.
enum class ImportKind { kNew, kDuplicate, kReissue };
ImportKind ClassifyImport(const std::string* stored_content_hash, std::string_view content_hash);
std::string_view ImportKindName(ImportKind kind);

}  // namespace mb::settlement

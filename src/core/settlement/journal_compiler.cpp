#include "core/settlement/journal_compiler.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <tuple>

#include "core/timestamp.hpp"

namespace mb::settlement {

std::string_view SettlementStatusName(SettlementStatus status) {
  switch (status) {
    case SettlementStatus::kPostable:
      return "postable";
    case SettlementStatus::kBlocked:
      return "blocked";
    case SettlementStatus::kHeld:
      return "held";
  }
  return "?";
}

std::string_view ImportKindName(ImportKind kind) {
  switch (kind) {
    case ImportKind::kNew:
      return "new";
    case ImportKind::kDuplicate:
      return "duplicate";
    case ImportKind::kReissue:
      return "reissue";
  }
  return "?";
}

ImportKind ClassifyImport(const std::string* stored_content_hash, std::string_view content_hash) {
  if (!stored_content_hash) return ImportKind::kNew;
  return *stored_content_hash == content_hash ? ImportKind::kDuplicate : ImportKind::kReissue;
}

Money Journal::Balance() const {
  if (lines.empty()) return Money::Zero(Currency::Of("XXX"));
  Money sum = Money::Zero(lines.front().amount.currency());
  for (const auto& l : lines) sum += l.amount;
  return sum;
}

std::string SettlementJournal::Summary() const {
  std::string s = "settlement " + settlement_id + " (" + FormatDate(start) + " to " +
                  FormatDate(end) + ", deposit " + total_amount.ToString() +
                  "): " + std::string(SettlementStatusName(status));
  if (!difference.is_zero()) {
    s +=
        ", detail rows sum to " + detail_total.ToString() + ", difference " + difference.ToString();
  }
  if (!unmapped.empty()) {
    s += ", " + std::to_string(unmapped.size()) + " unmapped combination(s)";
  }
  return s;
}

namespace {

constexpr int kUnmapped = -1;

// Months as year*12 + month-1, UTC.
int MonthOf(TimePoint t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  return int(ymd.year()) * 12 + int(unsigned(ymd.month())) - 1;
}

std::string MonthLabel(int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", month / 12, month % 12 + 1);
  return buf;
}

// The last millisecond of a month, UTC: the posting date of a month-end split.
TimePoint EndOfMonth(int month) {
  using namespace std::chrono;
  year_month_day first{year(month / 12), std::chrono::month(unsigned(month % 12 + 1)), day(1)};
  sys_days next = sys_days{first + months(1)};
  return time_point_cast<milliseconds>(next) - milliseconds(1);
}

class Compiler {
 public:
  Compiler(const SettlementReport& report, const RuleTable& rules, const CompileOptions& options)
      : report_(report), rules_(rules), options_(options), currency_(report.currency()) {}

  SettlementJournal Run();

 private:
  // Maps every combination the report holds to a journal line (or kUnmapped), once: a
  // settlement has a few dozen combinations and hundreds of thousands of rows.
  void ResolveCombinations();
  void NoteUnmapped(const SettlementRow& row);

  const SettlementReport& report_;
  const RuleTable& rules_;
  const CompileOptions& options_;
  Currency currency_;

  // Distinct (account, category) pairs in first-seen order, with their rule.
  std::vector<const Rule*> line_rules_;
  std::vector<int> line_of_combination_;
  std::vector<std::string> ambiguity_;  // per combination, when two rules tie
  std::vector<int> unmapped_of_combination_;
  std::vector<UnmappedCombination> unmapped_;
};

void Compiler::ResolveCombinations() {
  std::map<std::pair<std::string, std::string>, int> line_of_account;
  const auto& combinations = report_.combinations;
  line_of_combination_.assign(combinations.size(), kUnmapped);
  ambiguity_.assign(combinations.size(), {});
  unmapped_of_combination_.assign(combinations.size(), -1);
  for (size_t i = 0; i < combinations.size(); ++i) {
    const auto& c = combinations[i];
    const Rule* tie = nullptr;
    const Rule* rule = rules_.Find(c.transaction_type, c.amount_type, c.amount_description, &tie);
    if (rule && tie) {
      ambiguity_[i] = "rules at lines " + std::to_string(rule->line) + " and " +
                      std::to_string(tie->line) + " match equally well";
    }
    if (!rule || tie) continue;
    auto [pos, inserted] = line_of_account.try_emplace(
        std::make_pair(rule->account.code, rule->category), int(line_rules_.size()));
    if (inserted) line_rules_.push_back(rule);
    line_of_combination_[i] = pos->second;
  }
}

void Compiler::NoteUnmapped(const SettlementRow& row) {
  int& index = unmapped_of_combination_[row.combination];
  if (index < 0) {
    const auto& c = report_.CombinationOf(row);
    index = int(unmapped_.size());
    unmapped_.push_back(UnmappedCombination{c.transaction_type,
                                            c.amount_type,
                                            c.amount_description,
                                            0,
                                            Money::Zero(currency_),
                                            {},
                                            ambiguity_[row.combination]});
  }
  auto& u = unmapped_[size_t(index)];
  ++u.rows;
  u.total += report_.Amount(row);
  if (u.samples.size() < options_.max_samples) {
    u.samples.push_back(UnmappedSample{row.line, std::string(report_.Field(row, Column::kOrderId)),
                                       std::string(report_.Field(row, Column::kSku)),
                                       std::string(report_.Field(row, Column::kAmount)),
                                       row.has_posted ? FormatTimestamp(row.posted) : ""});
  }
}

SettlementJournal Compiler::Run() {
  SettlementJournal out;
  const auto& summary = report_.summary;
  out.settlement_id = summary.settlement_id;
  out.source = report_.source;
  out.content_hash = report_.content_hash;
  out.rule_table_version = rules_.version();
  out.start = summary.start;
  out.end = summary.end;
  out.deposit_date = summary.deposit_date;
  out.total_amount = summary.total_amount;
  out.row_count = report_.rows.size();

  const int end_month = MonthOf(summary.end);
  // Per month (or one bucket): sums and row counts per journal line, in minor units.
  struct Bucket {
    std::vector<int64_t> sums;
    std::vector<int64_t> rows;
    int64_t mapped_total = 0;
    int64_t row_count = 0;
  };
  std::map<int, Bucket> buckets;
  Bucket* bucket = &buckets[end_month];
  int bucket_month = end_month;
  int64_t detail_total = 0;
  ResolveCombinations();
  const int* line_of = line_of_combination_.data();
  for (const auto& row : report_.rows) {
    if (__builtin_add_overflow(detail_total, row.amount_minor, &detail_total)) {
      throw std::overflow_error("settlement " + out.settlement_id + ": amounts overflow");
    }
    const int line = line_of[row.combination];
    if (line == kUnmapped) {
      NoteUnmapped(row);
      continue;
    }
    if (options_.split_at_month_end) {
      int month = row.has_posted ? MonthOf(row.posted) : end_month;
      if (month != bucket_month) {
        bucket = &buckets[month];
        bucket_month = month;
      }
    }
    if (bucket->sums.empty()) {
      bucket->sums.resize(line_rules_.size(), 0);
      bucket->rows.resize(line_rules_.size(), 0);
    }
    bucket->sums[size_t(line)] += row.amount_minor;
    bucket->rows[size_t(line)] += 1;
    bucket->mapped_total += row.amount_minor;
    bucket->row_count += 1;
  }
  out.detail_total = Money(detail_total, currency_);
  out.difference = out.total_amount - out.detail_total;
  out.unmapped = std::move(unmapped_);

  // Lines in chart-of-accounts order so journals read the same every time.
  std::vector<int> order(line_rules_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const Rule* ra = line_rules_[size_t(a)];
    const Rule* rb = line_rules_[size_t(b)];
    return std::tie(ra->account.code, ra->category) < std::tie(rb->account.code, rb->category);
  });
  auto account_lines = [&](const Bucket& b, Journal& j) {
    for (int i : order) {
      if (size_t(i) >= b.sums.size() || b.rows[size_t(i)] == 0) continue;
      const Rule* r = line_rules_[size_t(i)];
      // The seller-side amount posts with the opposite sign: income is a credit, a fee a debit.
      j.lines.push_back(JournalLine{r->account, r->category, Money(-b.sums[size_t(i)], currency_),
                                    b.rows[size_t(i)]});
    }
  };
  const std::string narration = "Amazon settlement " + out.settlement_id + " " +
                                FormatDate(summary.start) + " to " + FormatDate(summary.end);
  bool split = options_.split_at_month_end && buckets.size() > 1;
  if (!split) {
    Journal j{out.settlement_id, summary.end, narration, {}};
    for (const auto& [month, b] : buckets) account_lines(b, j);
    j.lines.push_back(
        JournalLine{rules_.bank(), "bank", out.total_amount, int64_t(report_.rows.size())});
    out.journals.push_back(std::move(j));
  } else {
    for (const auto& [month, b] : buckets) {
      Journal j{out.settlement_id + "/" + MonthLabel(month),
                month == end_month ? summary.end : std::min(EndOfMonth(month), summary.end),
                narration + " (" + MonthLabel(month) + ")",
                {}};
      account_lines(b, j);
      j.lines.push_back(JournalLine{rules_.clearing(), "clearing", Money(b.mapped_total, currency_),
                                    b.row_count});
      out.journals.push_back(std::move(j));
    }
    Journal deposit{
        out.settlement_id + "/deposit", summary.deposit_date, narration + " (deposit)", {}};
    deposit.lines.push_back(
        JournalLine{rules_.bank(), "bank", out.total_amount, int64_t(report_.rows.size())});
    deposit.lines.push_back(JournalLine{rules_.clearing(), "clearing", -out.total_amount,
                                        int64_t(report_.rows.size())});
    out.journals.push_back(std::move(deposit));
  }

  if (!out.unmapped.empty()) {
    out.status = SettlementStatus::kBlocked;
  } else if (!out.difference.is_zero()) {
    out.status = SettlementStatus::kHeld;
  } else {
    out.status = SettlementStatus::kPostable;
  }
  return out;
}

}  // namespace

SettlementJournal CompileJournal(const SettlementReport& report, const RuleTable& rules,
                                 const CompileOptions& options) {
  return Compiler(report, rules, options).Run();
}

}  // namespace mb::settlement

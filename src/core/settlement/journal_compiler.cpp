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
  Compiler(const SettlementAggregate& aggregate, const RuleTable& rules,
           const CompileOptions& options)
      : aggregate_(aggregate), rules_(rules), options_(options), currency_(aggregate.currency()) {}

  SettlementJournal Run();

 private:
  const SettlementAggregate& aggregate_;
  const RuleTable& rules_;
  const CompileOptions& options_;
  Currency currency_;
};

SettlementJournal Compiler::Run() {
  const auto& a = aggregate_;
  SettlementJournal out;
  out.settlement_id = a.settlement_id;
  out.source = a.source;
  out.content_hash = a.content_hash;
  out.rule_table_version = rules_.version();
  out.start = a.start;
  out.end = a.end;
  out.deposit_date = a.deposit_date;
  out.total_amount = a.total_amount;
  out.row_count = a.row_count;

  // Distinct (account, category) pairs, each a journal line.
  std::vector<const Rule*> line_rules;
  std::map<std::pair<std::string, std::string>, int> line_of_account;
  // Per month (or one bucket): sums and row counts per journal line, in minor units.
  struct Bucket {
    std::vector<int64_t> sums;
    std::vector<int64_t> rows;
    int64_t mapped_total = 0;
    int64_t row_count = 0;
  };
  const int end_month = MonthOf(a.end);
  std::map<int, Bucket> buckets;
  int64_t detail_total = 0;
  std::vector<std::pair<const Combination*, int>> resolved;  // each combination once
  for (const auto& t : a.totals) {
    detail_total += t.amount_minor;
    auto known = std::find_if(resolved.begin(), resolved.end(),
                              [&](const auto& r) { return *r.first == t.combination; });
    int line = known == resolved.end() ? kUnmapped : known->second;
    if (known == resolved.end()) {
      const Rule* tie = nullptr;
      const Rule* rule = rules_.Find(t.combination.transaction_type, t.combination.amount_type,
                                     t.combination.amount_description, &tie);
      if (rule && !tie) {
        auto [pos, inserted] = line_of_account.try_emplace(
            std::make_pair(rule->account.code, rule->category), int(line_rules.size()));
        if (inserted) line_rules.push_back(rule);
        line = pos->second;
      }
      resolved.emplace_back(&t.combination, line);
      if (line == kUnmapped) {
        UnmappedCombination u{t.combination.transaction_type,
                              t.combination.amount_type,
                              t.combination.amount_description,
                              0,
                              Money::Zero(currency_),
                              {},
                              {}};
        if (rule && tie) {
          u.ambiguity = "rules at lines " + std::to_string(rule->line) + " and " +
                        std::to_string(tie->line) + " match equally well";
        }
        const auto& samples = a.SamplesOf(t.combination);
        u.samples.assign(samples.begin(),
                         samples.begin() + long(std::min(samples.size(), options_.max_samples)));
        out.unmapped.push_back(std::move(u));
      }
    }
    if (line == kUnmapped) {
      for (auto& u : out.unmapped) {
        if (Combination{u.transaction_type, u.amount_type, u.amount_description} == t.combination) {
          u.rows += t.rows;
          u.total += Money(t.amount_minor, currency_);
        }
      }
      continue;
    }
    Bucket& b = buckets[options_.split_at_month_end ? t.month : end_month];
    if (b.sums.size() < line_rules.size()) {
      b.sums.resize(line_rules.size(), 0);
      b.rows.resize(line_rules.size(), 0);
    }
    b.sums[size_t(line)] += t.amount_minor;
    b.rows[size_t(line)] += t.rows;
    b.mapped_total += t.amount_minor;
    b.row_count += t.rows;
  }
  if (buckets.empty()) buckets[end_month];
  out.detail_total = Money(detail_total, currency_);
  out.difference = out.total_amount - out.detail_total;

  // Lines in chart-of-accounts order so journals read the same every time.
  std::vector<int> order(line_rules.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
  std::sort(order.begin(), order.end(), [&](int x, int y) {
    const Rule* rx = line_rules[size_t(x)];
    const Rule* ry = line_rules[size_t(y)];
    return std::tie(rx->account.code, rx->category) < std::tie(ry->account.code, ry->category);
  });
  auto account_lines = [&](const Bucket& b, Journal& j) {
    for (int i : order) {
      if (size_t(i) >= b.sums.size() || b.rows[size_t(i)] == 0) continue;
      const Rule* r = line_rules[size_t(i)];
      // The seller-side amount posts with the opposite sign: income is a credit, a fee a debit.
      j.lines.push_back(JournalLine{r->account, r->category, Money(-b.sums[size_t(i)], currency_),
                                    b.rows[size_t(i)]});
    }
  };
  const std::string narration = "Amazon settlement " + out.settlement_id + " " +
                                FormatDate(a.start) + " to " + FormatDate(a.end);
  bool split = options_.split_at_month_end && buckets.size() > 1;
  if (!split) {
    Journal j{out.settlement_id, a.end, narration, {}};
    for (const auto& [month, b] : buckets) account_lines(b, j);
    j.lines.push_back(JournalLine{rules_.bank(), "bank", out.total_amount, a.row_count});
    out.journals.push_back(std::move(j));
  } else {
    for (const auto& [month, b] : buckets) {
      Journal j{out.settlement_id + "/" + MonthLabel(month),
                month == end_month ? a.end : std::min(EndOfMonth(month), a.end),
                narration + " (" + MonthLabel(month) + ")",
                {}};
      account_lines(b, j);
      j.lines.push_back(JournalLine{rules_.clearing(), "clearing", Money(b.mapped_total, currency_),
                                    b.row_count});
      out.journals.push_back(std::move(j));
    }
    Journal deposit{out.settlement_id + "/deposit", a.deposit_date, narration + " (deposit)", {}};
    deposit.lines.push_back(JournalLine{rules_.bank(), "bank", out.total_amount, a.row_count});
    deposit.lines.push_back(
        JournalLine{rules_.clearing(), "clearing", -out.total_amount, a.row_count});
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

SettlementJournal CompileJournal(const SettlementAggregate& aggregate, const RuleTable& rules,
                                 const CompileOptions& options) {
  return Compiler(aggregate, rules, options).Run();
}

SettlementJournal CompileJournal(const SettlementReport& report, const RuleTable& rules,
                                 const CompileOptions& options) {
  return CompileJournal(Aggregate(report, options.max_samples), rules, options);
}

}  // namespace mb::settlement

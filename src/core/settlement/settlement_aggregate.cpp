#include "core/settlement/settlement_aggregate.hpp"

#include <chrono>
#include <stdexcept>

#include "core/timestamp.hpp"

namespace mb::settlement {

bool operator==(const Combination& a, const Combination& b) {
  return a.transaction_type == b.transaction_type && a.amount_type == b.amount_type &&
         a.amount_description == b.amount_description;
}

int MonthOf(TimePoint t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  return int(ymd.year()) * 12 + int(unsigned(ymd.month())) - 1;
}

const std::vector<UnmappedSample>& SettlementAggregate::SamplesOf(const Combination& c) const {
  static const std::vector<UnmappedSample> kNone;
  for (const auto& [combination, list] : samples) {
    if (combination == c) return list;
  }
  return kNone;
}

namespace {

// [first, next) of the month containing t, so consecutive rows skip the calendar arithmetic.
struct MonthRange {
  int month = 0;
  TimePoint first{}, next{};
  bool Contains(TimePoint t) const { return t >= first && t < next; }
};

MonthRange RangeOf(TimePoint t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  year_month_day first{ymd.year(), ymd.month(), day(1)};
  return MonthRange{MonthOf(t), time_point_cast<milliseconds>(sys_days{first}),
                    time_point_cast<milliseconds>(sys_days{first + months(1)})};
}

}  // namespace

SettlementAggregate Aggregate(const SettlementReport& report, size_t max_samples) {
  SettlementAggregate out;
  const auto& summary = report.summary;
  out.settlement_id = summary.settlement_id;
  out.source = report.source;
  out.content_hash = report.content_hash;
  out.start = summary.start;
  out.end = summary.end;
  out.deposit_date = summary.deposit_date;
  out.total_amount = summary.total_amount;
  out.row_count = int64_t(report.rows.size());

  const int end_month = MonthOf(summary.end);
  // Per combination: (month, index into out.totals), usually one or two entries.
  std::vector<std::vector<std::pair<int, size_t>>> slots(report.combinations.size());
  std::vector<std::vector<UnmappedSample>> samples(report.combinations.size());
  MonthRange range = RangeOf(summary.end);
  for (const auto& row : report.rows) {
    int month = end_month;
    if (row.has_posted) {
      if (!range.Contains(row.posted)) range = RangeOf(row.posted);
      month = range.month;
    }
    auto& slot = slots[row.combination];
    size_t index = SIZE_MAX;
    for (const auto& [m, i] : slot) {
      if (m == month) index = i;
    }
    if (index == SIZE_MAX) {
      index = out.totals.size();
      slot.emplace_back(month, index);
      out.totals.push_back(CombinationTotal{report.combinations[row.combination], month, 0, 0});
    }
    auto& total = out.totals[index];
    ++total.rows;
    if (__builtin_add_overflow(total.amount_minor, row.amount_minor, &total.amount_minor)) {
      throw std::overflow_error("settlement " + out.settlement_id + ": amounts overflow");
    }
    auto& s = samples[row.combination];
    if (s.size() < max_samples) {
      s.push_back(UnmappedSample{row.line, std::string(report.Field(row, Column::kOrderId)),
                                 std::string(report.Field(row, Column::kSku)),
                                 std::string(report.Field(row, Column::kAmount)),
                                 row.has_posted ? FormatTimestamp(row.posted) : ""});
    }
  }
  for (size_t i = 0; i < report.combinations.size(); ++i) {
    out.samples.emplace_back(report.combinations[i], std::move(samples[i]));
  }
  return out;
}

}  // namespace mb::settlement

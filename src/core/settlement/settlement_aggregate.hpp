#pragma once
// What a settlement's journal is compiled from: the summary and, per transaction-type ×
// amount-type × amount-description (and per month), the sum and row count, with a few sample
// rows. Small (a few dozen entries), so it is what the store keeps: re-compiling after finance
// adds a rule needs neither the file nor its rows.

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "core/settlement/settlement_report.hpp"

namespace mb::settlement {

struct UnmappedSample {
  uint32_t line = 0;
  std::string order_id;
  std::string sku;
  std::string amount;  // as written in the file
  std::string posted;
};

struct CombinationTotal {
  Combination combination;
  int month = 0;  // year * 12 + month - 1 (UTC) of posted-date; the end date's month when absent
  int64_t rows = 0;
  int64_t amount_minor = 0;
};

struct SettlementAggregate {
  std::string settlement_id;
  std::string source;
  std::string content_hash;
  TimePoint start{};
  TimePoint end{};
  TimePoint deposit_date{};
  Money total_amount = Money::Zero(Currency::Of("XXX"));
  int64_t row_count = 0;
  // Per combination and month, combinations in order of first appearance in the file.
  std::vector<CombinationTotal> totals;
  // Up to a few rows per combination (in the same order as their first total), for exceptions.
  std::vector<std::pair<Combination, std::vector<UnmappedSample>>> samples;

  Currency currency() const { return total_amount.currency(); }
  const std::vector<UnmappedSample>& SamplesOf(const Combination& c) const;
};

SettlementAggregate Aggregate(const SettlementReport& report, size_t max_samples = 3);

// year * 12 + month - 1, UTC.
int MonthOf(TimePoint t);

bool operator==(const Combination& a, const Combination& b);

}  // namespace mb::settlement

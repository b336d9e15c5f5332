#pragma once
// A re-issued settlement (same id, other content): what differs between the stored version and
// the new file, summarised for finance from the two aggregates (totals, row counts, and the
// combinations whose sum or row count changed). Neither file is needed again.

#include <cstdint>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/settlement/settlement_aggregate.hpp"

namespace mb::settlement {

struct CombinationChange {
  Combination combination;
  int64_t rows_before = 0;
  int64_t rows_after = 0;
  int64_t amount_before = 0;  // minor units, summed over months
  int64_t amount_after = 0;
};

struct ReissueDiff {
  std::string settlement_id;
  std::string stored_hash;
  std::string new_hash;
  std::string new_source;
  Money total_before = Money::Zero(Currency::Of("XXX"));
  Money total_after = Money::Zero(Currency::Of("XXX"));
  int64_t rows_before = 0;
  int64_t rows_after = 0;
  bool period_changed = false;             // start, end or deposit date
  bool currency_changed = false;           // then amounts of changes are not comparable
  std::vector<CombinationChange> changes;  // stored order first, then combinations only new

  // One line for the operator, e.g. "total-amount 666.45 USD -> 686.45 USD (+20.00), rows 28 ->
  // 28, 1 combination changed: other-transaction / other-transaction / Current Reserve Amount
  // -420.00 -> -400.00".
  std::string Summary(size_t max_changes = 5) const;
};

ReissueDiff CompareAggregates(const SettlementAggregate& stored,
                              const SettlementAggregate& incoming);

}  // namespace mb::settlement

#include "core/settlement/reissue.hpp"

#include <algorithm>

namespace mb::settlement {

namespace {

// Sums per combination over months, in order of first appearance.
std::vector<CombinationTotal> PerCombination(const SettlementAggregate& a) {
  std::vector<CombinationTotal> out;
  for (const auto& t : a.totals) {
    auto it = std::find_if(out.begin(), out.end(), [&](const CombinationTotal& o) {
      return o.combination == t.combination;
    });
    if (it == out.end()) {
      out.push_back(CombinationTotal{t.combination, 0, t.rows, t.amount_minor});
    } else {
      it->rows += t.rows;
      it->amount_minor += t.amount_minor;
    }
  }
  return out;
}

std::string Signed(const Money& m) { return (m.is_negative() ? "" : "+") + m.ToDecimalString(); }

}  // namespace

ReissueDiff CompareAggregates(const SettlementAggregate& stored,
                              const SettlementAggregate& incoming) {
  ReissueDiff d;
  d.settlement_id = stored.settlement_id;
  d.stored_hash = stored.content_hash;
  d.new_hash = incoming.content_hash;
  d.new_source = incoming.source;
  d.total_before = stored.total_amount;
  d.total_after = incoming.total_amount;
  d.rows_before = stored.row_count;
  d.rows_after = incoming.row_count;
  d.period_changed = stored.start != incoming.start || stored.end != incoming.end ||
                     stored.deposit_date != incoming.deposit_date;
  d.currency_changed = stored.currency() != incoming.currency();
  const auto before = PerCombination(stored);
  const auto after = PerCombination(incoming);
  auto find = [](const std::vector<CombinationTotal>& list, const Combination& c) {
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const CombinationTotal& o) { return o.combination == c; });
    return it == list.end() ? nullptr : &*it;
  };
  for (const auto& b : before) {
    const CombinationTotal* a = find(after, b.combination);
    CombinationChange change{b.combination, b.rows, a ? a->rows : 0, b.amount_minor,
                             a ? a->amount_minor : 0};
    if (change.rows_before != change.rows_after || change.amount_before != change.amount_after) {
      d.changes.push_back(std::move(change));
    }
  }
  for (const auto& a : after) {
    if (find(before, a.combination) == nullptr) {
      d.changes.push_back(CombinationChange{a.combination, 0, a.rows, 0, a.amount_minor});
    }
  }
  return d;
}

std::string ReissueDiff::Summary(size_t max_changes) const {
  std::string s = "total-amount " + total_before.ToString() + " -> " + total_after.ToString();
  if (!currency_changed) s += " (" + Signed(total_after - total_before) + ")";
  s += ", rows " + std::to_string(rows_before) + " -> " + std::to_string(rows_after);
  if (period_changed) s += ", period or deposit date changed";
  s += ", " + std::to_string(changes.size()) + " combination(s) changed";
  for (size_t i = 0; i < changes.size() && i < max_changes; ++i) {
    const auto& c = changes[i];
    s += i == 0 ? ": " : "; ";
    s += c.combination.transaction_type + " / " + c.combination.amount_type + " / " +
         c.combination.amount_description + " " +
         Money(c.amount_before, total_before.currency()).ToDecimalString() + " -> " +
         Money(c.amount_after, total_after.currency()).ToDecimalString();
    if (c.rows_before != c.rows_after) {
      s += " (" + std::to_string(c.rows_before) + " -> " + std::to_string(c.rows_after) + " rows)";
    }
  }
  if (changes.size() > max_changes) {
    s += "; and " + std::to_string(changes.size() - max_changes) + " more";
  }
  return s;
}

}  // namespace mb::settlement

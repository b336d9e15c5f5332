#pragma once
// Where imported settlements live (DESIGN §2.4): per settlement id its aggregate (what journals
// are compiled from), the journal as last compiled, and the re-issues seen. SQLite implements it
// in src/store/sqlite_settlement_store.cpp.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/settlement/journal_compiler.hpp"
#include "core/settlement/order_match.hpp"
#include "core/settlement/settlement_aggregate.hpp"

namespace mb {

struct StoredSettlement {
  settlement::SettlementAggregate aggregate;
  settlement::SettlementJournal journal;  // as last compiled
  bool split_at_month_end = false;
  TimePoint imported_at{};
  TimePoint compiled_at{};
  int reissues = 0;  // other versions of this settlement id seen after it was imported
  // Settled orders against the order ledger, as checked at import; nullopt for settlements
  // imported before the check existed.
  std::optional<settlement::OrderCheck> order_check;
};

struct SettlementListing {
  std::string settlement_id;
  settlement::SettlementStatus status = settlement::SettlementStatus::kPostable;
  TimePoint start{};
  TimePoint end{};
  TimePoint deposit_date{};
  Money total_amount = Money::Zero(Currency::Of("XXX"));
  Money difference = Money::Zero(Currency::Of("XXX"));
  int64_t unmapped = 0;  // combinations no rule maps
  std::string rule_table_version;
  TimePoint imported_at{};
  int reissues = 0;
};

class SettlementStore {
 public:
  virtual ~SettlementStore() = default;
  virtual Result<std::optional<std::string>> FindContentHash(std::string_view settlement_id) = 0;
  // A new settlement; kConflict when the id is already stored.
  virtual Status Insert(const settlement::SettlementAggregate& aggregate,
                        const settlement::SettlementJournal& journal, bool split_at_month_end,
                        TimePoint now) = 0;
  // After a re-compile (a rule was added): replaces the journal, its status and unmapped list.
  virtual Status ReplaceJournal(const settlement::SettlementJournal& journal, TimePoint now) = 0;
  // Returns false when this content of the id was already recorded as a re-issue.
  virtual Result<bool> RecordReissue(std::string_view settlement_id, std::string_view content_hash,
                                     std::string_view source, TimePoint now) = 0;
  // Replaces the order check of a stored settlement.
  virtual Status SaveOrderCheck(std::string_view settlement_id, const settlement::OrderCheck& check,
                                TimePoint now) = 0;
  // Removes a settlement and everything stored with it (before importing a replacement).
  virtual Status Delete(std::string_view settlement_id) = 0;
  virtual Result<std::optional<StoredSettlement>> Load(std::string_view settlement_id) = 0;
  // Newest settlement period first.
  virtual Result<std::vector<SettlementListing>> List(int limit) = 0;
};

}  // namespace mb

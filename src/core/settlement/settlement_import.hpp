#pragma once
// Importing a settlement: idempotent by settlement id and content, compiled with the rule table,
// stored, and raised to finance when it cannot be posted. Re-compiling (after a rule was added)
// works from the stored aggregate and closes the exceptions once the journal is postable.

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/exception_registry.hpp"
#include "core/settlement/journal_compiler.hpp"
#include "core/settlement/order_match.hpp"
#include "core/settlement/reissue.hpp"
#include "core/settlement/settlement_report.hpp"
#include "ports/settlement_store.hpp"

namespace mb::settlement {

struct ImportOutcome {
  ImportKind kind = ImportKind::kNew;
  bool replaced = false;  // a re-issue that replaced the stored settlement (replace = true)
  std::string settlement_id;
  SettlementStatus status = SettlementStatus::kPostable;  // of the stored settlement
  std::string message;                                    // one line for the operator
  std::optional<ReissueDiff> reissue;                     // kReissue: what differs
  std::optional<OrderCheck> orders;                       // imported: the order ledger check
};

class SettlementService {
 public:
  // `ledger` (may be null: orders are then "not checked") is read to match settled orders
  // against the orders the engine created in SCAYLE and shipped.
  SettlementService(SettlementStore& store, ExceptionRegistry& exceptions,
                    OrderLedgerView* ledger = nullptr)
      : store_(store), exceptions_(exceptions), ledger_(ledger) {}

  // With `replace`, a re-issue (same id, other content) replaces the stored settlement: the
  // person's decision after comparing them, e.g. a corrected download of a held settlement.
  Result<ImportOutcome> Import(const SettlementReport& report, const RuleTable& rules,
                               const CompileOptions& options, TimePoint now, bool replace = false);
  Result<SettlementJournal> Recompile(std::string_view settlement_id, const RuleTable& rules,
                                      TimePoint now);

 private:
  // Raises unmapped_transaction_type / settlement_unbalanced for what is wrong with `journal`
  // and resolves what is no longer wrong.
  Status Notify(const SettlementJournal& journal);
  // Raises or resolves settlement_order_mismatch.
  Status NotifyOrders(const std::string& settlement_id, const OrderCheck& check, Currency currency);

  SettlementStore& store_;
  ExceptionRegistry& exceptions_;
  OrderLedgerView* ledger_;
};

}  // namespace mb::settlement

#include "core/settlement/settlement_import.hpp"

#include "core/settlement/journal_export.hpp"

namespace mb::settlement {

Result<ImportOutcome> SettlementService::Import(const SettlementReport& report,
                                                const RuleTable& rules,
                                                const CompileOptions& options, TimePoint now,
                                                bool replace) {
  ImportOutcome out;
  out.settlement_id = report.settlement_id();
  auto stored_hash = store_.FindContentHash(out.settlement_id);
  if (!stored_hash) return tl::unexpected(stored_hash.error());
  out.kind = ClassifyImport(*stored_hash ? &**stored_hash : nullptr, report.content_hash);
  std::optional<StoredSettlement> stored;
  if (out.kind != ImportKind::kNew) {
    auto loaded = store_.Load(out.settlement_id);
    if (!loaded) return tl::unexpected(loaded.error());
    stored = std::move(*loaded);
    if (stored) out.status = stored->journal.status;
  }
  if (out.kind == ImportKind::kDuplicate) {
    out.message = "settlement " + out.settlement_id + " already imported with the same content (" +
                  std::string(SettlementStatusName(out.status)) + "); nothing to do";
    return out;
  }
  const SettlementAggregate aggregate = Aggregate(report, options.max_samples);
  if (out.kind == ImportKind::kReissue && stored) {
    out.reissue = CompareAggregates(stored->aggregate, aggregate);
  }
  if (out.kind == ImportKind::kReissue && replace) {
    if (auto st = store_.Delete(out.settlement_id); !st) return tl::unexpected(st.error());
    out.replaced = true;
    auto resolved = exceptions_.Resolve(
        ExceptionType::kSettlementReissued, out.settlement_id,
        "replaced by " + report.source + " (content " + report.content_hash + ")");
    if (!resolved) return tl::unexpected(resolved.error());
  } else if (out.kind == ImportKind::kReissue) {
    auto recorded =
        store_.RecordReissue(out.settlement_id, report.content_hash, report.source, now);
    if (!recorded) return tl::unexpected(recorded.error());
    const std::string diff = out.reissue ? out.reissue->Summary() : "stored version unreadable";
    out.message = "settlement " + out.settlement_id + " was imported before with other content " +
                  "(stored " + **stored_hash + ", this file " + report.content_hash +
                  "): Amazon re-issued it. " + diff +
                  ". Not merged; compare the two and decide by hand";
    auto raised = exceptions_.Raise(
        ExceptionType::kSettlementReissued, out.settlement_id,
        "settlement " + out.settlement_id + " re-issued by Amazon (" + report.source +
            "): " + diff + "; the stored version is kept until you import the file with --replace",
        out.reissue ? ReissueDetailsJson(*out.reissue) : "{}");
    if (!raised) return tl::unexpected(raised.error());
    return out;
  }
  SettlementJournal journal = CompileJournal(aggregate, rules, options);
  if (auto st = store_.Insert(aggregate, journal, options.split_at_month_end, now); !st) {
    return tl::unexpected(st.error());
  }
  if (auto st = Notify(journal); !st) return tl::unexpected(st.error());
  auto orders = CheckOrders(report, ledger_);
  if (!orders) return tl::unexpected(orders.error());
  if (auto st = store_.SaveOrderCheck(out.settlement_id, *orders, now); !st) {
    return tl::unexpected(st.error());
  }
  if (auto st = NotifyOrders(out.settlement_id, *orders, report.currency()); !st) {
    return tl::unexpected(st.error());
  }
  out.status = journal.status;
  out.message = (out.replaced ? "replaced the stored version: " : "imported ") + journal.Summary() +
                "; " + orders->Summary();
  out.orders = std::move(*orders);
  return out;
}

Result<SettlementJournal> SettlementService::Recompile(std::string_view settlement_id,
                                                       const RuleTable& rules, TimePoint now) {
  auto stored = store_.Load(settlement_id);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) {
    return Fail(ErrorCode::kNotFound,
                "settlement " + std::string(settlement_id) + " has not been imported");
  }
  CompileOptions options;
  options.split_at_month_end = (*stored)->split_at_month_end;
  SettlementJournal journal = CompileJournal((*stored)->aggregate, rules, options);
  if (auto st = store_.ReplaceJournal(journal, now); !st) return tl::unexpected(st.error());
  if (auto st = Notify(journal); !st) return tl::unexpected(st.error());
  return journal;
}

Status SettlementService::NotifyOrders(const std::string& id, const OrderCheck& check,
                                       Currency currency) {
  if (!check.checked || check.findings.empty()) {
    auto resolved =
        exceptions_.Resolve(ExceptionType::kSettlementOrderMismatch, id,
                            check.checked ? "every settled order matches the order ledger"
                                          : "orders not checked: " + check.not_checked_reason);
    if (!resolved) return tl::unexpected(resolved.error());
    return {};
  }
  constexpr size_t kListed = 5;
  std::string message = "settlement " + id + ": " + check.Summary() + ":";
  for (size_t i = 0; i < check.findings.size() && i < kListed; ++i) {
    const auto& f = check.findings[i];
    message += " [" + std::string(OrderFindingKindName(f.kind)) + " " + f.order_id + ", " +
               std::to_string(f.rows) + " rows, " + Money(f.amount_minor, currency).ToString() +
               ", line " + std::to_string(f.first_line) + "]";
  }
  if (check.findings.size() > kListed) {
    message += " and " + std::to_string(check.findings.size() - kListed) + " more";
  }
  message += "; see `marketbridge settlement show " + id + "`";
  auto raised = exceptions_.Raise(ExceptionType::kSettlementOrderMismatch, id, message,
                                  OrderCheckDetailsJson(id, check, currency));
  if (!raised) return tl::unexpected(raised.error());
  return {};
}

Status SettlementService::Notify(const SettlementJournal& journal) {
  const std::string& id = journal.settlement_id;
  if (!journal.unmapped.empty()) {
    std::string message = "settlement " + id + ": " + std::to_string(journal.unmapped.size()) +
                          " combination(s) no rule maps, posting blocked:";
    for (const auto& u : journal.unmapped) {
      message += " [" + u.transaction_type + " / " + u.amount_type + " / " + u.amount_description +
                 ": " + std::to_string(u.rows) + " rows, " + u.total.ToString() + "]";
    }
    message +=
        "; add a rule to the settlement rule table and run `marketbridge settlement "
        "recompile " +
        id + "`";
    auto raised = exceptions_.Raise(ExceptionType::kUnmappedTransactionType, id, message,
                                    UnmappedDetailsJson(journal));
    if (!raised) return tl::unexpected(raised.error());
  } else {
    auto resolved =
        exceptions_.Resolve(ExceptionType::kUnmappedTransactionType, id,
                            "every line maps (rule table " + journal.rule_table_version + ")");
    if (!resolved) return tl::unexpected(resolved.error());
  }
  if (!journal.difference.is_zero()) {
    auto raised = exceptions_.Raise(
        ExceptionType::kSettlementUnbalanced, id,
        "settlement " + id + ": detail rows sum to " + journal.detail_total.ToString() +
            " but the deposit (total-amount) is " + journal.total_amount.ToString() +
            ", difference " + journal.difference.ToString() + "; held, not posted",
        UnbalancedDetailsJson(journal));
    if (!raised) return tl::unexpected(raised.error());
  } else {
    auto resolved = exceptions_.Resolve(ExceptionType::kSettlementUnbalanced, id,
                                        "journal balances and equals the deposit");
    if (!resolved) return tl::unexpected(resolved.error());
  }
  return {};
}

}  // namespace mb::settlement

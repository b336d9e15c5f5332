#include "store/sqlite_settlement_store.hpp"

#include <array>
#include <initializer_list>

namespace mb::store {

namespace {

using settlement::SettlementJournal;
using settlement::SettlementStatus;

// Amounts in minor units of the settlement's currency; times in milliseconds since the epoch.
constexpr std::array kSettlementMigrations = {
    Migration{"settlement", 1, "imports, aggregates, journals, unmapped lines, re-issues", R"sql(
CREATE TABLE settlement_imports (
  settlement_id TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,
  source TEXT NOT NULL,
  currency TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  deposit_at INTEGER NOT NULL,
  total_minor INTEGER NOT NULL,
  detail_total_minor INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('postable', 'blocked', 'held')),
  rule_table_version TEXT NOT NULL,
  split_months INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  compiled_at INTEGER NOT NULL
);
CREATE TABLE settlement_totals (
  settlement_id TEXT NOT NULL REFERENCES settlement_imports (settlement_id),
  position INTEGER NOT NULL,
  transaction_type TEXT NOT NULL,
  amount_type TEXT NOT NULL,
  amount_description TEXT NOT NULL,
  month INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  amount_minor INTEGER NOT NULL,
  PRIMARY KEY (settlement_id, position)
);
CREATE TABLE settlement_samples (
  settlement_id TEXT NOT NULL REFERENCES settlement_imports (settlement_id),
  position INTEGER NOT NULL,
  transaction_type TEXT NOT NULL,
  amount_type TEXT NOT NULL,
  amount_description TEXT NOT NULL,
  line INTEGER NOT NULL,
  order_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  amount TEXT NOT NULL,
  posted TEXT NOT NULL,
  PRIMARY KEY (settlement_id, position)
);
CREATE TABLE settlement_journal_lines (
  settlement_id TEXT NOT NULL REFERENCES settlement_imports (settlement_id),
  seq INTEGER NOT NULL,
  journal TEXT NOT NULL,
  journal_date INTEGER NOT NULL,
  narration TEXT NOT NULL,
  account TEXT NOT NULL,
  account_name TEXT NOT NULL,
  category TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  PRIMARY KEY (settlement_id, seq)
);
CREATE TABLE settlement_unmapped (
  settlement_id TEXT NOT NULL REFERENCES settlement_imports (settlement_id),
  position INTEGER NOT NULL,
  transaction_type TEXT NOT NULL,
  amount_type TEXT NOT NULL,
  amount_description TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  total_minor INTEGER NOT NULL,
  ambiguity TEXT NOT NULL,
  PRIMARY KEY (settlement_id, position)
);
CREATE TABLE settlement_reissues (
  settlement_id TEXT NOT NULL REFERENCES settlement_imports (settlement_id),
  content_hash TEXT NOT NULL,
  source TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (settlement_id, content_hash)
);
)sql"},
    Migration{"settlement", 2, "order checks: settled orders against the order ledger", R"sql(
CREATE TABLE settlement_order_checks (
  settlement_id TEXT PRIMARY KEY REFERENCES settlement_imports (settlement_id),
  checked INTEGER NOT NULL,
  not_checked_reason TEXT NOT NULL,
  orders INTEGER NOT NULL,
  matched INTEGER NOT NULL,
  fulfilled_by_amazon INTEGER NOT NULL,
  before_ledger INTEGER NOT NULL,
  checked_at INTEGER NOT NULL
);
CREATE TABLE settlement_order_findings (
  settlement_id TEXT NOT NULL REFERENCES settlement_imports (settlement_id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  order_id TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  amount_minor INTEGER NOT NULL,
  line INTEGER NOT NULL,
  sku TEXT NOT NULL,
  PRIMARY KEY (settlement_id, position)
);
)sql"},
};

int64_t Ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromMs(int64_t ms) { return TimePoint(Duration(ms)); }

Result<SettlementStatus> ParseStatus(const std::string& s) {
  for (auto status :
       {SettlementStatus::kPostable, SettlementStatus::kBlocked, SettlementStatus::kHeld}) {
    if (settlement::SettlementStatusName(status) == s) return status;
  }
  return Fail(ErrorCode::kStorageError, "settlement store: unknown status '" + s + "'");
}

// Removes a settlement's rows from each of `tables` (children before settlement_imports).
void DeleteRows(SQLite::Database& db, std::initializer_list<const char*> tables,
                const std::string& settlement_id) {
  for (const char* table : tables) {
    SQLite::Statement del(db, std::string("DELETE FROM ") + table + " WHERE settlement_id = ?");
    del.bind(1, settlement_id);
    del.exec();
  }
}

// The journal's lines, unmapped list and status: written on import and on every re-compile.
void WriteJournal(SQLite::Database& db, const SettlementJournal& j, TimePoint now) {
  DeleteRows(db, {"settlement_journal_lines", "settlement_unmapped"}, j.settlement_id);
  SQLite::Statement line(db,
                         "INSERT INTO settlement_journal_lines (settlement_id, seq, journal, "
                         "journal_date, narration, account, account_name, category, amount_minor, "
                         "row_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int seq = 0;
  for (const auto& journal : j.journals) {
    for (const auto& l : journal.lines) {
      line.reset();
      line.bind(1, j.settlement_id);
      line.bind(2, seq++);
      line.bind(3, journal.reference);
      line.bind(4, Ms(journal.date));
      line.bind(5, journal.narration);
      line.bind(6, l.account.code);
      line.bind(7, l.account.name);
      line.bind(8, l.category);
      line.bind(9, l.amount.minor_units());
      line.bind(10, l.rows);
      line.exec();
    }
  }
  SQLite::Statement unmapped(db,
                             "INSERT INTO settlement_unmapped (settlement_id, position, "
                             "transaction_type, amount_type, amount_description, row_count, "
                             "total_minor, ambiguity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  int position = 0;
  for (const auto& u : j.unmapped) {
    unmapped.reset();
    unmapped.bind(1, j.settlement_id);
    unmapped.bind(2, position++);
    unmapped.bind(3, u.transaction_type);
    unmapped.bind(4, u.amount_type);
    unmapped.bind(5, u.amount_description);
    unmapped.bind(6, u.rows);
    unmapped.bind(7, u.total.minor_units());
    unmapped.bind(8, u.ambiguity);
    unmapped.exec();
  }
  SQLite::Statement update(db,
                           "UPDATE settlement_imports SET status = ?, rule_table_version = ?, "
                           "detail_total_minor = ?, compiled_at = ? WHERE settlement_id = ?");
  update.bind(1, std::string(settlement::SettlementStatusName(j.status)));
  update.bind(2, j.rule_table_version);
  update.bind(3, j.detail_total.minor_units());
  update.bind(4, Ms(now));
  update.bind(5, j.settlement_id);
  update.exec();
}

}  // namespace

std::span<const Migration> SettlementSqliteMigrations() { return kSettlementMigrations; }

Result<std::optional<std::string>> SqliteSettlementStore::FindContentHash(
    std::string_view settlement_id) {
  return db_->With([&](SQLite::Database& db) -> Result<std::optional<std::string>> {
    SQLite::Statement q(db, "SELECT content_hash FROM settlement_imports WHERE settlement_id = ?");
    q.bind(1, std::string(settlement_id));
    if (!q.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q.getColumn(0).getString());
  });
}

Status SqliteSettlementStore::Insert(const settlement::SettlementAggregate& a,
                                     const SettlementJournal& journal, bool split_at_month_end,
                                     TimePoint now) {
  return db_->InTransaction([&](SQLite::Database& db) -> Status {
    SQLite::Statement exists(db, "SELECT 1 FROM settlement_imports WHERE settlement_id = ?");
    exists.bind(1, a.settlement_id);
    if (exists.executeStep()) {
      return Fail(ErrorCode::kConflict, "settlement " + a.settlement_id + " is already stored");
    }
    SQLite::Statement ins(db,
                          "INSERT INTO settlement_imports (settlement_id, content_hash, source, "
                          "currency, start_at, end_at, deposit_at, total_minor, "
                          "detail_total_minor, row_count, status, rule_table_version, "
                          "split_months, imported_at, compiled_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                          "?, 0, ?, 'postable', '', ?, ?, ?)");
    ins.bind(1, a.settlement_id);
    ins.bind(2, a.content_hash);
    ins.bind(3, a.source);
    ins.bind(4, std::string(a.currency().code()));
    ins.bind(5, Ms(a.start));
    ins.bind(6, Ms(a.end));
    ins.bind(7, Ms(a.deposit_date));
    ins.bind(8, a.total_amount.minor_units());
    ins.bind(9, a.row_count);
    ins.bind(10, split_at_month_end ? 1 : 0);
    ins.bind(11, Ms(now));
    ins.bind(12, Ms(now));
    ins.exec();
    SQLite::Statement total(db,
                            "INSERT INTO settlement_totals (settlement_id, position, "
                            "transaction_type, amount_type, amount_description, month, row_count, "
                            "amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    int position = 0;
    for (const auto& t : a.totals) {
      total.reset();
      total.bind(1, a.settlement_id);
      total.bind(2, position++);
      total.bind(3, t.combination.transaction_type);
      total.bind(4, t.combination.amount_type);
      total.bind(5, t.combination.amount_description);
      total.bind(6, t.month);
      total.bind(7, t.rows);
      total.bind(8, t.amount_minor);
      total.exec();
    }
    SQLite::Statement sample(db,
                             "INSERT INTO settlement_samples (settlement_id, position, "
                             "transaction_type, amount_type, amount_description, line, order_id, "
                             "sku, amount, posted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    position = 0;
    for (const auto& [c, list] : a.samples) {
      for (const auto& s : list) {
        sample.reset();
        sample.bind(1, a.settlement_id);
        sample.bind(2, position++);
        sample.bind(3, c.transaction_type);
        sample.bind(4, c.amount_type);
        sample.bind(5, c.amount_description);
        sample.bind(6, int64_t(s.line));
        sample.bind(7, s.order_id);
        sample.bind(8, s.sku);
        sample.bind(9, s.amount);
        sample.bind(10, s.posted);
        sample.exec();
      }
    }
    WriteJournal(db, journal, now);
    return {};
  });
}

Status SqliteSettlementStore::ReplaceJournal(const SettlementJournal& journal, TimePoint now) {
  return db_->InTransaction([&](SQLite::Database& db) -> Status {
    WriteJournal(db, journal, now);
    if (db.getChanges() != 1) {
      return Fail(ErrorCode::kNotFound, "settlement " + journal.settlement_id + " is not stored");
    }
    return {};
  });
}

Result<bool> SqliteSettlementStore::RecordReissue(std::string_view settlement_id,
                                                  std::string_view content_hash,
                                                  std::string_view source, TimePoint now) {
  return db_->With([&](SQLite::Database& db) -> Result<bool> {
    SQLite::Statement ins(db,
                          "INSERT OR IGNORE INTO settlement_reissues (settlement_id, content_hash, "
                          "source, seen_at) VALUES (?, ?, ?, ?)");
    ins.bind(1, std::string(settlement_id));
    ins.bind(2, std::string(content_hash));
    ins.bind(3, std::string(source));
    ins.bind(4, Ms(now));
    return ins.exec() == 1;
  });
}

Status SqliteSettlementStore::SaveOrderCheck(std::string_view settlement_id,
                                             const settlement::OrderCheck& check, TimePoint now) {
  return db_->InTransaction([&](SQLite::Database& db) -> Status {
    const std::string id(settlement_id);
    DeleteRows(db, {"settlement_order_findings", "settlement_order_checks"}, id);
    SQLite::Statement ins(db,
                          "INSERT INTO settlement_order_checks (settlement_id, checked, "
                          "not_checked_reason, orders, matched, fulfilled_by_amazon, "
                          "before_ledger, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, id);
    ins.bind(2, check.checked ? 1 : 0);
    ins.bind(3, check.not_checked_reason);
    ins.bind(4, check.orders);
    ins.bind(5, check.matched);
    ins.bind(6, check.fulfilled_by_amazon);
    ins.bind(7, check.before_ledger);
    ins.bind(8, Ms(now));
    ins.exec();
    SQLite::Statement finding(db,
                              "INSERT INTO settlement_order_findings (settlement_id, position, "
                              "kind, order_id, row_count, amount_minor, line, sku) VALUES (?, ?, "
                              "?, ?, ?, ?, ?, ?)");
    int position = 0;
    for (const auto& f : check.findings) {
      finding.reset();
      finding.bind(1, id);
      finding.bind(2, position++);
      finding.bind(3, std::string(settlement::OrderFindingKindName(f.kind)));
      finding.bind(4, f.order_id);
      finding.bind(5, f.rows);
      finding.bind(6, f.amount_minor);
      finding.bind(7, int64_t(f.first_line));
      finding.bind(8, f.sku);
      finding.exec();
    }
    return {};
  });
}

Status SqliteSettlementStore::Delete(std::string_view settlement_id) {
  return db_->InTransaction([&](SQLite::Database& db) -> Status {
    // Children first: they reference settlement_imports.
    DeleteRows(db,
               {"settlement_totals", "settlement_samples", "settlement_journal_lines",
                "settlement_unmapped", "settlement_reissues", "settlement_order_findings",
                "settlement_order_checks", "settlement_imports"},
               std::string(settlement_id));
    return {};
  });
}

Result<std::optional<StoredSettlement>> SqliteSettlementStore::Load(
    std::string_view settlement_id) {
  return db_->With([&](SQLite::Database& db) -> Result<std::optional<StoredSettlement>> {
    const std::string id(settlement_id);
    SQLite::Statement q(db,
                        "SELECT content_hash, source, currency, start_at, end_at, deposit_at, "
                        "total_minor, detail_total_minor, row_count, status, rule_table_version, "
                        "split_months, imported_at, compiled_at, (SELECT COUNT(*) FROM "
                        "settlement_reissues r WHERE r.settlement_id = i.settlement_id) FROM "
                        "settlement_imports i WHERE settlement_id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::optional<StoredSettlement>();
    auto currency = Currency::Parse(q.getColumn(2).getString());
    if (!currency) return tl::unexpected(currency.error());
    auto status = ParseStatus(q.getColumn(9).getString());
    if (!status) return tl::unexpected(status.error());
    StoredSettlement s;
    auto& a = s.aggregate;
    a.settlement_id = id;
    a.content_hash = q.getColumn(0).getString();
    a.source = q.getColumn(1).getString();
    a.start = FromMs(q.getColumn(3).getInt64());
    a.end = FromMs(q.getColumn(4).getInt64());
    a.deposit_date = FromMs(q.getColumn(5).getInt64());
    a.total_amount = Money(q.getColumn(6).getInt64(), *currency);
    a.row_count = q.getColumn(8).getInt64();
    s.split_at_month_end = q.getColumn(11).getInt() != 0;
    s.imported_at = FromMs(q.getColumn(12).getInt64());
    s.compiled_at = FromMs(q.getColumn(13).getInt64());
    s.reissues = q.getColumn(14).getInt();

    auto& j = s.journal;
    j.settlement_id = id;
    j.source = a.source;
    j.content_hash = a.content_hash;
    j.rule_table_version = q.getColumn(10).getString();
    j.start = a.start;
    j.end = a.end;
    j.deposit_date = a.deposit_date;
    j.total_amount = a.total_amount;
    j.detail_total = Money(q.getColumn(7).getInt64(), *currency);
    j.difference = j.total_amount - j.detail_total;
    j.row_count = a.row_count;
    j.status = *status;

    SQLite::Statement totals(db,
                             "SELECT transaction_type, amount_type, amount_description, month, "
                             "row_count, amount_minor FROM settlement_totals WHERE settlement_id "
                             "= ? ORDER BY position");
    totals.bind(1, id);
    while (totals.executeStep()) {
      a.totals.push_back(settlement::CombinationTotal{
          settlement::Combination{totals.getColumn(0).getString(), totals.getColumn(1).getString(),
                                  totals.getColumn(2).getString()},
          totals.getColumn(3).getInt(), totals.getColumn(4).getInt64(),
          totals.getColumn(5).getInt64()});
    }
    SQLite::Statement samples(db,
                              "SELECT transaction_type, amount_type, amount_description, line, "
                              "order_id, sku, amount, posted FROM settlement_samples WHERE "
                              "settlement_id = ? ORDER BY position");
    samples.bind(1, id);
    while (samples.executeStep()) {
      settlement::Combination c{samples.getColumn(0).getString(), samples.getColumn(1).getString(),
                                samples.getColumn(2).getString()};
      if (a.samples.empty() || !(a.samples.back().first == c)) {
        a.samples.emplace_back(c, std::vector<settlement::UnmappedSample>{});
      }
      a.samples.back().second.push_back(settlement::UnmappedSample{
          uint32_t(samples.getColumn(3).getInt64()), samples.getColumn(4).getString(),
          samples.getColumn(5).getString(), samples.getColumn(6).getString(),
          samples.getColumn(7).getString()});
    }
    SQLite::Statement lines(db,
                            "SELECT journal, journal_date, narration, account, account_name, "
                            "category, amount_minor, row_count FROM settlement_journal_lines "
                            "WHERE settlement_id = ? ORDER BY seq");
    lines.bind(1, id);
    while (lines.executeStep()) {
      std::string reference = lines.getColumn(0).getString();
      if (j.journals.empty() || j.journals.back().reference != reference) {
        j.journals.push_back(settlement::Journal{
            reference, FromMs(lines.getColumn(1).getInt64()), lines.getColumn(2).getString(), {}});
      }
      j.journals.back().lines.push_back(settlement::JournalLine{
          settlement::Account{lines.getColumn(3).getString(), lines.getColumn(4).getString()},
          lines.getColumn(5).getString(), Money(lines.getColumn(6).getInt64(), *currency),
          lines.getColumn(7).getInt64()});
    }
    SQLite::Statement unmapped(db,
                               "SELECT transaction_type, amount_type, amount_description, "
                               "row_count, total_minor, ambiguity FROM settlement_unmapped WHERE "
                               "settlement_id = ? ORDER BY position");
    unmapped.bind(1, id);
    while (unmapped.executeStep()) {
      settlement::UnmappedCombination u{unmapped.getColumn(0).getString(),
                                        unmapped.getColumn(1).getString(),
                                        unmapped.getColumn(2).getString(),
                                        unmapped.getColumn(3).getInt64(),
                                        Money(unmapped.getColumn(4).getInt64(), *currency),
                                        {},
                                        unmapped.getColumn(5).getString()};
      u.samples = a.SamplesOf(
          settlement::Combination{u.transaction_type, u.amount_type, u.amount_description});
      j.unmapped.push_back(std::move(u));
    }
    SQLite::Statement check(db,
                            "SELECT checked, not_checked_reason, orders, matched, "
                            "fulfilled_by_amazon, before_ledger FROM settlement_order_checks "
                            "WHERE settlement_id = ?");
    check.bind(1, id);
    if (check.executeStep()) {
      settlement::OrderCheck c;
      c.checked = check.getColumn(0).getInt() != 0;
      c.not_checked_reason = check.getColumn(1).getString();
      c.orders = check.getColumn(2).getInt64();
      c.matched = check.getColumn(3).getInt64();
      c.fulfilled_by_amazon = check.getColumn(4).getInt64();
      c.before_ledger = check.getColumn(5).getInt64();
      SQLite::Statement findings(db,
                                 "SELECT kind, order_id, row_count, amount_minor, line, sku FROM "
                                 "settlement_order_findings WHERE settlement_id = ? ORDER BY "
                                 "position");
      findings.bind(1, id);
      while (findings.executeStep()) {
        auto kind = settlement::ParseOrderFindingKind(findings.getColumn(0).getString());
        if (!kind) return tl::unexpected(kind.error());
        c.findings.push_back(settlement::OrderFinding{
            *kind, findings.getColumn(1).getString(), findings.getColumn(2).getInt64(),
            findings.getColumn(3).getInt64(), uint32_t(findings.getColumn(4).getInt64()),
            findings.getColumn(5).getString()});
      }
      s.order_check = std::move(c);
    }
    return std::optional<StoredSettlement>(std::move(s));
  });
}

Result<std::vector<SettlementListing>> SqliteSettlementStore::List(int limit) {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<SettlementListing>> {
    SQLite::Statement q(db,
                        "SELECT settlement_id, status, start_at, end_at, deposit_at, currency, "
                        "total_minor, detail_total_minor, rule_table_version, imported_at, "
                        "(SELECT COUNT(*) FROM settlement_unmapped u WHERE u.settlement_id = "
                        "i.settlement_id), (SELECT COUNT(*) FROM settlement_reissues r WHERE "
                        "r.settlement_id = i.settlement_id) FROM settlement_imports i ORDER BY "
                        "end_at DESC, settlement_id LIMIT ?");
    q.bind(1, limit);
    std::vector<SettlementListing> out;
    while (q.executeStep()) {
      auto status = ParseStatus(q.getColumn(1).getString());
      if (!status) return tl::unexpected(status.error());
      auto currency = Currency::Parse(q.getColumn(5).getString());
      if (!currency) return tl::unexpected(currency.error());
      SettlementListing l;
      l.settlement_id = q.getColumn(0).getString();
      l.status = *status;
      l.start = FromMs(q.getColumn(2).getInt64());
      l.end = FromMs(q.getColumn(3).getInt64());
      l.deposit_date = FromMs(q.getColumn(4).getInt64());
      l.total_amount = Money(q.getColumn(6).getInt64(), *currency);
      l.difference = l.total_amount - Money(q.getColumn(7).getInt64(), *currency);
      l.rule_table_version = q.getColumn(8).getString();
      l.imported_at = FromMs(q.getColumn(9).getInt64());
      l.unmapped = q.getColumn(10).getInt64();
      l.reissues = q.getColumn(11).getInt();
      out.push_back(std::move(l));
    }
    return out;
  });
}

}  // namespace mb::store

#include "store/sqlite_state_store.hpp"

#include <array>

namespace mb::store {

namespace {

constexpr std::array kCoreMigrations = {
    Migration{"core", 1, "outbox, exceptions and cursors", R"sql(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  result TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (kind, state, next_attempt_at);

CREATE TABLE exceptions (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  message TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  occurrences INTEGER NOT NULL DEFAULT 1,
  resolved_at INTEGER,
  resolution TEXT NOT NULL DEFAULT ''
);
-- At most one open exception per type and key: the de-duplication rule, enforced by the store.
CREATE UNIQUE INDEX exceptions_open_key ON exceptions (type, dedup_key) WHERE resolved_at IS NULL;
CREATE INDEX exceptions_last_seen ON exceptions (last_seen);

CREATE TABLE cursors (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql"},
};

int64_t Ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromMs(int64_t ms) { return TimePoint(Duration(ms)); }

EffectState ParseEffectState(const std::string& s) {
  if (s == "in_flight") return EffectState::kInFlight;
  if (s == "done") return EffectState::kDone;
  if (s == "failed") return EffectState::kFailed;
  return EffectState::kPending;
}

constexpr const char* kEffectColumns =
    "id, kind, idempotency_key, payload, state, attempts, created_at, updated_at, next_attempt_at, "
    "lease_until, "
    "result, last_error";

Effect ReadEffect(SQLite::Statement& q) {
  Effect e;
  e.id = q.getColumn(0).getInt64();
  e.kind = q.getColumn(1).getString();
  e.key = IdempotencyKey(q.getColumn(2).getString());
  e.payload = q.getColumn(3).getString();
  e.state = ParseEffectState(q.getColumn(4).getString());
  e.attempts = q.getColumn(5).getInt();
  e.created_at = FromMs(q.getColumn(6).getInt64());
  e.updated_at = FromMs(q.getColumn(7).getInt64());
  e.next_attempt_at = FromMs(q.getColumn(8).getInt64());
  if (!q.getColumn(9).isNull()) e.lease_until = FromMs(q.getColumn(9).getInt64());
  e.result = q.getColumn(10).getString();
  e.last_error = q.getColumn(11).getString();
  return e;
}

std::optional<Effect> SelectEffectByKey(SQLite::Database& db, const std::string& key) {
  SQLite::Statement q(
      db, std::string("SELECT ") + kEffectColumns + " FROM outbox WHERE idempotency_key = ?");
  q.bind(1, key);
  if (!q.executeStep()) return std::nullopt;
  return ReadEffect(q);
}

constexpr const char* kExceptionColumns =
    "id, type, dedup_key, message, details, first_seen, last_seen, occurrences, resolved_at, "
    "resolution";

Result<RaisedException> ReadException(SQLite::Statement& q) {
  auto type = ParseExceptionType(q.getColumn(1).getString());
  if (!type) return tl::unexpected(type.error());
  RaisedException e;
  e.id = q.getColumn(0).getInt64();
  e.type = *type;
  e.dedup_key = q.getColumn(2).getString();
  e.message = q.getColumn(3).getString();
  e.details = q.getColumn(4).getString();
  e.first_seen = FromMs(q.getColumn(5).getInt64());
  e.last_seen = FromMs(q.getColumn(6).getInt64());
  e.occurrences = q.getColumn(7).getInt64();
  if (!q.getColumn(8).isNull()) e.resolved_at = FromMs(q.getColumn(8).getInt64());
  e.resolution = q.getColumn(9).getString();
  return e;
}

Status RequireOneRow(int changed, int64_t id) {
  if (changed != 1)
    return Fail(ErrorCode::kNotFound, "outbox effect " + std::to_string(id) + " does not exist");
  return {};
}

}  // namespace

std::span<const Migration> CoreSqliteMigrations() { return kCoreMigrations; }

Result<std::vector<AppliedMigration>> SqliteStateStore::Migrate(
    std::span<const Migration> migrations, TimePoint now) {
  return db_->Migrate(migrations, now);
}

Result<std::vector<AppliedMigration>> SqliteStateStore::AppliedMigrations() {
  return db_->AppliedMigrations();
}

Result<RecordOutcome> SqliteStateStore::RecordEffect(std::string_view kind,
                                                     const IdempotencyKey& key,
                                                     std::string_view payload, TimePoint now) {
  if (key.empty())
    return Fail(ErrorCode::kInvalidInput,
                "outbox: an effect of kind '" + std::string(kind) + "' has no idempotency key");
  return db_->InTransaction([&](SQLite::Database& db) -> Result<RecordOutcome> {
    if (auto existing = SelectEffectByKey(db, key.value())) return RecordOutcome{*existing, false};
    SQLite::Statement ins(
        db,
        "INSERT INTO outbox (kind, idempotency_key, payload, state, created_at, updated_at, "
        "next_attempt_at) VALUES (?, ?, ?, 'pending', ?, ?, ?)");
    ins.bind(1, std::string(kind));
    ins.bind(2, key.value());
    ins.bind(3, std::string(payload));
    ins.bind(4, Ms(now));
    ins.bind(5, Ms(now));
    ins.bind(6, Ms(now));
    ins.exec();
    return RecordOutcome{*SelectEffectByKey(db, key.value()), true};
  });
}

Result<std::vector<Effect>> SqliteStateStore::ClaimDueEffects(std::string_view kind, TimePoint now,
                                                              Duration lease, int limit) {
  return db_->InTransaction([&](SQLite::Database& db) -> Result<std::vector<Effect>> {
    std::vector<int64_t> ids;
    {
      SQLite::Statement q(
          db,
          "SELECT id FROM outbox WHERE kind = ? AND ((state = 'pending' AND next_attempt_at <= ?) "
          "OR "
          "(state = 'in_flight' AND lease_until <= ?)) ORDER BY next_attempt_at, id LIMIT ?");
      q.bind(1, std::string(kind));
      q.bind(2, Ms(now));
      q.bind(3, Ms(now));
      q.bind(4, limit);
      while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
    }
    std::vector<Effect> claimed;
    for (int64_t id : ids) {
      SQLite::Statement up(
          db,
          "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, lease_until = ?, "
          "updated_at = ? WHERE id = ?");
      up.bind(1, Ms(now + lease));
      up.bind(2, Ms(now));
      up.bind(3, id);
      up.exec();
      SQLite::Statement q(db,
                          std::string("SELECT ") + kEffectColumns + " FROM outbox WHERE id = ?");
      q.bind(1, id);
      if (q.executeStep()) claimed.push_back(ReadEffect(q));
    }
    return claimed;
  });
}

Status SqliteStateStore::MarkEffectDone(int64_t id, std::string_view result, TimePoint now) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement up(db,
                         "UPDATE outbox SET state = 'done', result = ?, lease_until = NULL, "
                         "updated_at = ? WHERE id = ?");
    up.bind(1, std::string(result));
    up.bind(2, Ms(now));
    up.bind(3, id);
    return RequireOneRow(up.exec(), id);
  });
}

Status SqliteStateStore::MarkEffectFailed(int64_t id, const Error& error,
                                          std::optional<TimePoint> retry_at, TimePoint now) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement up(
        db,
        "UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ?, lease_until = NULL, "
        "updated_at = ? WHERE id = ?");
    up.bind(1, retry_at ? "pending" : "failed");
    up.bind(2, Ms(retry_at.value_or(now)));
    up.bind(3, error.ToString());
    up.bind(4, Ms(now));
    up.bind(5, id);
    return RequireOneRow(up.exec(), id);
  });
}

Result<std::optional<Effect>> SqliteStateStore::FindEffect(const IdempotencyKey& key) {
  return db_->With([&](SQLite::Database& db) -> Result<std::optional<Effect>> {
    return SelectEffectByKey(db, key.value());
  });
}

Result<int> SqliteStateStore::ReleaseAbandonedClaims(TimePoint now) {
  return db_->With([&](SQLite::Database& db) -> Result<int> {
    SQLite::Statement up(db,
                         "UPDATE outbox SET state = 'pending', lease_until = NULL, next_attempt_at "
                         "= ?, updated_at = ? "
                         "WHERE state = 'in_flight'");
    up.bind(1, Ms(now));
    up.bind(2, Ms(now));
    return up.exec();
  });
}

Result<int> SqliteStateStore::PurgeDoneEffects(std::string_view kind, TimePoint done_before) {
  return db_->With([&](SQLite::Database& db) -> Result<int> {
    SQLite::Statement del(
        db, "DELETE FROM outbox WHERE kind = ? AND state = 'done' AND updated_at < ?");
    del.bind(1, std::string(kind));
    del.bind(2, Ms(done_before));
    return del.exec();
  });
}

Result<UpsertOutcome> SqliteStateStore::UpsertException(ExceptionType type,
                                                        std::string_view dedup_key,
                                                        std::string_view message,
                                                        std::string_view details, TimePoint now) {
  const std::string type_key(InfoFor(type).key);
  return db_->InTransaction([&](SQLite::Database& db) -> Result<UpsertOutcome> {
    SQLite::Statement up(db,
                         "UPDATE exceptions SET message = ?, details = ?, last_seen = ?, "
                         "occurrences = occurrences + 1 "
                         "WHERE type = ? AND dedup_key = ? AND resolved_at IS NULL");
    up.bind(1, std::string(message));
    up.bind(2, std::string(details));
    up.bind(3, Ms(now));
    up.bind(4, type_key);
    up.bind(5, std::string(dedup_key));
    const bool updated = up.exec() == 1;
    if (!updated) {
      SQLite::Statement ins(
          db,
          "INSERT INTO exceptions (type, dedup_key, message, details, first_seen, last_seen) "
          "VALUES (?, ?, ?, ?, ?, ?)");
      ins.bind(1, type_key);
      ins.bind(2, std::string(dedup_key));
      ins.bind(3, std::string(message));
      ins.bind(4, std::string(details));
      ins.bind(5, Ms(now));
      ins.bind(6, Ms(now));
      ins.exec();
    }
    SQLite::Statement q(
        db, std::string("SELECT ") + kExceptionColumns +
                " FROM exceptions WHERE type = ? AND dedup_key = ? AND resolved_at IS NULL");
    q.bind(1, type_key);
    q.bind(2, std::string(dedup_key));
    if (!q.executeStep()) return Fail(ErrorCode::kStorageError, "exception vanished after upsert");
    auto e = ReadException(q);
    if (!e) return tl::unexpected(e.error());
    return UpsertOutcome{*e, !updated};
  });
}

Result<bool> SqliteStateStore::ResolveException(ExceptionType type, std::string_view dedup_key,
                                                std::string_view resolution, TimePoint now) {
  return db_->With([&](SQLite::Database& db) -> Result<bool> {
    SQLite::Statement up(
        db,
        "UPDATE exceptions SET resolved_at = ?, resolution = ? WHERE type = ? AND dedup_key = ? "
        "AND resolved_at IS NULL");
    up.bind(1, Ms(now));
    up.bind(2, std::string(resolution));
    up.bind(3, std::string(InfoFor(type).key));
    up.bind(4, std::string(dedup_key));
    return up.exec() == 1;
  });
}

Result<std::vector<RaisedException>> SqliteStateStore::ListExceptions(
    const ExceptionFilter& filter) {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<RaisedException>> {
    std::string sql = std::string("SELECT ") + kExceptionColumns + " FROM exceptions WHERE 1 = 1";
    if (filter.open_only) sql += " AND resolved_at IS NULL";
    if (filter.type) sql += " AND type = :type";
    sql += " ORDER BY last_seen DESC, id DESC";
    SQLite::Statement q(db, sql);
    if (filter.type) q.bind(":type", std::string(InfoFor(*filter.type).key));
    std::vector<RaisedException> out;
    while (q.executeStep() && int(out.size()) < filter.limit) {
      auto e = ReadException(q);
      // A type this binary no longer knows is skipped rather than failing the whole listing.
      if (!e) continue;
      // Team is a property of the type, not a column: filter here.
      if (filter.team && InfoFor(e->type).owner != *filter.team) continue;
      out.push_back(std::move(*e));
    }
    return out;
  });
}

Result<std::optional<std::string>> SqliteStateStore::GetCursor(std::string_view name) {
  return db_->With([&](SQLite::Database& db) -> Result<std::optional<std::string>> {
    SQLite::Statement q(db, "SELECT value FROM cursors WHERE name = ?");
    q.bind(1, std::string(name));
    if (!q.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q.getColumn(0).getString());
  });
}

Status SqliteStateStore::SetCursor(std::string_view name, std::string_view value, TimePoint now) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement up(db,
                         "INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = "
                         "excluded.updated_at");
    up.bind(1, std::string(name));
    up.bind(2, std::string(value));
    up.bind(3, Ms(now));
    up.exec();
    return {};
  });
}

Result<std::unique_ptr<SqliteStateStore>> OpenSqliteStateStore(
    const std::string& path, std::span<const Migration> migrations, TimePoint now) {
  std::shared_ptr<SqliteDatabase> db;
  try {
    db = std::make_shared<SqliteDatabase>(path);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStorageError, e.what());
  }
  auto store = std::make_unique<SqliteStateStore>(db);
  auto applied = store->Migrate(migrations, now);
  if (!applied) return tl::unexpected(applied.error());
  return store;
}

}  // namespace mb::store

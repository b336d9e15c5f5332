#pragma once
// The embedded default StateStore: one SQLite file.

#include <memory>
#include <span>
#include <string>

#include "ports/state_store.hpp"
#include "store/sqlite_database.hpp"

namespace mb::store {

// The foundation's tables (outbox, exceptions, cursors): module "core".
std::span<const Migration> CoreSqliteMigrations();

class SqliteStateStore final : public StateStore {
 public:
  explicit SqliteStateStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  // Shared with the SQLite repositories of other modules (settlement, orders ...).
  const std::shared_ptr<SqliteDatabase>& database() const { return db_; }

  Result<std::vector<AppliedMigration>> Migrate(std::span<const Migration> migrations,
                                                TimePoint now) override;
  Result<std::vector<AppliedMigration>> AppliedMigrations() override;

  Result<RecordOutcome> RecordEffect(std::string_view kind, const IdempotencyKey& key,
                                     std::string_view payload, TimePoint now) override;
  Result<std::vector<Effect>> ClaimDueEffects(std::string_view kind, TimePoint now, Duration lease,
                                              int limit) override;
  Status MarkEffectDone(int64_t id, std::string_view result, TimePoint now) override;
  Status MarkEffectFailed(int64_t id, const Error& error, std::optional<TimePoint> retry_at,
                          TimePoint now) override;
  Result<std::optional<Effect>> FindEffect(const IdempotencyKey& key) override;
  Result<int> ReleaseAbandonedClaims(TimePoint now) override;
  Result<int> PurgeDoneEffects(std::string_view kind, TimePoint done_before) override;

  Result<UpsertOutcome> UpsertException(ExceptionType type, std::string_view dedup_key,
                                        std::string_view message, std::string_view details,
                                        TimePoint now) override;
  Result<bool> ResolveException(ExceptionType type, std::string_view dedup_key,
                                std::string_view resolution, TimePoint now) override;
  Result<std::vector<RaisedException>> ListExceptions(const ExceptionFilter& filter) override;

  Result<std::optional<std::string>> GetCursor(std::string_view name) override;
  Status SetCursor(std::string_view name, std::string_view value, TimePoint now) override;

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

// Opens (creating if needed) the store at `path` and applies `migrations`.
Result<std::unique_ptr<SqliteStateStore>> OpenSqliteStateStore(
    const std::string& path, std::span<const Migration> migrations, TimePoint now);

}  // namespace mb::store

#pragma once
// SettlementStore on the shared SQLite database: module "settlement" of the migrations.

#include <memory>
#include <span>

#include "ports/settlement_store.hpp"
#include "store/sqlite_database.hpp"

namespace mb::store {

std::span<const Migration> SettlementSqliteMigrations();

class SqliteSettlementStore final : public SettlementStore {
 public:
  explicit SqliteSettlementStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Result<std::optional<std::string>> FindContentHash(std::string_view settlement_id) override;
  Status Insert(const settlement::SettlementAggregate& aggregate,
                const settlement::SettlementJournal& journal, bool split_at_month_end,
                TimePoint now) override;
  Status ReplaceJournal(const settlement::SettlementJournal& journal, TimePoint now) override;
  Result<bool> RecordReissue(std::string_view settlement_id, std::string_view content_hash,
                             std::string_view source, TimePoint now) override;
  Status SaveOrderCheck(std::string_view settlement_id, const settlement::OrderCheck& check,
                        TimePoint now) override;
  Status Delete(std::string_view settlement_id) override;
  Result<std::optional<StoredSettlement>> Load(std::string_view settlement_id) override;
  Result<std::vector<SettlementListing>> List(int limit) override;

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace mb::store

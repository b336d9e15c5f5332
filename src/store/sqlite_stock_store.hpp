#pragma once
// StockStore on the shared SQLite file (module "stock").

#include <memory>
#include <span>

#include "ports/state_store.hpp"
#include "ports/stock_store.hpp"
#include "store/sqlite_database.hpp"

namespace mb::store {

std::span<const Migration> StockSqliteMigrations();

class SqliteStockStore final : public StockStore {
 public:
  explicit SqliteStockStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status SaveStockLevel(const StockLevelRow& row) override;
  Status SaveStockLevels(const std::vector<StockLevelRow>& rows) override;
  Result<std::vector<StockLevelRow>> LoadStockLevels() override;

  Status SaveOpenOrder(const OpenOrderRow& row) override;
  Status DeleteOpenOrder(const std::string& order_key) override;
  Result<std::vector<OpenOrderRow>> LoadOpenOrders() override;

  Result<int64_t> RecordPush(const StockPushRow& row) override;
  Status RecordPushAnswer(int64_t push_id, const std::string& status, const std::string& answer,
                          TimePoint at) override;
  Result<std::vector<StockPushRow>> PushesFor(const std::string& sku, int limit) override;
  Result<std::vector<StockPushRow>> LastLandedPushes() override;

  Status RecordFeed(const StockFeedRow& feed) override;
  Status UpdateFeed(const StockFeedRow& feed) override;
  Result<std::vector<StockFeedRow>> OpenFeeds() override;
  Result<std::vector<StockPushRow>> FeedPushes(const std::string& feed_id) override;

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace mb::store

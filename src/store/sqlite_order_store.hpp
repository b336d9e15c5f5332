#pragma once
// SQLite implementation of the OrderStore port: the ledger row (indexed columns for the queries,
// the lines, units and packages as JSON), the timeline, and sealed personal data in its own table
// so purging it never touches the ledger.

#include <memory>
#include <span>

#include "ports/order_store.hpp"
#include "store/sqlite_database.hpp"

namespace mb::store {

// The orders module's migrations (module "orders", versions 1, 2 ...).
std::span<const Migration> OrderSqliteMigrations();

class SqliteOrderStore final : public OrderStore {
 public:
  explicit SqliteOrderStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Result<std::optional<orders::OrderRecord>> LoadOrder(const AmazonOrderId& id) override;
  Status SaveOrder(const orders::OrderRecord& record,
                   std::span<const OrderTimelineEntry> events) override;
  Result<std::vector<orders::OrderRecord>> ListOpenOrders(
      int limit, const orders::OrderRecord* after = nullptr) override;
  Result<std::vector<orders::OrderRecord>> ListOrdersSeen(TimePoint from, TimePoint to) override;
  Result<std::vector<OrderTimelineEntry>> Timeline(const AmazonOrderId& id) override;
  Status SavePii(const AmazonOrderId& id, std::string_view sealed, TimePoint now) override;
  Result<std::optional<std::string>> LoadPii(const AmazonOrderId& id) override;
  Result<int> PurgePii(TimePoint now) override;

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

// The record as JSON text and back (exposed for tests).
std::string OrderRecordToJson(const orders::OrderRecord& record);
Result<orders::OrderRecord> OrderRecordFromJson(std::string_view text);

}  // namespace mb::store

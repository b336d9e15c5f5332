#include "store/sqlite_stock_store.hpp"

#include <array>

namespace mb::store {

namespace {

constexpr std::array kStockMigrations = {
    Migration{"stock", 1, "stock ledger inputs, pushes with Amazon's answers, feeds", R"sql(
CREATE TABLE stock_levels (
  sku TEXT NOT NULL,
  warehouse TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (sku, warehouse)
);

CREATE TABLE stock_open_orders (
  order_key TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  sku TEXT NOT NULL,
  units INTEGER NOT NULL,
  ordered_at INTEGER NOT NULL,
  held_at INTEGER,
  held_warehouse TEXT NOT NULL DEFAULT ''
);

CREATE TABLE stock_pushes (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('quantity', 'price')),
  value INTEGER NOT NULL,
  currency TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  lane TEXT NOT NULL,
  via TEXT NOT NULL,
  feed_id TEXT NOT NULL DEFAULT '',
  submitted_at INTEGER NOT NULL,
  amazon_status TEXT NOT NULL DEFAULT '',
  amazon_answer TEXT NOT NULL DEFAULT '',
  answered_at INTEGER
);
CREATE INDEX stock_pushes_sku ON stock_pushes (sku, id);
CREATE INDEX stock_pushes_feed ON stock_pushes (feed_id) WHERE feed_id <> '';

CREATE TABLE stock_feeds (
  feed_id TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  processing_status TEXT NOT NULL,
  accepted INTEGER NOT NULL DEFAULT 0,
  invalid INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER
);
)sql"},
};

int64_t Ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromMs(int64_t ms) { return TimePoint(Duration(ms)); }

void BindLevel(SQLite::Statement& st, const StockLevelRow& row) {
  st.bind(1, row.sku);
  st.bind(2, row.warehouse);
  st.bind(3, row.quantity);
  st.bind(4, Ms(row.changed_at));
}

// Only a newer reading replaces an older one, as in the ledger.
constexpr const char* kUpsertLevel =
    "INSERT INTO stock_levels (sku, warehouse, quantity, changed_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (sku, warehouse) DO UPDATE SET quantity = excluded.quantity, "
    "changed_at = excluded.changed_at WHERE excluded.changed_at > stock_levels.changed_at OR "
    "(excluded.changed_at = stock_levels.changed_at AND excluded.quantity < stock_levels.quantity)";

constexpr const char* kPushColumns =
    "id, sku, region, kind, value, currency, version, lane, via, feed_id, submitted_at, "
    "amazon_status, amazon_answer, answered_at";

StockPushRow ReadPush(SQLite::Statement& q) {
  StockPushRow row;
  row.id = q.getColumn(0).getInt64();
  row.sku = q.getColumn(1).getString();
  row.region = q.getColumn(2).getString();
  row.kind = q.getColumn(3).getString();
  row.value = q.getColumn(4).getInt64();
  row.currency = q.getColumn(5).getString();
  row.version = static_cast<uint64_t>(q.getColumn(6).getInt64());
  row.lane = q.getColumn(7).getString();
  row.via = q.getColumn(8).getString();
  row.feed_id = q.getColumn(9).getString();
  row.submitted_at = FromMs(q.getColumn(10).getInt64());
  row.amazon_status = q.getColumn(11).getString();
  row.amazon_answer = q.getColumn(12).getString();
  if (!q.getColumn(13).isNull()) row.answered_at = FromMs(q.getColumn(13).getInt64());
  return row;
}

StockFeedRow ReadFeed(SQLite::Statement& q) {
  StockFeedRow row;
  row.feed_id = q.getColumn(0).getString();
  row.region = q.getColumn(1).getString();
  row.submitted_at = FromMs(q.getColumn(2).getInt64());
  row.messages = q.getColumn(3).getInt64();
  row.processing_status = q.getColumn(4).getString();
  row.accepted = q.getColumn(5).getInt64();
  row.invalid = q.getColumn(6).getInt64();
  if (!q.getColumn(7).isNull()) row.finished_at = FromMs(q.getColumn(7).getInt64());
  return row;
}

}  // namespace

std::span<const Migration> StockSqliteMigrations() { return kStockMigrations; }

Status SqliteStockStore::SaveStockLevel(const StockLevelRow& row) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement st(db, kUpsertLevel);
    BindLevel(st, row);
    st.exec();
    return {};
  });
}

Status SqliteStockStore::SaveStockLevels(const std::vector<StockLevelRow>& rows) {
  return db_->InTransaction([&](SQLite::Database& db) -> Status {
    SQLite::Statement st(db, kUpsertLevel);
    for (const auto& row : rows) {
      BindLevel(st, row);
      st.exec();
      st.reset();
    }
    return {};
  });
}

Result<std::vector<StockLevelRow>> SqliteStockStore::LoadStockLevels() {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<StockLevelRow>> {
    SQLite::Statement q(db, "SELECT sku, warehouse, quantity, changed_at FROM stock_levels");
    std::vector<StockLevelRow> rows;
    while (q.executeStep()) {
      rows.push_back(StockLevelRow{q.getColumn(0).getString(), q.getColumn(1).getString(),
                                   q.getColumn(2).getInt64(), FromMs(q.getColumn(3).getInt64())});
    }
    return rows;
  });
}

Status SqliteStockStore::SaveOpenOrder(const OpenOrderRow& row) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement st(
        db,
        "INSERT INTO stock_open_orders (order_key, region, sku, units, ordered_at, "
        "held_at, held_warehouse) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (order_key) DO UPDATE SET held_at = excluded.held_at, "
        "held_warehouse = excluded.held_warehouse");
    st.bind(1, row.order_key);
    st.bind(2, row.region);
    st.bind(3, row.sku);
    st.bind(4, row.units);
    st.bind(5, Ms(row.ordered_at));
    if (row.held_at)
      st.bind(6, Ms(*row.held_at));
    else
      st.bind(6);
    st.bind(7, row.held_warehouse);
    st.exec();
    return {};
  });
}

Status SqliteStockStore::DeleteOpenOrder(const std::string& order_key) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement st(db, "DELETE FROM stock_open_orders WHERE order_key = ?");
    st.bind(1, order_key);
    st.exec();
    return {};
  });
}

Result<std::vector<OpenOrderRow>> SqliteStockStore::LoadOpenOrders() {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<OpenOrderRow>> {
    SQLite::Statement q(db,
                        "SELECT order_key, region, sku, units, ordered_at, held_at, held_warehouse "
                        "FROM stock_open_orders ORDER BY ordered_at");
    std::vector<OpenOrderRow> rows;
    while (q.executeStep()) {
      OpenOrderRow row;
      row.order_key = q.getColumn(0).getString();
      row.region = q.getColumn(1).getString();
      row.sku = q.getColumn(2).getString();
      row.units = q.getColumn(3).getInt64();
      row.ordered_at = FromMs(q.getColumn(4).getInt64());
      if (!q.getColumn(5).isNull()) row.held_at = FromMs(q.getColumn(5).getInt64());
      row.held_warehouse = q.getColumn(6).getString();
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

Result<int64_t> SqliteStockStore::RecordPush(const StockPushRow& row) {
  return db_->With([&](SQLite::Database& db) -> Result<int64_t> {
    SQLite::Statement st(db,
                         "INSERT INTO stock_pushes (sku, region, kind, value, currency, version, "
                         "lane, via, feed_id, submitted_at, amazon_status, amazon_answer) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, row.sku);
    st.bind(2, row.region);
    st.bind(3, row.kind);
    st.bind(4, row.value);
    st.bind(5, row.currency);
    st.bind(6, static_cast<int64_t>(row.version));
    st.bind(7, row.lane);
    st.bind(8, row.via);
    st.bind(9, row.feed_id);
    st.bind(10, Ms(row.submitted_at));
    st.bind(11, row.amazon_status);
    st.bind(12, row.amazon_answer);
    st.exec();
    return db.getLastInsertRowid();
  });
}

Status SqliteStockStore::RecordPushAnswer(int64_t push_id, const std::string& status,
                                          const std::string& answer, TimePoint at) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement st(db,
                         "UPDATE stock_pushes SET amazon_status = ?, amazon_answer = ?, "
                         "answered_at = ? WHERE id = ?");
    st.bind(1, status);
    st.bind(2, answer);
    st.bind(3, Ms(at));
    st.bind(4, push_id);
    st.exec();
    if (db.getChanges() == 0)
      return Fail(ErrorCode::kNotFound, "stock: push " + std::to_string(push_id) + " not found");
    return {};
  });
}

Result<std::vector<StockPushRow>> SqliteStockStore::PushesFor(const std::string& sku, int limit) {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<StockPushRow>> {
    SQLite::Statement q(db, std::string("SELECT ") + kPushColumns +
                                " FROM stock_pushes WHERE sku = ? ORDER BY id DESC LIMIT ?");
    q.bind(1, sku);
    q.bind(2, limit);
    std::vector<StockPushRow> rows;
    while (q.executeStep()) rows.push_back(ReadPush(q));
    return rows;
  });
}

Result<std::vector<StockPushRow>> SqliteStockStore::LastLandedPushes() {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<StockPushRow>> {
    SQLite::Statement q(
        db, std::string("SELECT ") + kPushColumns +
                " FROM stock_pushes WHERE id IN (SELECT MAX(id) FROM stock_pushes WHERE "
                "amazon_status IN ('ACCEPTED', 'applied') GROUP BY sku, region, kind)");
    std::vector<StockPushRow> rows;
    while (q.executeStep()) rows.push_back(ReadPush(q));
    return rows;
  });
}

Status SqliteStockStore::RecordFeed(const StockFeedRow& feed) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement st(db,
                         "INSERT INTO stock_feeds (feed_id, region, submitted_at, messages, "
                         "processing_status) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, feed.feed_id);
    st.bind(2, feed.region);
    st.bind(3, Ms(feed.submitted_at));
    st.bind(4, feed.messages);
    st.bind(5, feed.processing_status);
    st.exec();
    return {};
  });
}

Status SqliteStockStore::UpdateFeed(const StockFeedRow& feed) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement st(db,
                         "UPDATE stock_feeds SET processing_status = ?, accepted = ?, invalid = ?, "
                         "finished_at = ? WHERE feed_id = ?");
    st.bind(1, feed.processing_status);
    st.bind(2, feed.accepted);
    st.bind(3, feed.invalid);
    if (feed.finished_at)
      st.bind(4, Ms(*feed.finished_at));
    else
      st.bind(4);
    st.bind(5, feed.feed_id);
    st.exec();
    if (db.getChanges() == 0)
      return Fail(ErrorCode::kNotFound, "stock: feed " + feed.feed_id + " not recorded");
    return {};
  });
}

Result<std::vector<StockFeedRow>> SqliteStockStore::OpenFeeds() {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<StockFeedRow>> {
    SQLite::Statement q(db,
                        "SELECT feed_id, region, submitted_at, messages, processing_status, "
                        "accepted, invalid, finished_at FROM stock_feeds WHERE finished_at IS NULL "
                        "ORDER BY submitted_at");
    std::vector<StockFeedRow> rows;
    while (q.executeStep()) rows.push_back(ReadFeed(q));
    return rows;
  });
}

Result<std::vector<StockPushRow>> SqliteStockStore::FeedPushes(const std::string& feed_id) {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<StockPushRow>> {
    SQLite::Statement q(db, std::string("SELECT ") + kPushColumns +
                                " FROM stock_pushes WHERE feed_id = ? ORDER BY id");
    q.bind(1, feed_id);
    std::vector<StockPushRow> rows;
    while (q.executeStep()) rows.push_back(ReadPush(q));
    return rows;
  });
}

}  // namespace mb::store

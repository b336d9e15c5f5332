#include "store/sqlite_order_store.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <limits>

namespace mb::store {

namespace {

using nlohmann::json;
using orders::OrderRecord;

constexpr std::array kOrderMigrations = {
    Migration{"orders", 1, "order ledger, timeline and sealed personal data", R"sql(
CREATE TABLE orders_ledger (
  amazon_order_id TEXT PRIMARY KEY,
  marketplace_id TEXT NOT NULL,
  state TEXT NOT NULL,
  amazon_status TEXT NOT NULL,
  open INTEGER NOT NULL,
  first_seen_at INTEGER NOT NULL,
  latest_ship_date INTEGER,
  scayle_order_id INTEGER NOT NULL DEFAULT 0,
  pii_purge_after INTEGER,
  updated_at INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX orders_ledger_open ON orders_ledger (open, first_seen_at);
CREATE INDEX orders_ledger_seen ON orders_ledger (first_seen_at);

CREATE TABLE orders_timeline (
  id INTEGER PRIMARY KEY,
  amazon_order_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('amazon', 'engine', 'scayle')),
  event TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX orders_timeline_order ON orders_timeline (amazon_order_id, at);

-- Buyer and address, AES-256-GCM sealed by the engine; the key is never stored.
CREATE TABLE orders_pii (
  amazon_order_id TEXT PRIMARY KEY,
  sealed TEXT NOT NULL,
  stored_at INTEGER NOT NULL
);
)sql"},
};

int64_t Ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromMs(int64_t ms) { return TimePoint(Duration(ms)); }

json OptTime(const std::optional<TimePoint>& t) { return t ? json(Ms(*t)) : json(nullptr); }
std::optional<TimePoint> ReadOptTime(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return FromMs(j[key].get<int64_t>());
}
json OptInt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
std::optional<int64_t> ReadOptInt(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<int64_t>();
}
json MoneyJson(const std::optional<Money>& m) {
  if (!m) return nullptr;
  return json{{"minor", m->minor_units()}, {"currency", std::string(m->currency().code())}};
}
std::optional<Money> ReadMoney(const json& j) {
  if (j.is_null()) return std::nullopt;
  return Money(j.at("minor").get<int64_t>(), Currency::Of(j.at("currency").get<std::string>()));
}

OrderRecord ReadRecord(SQLite::Statement& q) {
  auto parsed = OrderRecordFromJson(q.getColumn(0).getString());
  if (!parsed) throw SQLite::Exception("orders_ledger.record: " + parsed.error().message);
  return std::move(*parsed);
}

}  // namespace

std::span<const Migration> OrderSqliteMigrations() { return kOrderMigrations; }

std::string OrderRecordToJson(const OrderRecord& r) {
  json lines = json::array();
  for (const auto& l : r.lines) {
    lines.push_back({{"item", l.order_item_id.value()},
                     {"sku", l.sku.value()},
                     {"qty", l.quantity},
                     {"price", MoneyJson(l.unit_price)},
                     {"variant", l.variant_id},
                     {"unmapped", l.unmapped}});
  }
  json units = json::array();
  for (const auto& u : r.units) {
    units.push_back({{"item", u.order_item_id.value()},
                     {"i", u.index},
                     {"rid", OptInt(u.reservation_id)},
                     {"held", u.held},
                     {"released", u.released},
                     {"cancelled", u.cancelled},
                     {"sitem", OptInt(u.scayle_item_id)},
                     {"pkg", OptInt(u.package_id)},
                     {"scancel", u.scayle_cancelled},
                     {"srefused", u.scayle_cancel_refused}});
  }
  json packages = json::array();
  for (const auto& p : r.packages) {
    json items = json::array();
    for (const auto& [item, qty] : p.items) items.push_back({item.value(), qty});
    packages.push_back({{"id", p.scayle_package_id},
                        {"ref", p.package_reference_id},
                        {"carrier", p.carrier_key},
                        {"tracking", p.tracking_number},
                        {"shipped_at", OptTime(p.shipped_at)},
                        {"items", items},
                        {"confirm", std::string(orders::ConfirmStateName(p.confirm))},
                        {"confirmed_at", OptTime(p.confirmed_at)},
                        {"rejection", p.rejection}});
  }
  json j = {{"order", r.order_id.value()},
            {"marketplace", r.marketplace_id.value()},
            {"raw_status", r.raw_status},
            {"mfn", r.merchant_fulfilled},
            {"purchase_date", OptTime(r.purchase_date)},
            {"latest_ship_date", OptTime(r.latest_ship_date)},
            {"latest_delivery_date", OptTime(r.latest_delivery_date)},
            {"first_seen_at", Ms(r.first_seen_at)},
            {"last_amazon_update", Ms(r.last_amazon_update)},
            {"unshipped_at", OptTime(r.unshipped_at)},
            {"held_at", OptTime(r.held_at)},
            {"created_at", OptTime(r.created_at)},
            {"scayle_order_id", r.scayle_order_id},
            {"shipped_at", OptTime(r.shipped_at)},
            {"confirmed_at", OptTime(r.confirmed_at)},
            {"cancelled_at", OptTime(r.cancelled_at)},
            {"released_at", OptTime(r.released_at)},
            {"pii_purge_after", OptTime(r.pii_purge_after)},
            {"ghost", r.ghost},
            {"lines", lines},
            {"units", units},
            {"packages", packages}};
  return j.dump();
}

Result<OrderRecord> OrderRecordFromJson(std::string_view text) {
  try {
    json j = json::parse(text);
    OrderRecord r;
    r.order_id = AmazonOrderId(j.at("order").get<std::string>());
    r.marketplace_id = MarketplaceId(j.at("marketplace").get<std::string>());
    r.raw_status = j.at("raw_status").get<std::string>();
    r.status = orders::ParseAmazonStatus(r.raw_status);
    r.merchant_fulfilled = j.at("mfn").get<bool>();
    r.purchase_date = ReadOptTime(j, "purchase_date");
    r.latest_ship_date = ReadOptTime(j, "latest_ship_date");
    r.latest_delivery_date = ReadOptTime(j, "latest_delivery_date");
    r.first_seen_at = FromMs(j.at("first_seen_at").get<int64_t>());
    r.last_amazon_update = FromMs(j.at("last_amazon_update").get<int64_t>());
    r.unshipped_at = ReadOptTime(j, "unshipped_at");
    r.held_at = ReadOptTime(j, "held_at");
    r.created_at = ReadOptTime(j, "created_at");
    r.scayle_order_id = j.at("scayle_order_id").get<int64_t>();
    r.shipped_at = ReadOptTime(j, "shipped_at");
    r.confirmed_at = ReadOptTime(j, "confirmed_at");
    r.cancelled_at = ReadOptTime(j, "cancelled_at");
    r.released_at = ReadOptTime(j, "released_at");
    r.pii_purge_after = ReadOptTime(j, "pii_purge_after");
    r.ghost = j.at("ghost").get<bool>();
    for (const auto& l : j.at("lines")) {
      orders::OrderLine line;
      line.order_item_id = AmazonOrderItemId(l.at("item").get<std::string>());
      line.sku = Sku(l.at("sku").get<std::string>());
      line.quantity = l.at("qty").get<int64_t>();
      line.unit_price = ReadMoney(l.at("price"));
      line.variant_id = l.at("variant").get<int64_t>();
      line.unmapped = l.at("unmapped").get<bool>();
      r.lines.push_back(std::move(line));
    }
    for (const auto& u : j.at("units")) {
      orders::OrderUnit unit;
      unit.order_item_id = AmazonOrderItemId(u.at("item").get<std::string>());
      unit.index = u.at("i").get<int>();
      unit.reservation_id = ReadOptInt(u, "rid");
      unit.held = u.at("held").get<bool>();
      unit.released = u.at("released").get<bool>();
      unit.cancelled = u.at("cancelled").get<bool>();
      unit.scayle_item_id = ReadOptInt(u, "sitem");
      unit.package_id = ReadOptInt(u, "pkg");
      // Records written before SCAYLE cancellations were tracked lack these.
      unit.scayle_cancelled = u.value("scancel", false);
      unit.scayle_cancel_refused = u.value("srefused", std::string());
      r.units.push_back(std::move(unit));
    }
    for (const auto& p : j.at("packages")) {
      orders::OrderPackage pkg;
      pkg.scayle_package_id = p.at("id").get<int64_t>();
      pkg.package_reference_id = p.at("ref").get<std::string>();
      pkg.carrier_key = p.at("carrier").get<std::string>();
      pkg.tracking_number = p.at("tracking").get<std::string>();
      pkg.shipped_at = ReadOptTime(p, "shipped_at");
      for (const auto& it : p.at("items"))
        pkg.items.emplace_back(AmazonOrderItemId(it.at(0).get<std::string>()),
                               it.at(1).get<int64_t>());
      std::string confirm = p.at("confirm").get<std::string>();
      pkg.confirm = confirm == "confirmed"  ? orders::ConfirmState::kConfirmed
                    : confirm == "rejected" ? orders::ConfirmState::kRejected
                                            : orders::ConfirmState::kPending;
      pkg.confirmed_at = ReadOptTime(p, "confirmed_at");
      pkg.rejection = p.at("rejection").get<std::string>();
      r.packages.push_back(std::move(pkg));
    }
    return r;
  } catch (const json::exception& e) {
    return Fail(ErrorCode::kParseError, std::string("order ledger record: ") + e.what());
  }
}

Result<std::optional<OrderRecord>> SqliteOrderStore::LoadOrder(const AmazonOrderId& id) {
  return db_->With([&](SQLite::Database& db) -> Result<std::optional<OrderRecord>> {
    SQLite::Statement q(db, "SELECT record FROM orders_ledger WHERE amazon_order_id = ?");
    q.bind(1, id.value());
    if (!q.executeStep()) return std::optional<OrderRecord>();
    return std::optional<OrderRecord>(ReadRecord(q));
  });
}

Status SqliteOrderStore::SaveOrder(const OrderRecord& r,
                                   std::span<const OrderTimelineEntry> events) {
  std::string text = OrderRecordToJson(r);
  return db_->InTransaction([&](SQLite::Database& db) -> Status {
    SQLite::Statement up(db, R"sql(
INSERT INTO orders_ledger (amazon_order_id, marketplace_id, state, amazon_status, open,
  first_seen_at, latest_ship_date, scayle_order_id, pii_purge_after, updated_at, record)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (amazon_order_id) DO UPDATE SET marketplace_id = excluded.marketplace_id,
  state = excluded.state, amazon_status = excluded.amazon_status, open = excluded.open,
  latest_ship_date = excluded.latest_ship_date, scayle_order_id = excluded.scayle_order_id,
  pii_purge_after = excluded.pii_purge_after, updated_at = excluded.updated_at,
  record = excluded.record)sql");
    up.bind(1, r.order_id.value());
    up.bind(2, r.marketplace_id.value());
    up.bind(3, std::string(orders::OrderStateName(r.State())));
    up.bind(4, r.raw_status);
    up.bind(5, r.Terminal() ? 0 : 1);
    up.bind(6, Ms(r.first_seen_at));
    if (r.latest_ship_date) up.bind(7, Ms(*r.latest_ship_date));
    up.bind(8, r.scayle_order_id);
    if (r.pii_purge_after) up.bind(9, Ms(*r.pii_purge_after));
    up.bind(10, Ms(std::max(r.last_amazon_update, r.first_seen_at)));
    up.bind(11, text);
    up.exec();
    for (const auto& e : events) {
      SQLite::Statement ins(db,
                            "INSERT INTO orders_timeline (amazon_order_id, at, source, event, "
                            "detail) VALUES (?, ?, ?, ?, ?)");
      ins.bind(1, r.order_id.value());
      ins.bind(2, Ms(e.at));
      ins.bind(3, e.source);
      ins.bind(4, e.event);
      ins.bind(5, e.detail);
      ins.exec();
    }
    return {};
  });
}

Result<std::vector<OrderRecord>> SqliteOrderStore::ListOpenOrders(int limit,
                                                                  const OrderRecord* after) {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<OrderRecord>> {
    // Keyset paging on (first_seen_at, id): stable while orders open and close between pages.
    SQLite::Statement q(db, R"sql(
SELECT record FROM orders_ledger WHERE open = 1
  AND (first_seen_at > ?1 OR (first_seen_at = ?1 AND amazon_order_id > ?2))
ORDER BY first_seen_at, amazon_order_id LIMIT ?3)sql");
    q.bind(1, after ? Ms(after->first_seen_at) : std::numeric_limits<int64_t>::min());
    q.bind(2, after ? after->order_id.value() : std::string());
    q.bind(3, limit);
    std::vector<OrderRecord> out;
    while (q.executeStep()) out.push_back(ReadRecord(q));
    return out;
  });
}

Result<std::vector<OrderRecord>> SqliteOrderStore::ListOrdersSeen(TimePoint from, TimePoint to) {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<OrderRecord>> {
    SQLite::Statement q(db,
                        "SELECT record FROM orders_ledger WHERE first_seen_at >= ? AND "
                        "first_seen_at < ? ORDER BY first_seen_at");
    q.bind(1, Ms(from));
    q.bind(2, Ms(to));
    std::vector<OrderRecord> out;
    while (q.executeStep()) out.push_back(ReadRecord(q));
    return out;
  });
}

Result<std::vector<OrderTimelineEntry>> SqliteOrderStore::Timeline(const AmazonOrderId& id) {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<OrderTimelineEntry>> {
    SQLite::Statement q(db,
                        "SELECT at, source, event, detail FROM orders_timeline WHERE "
                        "amazon_order_id = ? ORDER BY at, id");
    q.bind(1, id.value());
    std::vector<OrderTimelineEntry> out;
    while (q.executeStep()) {
      out.push_back({FromMs(q.getColumn(0).getInt64()), q.getColumn(1).getString(),
                     q.getColumn(2).getString(), q.getColumn(3).getString()});
    }
    return out;
  });
}

Status SqliteOrderStore::SavePii(const AmazonOrderId& id, std::string_view sealed, TimePoint now) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement q(db,
                        "INSERT INTO orders_pii (amazon_order_id, sealed, stored_at) VALUES (?, ?, "
                        "?) ON CONFLICT (amazon_order_id) DO UPDATE SET sealed = excluded.sealed, "
                        "stored_at = excluded.stored_at");
    q.bind(1, id.value());
    q.bind(2, std::string(sealed));
    q.bind(3, Ms(now));
    q.exec();
    return {};
  });
}

Result<std::optional<std::string>> SqliteOrderStore::LoadPii(const AmazonOrderId& id) {
  return db_->With([&](SQLite::Database& db) -> Result<std::optional<std::string>> {
    SQLite::Statement q(db, "SELECT sealed FROM orders_pii WHERE amazon_order_id = ?");
    q.bind(1, id.value());
    if (!q.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q.getColumn(0).getString());
  });
}

Result<int> SqliteOrderStore::PurgePii(TimePoint now) {
  return db_->With([&](SQLite::Database& db) -> Result<int> {
    SQLite::Statement q(db,
                        "DELETE FROM orders_pii WHERE amazon_order_id IN (SELECT amazon_order_id "
                        "FROM orders_ledger WHERE pii_purge_after IS NOT NULL AND pii_purge_after "
                        "<= ?)");
    q.bind(1, Ms(now));
    return q.exec();
  });
}

}  // namespace mb::store

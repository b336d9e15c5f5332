#include "store/sqlite_catalogue_store.hpp"

#include <array>

namespace mb {

std::string_view ListingStateName(ListingState state) {
  switch (state) {
    case ListingState::kSubmitted:
      return "submitted";
    case ListingState::kListed:
      return "listed";
    case ListingState::kRefused:
      return "refused";
    case ListingState::kDelisted:
      return "delisted";
  }
  return "submitted";
}

Result<ListingState> ParseListingState(std::string_view name) {
  for (auto s : {ListingState::kSubmitted, ListingState::kListed, ListingState::kRefused,
                 ListingState::kDelisted}) {
    if (ListingStateName(s) == name) return s;
  }
  return Fail(ErrorCode::kInvalidInput, "unknown listing state '" + std::string(name) + "'");
}

}  // namespace mb

namespace mb::store {

namespace {

constexpr std::array kMigrations = {
    Migration{"catalogue", 1, "listings the catalogue loop submitted, refused or delisted",
              "CREATE TABLE catalogue_listings ("
              " sku TEXT NOT NULL, marketplace TEXT NOT NULL, product_type TEXT NOT NULL,"
              " state TEXT NOT NULL, attributes_hash TEXT NOT NULL, problems TEXT NOT NULL,"
              " submission_id TEXT NOT NULL, updated_at INTEGER NOT NULL,"
              " PRIMARY KEY (sku, marketplace));"
              "CREATE TABLE catalogue_pending_feeds ("
              " feed_id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, message_skus TEXT NOT NULL,"
              " submitted_at INTEGER NOT NULL);"},
};

int64_t Ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint At(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

CatalogueListingRecord ReadRecord(SQLite::Statement& q) {
  CatalogueListingRecord r;
  r.sku = Sku(q.getColumn(0).getString());
  r.marketplace = MarketplaceId(q.getColumn(1).getString());
  r.product_type = q.getColumn(2).getString();
  r.state = ParseListingState(q.getColumn(3).getString()).value_or(ListingState::kSubmitted);
  r.attributes_hash = q.getColumn(4).getString();
  r.problems_json = q.getColumn(5).getString();
  r.submission_id = q.getColumn(6).getString();
  r.updated_at = At(q.getColumn(7).getInt64());
  return r;
}

constexpr const char* kColumns =
    "SELECT sku, marketplace, product_type, state, attributes_hash, problems, submission_id, "
    "updated_at FROM catalogue_listings ";

}  // namespace

std::span<const Migration> CatalogueSqliteMigrations() { return kMigrations; }

Result<std::optional<CatalogueListingRecord>> SqliteCatalogueStore::GetListing(
    const Sku& sku, const MarketplaceId& marketplace) {
  return db_->With([&](SQLite::Database& db) -> Result<std::optional<CatalogueListingRecord>> {
    SQLite::Statement q(db, std::string(kColumns) + "WHERE sku = ? AND marketplace = ?");
    q.bind(1, sku.value());
    q.bind(2, marketplace.value());
    if (!q.executeStep()) return std::optional<CatalogueListingRecord>();
    return std::optional<CatalogueListingRecord>(ReadRecord(q));
  });
}

Status SqliteCatalogueStore::PutListing(const CatalogueListingRecord& r) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement up(
        db,
        "INSERT INTO catalogue_listings (sku, marketplace, product_type, state, attributes_hash, "
        "problems, submission_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (sku, marketplace) DO UPDATE SET product_type = excluded.product_type, "
        "state = excluded.state, attributes_hash = excluded.attributes_hash, "
        "problems = excluded.problems, submission_id = excluded.submission_id, "
        "updated_at = excluded.updated_at");
    up.bind(1, r.sku.value());
    up.bind(2, r.marketplace.value());
    up.bind(3, r.product_type);
    up.bind(4, std::string(ListingStateName(r.state)));
    up.bind(5, r.attributes_hash);
    up.bind(6, r.problems_json.empty() ? std::string("[]") : r.problems_json);
    up.bind(7, r.submission_id);
    up.bind(8, Ms(r.updated_at));
    up.exec();
    return {};
  });
}

Result<std::vector<CatalogueListingRecord>> SqliteCatalogueStore::ListListings(
    const MarketplaceId& marketplace) {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<CatalogueListingRecord>> {
    SQLite::Statement q(db, std::string(kColumns) +
                                (marketplace.empty() ? "" : "WHERE marketplace = ? ") +
                                "ORDER BY sku, marketplace");
    if (!marketplace.empty()) q.bind(1, marketplace.value());
    std::vector<CatalogueListingRecord> out;
    while (q.executeStep()) out.push_back(ReadRecord(q));
    return out;
  });
}

Status SqliteCatalogueStore::AddPendingFeed(const PendingFeed& feed) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement ins(db,
                          "INSERT OR REPLACE INTO catalogue_pending_feeds (feed_id, marketplace, "
                          "message_skus, submitted_at) VALUES (?, ?, ?, ?)");
    ins.bind(1, feed.feed_id.value());
    ins.bind(2, feed.marketplace.value());
    ins.bind(3, feed.message_skus_json);
    ins.bind(4, Ms(feed.submitted_at));
    ins.exec();
    return {};
  });
}

Result<std::vector<PendingFeed>> SqliteCatalogueStore::PendingFeeds() {
  return db_->With([&](SQLite::Database& db) -> Result<std::vector<PendingFeed>> {
    SQLite::Statement q(db,
                        "SELECT feed_id, marketplace, message_skus, submitted_at FROM "
                        "catalogue_pending_feeds ORDER BY submitted_at");
    std::vector<PendingFeed> out;
    while (q.executeStep()) {
      out.push_back(PendingFeed{FeedId(q.getColumn(0).getString()),
                                MarketplaceId(q.getColumn(1).getString()),
                                q.getColumn(2).getString(), At(q.getColumn(3).getInt64())});
    }
    return out;
  });
}

Status SqliteCatalogueStore::RemovePendingFeed(const FeedId& feed_id) {
  return db_->With([&](SQLite::Database& db) -> Status {
    SQLite::Statement del(db, "DELETE FROM catalogue_pending_feeds WHERE feed_id = ?");
    del.bind(1, feed_id.value());
    del.exec();
    return {};
  });
}

}  // namespace mb::store

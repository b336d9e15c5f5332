#pragma once
// CatalogueStore on the shared SQLite database (module "catalogue" migrations).

#include <memory>
#include <span>

#include "ports/catalogue_store.hpp"
#include "store/sqlite_database.hpp"

namespace mb::store {

std::span<const Migration> CatalogueSqliteMigrations();

class SqliteCatalogueStore final : public CatalogueStore {
 public:
  explicit SqliteCatalogueStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Result<std::optional<CatalogueListingRecord>> GetListing(
      const Sku& sku, const MarketplaceId& marketplace) override;
  Status PutListing(const CatalogueListingRecord& record) override;
  Result<std::vector<CatalogueListingRecord>> ListListings(
      const MarketplaceId& marketplace) override;
  Status AddPendingFeed(const PendingFeed& feed) override;
  Result<std::vector<PendingFeed>> PendingFeeds() override;
  Status RemovePendingFeed(const FeedId& feed_id) override;

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace mb::store

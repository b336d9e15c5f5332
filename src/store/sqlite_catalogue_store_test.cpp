#include "store/sqlite_catalogue_store.hpp"

#include <gtest/gtest.h>

namespace mb::store {
namespace {

TEST(SqliteCatalogueStore, ListingsUpsertAndListByMarketplace) {
  auto db = std::make_shared<SqliteDatabase>(":memory:");
  ASSERT_TRUE(db->Migrate(CatalogueSqliteMigrations(), TimePoint{}));
  SqliteCatalogueStore store(db);
  CatalogueListingRecord r{Sku("A-1"), MarketplaceId("DE"),
                           "SHIRT",    ListingState::kSubmitted,
                           "h1",       "[]",
                           "sub-1",    TimePoint(std::chrono::milliseconds(5))};
  ASSERT_TRUE(store.PutListing(r));
  r.state = ListingState::kListed;
  r.attributes_hash = "h2";
  ASSERT_TRUE(store.PutListing(r));
  ASSERT_TRUE(store.PutListing({Sku("A-1"), MarketplaceId("US"), "SHIRT", ListingState::kRefused,
                                "", R"([{"kind":"too_long"}])", "", TimePoint{}}));
  auto got = store.GetListing(Sku("A-1"), MarketplaceId("DE"));
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->state, ListingState::kListed);
  EXPECT_EQ((*got)->attributes_hash, "h2");
  EXPECT_EQ((*got)->updated_at, TimePoint(std::chrono::milliseconds(5)));
  EXPECT_EQ(store.ListListings(MarketplaceId("US"))->size(), 1u);
  EXPECT_EQ(store.ListListings(MarketplaceId())->size(), 2u);
  EXPECT_FALSE(*store.GetListing(Sku("nope"), MarketplaceId("DE")));
}

TEST(SqliteCatalogueStore, PendingFeedsAreKeptUntilRemoved) {
  auto db = std::make_shared<SqliteDatabase>(":memory:");
  ASSERT_TRUE(db->Migrate(CatalogueSqliteMigrations(), TimePoint{}));
  SqliteCatalogueStore store(db);
  ASSERT_TRUE(
      store.AddPendingFeed({FeedId("F1"), MarketplaceId("DE"), R"({"1":"A-1"})", TimePoint{}}));
  auto feeds = store.PendingFeeds();
  ASSERT_TRUE(feeds);
  ASSERT_EQ(feeds->size(), 1u);
  EXPECT_EQ((*feeds)[0].message_skus_json, R"({"1":"A-1"})");
  ASSERT_TRUE(store.RemovePendingFeed(FeedId("F1")));
  EXPECT_TRUE(store.PendingFeeds()->empty());
}

TEST(SqliteCatalogueStore, ParseListingStateRoundTrips) {
  EXPECT_EQ(*ParseListingState("delisted"), ListingState::kDelisted);
  EXPECT_FALSE(ParseListingState("gone"));
}

}  // namespace
}  // namespace mb::store

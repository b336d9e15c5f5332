#pragma once
// What the catalogue loop remembers per SKU and marketplace: what it last submitted (a hash of the
// compiled attributes, so an unchanged listing is not sent again), whether it is listed, refused or
// delisted and why, and the JSON_LISTINGS_FEED submissions still waiting for their report.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace mb {

enum class ListingState { kSubmitted, kListed, kRefused, kDelisted };
std::string_view ListingStateName(ListingState state);
Result<ListingState> ParseListingState(std::string_view name);

struct CatalogueListingRecord {
  Sku sku;
  MarketplaceId marketplace;
  std::string product_type;
  ListingState state = ListingState::kSubmitted;
  std::string attributes_hash;  // of the attributes last submitted; "" when never submitted
  std::string problems_json;    // JSON array of {kind, attribute, message, amazon_code ...}
  std::string submission_id;    // putListingsItem submissionId or "feed:<feedId>"
  TimePoint updated_at{};
};

struct PendingFeed {
  FeedId feed_id;
  MarketplaceId marketplace;
  std::string message_skus_json;  // JSON object messageId -> SKU
  TimePoint submitted_at{};
};

class CatalogueStore {
 public:
  virtual ~CatalogueStore() = default;
  virtual Result<std::optional<CatalogueListingRecord>> GetListing(
      const Sku& sku, const MarketplaceId& marketplace) = 0;
  virtual Status PutListing(const CatalogueListingRecord& record) = 0;
  // Every record of the marketplace (all marketplaces when empty), ordered by SKU.
  virtual Result<std::vector<CatalogueListingRecord>> ListListings(
      const MarketplaceId& marketplace) = 0;

  virtual Status AddPendingFeed(const PendingFeed& feed) = 0;
  virtual Result<std::vector<PendingFeed>> PendingFeeds() = 0;
  virtual Status RemovePendingFeed(const FeedId& feed_id) = 0;
};

}  // namespace mb

#pragma once
// The Amazon shapes of a stock or price change (SPAPI.md §5, §6): the patch of one attribute, for
// patchListingsItem and for the PATCH messages of a JSON_LISTINGS_FEED.

#include <cstdint>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "ports/amazon_api.hpp"

namespace mb::sync {

// `merge` on fulfillment_availability: changes the quantity and always carries the handling time,
// so Amazon never falls back to its default lead time.
ListingsPatch QuantityPatch(int64_t quantity, int handling_time_days);
// `replace` on purchasable_offer for one marketplace: our_price with tax.
ListingsPatch PricePatch(const MarketplaceId& marketplace, const Money& price);

struct FeedMessage {
  int64_t message_id = 0;  // 1 .. 2^31-1, unique in the feed
  Sku sku;
  std::string product_type;
  std::vector<ListingsPatch> patches;
};

// A JSON_LISTINGS_FEED document (listings-feed-schema-v2) of PATCH messages.
std::string ListingsFeedDocument(const SellerId& seller, const std::vector<FeedMessage>& messages);

}  // namespace mb::sync

#include "sync/stock_messages.hpp"

#include <nlohmann/json.hpp>

namespace mb::sync {

using nlohmann::json;

ListingsPatch QuantityPatch(int64_t quantity, int handling_time_days) {
  json value = json::array({{{"fulfillment_channel_code", "DEFAULT"},
                             {"quantity", quantity},
                             {"lead_time_to_ship_max_days", handling_time_days}}});
  return ListingsPatch{"merge", "/attributes/fulfillment_availability", value.dump()};
}

ListingsPatch PricePatch(const MarketplaceId& marketplace, const Money& price) {
  // value_with_tax is a JSON number; the decimal text keeps it exact (19.99, not 19.989999).
  std::string value = R"([{"marketplace_id":)" + json(marketplace.value()).dump() +
                      R"(,"currency":)" + json(std::string(price.currency().code())).dump() +
                      R"(,"audience":"ALL","our_price":[{"schedule":[{"value_with_tax":)" +
                      price.ToDecimalString() + "}]}]}]";
  return ListingsPatch{"replace", "/attributes/purchasable_offer", value};
}

std::string ListingsFeedDocument(const SellerId& seller, const std::vector<FeedMessage>& messages) {
  json doc;
  doc["header"] = {{"sellerId", seller.value()}, {"version", "2.0"}, {"issueLocale", "en_US"}};
  json list = json::array();
  for (const auto& message : messages) {
    json patches = json::array();
    for (const auto& patch : message.patches) {
      patches.push_back(
          {{"op", patch.op}, {"path", patch.path}, {"value", json::parse(patch.value_json)}});
    }
    list.push_back({{"messageId", message.message_id},
                    {"sku", message.sku.value()},
                    {"operationType", "PATCH"},
                    {"productType", message.product_type},
                    {"patches", std::move(patches)}});
  }
  doc["messages"] = std::move(list);
  return doc.dump();
}

}  // namespace mb::sync

#include "sync/stock_messages.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mb::sync {
namespace {

using nlohmann::json;

TEST(StockMessagesTest, QuantityPatchMergesAndCarriesTheHandlingTime) {
  auto patch = QuantityPatch(7, 3);
  EXPECT_EQ(patch.op, "merge");
  EXPECT_EQ(patch.path, "/attributes/fulfillment_availability");
  auto value = json::parse(patch.value_json);
  ASSERT_EQ(value.size(), 1u);
  EXPECT_EQ(value[0]["fulfillment_channel_code"], "DEFAULT");
  EXPECT_EQ(value[0]["quantity"], 7);
  EXPECT_EQ(value[0]["lead_time_to_ship_max_days"], 3);
}

TEST(StockMessagesTest, PricePatchWritesTheExactDecimal) {
  auto patch = PricePatch(MarketplaceId("A1PA6795UKMFR9"), Money(1999, Currency::Of("EUR")));
  EXPECT_EQ(patch.op, "replace");
  EXPECT_EQ(patch.path, "/attributes/purchasable_offer");
  EXPECT_NE(patch.value_json.find("\"value_with_tax\":19.99}"), std::string::npos)
      << patch.value_json;
  auto value = json::parse(patch.value_json);
  EXPECT_EQ(value[0]["marketplace_id"], "A1PA6795UKMFR9");
  EXPECT_EQ(value[0]["currency"], "EUR");
  EXPECT_EQ(value[0]["audience"], "ALL");
  EXPECT_DOUBLE_EQ(value[0]["our_price"][0]["schedule"][0]["value_with_tax"].get<double>(), 19.99);
}

TEST(StockMessagesTest, FeedDocumentHoldsPatchMessages) {
  std::vector<FeedMessage> messages{
      {1, Sku("S-1"), "SHIRT", {QuantityPatch(0, 2)}},
      {2, Sku("S-2"), "PRODUCT", {PricePatch(MarketplaceId("M"), Money(500, Currency::Of("EUR")))}},
  };
  auto doc = json::parse(ListingsFeedDocument(SellerId("A2SELLER"), messages));
  EXPECT_EQ(doc["header"]["sellerId"], "A2SELLER");
  EXPECT_EQ(doc["header"]["version"], "2.0");
  ASSERT_EQ(doc["messages"].size(), 2u);
  EXPECT_EQ(doc["messages"][0]["messageId"], 1);
  EXPECT_EQ(doc["messages"][0]["sku"], "S-1");
  EXPECT_EQ(doc["messages"][0]["operationType"], "PATCH");
  EXPECT_EQ(doc["messages"][0]["productType"], "SHIRT");
  EXPECT_EQ(doc["messages"][0]["patches"][0]["op"], "merge");
  EXPECT_EQ(doc["messages"][0]["patches"][0]["value"][0]["quantity"], 0);
  EXPECT_EQ(doc["messages"][1]["patches"][0]["path"], "/attributes/purchasable_offer");
}

}  // namespace
}  // namespace mb::sync

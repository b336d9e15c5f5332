#include "sandbox/amazon/listing_attributes.hpp"

#include <gtest/gtest.h>

namespace sandbox::amazon {
namespace {

using nlohmann::json;

TEST(ListingAttributes, MergeKeepsOtherFieldsOfTheMatchingEntry) {
  json attrs = {{"fulfillment_availability",
                 {{{"fulfillment_channel_code", "DEFAULT"},
                   {"quantity", 4},
                   {"lead_time_to_ship_max_days", 3}}}}};
  json patches = {{{"op", "merge"},
                   {"path", "/attributes/fulfillment_availability"},
                   {"value", {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", 9}}}}}};
  EXPECT_TRUE(ApplyPatches(attrs, patches).empty());
  EXPECT_EQ(attrs["fulfillment_availability"].size(), 1u);
  EXPECT_EQ(attrs["fulfillment_availability"][0]["quantity"], 9);
  EXPECT_EQ(attrs["fulfillment_availability"][0]["lead_time_to_ship_max_days"], 3);
}

TEST(ListingAttributes, ReplaceDropsFieldsNotResent) {
  json attrs = {{"fulfillment_availability",
                 {{{"fulfillment_channel_code", "DEFAULT"},
                   {"quantity", 4},
                   {"lead_time_to_ship_max_days", 3}}}}};
  json patches = {{{"op", "replace"},
                   {"path", "/attributes/fulfillment_availability"},
                   {"value", {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", 9}}}}}};
  EXPECT_TRUE(ApplyPatches(attrs, patches).empty());
  EXPECT_FALSE(attrs["fulfillment_availability"][0].contains("lead_time_to_ship_max_days"));
}

TEST(ListingAttributes, DeleteAndNestedPaths) {
  json attrs = {{"item_name", {{{"value", "Shirt"}}}}, {"color", {{{"value", "red"}}}}};
  EXPECT_TRUE(
      ApplyPatches(attrs, json::parse(R"([{"op":"delete","path":"/attributes/color"}])")).empty());
  EXPECT_FALSE(attrs.contains("color"));
  auto issues = ApplyPatches(
      attrs, json::parse(R"([{"op":"replace","path":"/attributes/item_name/0","value":[]}])"));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0]["severity"], "ERROR");
}

TEST(ListingAttributes, ChecksQuantityAndPriceShapes) {
  EXPECT_TRUE(
      CheckAttributes(
          json::parse(
              R"({"fulfillment_availability":[{"fulfillment_channel_code":"DEFAULT","quantity":0}]})"))
          .empty());
  EXPECT_EQ(
      CheckAttributes(
          json::parse(
              R"({"fulfillment_availability":[{"fulfillment_channel_code":"DEFAULT","quantity":-1}]})"))
          .size(),
      1u);
  EXPECT_EQ(CheckAttributes(
                json::parse(
                    R"({"purchasable_offer":[{"currency":"EUR","our_price":[{"schedule":[]}]}]})"))
                .size(),
            1u);
  EXPECT_EQ(CheckAttributes(json::parse(R"({"item_name":"not an array"})")).size(), 1u);
  EXPECT_EQ(PatchShapeError(json::parse(R"([{"op":"move","path":"/attributes/x"}])")),
            "patch op 'move' is not one of add, replace, merge, delete");
}

}  // namespace
}  // namespace sandbox::amazon

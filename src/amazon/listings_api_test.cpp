#include <gtest/gtest.h>

#include "amazon/model_check.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_test_support.hpp"

namespace mb::amazon {
namespace {

using testing::ExpectBodyMatchesDefinition;
using testing::ExpectQueryMatchesModel;
using testing::SpApiFixture;

constexpr char kModel[] = "listingsItems_2021-08-01.json";
constexpr char kAccepted[] =
    R"({"sku":"SKU-1","status":"ACCEPTED","submissionId":"f1dc2914-75dd-11ea-bc55-0242ac130003","issues":[]})";

class ListingsApiTest : public testing::AmazonApiTest {};

TEST_F(ListingsApiTest, PatchSendsTheModelsShapeAndReadsTheSubmission) {
  fixture_.http().PushResponse(200, kAccepted);
  PatchListingsItemRequest request;
  request.sku = Sku("SKU-1");
  request.marketplace_ids = {MarketplaceId("A1PA6795UKMFR9")};
  request.product_type = "SHIRT";
  request.patches = {
      {"merge", "/attributes/fulfillment_availability",
       R"([{"fulfillment_channel_code":"DEFAULT","quantity":0,"lead_time_to_ship_max_days":2}])"}};
  request.validation_preview = true;
  request.issue_locale = "en_US";
  request.priority = CallPriority::kUrgent;
  auto submission = api_.PatchListingsItem(request);
  ASSERT_TRUE(submission) << submission.error().ToString();
  EXPECT_EQ(submission->status, "ACCEPTED");
  EXPECT_EQ(submission->submission_id, "f1dc2914-75dd-11ea-bc55-0242ac130003");
  const auto sent = fixture_.last();
  EXPECT_EQ(sent.method, HttpMethod::kPatch);
  EXPECT_EQ(sent.url,
            "https://sp.test/listings/2021-08-01/items/A2SELLER/SKU-1"
            "?marketplaceIds=A1PA6795UKMFR9&issueLocale=en_US&mode=VALIDATION_PREVIEW");
  ExpectQueryMatchesModel(kModel, "patchListingsItem", sent.url);
  ExpectBodyMatchesDefinition(kModel, "ListingsItemPatchRequest", sent.body);
  EXPECT_EQ(nlohmann::json::parse(sent.body)["patches"][0]["value"][0]["quantity"], 0);
}

TEST_F(ListingsApiTest, PatchRefusesAValueThatIsNotAnArray) {
  PatchListingsItemRequest request;
  request.sku = Sku("SKU-1");
  request.patches = {{"replace", "/attributes/item_name", R"({"value":"x"})"}};
  auto submission = api_.PatchListingsItem(request);
  ASSERT_FALSE(submission);
  EXPECT_EQ(submission.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(fixture_.http().request_count(), 0u);
}

TEST_F(ListingsApiTest, PutSendsAttributesAndReadsIssues) {
  fixture_.http().PushResponse(
      200,
      R"({"sku":"SKU 2","status":"INVALID","submissionId":"s-2","issues":[{"code":"90220","message":"'brand' is required but not supplied.","severity":"ERROR","attributeNames":["brand"],"categories":["MISSING_ATTRIBUTE"]}]})");
  PutListingsItemRequest request;
  request.sku = Sku("SKU 2");
  request.marketplace_id = MarketplaceId("ATVPDKIKX0DER");
  request.product_type = "SHIRT";
  request.requirements = "LISTING";
  request.attributes_json = R"({"item_name":[{"value":"Shirt","marketplace_id":"ATVPDKIKX0DER"}]})";
  auto submission = api_.PutListingsItem(request);
  ASSERT_TRUE(submission) << submission.error().ToString();
  EXPECT_EQ(submission->status, "INVALID");
  ASSERT_EQ(submission->issues.size(), 1u);
  EXPECT_EQ(submission->issues[0].attribute_names, std::vector<std::string>{"brand"});
  EXPECT_EQ(submission->issues[0].severity, "ERROR");
  const auto sent = fixture_.last();
  EXPECT_EQ(sent.method, HttpMethod::kPut);
  EXPECT_NE(sent.url.find("/items/A2SELLER/SKU%202?marketplaceIds=ATVPDKIKX0DER"),
            std::string::npos);
  ExpectBodyMatchesDefinition(kModel, "ListingsItemPutRequest", sent.body);
}

TEST_F(ListingsApiTest, GetReadsSummariesOffersAndQuantity) {
  fixture_.http().PushResponse(200, R"({"sku":"SKU-1",
    "summaries":[{"marketplaceId":"A1PA6795UKMFR9","asin":"B000123","productType":"SHIRT","conditionType":"new_new",
                  "status":["BUYABLE","DISCOVERABLE"],"itemName":"Shirt","createdDate":"2026-01-01T00:00:00Z","lastUpdatedDate":"2026-11-01T00:00:00Z"}],
    "offers":[{"marketplaceId":"A1PA6795UKMFR9","offerType":"B2C","price":{"currencyCode":"EUR","amount":"19.99"}}],
    "fulfillmentAvailability":[{"fulfillmentChannelCode":"DEFAULT","quantity":7}],
    "attributes":{"item_name":[{"value":"Shirt"}]}})");
  GetListingsItemRequest request;
  request.sku = Sku("SKU-1");
  request.marketplace_ids = {MarketplaceId("A1PA6795UKMFR9")};
  request.included_data = {"summaries", "offers", "fulfillmentAvailability", "attributes"};
  auto item = api_.GetListingsItem(request);
  ASSERT_TRUE(item) << item.error().ToString();
  ASSERT_EQ(item->summaries.size(), 1u);
  EXPECT_EQ(item->summaries[0].asin, Asin("B000123"));
  EXPECT_EQ(item->summaries[0].status, (std::vector<std::string>{"BUYABLE", "DISCOVERABLE"}));
  ASSERT_EQ(item->offers.size(), 1u);
  EXPECT_EQ(item->offers[0].price, Money(1999, Currency::Of("EUR")));
  ASSERT_EQ(item->fulfillment_availability.size(), 1u);
  EXPECT_EQ(item->fulfillment_availability[0].quantity, 7);
  EXPECT_NE(item->attributes_json.find("item_name"), std::string::npos);
  EXPECT_NE(fixture_.last().url.find(
                "includedData=summaries%2Coffers%2CfulfillmentAvailability%2Cattributes"),
            std::string::npos);
  ExpectQueryMatchesModel(kModel, "getListingsItem", fixture_.last().url);
}

TEST_F(ListingsApiTest, DeleteAndSearch) {
  fixture_.http().PushResponse(200, kAccepted);
  auto deleted = api_.DeleteListingsItem(
      {Sku("SKU-1"), MarketplaceId("A1PA6795UKMFR9"), "", CallPriority::kBulk});
  ASSERT_TRUE(deleted);
  EXPECT_EQ(fixture_.last().method, HttpMethod::kDelete);
  ExpectQueryMatchesModel(kModel, "deleteListingsItem", fixture_.last().url);

  fixture_.http().PushResponse(
      200,
      R"({"numberOfResults":21,"pagination":{"nextToken":"page2"},"items":[{"sku":"A"},{"sku":"B"}]})");
  SearchListingsItemsRequest search;
  search.marketplace_ids = {MarketplaceId("A1PA6795UKMFR9")};
  search.identifiers = {"A", "B"};
  search.identifiers_type = "SKU";
  search.page_token = "page1";
  auto page = api_.SearchListingsItems(search);
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->number_of_results, 21);
  EXPECT_EQ(page->next_token, "page2");
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].sku, Sku("B"));
  EXPECT_EQ(fixture_.last().url,
            "https://sp.test/listings/2021-08-01/items/A2SELLER?marketplaceIds=A1PA6795UKMFR9"
            "&identifiers=A%2CB&identifiersType=SKU&pageSize=20&pageToken=page1");
  ExpectQueryMatchesModel(kModel, "searchListingsItems", fixture_.last().url);

  fixture_.http().PushResponse(200, R"({"numberOfResults":0,"items":[]})");
  SearchListingsItemsRequest walk;
  walk.marketplace_ids = {MarketplaceId("A1PA6795UKMFR9")};
  walk.sort_by = "sku";
  walk.sort_order = "ASC";
  ASSERT_TRUE(api_.SearchListingsItems(walk));
  EXPECT_EQ(fixture_.last().url,
            "https://sp.test/listings/2021-08-01/items/A2SELLER?marketplaceIds=A1PA6795UKMFR9"
            "&pageSize=20&sortBy=sku&sortOrder=ASC");
  ExpectQueryMatchesModel(kModel, "searchListingsItems", fixture_.last().url);
}

TEST_F(ListingsApiTest, QuotaWaitReflectsTheGovernor) {
  EXPECT_EQ(api_.QuotaWait("patchListingsItem", CallPriority::kUrgent), Duration(0));
  for (int i = 0; i < 5; ++i)
    fixture_.governor().TryAcquire({"A2SELLER", "eu", "patchListingsItem"}, CallPriority::kUrgent);
  EXPECT_EQ(api_.QuotaWait("patchListingsItem", CallPriority::kUrgent), Duration(200));
}

}  // namespace
}  // namespace mb::amazon

#include "sandbox/amazon/amazon_test_support.hpp"
#include "sandbox/catalogue/product_types_test_support.hpp"

namespace sandbox::amazon::testing {
namespace {

using nlohmann::json;

class ListingsApiTest : public AmazonHttpTest {
 protected:
  std::string Item(const std::string& sku, const std::string& query = "") {
    return std::string("/listings/2021-08-01/items/") + kSeller + "/" + sku +
           "?marketplaceIds=" + kDe + query;
  }
};

TEST_F(ListingsApiTest, PutThenGetWithIncludedData) {
  auto put = Put(Item("SKU-1"), {{"productType", "SHIRT"}, {"attributes", ShirtAttributes(7)}});
  ASSERT_EQ(put->status, 200);
  EXPECT_EQ(Json(put)["status"], "ACCEPTED");
  EXPECT_TRUE(Json(put).contains("submissionId"));
  auto got =
      Get(Item("SKU-1", "&includedData=summaries,offers,fulfillmentAvailability,attributes"));
  ASSERT_EQ(got->status, 200);
  json item = Json(got);
  EXPECT_EQ(item["summaries"][0]["status"], json({"BUYABLE", "DISCOVERABLE"}));
  EXPECT_EQ(item["offers"][0]["price"], json({{"currencyCode", "EUR"}, {"amount", "24.95"}}));
  EXPECT_EQ(item["fulfillmentAvailability"][0],
            json({{"fulfillmentChannelCode", "DEFAULT"}, {"quantity", 7}}));
  EXPECT_FALSE(item.contains("issues"));
  EXPECT_EQ(Get(Item("NOPE"))->status, 404);
  EXPECT_EQ(Get(std::string("/listings/2021-08-01/items/") + kSeller + "/SKU-1")->status,
            400);  // marketplaceIds required
  EXPECT_EQ(Get(std::string("/listings/2021-08-01/items/OTHERSELLER/SKU-1?marketplaceIds=") + kDe)
                ->status,
            403);
}

TEST_F(ListingsApiTest, SkusAreUrlDecodedOnce) {
  auto put =
      Put(Item("TEE%201%2BX%25"), {{"productType", "SHIRT"}, {"attributes", ShirtAttributes(1)}});
  ASSERT_EQ(put->status, 200);
  EXPECT_EQ(Json(put)["sku"], "TEE 1+X%");
  EXPECT_TRUE(world_.GetListing(kSeller, Region::kEurope, "TEE 1+X%"));
}

TEST_F(ListingsApiTest, PatchMergeKeepsLeadTimeAndReplaceDropsIt) {
  SeedShirt("SKU-1", 7);
  json merge = {{"productType", "SHIRT"},
                {"patches",
                 {{{"op", "merge"},
                   {"path", "/attributes/fulfillment_availability"},
                   {"value", {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", 3}}}}}}}};
  auto res = Patch(Item("SKU-1"), merge);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Json(res)["status"], "ACCEPTED");
  auto fa = world_.GetListing(kSeller, Region::kEurope, "SKU-1")
                ->attributes["fulfillment_availability"][0];
  EXPECT_EQ(fa["quantity"], 3);
  EXPECT_EQ(fa["lead_time_to_ship_max_days"], 2);

  merge["patches"][0]["op"] = "replace";
  merge["patches"][0]["value"][0]["quantity"] = 4;
  ASSERT_EQ(Patch(Item("SKU-1"), merge)->status, 200);
  fa = world_.GetListing(kSeller, Region::kEurope, "SKU-1")
           ->attributes["fulfillment_availability"][0];
  EXPECT_EQ(fa["quantity"], 4);
  EXPECT_FALSE(fa.contains("lead_time_to_ship_max_days"));
}

TEST_F(ListingsApiTest, InvalidSubmissionsAndValidationPreview) {
  SeedShirt("SKU-1", 7);
  json bad = {{"productType", "SHIRT"},
              {"patches",
               {{{"op", "replace"},
                 {"path", "/attributes/fulfillment_availability"},
                 {"value", {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", -2}}}}}}}};
  auto res = Patch(Item("SKU-1"), bad);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Json(res)["status"], "INVALID");
  EXPECT_EQ(Json(res)["issues"][0]["severity"], "ERROR");
  EXPECT_EQ(ListedQuantity(*world_.GetListing(kSeller, Region::kEurope, "SKU-1")), 7);

  json good = bad;
  good["patches"][0]["value"][0]["quantity"] = 1;
  auto preview =
      Patch(Item("SKU-1", "&mode=VALIDATION_PREVIEW&includedData=identifiers,issues"), good);
  EXPECT_EQ(Json(preview)["status"], "VALID");
  EXPECT_EQ(Json(preview)["identifiers"][0]["marketplaceId"], kDe);
  EXPECT_EQ(ListedQuantity(*world_.GetListing(kSeller, Region::kEurope, "SKU-1")), 7);

  EXPECT_EQ(Patch(Item("SKU-1"), {{"patches", json::array()}})->status,
            400);  // productType missing
  good["patches"][0]["op"] = "move";
  EXPECT_EQ(Patch(Item("SKU-1"), good)->status, 400);
  // A patch of a SKU not listed is accepted and applies nothing, as on Amazon.
  good["patches"][0]["op"] = "replace";
  auto nowhere = Patch(Item("NEW-SKU"), good);
  EXPECT_EQ(Json(nowhere)["status"], "ACCEPTED");
  EXPECT_TRUE(Json(nowhere)["issues"].empty());
  EXPECT_FALSE(world_.GetListing(kSeller, Region::kEurope, "NEW-SKU").has_value());
}

TEST_F(ListingsApiTest, DeleteAndSearchWithPagination) {
  for (int i = 0; i < 5; ++i) SeedShirt("SKU-" + std::to_string(i), i);
  auto del = client_->Delete(Item("SKU-4").c_str(), Auth());
  EXPECT_EQ(Json(del)["status"], "ACCEPTED");
  std::vector<std::string> skus;
  std::string url = std::string("/listings/2021-08-01/items/") + kSeller +
                    "?marketplaceIds=" + kDe + "&sortBy=sku&sortOrder=ASC&pageSize=3";
  json first = Json(Get(url));
  EXPECT_EQ(first["numberOfResults"], 4);
  for (const auto& item : first["items"]) skus.push_back(item["sku"]);
  json second =
      Json(Get(url + "&pageToken=" + first["pagination"]["nextToken"].get<std::string>()));
  for (const auto& item : second["items"]) skus.push_back(item["sku"]);
  EXPECT_EQ(skus, (std::vector<std::string>{"SKU-0", "SKU-1", "SKU-2", "SKU-3"}));
  EXPECT_FALSE(second["pagination"].contains("nextToken"));
  json buyable = Json(Get(std::string("/listings/2021-08-01/items/") + kSeller +
                          "?marketplaceIds=" + kDe + "&withStatus=BUYABLE"));
  EXPECT_EQ(buyable["numberOfResults"], 3);  // SKU-0 has quantity 0
  EXPECT_EQ(Get(std::string("/listings/2021-08-01/items/") + kSeller + "?marketplaceIds=" + kDe +
                "&pageSize=21")
                ->status,
            400);
}

TEST_F(ListingsApiTest, BuyerCannotBuyMoreThanListedAndQuantityDropsAtOrderTime) {
  SeedShirt("SKU-1", 2);
  httplib::Client ctl("127.0.0.1", server_->port());
  json order = {{"sellerId", kSeller},
                {"marketplaceId", kDe},
                {"lines", {{{"sku", "SKU-1"}, {"quantity", 3}}}}};
  auto refused = ctl.Post("/_sandbox/amazon/orders", order.dump(), "application/json");
  EXPECT_EQ(refused->status, 409);
  EXPECT_EQ(Json(refused)["errors"][0]["code"], "InsufficientQuantity");
  order["lines"][0]["quantity"] = 2;
  auto placed = ctl.Post("/_sandbox/amazon/orders", order.dump(), "application/json");
  ASSERT_EQ(placed->status, 201);
  EXPECT_EQ(Json(placed)["status"], "PENDING");
  json item = Json(Get(Item("SKU-1", "&includedData=fulfillmentAvailability,summaries")));
  EXPECT_EQ(item["fulfillmentAvailability"][0]["quantity"], 0);
  EXPECT_EQ(item["summaries"][0]["status"], json({"DISCOVERABLE"}));
  order["lines"][0]["quantity"] = 1;
  EXPECT_EQ(ctl.Post("/_sandbox/amazon/orders", order.dump(), "application/json")->status, 409);
  EXPECT_EQ(world_.Counters().orders_rejected, 2);
}

// The Listings API checks the product types the definitions API on the same server serves.
class CheckedListingsApiTest : public ListingsApiTest {
 protected:
  CheckedListingsApiTest() { product_types_ = &catalogue::testing::Catalogue(); }
  static json ValidChild() { return catalogue::testing::ValidShirtChild(kDe, "de_DE"); }
};

TEST_F(CheckedListingsApiTest, ValidListingIsAcceptedAndInvalidOneGetsAmazonShapedIssues) {
  auto ok = Put(Item("M100-blue-M"), {{"productType", "SHIRT"}, {"attributes", ValidChild()}});
  ASSERT_EQ(ok->status, 200);
  EXPECT_EQ(Json(ok)["status"], "ACCEPTED") << ok->body;

  json missing = ValidChild();
  missing.erase("color");
  auto bad = Put(Item("M100-red-M", "&issueLocale=en_US"),
                 {{"productType", "SHIRT"}, {"attributes", missing}});
  ASSERT_EQ(bad->status, 200);
  json body = Json(bad);
  EXPECT_EQ(body["status"], "INVALID");
  ASSERT_EQ(body["issues"].size(), 1u) << bad->body;
  EXPECT_EQ(body["issues"][0]["code"], "90220");
  EXPECT_EQ(body["issues"][0]["message"], "'color' is required but not supplied.");
  EXPECT_EQ(body["issues"][0]["severity"], "ERROR");
  EXPECT_EQ(body["issues"][0]["attributeNames"], json::array({"color"}));
  EXPECT_FALSE(world_.GetListing(kSeller, Region::kEurope, "M100-red-M"));

  // Without issueLocale, amazon.de answers in German; the code stays the same.
  auto german = Put(Item("M100-red-M"), {{"productType", "SHIRT"}, {"attributes", missing}});
  EXPECT_EQ(Json(german)["issues"][0]["message"],
            "'color' ist erforderlich, wurde aber nicht angegeben.");
}

TEST_F(CheckedListingsApiTest, ValidationPreviewAnswersWithoutStoring) {
  auto preview = Put(Item("M100-blue-L", "&mode=VALIDATION_PREVIEW"),
                     {{"productType", "SHIRT"}, {"attributes", ValidChild()}});
  ASSERT_EQ(preview->status, 200);
  EXPECT_EQ(Json(preview)["status"], "VALID");
  EXPECT_FALSE(world_.GetListing(kSeller, Region::kEurope, "M100-blue-L"));

  json bad = ValidChild();
  bad["target_gender"][0]["value"] = "men";  // not in the enum
  auto invalid = Put(Item("M100-blue-L", "&mode=VALIDATION_PREVIEW&issueLocale=en_US"),
                     {{"productType", "SHIRT"}, {"attributes", bad}});
  EXPECT_EQ(Json(invalid)["status"], "INVALID");
  EXPECT_EQ(Json(invalid)["issues"][0]["attributeNames"], json::array({"target_gender"}));
  EXPECT_FALSE(world_.GetListing(kSeller, Region::kEurope, "M100-blue-L"));
}

TEST_F(CheckedListingsApiTest, PatchesAreCheckedAsTheListingWouldBeAfterThem) {
  ASSERT_EQ(Json(Put(Item("M100-blue-M"),
                     {{"productType", "SHIRT"}, {"attributes", ValidChild()}}))["status"],
            "ACCEPTED");
  std::string long_title;
  for (int i = 0; i < 120; ++i) long_title += "\xC3\xA4";  // 120 characters, 240 UTF-8 bytes
  json patch = {
      {"productType", "SHIRT"},
      {"patches",
       {{{"op", "replace"},
         {"path", "/attributes/item_name"},
         {"value",
          {{{"value", long_title}, {"language_tag", "de_DE"}, {"marketplace_id", kDe}}}}}}}};
  auto res = Patch(Item("M100-blue-M", "&issueLocale=en_US"), patch);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Json(res)["status"], "INVALID") << res->body;
  EXPECT_EQ(Json(res)["issues"][0]["attributeNames"], json::array({"item_name"}));
  EXPECT_EQ(world_.GetListing(kSeller, Region::kEurope, "M100-blue-M")
                ->attributes["item_name"][0]["value"],
            "Acme Oxford Shirt Blue");

  // An offer update (what the stock loop sends) on a valid listing passes.
  json stock = {{"productType", "SHIRT"},
                {"patches",
                 {{{"op", "merge"},
                   {"path", "/attributes/fulfillment_availability"},
                   {"value", {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", 3}}}}}}}};
  EXPECT_EQ(Json(Patch(Item("M100-blue-M"), stock))["status"], "ACCEPTED");
}

TEST_F(CheckedListingsApiTest, ProductTypesTheSandboxDoesNotServeAreNotChecked) {
  // ShirtAttributes is far from a complete listing; PRODUCT is not one of the sandbox's types.
  auto put = Put(Item("SKU-1"), {{"productType", "PRODUCT"}, {"attributes", ShirtAttributes(7)}});
  EXPECT_EQ(Json(put)["status"], "ACCEPTED");
}

TEST_F(CheckedListingsApiTest, DefinitionsAndSchemaLinksAreServedOnTheSameServer) {
  auto res = Get("/definitions/2020-09-01/productTypes/SHIRT?marketplaceIds=" + std::string(kDe) +
                 "&requirements=LISTING");
  ASSERT_EQ(res->status, 200) << res->body;
  json definition = Json(res);
  const std::string link = definition["schema"]["link"]["resource"];
  ASSERT_EQ(link.rfind(server_->base_url(), 0), 0u) << link;
  auto schema = client_->Get(link.substr(server_->base_url().size()).c_str());  // no token
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->status, 200);
  EXPECT_EQ(schema->body, catalogue::testing::Catalogue().SchemaText("SHIRT", kDe));
  EXPECT_EQ(Get("/definitions/2020-09-01/productTypes/LUGGAGE?marketplaceIds=" + std::string(kDe))
                ->status,
            404);
}

}  // namespace
}  // namespace sandbox::amazon::testing

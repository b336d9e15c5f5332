// Sampled responses validated against the official models' schemas (reference/amazon/models/), so
// a field name or type that drifts from Amazon's fails here.
#include <fstream>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "sandbox/amazon/amazon_test_support.hpp"
#include "sandbox/amazon/gzip.hpp"

namespace sandbox::amazon::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

json LoadModel(const std::string& name) {
  std::ifstream in(std::string(MB_SHARED_DIR) + "/reference/amazon/models/" + name);
  EXPECT_TRUE(in) << name;
  return json::parse(in);
}

// Errors of `value` against `definition` of a Swagger 2.0 model ("" = valid), or against the whole
// document when `definition` is empty (plain JSON Schema files).
std::string SchemaErrors(const std::string& model, const std::string& definition,
                         const json& value) {
  json doc = LoadModel(model);
  json schema_doc = definition.empty() ? doc
                                       : json{{"definitions", doc["definitions"]},
                                              {"$ref", "#/definitions/" + definition}};
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(value);
  if (validator.validate(schema, target, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const auto& c : error.context) where += c;
    out += where + ": " + error.description + "\n";
  }
  return out;
}

class ModelSchemaTest : public AmazonHttpTest {};

TEST(ModelSchema, ValidatorRejectsWhatTheModelForbids) {
  EXPECT_NE(
      SchemaErrors("orders_2026-01-01.json", "GetOrderResponse", {{"order", {{"orderId", 1}}}}),
      "");
  EXPECT_NE(SchemaErrors("feeds_2021-06-30.json", "Feed",
                         {{"feedId", "1"},
                          {"feedType", "X"},
                          {"createdTime", "2026-01-01T00:00:00Z"},
                          {"processingStatus", "SOMETIMES"}}),
            "");
}

TEST_F(ModelSchemaTest, OrdersResponsesMatchTheOrdersModels) {
  SeedShirt("SKU-1", 5);
  Order order = PlaceOrder("SKU-1", 2);
  json body = {
      {"marketplaceId", kDe},
      {"packageDetail",
       {{"packageReferenceId", "1"},
        {"carrierCode", "DHL"},
        {"trackingNumber", "T1"},
        {"shipDate", FormatIso(clock_.Now())},
        {"orderItems", {{{"orderItemId", order.items[0].order_item_id}, {"quantity", 1}}}}}}};
  ASSERT_EQ(Post("/orders/v0/orders/" + order.order_id + "/shipmentConfirmation", body)->status,
            204);
  clock_.Advance(3min);
  token_ = FetchToken();
  const std::string all = "includedData=BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES";
  json got = Json(Get("/orders/2026-01-01/orders/" + order.order_id + "?" + all));
  EXPECT_EQ(SchemaErrors("orders_2026-01-01.json", "GetOrderResponse", got), "");
  PlaceOrder("SKU-1", 1);
  clock_.Advance(3min);
  json search = Json(Get(
      "/orders/2026-01-01/orders?createdAfter=2026-11-20T00:00:00Z&maxResultsPerPage=1&" + all));
  ASSERT_TRUE(search.contains("pagination"));
  EXPECT_EQ(SchemaErrors("orders_2026-01-01.json", "SearchOrdersResponse", search), "");
  json error = Json(Get("/orders/2026-01-01/orders"));
  EXPECT_EQ(SchemaErrors("orders_2026-01-01.json", "ErrorList", error), "");
  EXPECT_EQ(SchemaErrors("ordersV0.json", "ConfirmShipmentErrorResponse",
                         Json(Post("/orders/v0/orders/" + order.order_id + "/shipmentConfirmation",
                                   {{"marketplaceId", kDe}}))),
            "");
}

TEST_F(ModelSchemaTest, ListingsResponsesMatchTheListingsModel) {
  const std::string item =
      std::string("/listings/2021-08-01/items/") + kSeller + "/SKU-1?marketplaceIds=" + kDe;
  json put = Json(Put(item + "&includedData=identifiers,issues",
                      {{"productType", "SHIRT"}, {"attributes", ShirtAttributes(3)}}));
  EXPECT_EQ(SchemaErrors("listingsItems_2021-08-01.json", "ListingsItemSubmissionResponse", put),
            "");
  json invalid =
      Json(Put(item, {{"productType", "SHIRT"}, {"attributes", {{"item_name", "flat"}}}}));
  EXPECT_EQ(invalid["status"], "INVALID");
  EXPECT_EQ(
      SchemaErrors("listingsItems_2021-08-01.json", "ListingsItemSubmissionResponse", invalid), "");
  json got = Json(
      Get(item +
          "&includedData=summaries,attributes,issues,offers,fulfillmentAvailability,productTypes"));
  EXPECT_EQ(SchemaErrors("listingsItems_2021-08-01.json", "Item", got), "");
  json search =
      Json(Get(std::string("/listings/2021-08-01/items/") + kSeller + "?marketplaceIds=" + kDe +
               "&includedData=summaries,offers,fulfillmentAvailability"));
  EXPECT_EQ(SchemaErrors("listingsItems_2021-08-01.json", "ItemSearchResults", search), "");
}

TEST_F(ModelSchemaTest, FeedsAndReportsResponsesMatchTheirModels) {
  SeedShirt("SKU-1", 3);
  json doc = Json(
      Post("/feeds/2021-06-30/documents", {{"contentType", "application/json; charset=UTF-8"}}));
  EXPECT_EQ(SchemaErrors("feeds_2021-06-30.json", "CreateFeedDocumentResponse", doc), "");
  const std::string url = doc["url"];
  json feed_doc = {{"header", {{"sellerId", kSeller}, {"version", "2.0"}}},
                   {"messages",
                    {{{"messageId", 1}, {"sku", "SKU-1"}, {"operationType", "DELETE"}},
                     {{"messageId", 2}, {"sku", "SKU-2"}, {"operationType", "PATCH"}}}}};
  EXPECT_NE(SchemaErrors("listings-feed-schema-v2.json", "", feed_doc),
            "");  // message 2 lacks patches: the schema agrees
  client_->Put(url.substr(url.find("/_documents/")).c_str(), feed_doc.dump(), "application/json");
  json created =
      Json(Post("/feeds/2021-06-30/feeds", {{"feedType", "JSON_LISTINGS_FEED"},
                                            {"marketplaceIds", {kDe}},
                                            {"inputFeedDocumentId", doc["feedDocumentId"]}}));
  EXPECT_EQ(SchemaErrors("feeds_2021-06-30.json", "CreateFeedResponse", created), "");
  clock_.Advance(10min);
  token_ = FetchToken();
  json feed = Json(Get("/feeds/2021-06-30/feeds/" + created["feedId"].get<std::string>()));
  EXPECT_EQ(SchemaErrors("feeds_2021-06-30.json", "Feed", feed), "");
  EXPECT_EQ(SchemaErrors("feeds_2021-06-30.json", "GetFeedsResponse",
                         Json(Get("/feeds/2021-06-30/feeds"))),
            "");
  json result =
      Json(Get("/feeds/2021-06-30/documents/" + feed["resultFeedDocumentId"].get<std::string>()));
  EXPECT_EQ(SchemaErrors("feeds_2021-06-30.json", "FeedDocument", result), "");
  const std::string result_url = result["url"];
  json report = json::parse(*GzipDecompress(
      client_->Get(result_url.substr(result_url.find("/_documents/")).c_str())->body));
  EXPECT_EQ(SchemaErrors("listings-feed-processing-report-schema-v2.json", "", report), "");
  EXPECT_EQ(report["summary"]["messagesInvalid"], 1);

  world_.AddReport(kSeller, "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", kDe, "a\tb\n",
                   clock_.Now());
  json reports = Json(
      Get("/reports/2021-06-30/reports?reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"));
  EXPECT_EQ(SchemaErrors("reports_2021-06-30.json", "GetReportsResponse", reports), "");
  EXPECT_EQ(SchemaErrors("reports_2021-06-30.json", "Report", reports["reports"][0]), "");
  json document = Json(Get("/reports/2021-06-30/documents/" +
                           reports["reports"][0]["reportDocumentId"].get<std::string>()));
  EXPECT_EQ(SchemaErrors("reports_2021-06-30.json", "ReportDocument", document), "");
  json requested =
      Json(Post("/reports/2021-06-30/reports",
                {{"reportType", "GET_MERCHANT_LISTINGS_ALL_DATA"}, {"marketplaceIds", {kDe}}}));
  EXPECT_EQ(SchemaErrors("reports_2021-06-30.json", "CreateReportResponse", requested), "");
}

}  // namespace
}  // namespace sandbox::amazon::testing

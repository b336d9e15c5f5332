#include "sandbox/conformance/model_validator.hpp"

#include <gtest/gtest.h>

#include <iostream>

#include "sandbox/conformance/static_cases.hpp"

namespace sandbox::conformance {
namespace {

const std::string kModels = std::string(MB_SHARED_DIR) + "/reference/amazon/models/";

ApiRequest Get(const std::string& path, httplib::Params query) {
  return ApiRequest{"GET", path, std::move(query), {}, ""};
}

ApiRequest Post(const std::string& path, const std::string& body) {
  return ApiRequest{"POST", path, {}, {}, body};
}

std::string Message(const std::optional<RequestRejection>& r) {
  return r ? r->body["errors"][0]["message"].get<std::string>() : "";
}

// The request body a static case of `operation_id` sends.
nlohmann::json CaseBody(const std::string& model, const std::string& operation_id, int status) {
  ModelCatalog catalog;
  catalog.Load(kModels, {model});
  for (const auto& c : CollectStaticCases(catalog)) {
    if (c.operation->operation_id == operation_id && c.status == status) return c.match["body"];
  }
  ADD_FAILURE() << "no static case " << operation_id << " " << status;
  return nullptr;
}

TEST(ModelValidator, RejectsMissingRequiredParameterInAmazonsErrorShape) {
  auto v = ModelValidator::Load(kModels + "ordersV0.json", "getOrders");
  auto r =
      v.ValidateRequest(Get("/orders/v0/orders", {{"CreatedAfter", "2026-01-01T00:00:00Z"}}), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->body, nlohmann::json::parse(R"({"errors":[{"code":"InvalidInput",
      "message":"Missing required parameter: MarketplaceIds","details":""}]})"));
  EXPECT_FALSE(v.ValidateRequest(
      Get("/orders/v0/orders", {{"MarketplaceIds", "A1PA6795UKMFR9"}, {"CreatedAfter", "x"}}), {}));
}

TEST(ModelValidator, ChecksTypesLimitsAndArrays) {
  auto v = ModelValidator::Load(kModels + "ordersV0.json", "getOrders");
  auto with = [&](const std::string& key, const std::string& value) {
    return v.ValidateRequest(
        Get("/orders/v0/orders", {{"MarketplaceIds", "A1PA6795UKMFR9"}, {key, value}}), {});
  };
  EXPECT_EQ(Message(with("MaxResultsPerPage", "ten")),
            "Invalid MaxResultsPerPage: 'ten' is not an integer");
  EXPECT_EQ(Message(with("IsISPU", "yes")), "Invalid IsISPU: 'yes' is not a boolean");
  std::string ids;
  for (int i = 0; i < 51; ++i) ids += (i ? "," : "") + std::to_string(i);
  EXPECT_EQ(Message(with("AmazonOrderIds", ids)),
            "AmazonOrderIds must contain at most 50 values, got 51");
  EXPECT_FALSE(with("AmazonOrderIds", "1,2,3"));

  auto feeds = ModelValidator::Load(kModels + "feeds_2021-06-30.json", "getFeeds");
  auto get_feeds = [&](httplib::Params q) {
    return feeds.ValidateRequest(Get("/feeds/2021-06-30/feeds", q), {});
  };
  EXPECT_EQ(Message(get_feeds({{"pageSize", "101"}})), "pageSize must be at most 100, got 101");
  EXPECT_EQ(Message(get_feeds({{"pageSize", "0"}})), "pageSize must be at least 1, got 0");
  EXPECT_EQ(Message(get_feeds({{"processingStatuses", "DONE,BAD_VALUE"}})),
            "'BAD_VALUE' is not a valid value for processingStatuses");
  EXPECT_EQ(Message(get_feeds({{"createdSince", "yesterday"}})),
            "'yesterday' is not a valid ISO 8601 date-time for createdSince");
  EXPECT_FALSE(get_feeds({{"pageSize", "100"},
                          {"processingStatuses", "DONE"},
                          {"createdSince", "2026-11-28T01:00:00Z"}}));
}

TEST(ModelValidator, ValidatesBodiesAgainstTheModelDefinitions) {
  auto confirm = ModelValidator::Load(kModels + "ordersV0.json", "confirmShipment");
  const std::string path = "/orders/v0/orders/902-1106328-1059050/shipmentConfirmation";
  PathParams params = {{"orderId", "902-1106328-1059050"}};
  nlohmann::json good = CaseBody("ordersV0", "confirmShipment", 204);
  EXPECT_FALSE(confirm.ValidateRequest(Post(path, good.dump()), params));
  nlohmann::json no_package = good;
  no_package.erase("packageDetail");
  auto r = confirm.ValidateRequest(Post(path, no_package.dump()), params);
  ASSERT_TRUE(r);
  EXPECT_NE(Message(r).find("packageDetail"), std::string::npos) << Message(r);
  EXPECT_EQ(Message(confirm.ValidateRequest(Post(path, "{not json"), params)),
            "Invalid payload: the request body is not valid JSON");
  EXPECT_EQ(Message(confirm.ValidateRequest(Post(path, ""), params)),
            "Missing required request body");

  auto create_feed = ModelValidator::Load(kModels + "feeds_2021-06-30.json", "createFeed");
  EXPECT_FALSE(create_feed.ValidateRequest(
      Post("/feeds/2021-06-30/feeds", CaseBody("feeds_2021-06-30", "createFeed", 202).dump()), {}));
  // The model's own 400 example omits feedType.
  auto bad = create_feed.ValidateRequest(
      Post("/feeds/2021-06-30/feeds", CaseBody("feeds_2021-06-30", "createFeed", 400).dump()), {});
  ASSERT_TRUE(bad);
  EXPECT_NE(Message(bad).find("feedType"), std::string::npos) << Message(bad);
}

TEST(ModelValidator, ResponsesAreCheckedAgainstTheResponseSchema) {
  auto v = ModelValidator::Load(kModels + "ordersV0.json", "getOrder");
  EXPECT_TRUE(v.ValidateResponse(400, nlohmann::json::parse(
                                          R"({"errors":[{"code":"InvalidInput","message":"m"}]})"))
                  .empty());
  EXPECT_FALSE(
      v.ValidateResponse(400, nlohmann::json::parse(R"({"errors":[{"code":"X"}]})")).empty());
  EXPECT_FALSE(
      v.ValidateResponse(200, nlohmann::json::parse(R"({"payload":{"AmazonOrderId":5}})")).empty());
  EXPECT_FALSE(v.ValidateResponse(299, nlohmann::json::object()).empty());
}

// The models' own static examples (every case with a body: 92 of the 99), validated against
// their response schemas: all conform, so the validator accepts what Amazon really sends.
TEST(ModelValidator, StaticExampleResponsesConformToTheirSchemas) {
  ModelCatalog catalog;
  catalog.Load(kModels, ConformanceModelNames());
  int conforming = 0;
  std::vector<std::string> contradicting;
  std::map<std::string, std::shared_ptr<const SwaggerModel>> models;
  for (const auto& c : CollectStaticCases(catalog)) {
    if (!c.response || c.status == 204) continue;
    auto& model = models[c.operation->model->name()];
    if (!model) model = SwaggerModel::Load(kModels + c.operation->model->name() + ".json");
    ModelValidator v(model, c.operation->operation_id);
    auto errors = v.ValidateResponse(c.status, *c.response);
    if (errors.empty()) {
      ++conforming;
    } else {
      contradicting.push_back(c.Name() + " " + errors.front());
    }
  }
  for (const auto& line : contradicting)
    std::cout << "schema mismatch in model example: " << line << "\n";
  std::cout << "static examples: " << conforming << " conform, " << contradicting.size()
            << " contradict their schema" << std::endl;
  EXPECT_EQ(conforming, 92);
  EXPECT_TRUE(contradicting.empty());
}

}  // namespace
}  // namespace sandbox::conformance

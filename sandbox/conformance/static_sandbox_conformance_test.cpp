// Runs every x-amzn-api-sandbox static case of the conformance models against the static sandbox
// over real HTTP and checks status and body, as Amazon's sandbox would answer them.
#include <gtest/gtest.h>
#include <httplib.h>

#include <iostream>
#include <map>

#include "sandbox/conformance/static_sandbox_server.hpp"

namespace sandbox::conformance {
namespace {

const std::string kModels = std::string(MB_SHARED_DIR) + "/reference/amazon/models";

// Cases the static sandbox cannot answer, with the reason (also listed in docs/sandbox.md).
const std::map<std::string, std::string> kUnanswerable = {};

// A value no case uses, for path parameters a case leaves open (e.g. {sellerId}).
constexpr const char* kPlaceholder = "SANDBOX-PLACEHOLDER";

std::string QueryText(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

struct BuiltRequest {
  std::string method;
  std::string target;  // path and query
  std::string body;
};

BuiltRequest BuildRequest(const StaticCase& c) {
  const Operation& op = *c.operation;
  std::string path;
  for (const auto& segment : SplitPath(op.path_template)) {
    std::string value = segment;
    if (segment.front() == '{') {
      std::string name = segment.substr(1, segment.size() - 2);
      value = c.match.contains(name) ? QueryText(c.match[name]) : kPlaceholder;
    }
    path += "/" + value;
  }
  httplib::Params query;
  std::string body;
  for (const auto& [key, value] : c.match.items()) {
    const nlohmann::json* param = CaseParameter(op, key);
    if (param == nullptr) continue;
    const std::string in = param->value("in", "");
    if (in == "body") {
      body = value.dump();
    } else if (in == "query" && value.is_array()) {
      if (param->value("collectionFormat", "csv") == "multi") {
        for (const auto& item : value) query.emplace(key, QueryText(item));
      } else {
        std::string joined;
        for (const auto& item : value) joined += (joined.empty() ? "" : ",") + QueryText(item);
        query.emplace(key, joined);
      }
    } else if (in == "query") {
      query.emplace(key, QueryText(value));
    }
  }
  if (body.empty() && op.BodyParameter() != nullptr) body = "{}";
  return {op.method, httplib::append_query_params(path, query), body};
}

httplib::Result Send(httplib::Client& client, const BuiltRequest& r) {
  httplib::Headers headers = {{"x-amz-access-token", "Atza|sandbox"}};
  if (r.method == "GET") return client.Get(r.target.c_str(), headers);
  if (r.method == "POST") return client.Post(r.target.c_str(), headers, r.body, "application/json");
  if (r.method == "PUT") return client.Put(r.target.c_str(), headers, r.body, "application/json");
  if (r.method == "PATCH")
    return client.Patch(r.target.c_str(), headers, r.body, "application/json");
  return client.Delete(r.target.c_str(), headers, r.body, "application/json");
}

std::string Check(const StaticCase& c, const httplib::Result& res) {
  if (!res) return "no HTTP response: " + httplib::to_string(res.error());
  if (res->status != c.status) {
    return "status " + std::to_string(res->status) + ", want " + std::to_string(c.status) +
           "; body " + res->body.substr(0, 200);
  }
  if (c.status == 204 || !c.response) {
    return res->body.empty() ? "" : "expected an empty body, got " + res->body.substr(0, 200);
  }
  auto got = nlohmann::json::parse(res->body, nullptr, false);
  if (got.is_discarded()) return "body is not JSON: " + res->body.substr(0, 200);
  if (got != *c.response) return "body differs: " + nlohmann::json::diff(*c.response, got).dump();
  if (res->get_header_value("x-amzn-RequestId").empty()) return "no x-amzn-RequestId header";
  return "";
}

class StaticSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }
  void TearDown() override { server_.Stop(); }
  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_.port());
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
  }
  StaticSandboxServer server_{kModels};
};

TEST_F(StaticSandboxTest, AnswersEveryStaticCaseOfTheModels) {
  auto client = Client();
  int passed = 0, failed = 0, excused = 0;
  for (const auto& c : server_.cases()) {
    std::string problem = Check(c, Send(client, BuildRequest(c)));
    if (problem.empty()) {
      ++passed;
    } else if (kUnanswerable.count(c.Name())) {
      ++excused;
    } else {
      ++failed;
      ADD_FAILURE() << c.Name() << ": " << problem;
    }
  }
  // The model snapshot holds 99 static cases in these eight models (SPAPI.md §11).
  EXPECT_EQ(server_.cases().size(), 99u);
  if (excused > 0) std::cout << "conformance: " << excused << " listed as unanswerable\n";
  std::cout << "conformance: " << passed << " passed, " << failed << " failed" << std::endl;
  EXPECT_EQ(failed, 0);
}

TEST_F(StaticSandboxTest, AcceptsRepeatedQueryKeysForCsvArrays) {
  auto client = Client();
  auto res = client.Get(
      "/listings/2021-08-01/items/SELLER?identifiersType=SKU&identifiers=GM-ZDPI-9B4E"
      "&identifiers=HW-ZDPI-9B4E&identifiers=TC-ZDPI-9B4E&marketplaceIds=ATVPDKIKX0DER"
      "&marketplaceIds=A2EUQ1WTGCTBG2&includedData=summaries,offers,fulfillmentAvailability,issues"
      "&pageSize=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body)["numberOfResults"], 3);
}

TEST_F(StaticSandboxTest, UnmatchedRequestGetsAmazonsNoMatchError) {
  auto client = Client();
  auto res = client.Get("/orders/v0/orders?CreatedAfter=2020-01-01T00:00:00Z&MarketplaceIds=X");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(nlohmann::json::parse(res->body),
            nlohmann::json::parse(R"({"errors":[{"code":"InvalidInput",
              "message":"Could not match input arguments","details":""}]})"));
}

TEST_F(StaticSandboxTest, UnknownPathGets404InAmazonsErrorShape) {
  auto client = Client();
  auto res = client.Get("/orders/v0/nothing-here");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(nlohmann::json::parse(res->body)["errors"][0]["code"], "NotFound");
}

TEST_F(StaticSandboxTest, MostSpecificCaseWinsOverCatchAll) {
  // deleteListingsItem has a catch-all 200 and a 400 for sku=BadSKU.
  auto client = Client();
  auto bad = client.Delete("/listings/2021-08-01/items/SELLER/BadSKU?marketplaceIds=ATVPDKIKX0DER");
  auto good = client.Delete("/listings/2021-08-01/items/SELLER/ANY?marketplaceIds=ATVPDKIKX0DER");
  ASSERT_TRUE(bad);
  ASSERT_TRUE(good);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(good->status, 200);
}

}  // namespace
}  // namespace sandbox::conformance

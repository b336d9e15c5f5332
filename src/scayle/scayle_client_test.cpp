#include "scayle/scayle_client.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/fake_http_client.hpp"

namespace mb::scayle {
namespace {

ScayleSettings Settings() {
  ScayleSettings settings;
  settings.endpoint = "https://acme-live.admin.api.scayle.cloud/api/admin/v1/";
  settings.access_token = "scayle-key";
  settings.page_size = 2;
  return settings;
}

class ScayleClientTest : public ::testing::Test {
 protected:
  http::FakeHttpClient http_;
  ScayleClient client_{http_, Settings()};
};

TEST(ScayleIdentifiers, ByIdOrUrlEncodedKey) {
  EXPECT_EQ(IdentifierById(1234), "1234");
  EXPECT_EQ(IdentifierByKey("SKU-123-M"), "key%3DSKU-123-M");
  EXPECT_EQ(IdentifierByKey("AMZ 1/2:x"), "key%3DAMZ%201%2F2%3Ax");
}

TEST_F(ScayleClientTest, SendsTheAccessTokenAndJson) {
  http_.PushResponse(200, R"({"entities":[]})");
  ScayleRequest request{HttpMethod::kPost, "/variants/" + IdentifierByKey("SKU-1") + "/stocks",
                        {{"with", "a b"}}, R"({"quantity":1})",
                        "createStock",     "SKU-1"};
  auto body = client_.Call(request);
  ASSERT_TRUE(body) << body.error().ToString();
  const auto sent = http_.requests().at(0);
  EXPECT_EQ(sent.url,
            "https://acme-live.admin.api.scayle.cloud/api/admin/v1/variants/key%3DSKU-1/stocks"
            "?with=a%20b");
  EXPECT_EQ(sent.headers.Find("X-Access-Token").value_or(""), "scayle-key");
  EXPECT_EQ(sent.headers.Find("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(sent.operation, "scayle.createStock");
  EXPECT_EQ(sent.body, R"({"quantity":1})");
}

TEST_F(ScayleClientTest, ErrorBodyNamesTheErrorKeyAndSubject) {
  http_.PushResponse(
      409,
      R"({"errors":[{"errorKey":"RESERVATION_KEY_USED","message":"reservation key already used","context":{}}]})");
  ScayleRequest request{HttpMethod::kPost,    "/reservations", {}, "[]",
                        "createReservations", "SKU-123-M"};
  auto body = client_.Call(request);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kConflict);
  EXPECT_EQ(body.error().message,
            "scayle: POST /reservations returned 409 for SKU-123-M: RESERVATION_KEY_USED "
            "reservation key already used");
}

TEST_F(ScayleClientTest, MapsStatusClasses) {
  struct Case {
    int status;
    std::string body;
    ErrorCode code;
  };
  const std::vector<Case> cases = {
      {400, R"({"errors":[{"errorKey":"INVALID","message":"bad"}]})", ErrorCode::kInvalidInput},
      {401, "", ErrorCode::kUnauthorized},
      {403, "", ErrorCode::kUnauthorized},
      {404, R"({"errors":[{"errorKey":"VARIANT_NOT_FOUND","message":"no"}]})",
       ErrorCode::kNotFound},
      {408, "", ErrorCode::kTimeout},
      {412, "", ErrorCode::kRejected},
      {429, "", ErrorCode::kThrottled},
      // The rate-limit key wins whatever the status.
      {400, R"({"errors":[{"errorKey":"RATE_LIMIT_EXCEED","message":"slow down"}]})",
       ErrorCode::kThrottled},
      {500, "", ErrorCode::kUnavailable},
      {504, "", ErrorCode::kUnavailable},
  };
  for (const auto& c : cases) {
    http_.PushResponse(c.status, c.body, HttpHeaders{{"X-RateLimit-Reset", "17"}});
    auto body = client_.Call({HttpMethod::kGet, "/carriers", {}, std::nullopt, "listCarriers", ""});
    ASSERT_FALSE(body) << c.status;
    EXPECT_EQ(body.error().code, c.code) << c.status << " " << body.error().message;
    EXPECT_EQ(IsRetryable(body.error().code), c.status == 408 || c.status == 429 ||
                                                  c.status >= 500 ||
                                                  c.body.find("RATE_LIMIT") != std::string::npos)
        << c.status;
    if (c.code == ErrorCode::kThrottled) {
      EXPECT_NE(body.error().message.find("resets in 17 s"), std::string::npos);
    }
  }
}

TEST_F(ScayleClientTest, RecognisesRateLimitResponsesForTheRetryDecorator) {
  EXPECT_TRUE(IsScayleRateLimited(HttpResponse{429, {}, ""}));
  EXPECT_TRUE(IsScayleRateLimited(
      HttpResponse{400, {}, R"({"errors":[{"errorKey":"RATE_LIMIT_EXCEED","message":"x"}]})"}));
  EXPECT_FALSE(IsScayleRateLimited(
      HttpResponse{400, {}, R"({"errors":[{"errorKey":"INVALID","message":"x"}]})"}));
  EXPECT_FALSE(IsScayleRateLimited(HttpResponse{200, {}, "{}"}));
}

TEST_F(ScayleClientTest, FollowsTheCursorToTheEnd) {
  http_.PushResponse(200, R"({"entities":[{"id":1},{"id":2}],"cursor":{"next":"c2"}})");
  http_.PushResponse(200, R"({"entities":[{"id":3},{"id":4}],"cursor":{"next":"c 3"}})");
  http_.PushResponse(200, R"({"entities":[{"id":5}],"cursor":{"next":null}})");
  std::vector<int> ids;
  auto status = client_.ForEachPage(
      {HttpMethod::kGet, "/carriers", {{"sort", "id"}}, std::nullopt, "listCarriers", ""},
      [&](const nlohmann::json& entities) -> Status {
        for (const auto& e : entities) ids.push_back(e["id"]);
        return {};
      });
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(ids, (std::vector<int>{1, 2, 3, 4, 5}));
  const auto sent = http_.requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].url.substr(sent[0].url.find('?')), "?sort=id&limit=2");
  EXPECT_EQ(sent[1].url.substr(sent[1].url.find('?')), "?sort=id&limit=2&cursor=c2");
  EXPECT_EQ(sent[2].url.substr(sent[2].url.find('?')), "?sort=id&limit=2&cursor=c%203");
}

TEST_F(ScayleClientTest, PaginationStopsOnARepeatedCursorOrAPageError) {
  http_.PushResponse(200, R"({"entities":[],"cursor":{"next":"same"}})");
  http_.PushResponse(200, R"({"entities":[],"cursor":{"next":"same"}})");
  auto noop = [](const nlohmann::json&) -> Status { return {}; };
  auto status =
      client_.ForEachPage({HttpMethod::kGet, "/products", {}, std::nullopt, "p", ""}, noop);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kMalformedResponse);

  http_.PushResponse(200, R"({"entities":[{"id":1}],"cursor":{"next":"n"}})");
  auto stop = client_.ForEachPage(
      {HttpMethod::kGet, "/products", {}, std::nullopt, "p", ""},
      [](const nlohmann::json&) -> Status { return Fail(ErrorCode::kStorageError, "disk full"); });
  ASSERT_FALSE(stop);
  EXPECT_EQ(stop.error().code, ErrorCode::kStorageError);
  EXPECT_EQ(http_.pending(), 0u);
}

}  // namespace
}  // namespace mb::scayle

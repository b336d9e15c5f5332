#include "amazon/sp_api_client.hpp"

#include <gtest/gtest.h>

#include "amazon/sp_api_test_support.hpp"

namespace mb::amazon {
namespace {

using namespace std::chrono_literals;
using testing::SpApiFixture;

SpApiRequest Patch() {
  SpApiRequest request;
  request.method = HttpMethod::kPatch;
  request.path = "/listings/2021-08-01/items/A2SELLER/" + PathSegment("SKU 1/M");
  request.query = {{"marketplaceIds", "A1PA6795UKMFR9"}, {"mode", "VALIDATION_PREVIEW"}};
  request.body = R"({"productType":"SHIRT","patches":[]})";
  request.operation = "patchListingsItem";
  return request;
}

class SpApiClientTest : public ::testing::Test {
 protected:
  FakeClock clock_{MakeTime(2026, 11, 28, 9, 0, 0)};
  SpApiFixture fixture_{clock_};
};

TEST(ProductionEndpoints, PerRegion) {
  EXPECT_EQ(ProductionEndpoint("na"), "https://sellingpartnerapi-na.amazon.com");
  EXPECT_EQ(ProductionEndpoint("eu"), "https://sellingpartnerapi-eu.amazon.com");
  EXPECT_EQ(ProductionEndpoint("fe"), "https://sellingpartnerapi-fe.amazon.com");
  EXPECT_EQ(ProductionEndpoint("mars"), "");
}

TEST_F(SpApiClientTest, BuildsTheRequestAmazonExpects) {
  fixture_.http().PushResponse(200, R"({"sku":"SKU 1/M","status":"VALID"})",
                               HttpHeaders{{"x-amzn-RequestId", "req-1"}});
  auto response = fixture_.client().Call(Patch());
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->request_id, "req-1");
  const auto sent = fixture_.last();
  EXPECT_EQ(sent.method, HttpMethod::kPatch);
  EXPECT_EQ(sent.url,
            "https://sp.test/listings/2021-08-01/items/A2SELLER/SKU%201%2FM"
            "?marketplaceIds=A1PA6795UKMFR9&mode=VALIDATION_PREVIEW");
  EXPECT_EQ(sent.operation, "amazon.patchListingsItem");
  EXPECT_EQ(sent.headers.Find("x-amz-access-token").value_or(""), "Atza|1");
  EXPECT_EQ(sent.headers.Find("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(sent.headers.Find("User-Agent").value_or(""),
            std::string("Marketbridge/") + MB_VERSION_FOR_TESTS + " (Language=C++)");
  EXPECT_EQ(sent.body, R"({"productType":"SHIRT","patches":[]})");
  EXPECT_EQ(fixture_.governor().Stats().at("patchListingsItem").calls, 1u);
}

TEST_F(SpApiClientTest, DefaultsToTheRegionsProductionHost) {
  SpApiSettings settings = SpApiFixture::Defaults();
  settings.endpoint.clear();
  settings.region = "na";
  SpApiFixture na(clock_, settings);
  na.http().PushResponse(200, "{}");
  ASSERT_TRUE(na.client().Call(Patch()));
  EXPECT_EQ(na.last().url.rfind("https://sellingpartnerapi-na.amazon.com/listings/", 0), 0u);
}

struct StatusCase {
  int status;
  ErrorCode code;
};

class SpApiErrorMapping : public SpApiClientTest,
                          public ::testing::WithParamInterface<StatusCase> {};

TEST_P(SpApiErrorMapping, MapsEachStatusClass) {
  SpApiSettings settings = SpApiFixture::Defaults();
  settings.max_throttle_retries = 0;
  SpApiFixture fixture(clock_, settings);
  fixture.http().SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{
        GetParam().status, HttpHeaders{{"x-amzn-RequestId", "req-9"}},
        R"({"errors":[{"code":"InvalidInput","message":"Quantity must be >= 0","details":"quantity"}]})"};
  });
  auto response = fixture.client().Call(Patch());
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, GetParam().code);
  EXPECT_NE(response.error().message.find("returned " + std::to_string(GetParam().status) +
                                          ": InvalidInput Quantity must be >= 0 (quantity)"),
            std::string::npos)
      << response.error().message;
  EXPECT_NE(response.error().message.find("patchListingsItem"), std::string::npos);
  EXPECT_NE(response.error().message.find("req-9"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Statuses, SpApiErrorMapping,
                         ::testing::Values(StatusCase{400, ErrorCode::kInvalidInput},
                                           StatusCase{404, ErrorCode::kNotFound},
                                           StatusCase{409, ErrorCode::kRejected},
                                           StatusCase{413, ErrorCode::kRejected},
                                           StatusCase{429, ErrorCode::kThrottled},
                                           StatusCase{500, ErrorCode::kUnavailable},
                                           StatusCase{503, ErrorCode::kUnavailable},
                                           StatusCase{401, ErrorCode::kUnauthorized},
                                           StatusCase{403, ErrorCode::kUnauthorized}));

TEST_F(SpApiClientTest, RefreshesTheTokenOnceAfterA403) {
  fixture_.http().PushResponse(403, R"({"errors":[{"code":"Unauthorized","message":"expired"}]})");
  fixture_.http().PushResponse(200, "{}");
  ASSERT_TRUE(fixture_.client().Call(Patch()));
  const auto sent = fixture_.http().requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].headers.Find("x-amz-access-token").value_or(""), "Atza|1");
  EXPECT_EQ(sent[1].headers.Find("x-amz-access-token").value_or(""), "Atza|2");
}

TEST_F(SpApiClientTest, ARepeated403IsUnauthorized) {
  fixture_.http().PushResponse(403, R"({"errors":[{"code":"Unauthorized","message":"denied"}]})");
  fixture_.http().PushResponse(403, R"({"errors":[{"code":"Unauthorized","message":"denied"}]})");
  auto response = fixture_.client().Call(Patch());
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(fixture_.http().request_count(), 2u);
}

TEST(SpApiClientThrottling, A429IsRetriedAfterTheGovernorsWait) {
  // An accelerated clock: the governor's back-off takes a fraction of a millisecond of real time.
  ScaledClock clock(MakeTime(2026, 11, 28, 9, 0, 0), 10000.0);
  SpApiFixture fixture(clock);
  const auto quota =
      R"({"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource.","details":""}]})";
  fixture.http().PushResponse(429, quota);
  fixture.http().PushResponse(200, "{}");
  const TimePoint start = clock.Now();
  ASSERT_TRUE(fixture.client().Call(Patch()));
  EXPECT_GE(clock.Now() - start, 200ms);  // one token of patchListingsItem after the 429
  const auto stats = fixture.governor().Stats().at("patchListingsItem");
  EXPECT_EQ(stats.calls, 2u);
  EXPECT_EQ(stats.throttled, 1u);

  for (int i = 0; i < 3; ++i) fixture.http().PushResponse(429, quota);
  auto response = fixture.client().Call(Patch());
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kThrottled);
  EXPECT_NE(response.error().message.find("QuotaExceeded"), std::string::npos);
}

TEST_F(SpApiClientTest, TransportFailuresKeepTheirCode) {
  fixture_.http().PushError(ErrorCode::kTimeout, "timed out after 30000 ms");
  auto response = fixture_.client().Call(Patch());
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
  EXPECT_NE(response.error().message.find("patchListingsItem"), std::string::npos);
}

TEST_F(SpApiClientTest, CallJsonRejectsABodyThatIsNotJson) {
  fixture_.http().PushResponse(200, "<html>");
  auto json = fixture_.client().CallJson(Patch());
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().code, ErrorCode::kMalformedResponse);
}

}  // namespace
}  // namespace mb::amazon

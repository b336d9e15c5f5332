#include "amazon/lwa_token_provider.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/timestamp.hpp"
#include "http/fake_http_client.hpp"

namespace mb::amazon {
namespace {

using namespace std::chrono_literals;

LwaCredentials Credentials() {
  return {"https://api.amazon.com/auth/o2/token", "amzn1.application-oa2-client.abc", "very-secret",
          "Atzr|refresh/token"};
}

std::string TokenBody(const std::string& token, int expires_in = 3600) {
  return R"({"access_token":")" + token + R"(","token_type":"bearer","expires_in":)" +
         std::to_string(expires_in) + "}";
}

class LwaTest : public ::testing::Test {
 protected:
  FakeClock clock_{MakeTime(2026, 11, 28, 9, 0, 0)};
  http::FakeHttpClient http_;
  LwaTokenProvider provider_{http_, clock_, Credentials()};
};

TEST_F(LwaTest, PostsTheRefreshTokenGrantFormEncoded) {
  http_.PushResponse(200, TokenBody("Atza|first"));
  auto token = provider_.AccessToken();
  ASSERT_TRUE(token) << token.error().ToString();
  EXPECT_EQ(*token, "Atza|first");
  ASSERT_EQ(http_.request_count(), 1u);
  const auto request = http_.requests()[0];
  EXPECT_EQ(request.method, HttpMethod::kPost);
  EXPECT_EQ(request.url, "https://api.amazon.com/auth/o2/token");
  EXPECT_EQ(request.headers.Find("Content-Type").value_or(""),
            "application/x-www-form-urlencoded;charset=UTF-8");
  EXPECT_EQ(request.body,
            "grant_type=refresh_token&refresh_token=Atzr%7Crefresh%2Ftoken"
            "&client_id=amzn1.application-oa2-client.abc&client_secret=very-secret");
  EXPECT_TRUE(request.SafeToRetry());
}

TEST_F(LwaTest, CachesUntilSixtySecondsBeforeExpiry) {
  http_.PushResponse(200, TokenBody("Atza|first", 3600));
  http_.PushResponse(200, TokenBody("Atza|second", 3600));
  EXPECT_EQ(*provider_.AccessToken(), "Atza|first");
  clock_.Advance(3539s);
  EXPECT_EQ(*provider_.AccessToken(), "Atza|first");
  EXPECT_EQ(http_.request_count(), 1u);
  clock_.Advance(1s);
  EXPECT_EQ(*provider_.AccessToken(), "Atza|second");
  EXPECT_EQ(provider_.refreshes(), 2);
}

TEST_F(LwaTest, GrantlessTokenUsesClientCredentialsAndScopeAndIsCachedSeparately) {
  http_.PushResponse(200, TokenBody("Atza|grantless"));
  http_.PushResponse(200, TokenBody("Atza|seller"));
  EXPECT_EQ(*provider_.GrantlessToken(kNotificationsScope), "Atza|grantless");
  EXPECT_EQ(*provider_.AccessToken(), "Atza|seller");
  EXPECT_EQ(*provider_.GrantlessToken(kNotificationsScope), "Atza|grantless");
  ASSERT_EQ(http_.request_count(), 2u);
  EXPECT_EQ(http_.requests()[0].body,
            "grant_type=client_credentials&scope=sellingpartnerapi%3A%3Anotifications"
            "&client_id=amzn1.application-oa2-client.abc&client_secret=very-secret");
}

TEST_F(LwaTest, InvalidateForcesARefreshOnlyForTheRejectedToken) {
  http_.PushResponse(200, TokenBody("Atza|first"));
  http_.PushResponse(200, TokenBody("Atza|second"));
  EXPECT_EQ(*provider_.AccessToken(), "Atza|first");
  provider_.Invalidate("Atza|stale-from-another-thread");
  EXPECT_EQ(*provider_.AccessToken(), "Atza|first");
  provider_.Invalidate("Atza|first");
  EXPECT_EQ(*provider_.AccessToken(), "Atza|second");
}

TEST_F(LwaTest, ErrorBodyBecomesAnActionableErrorWithoutSecrets) {
  http_.PushResponse(
      400,
      R"({"error":"invalid_grant","error_description":"The request has an invalid grant parameter : refresh_token"})");
  auto token = provider_.AccessToken();
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, ErrorCode::kUnauthorized);
  EXPECT_NE(token.error().message.find("invalid_grant"), std::string::npos);
  EXPECT_NE(token.error().message.find("invalid grant parameter"), std::string::npos);
  EXPECT_EQ(token.error().message.find("very-secret"), std::string::npos);
  EXPECT_EQ(token.error().message.find("Atzr"), std::string::npos);
}

TEST_F(LwaTest, MapsServerErrorsAndTransportFailuresToRetryableCodes) {
  http_.PushResponse(503, R"({"error":"temporarily_unavailable"})");
  EXPECT_EQ(provider_.AccessToken().error().code, ErrorCode::kUnavailable);
  http_.PushError(ErrorCode::kTimeout, "no answer");
  EXPECT_EQ(provider_.AccessToken().error().code, ErrorCode::kTimeout);
  http_.PushResponse(200, R"({"token_type":"bearer"})");
  EXPECT_EQ(provider_.AccessToken().error().code, ErrorCode::kMalformedResponse);
  http_.PushResponse(400, R"({"error":"invalid_scope"})");
  EXPECT_EQ(provider_.GrantlessToken("bad::scope").error().code, ErrorCode::kInvalidInput);
}

TEST_F(LwaTest, MissingCredentialsAreAConfigError) {
  LwaTokenProvider unconfigured(http_, clock_, LwaCredentials{});
  auto token = unconfigured.AccessToken();
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, ErrorCode::kConfigError);
  EXPECT_EQ(http_.request_count(), 0u);
}

TEST_F(LwaTest, ConcurrentCallersShareOneRefresh) {
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    std::this_thread::sleep_for(5ms);
    return HttpResponse{200, {}, TokenBody("Atza|shared")};
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (auto t = provider_.AccessToken(); t && *t == "Atza|shared") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(http_.request_count(), 1u);
}

}  // namespace
}  // namespace mb::amazon

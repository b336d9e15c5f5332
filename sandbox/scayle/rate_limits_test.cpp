#include "sandbox/scayle/rate_limits.hpp"

#include <gtest/gtest.h>

#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using namespace std::chrono_literals;
using testing::ScayleApiTest;

TEST(ScayleRateLimiter, PublishedDefaultsPerScope) {
  auto limits = DefaultScopeLimits();
  EXPECT_EQ(limits.at("stocksRead"), 2500);
  EXPECT_EQ(limits.at("reservationsWrite"), 2500);
  EXPECT_EQ(limits.at("ordersWrite"), 300);
  EXPECT_EQ(limits.at("productRead"), 1000);
  EXPECT_EQ(limits.size(), 12u);
}

TEST(ScayleRateLimiter, FixedMinuteWindowOnTheSandboxClock) {
  SimClock clock(testing::TestStart() + 15s, 0.0);
  RateLimiter limiter(clock, {{"ordersWrite", 300}});
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(limiter.Take("ordersWrite").allowed) << i;
  auto denied = limiter.Take("ordersWrite");
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.remaining, 0);
  EXPECT_EQ(denied.reset_seconds, 45);
  clock.Advance(45s);
  auto fresh = limiter.Take("ordersWrite");
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 299);
  EXPECT_EQ(limiter.Counters().at("ordersWrite").calls, 302);
  EXPECT_EQ(limiter.Counters().at("ordersWrite").rate_limited, 1);
}

class ScayleRateLimitApiTest : public ScayleApiTest {
 protected:
  ScayleServerConfig Config() override {
    auto config = ScayleApiTest::Config();
    config.rate_limits["stocksRead"] = 3;
    return config;
  }
};

TEST_F(ScayleRateLimitApiTest, HeadersOnEveryResponseAnd429WithTheDocumentedError) {
  auto v = AddShirt();
  std::string path = Api("/variants/" + std::to_string(v.id) + "/stocks");
  for (int i = 0; i < 3; ++i) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("X-RateLimit-Scope"), "stocksRead");
    EXPECT_EQ(res->get_header_value("X-RateLimit-Limit"), "3");
    EXPECT_EQ(res->get_header_value("X-RateLimit-Remaining"), std::to_string(2 - i));
    EXPECT_EQ(res->get_header_value("X-RateLimit-Reset"),
              "60");  // the frozen clock sits on a minute
  }
  auto limited = client_->Get(path);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("X-RateLimit-Remaining"), "0");
  auto body = Json::parse(limited->body);
  EXPECT_EQ(body["errors"][0]["errorKey"], "RATE_LIMIT_EXCEED");
  EXPECT_TRUE(body["errors"][0]["context"].is_object());
  // Other scopes are not affected.
  auto prices = client_->Get(Api("/variants/" + std::to_string(v.id) + "/prices"));
  ASSERT_TRUE(prices);
  EXPECT_EQ(prices->status, 200);
  EXPECT_EQ(prices->get_header_value("X-RateLimit-Scope"), "pricesRead");
  EXPECT_EQ(prices->get_header_value("X-RateLimit-Limit"), "2500");

  clock_.Advance(60s);
  auto again = client_->Get(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);

  auto counters = client_->Get("/_sandbox/scayle/counters");
  ASSERT_TRUE(counters);
  auto scopes = Json::parse(counters->body)["scopes"];
  EXPECT_EQ(scopes["stocksRead"]["calls"], 5);
  EXPECT_EQ(scopes["stocksRead"]["rateLimited"], 1);
  EXPECT_EQ(scopes["pricesRead"]["rateLimited"], 0);
  auto operations = Json::parse(counters->body)["operations"];
  EXPECT_EQ(operations["GET /variants/{v}/stocks"]["calls"], 5);
  EXPECT_EQ(operations["GET /variants/{v}/stocks"]["rateLimited"], 1);
  EXPECT_EQ(operations["GET /variants/{v}/prices"]["calls"], 1);
}

}  // namespace
}  // namespace sandbox::scayle

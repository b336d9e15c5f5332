#include "sandbox/scayle/faults.hpp"

#include <gtest/gtest.h>

#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using namespace std::chrono_literals;
using testing::ScayleApiTest;

class ScayleFaultsTest : public ScayleApiTest {
 protected:
  void Inject(const Json& routes) {
    auto res = client_->Post("/_sandbox/scayle/faults", Json({{"routes", routes}}).dump(),
                             "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 204) << res->body;
  }
  std::string StocksPath() { return Api("/variants/" + std::to_string(variant_.id) + "/stocks"); }
  void SetUp() override {
    ScayleApiTest::SetUp();
    variant_ = AddShirt();
  }
  Variant variant_;
};

TEST_F(ScayleFaultsTest, ServerErrorsForTheConfiguredCountOnlyOnThatRoute) {
  Inject({{{"route", "GET /variants/{v}/stocks"},
           {"kind", "server_error"},
           {"status", 502},
           {"count", 2}}});
  EXPECT_EQ(client_->Get(Api("/carriers"))->status, 200);
  for (int i = 0; i < 2; ++i) {
    auto res = client_->Get(StocksPath());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 502);
    EXPECT_TRUE(Json::parse(res->body)["errors"].is_array());
  }
  EXPECT_EQ(client_->Get(StocksPath())->status, 200);
}

TEST_F(ScayleFaultsTest, RateLimitStormCountsAsRateLimited) {
  Inject({{{"route", "POST /reservations"}, {"kind", "rate_limit_storm"}, {"count", 3}}});
  Json body = Json::array({{{"referenceKey", "r"},
                            {"warehouseReferenceKey", "wh-main"},
                            {"variant", {{"id", variant_.id}}}}});
  for (int i = 0; i < 3; ++i) {
    auto res = client_->Post(Api("/reservations"), body.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 429);
    EXPECT_EQ(res->get_header_value("X-RateLimit-Remaining"), "0");
    EXPECT_EQ(Json::parse(res->body)["errors"][0]["errorKey"], "RATE_LIMIT_EXCEED");
  }
  EXPECT_EQ(client_->Post(Api("/reservations"), body.dump(), "application/json")->status, 201);
  auto scopes = server_->rate_limits().Counters();
  EXPECT_EQ(scopes.at("reservationsWrite").calls, 4);
  EXPECT_EQ(scopes.at("reservationsWrite").rate_limited, 3);
}

TEST_F(ScayleFaultsTest, MalformedBodyIsNotJson) {
  Inject({{{"route", "GET /carriers"}, {"kind", "malformed_body"}, {"count", 1}}});
  auto res = client_->Get(Api("/carriers"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(Json::parse(res->body, nullptr, false).is_discarded());
}

TEST_F(ScayleFaultsTest, DroppedConnectionYieldsNoResponse) {
  Inject({{{"route", "GET /warehouses"}, {"kind", "drop_connection"}, {"count", 1}}});
  auto res = client_->Get(Api("/warehouses"));
  EXPECT_FALSE(res);
  auto next = client_->Get(Api("/warehouses"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(ScayleFaultsTest, SlowResponseTimesOutAClientWithAShortTimeout) {
  Inject({{{"route", "GET /carriers"}, {"kind", "slow"}, {"delayMs", 400}, {"count", 1}}});
  auto impatient = MakeClient(server_->config().access_token);
  impatient->set_read_timeout(100ms);
  auto res = impatient->Get(Api("/carriers"));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error(), httplib::Error::Read);
}

TEST(ScayleFaultPlan, UnknownKindsAreRejectedAndProbabilityIsSeeded) {
  EXPECT_FALSE(ParseRouteFault({{"kind", "gremlins"}}));
  auto count_hits = [](uint64_t seed) {
    FaultPlan plan(seed);
    plan.Add(*ParseRouteFault({{"route", "*"}, {"kind", "server_error"}, {"probability", 0.3}}));
    int hits = 0;
    for (int i = 0; i < 1000; ++i) hits += plan.Draw("GET /carriers").has_value();
    return hits;
  };
  EXPECT_EQ(count_hits(9), count_hits(9));
  EXPECT_NEAR(count_hits(9), 300, 60);
}

}  // namespace
}  // namespace sandbox::scayle

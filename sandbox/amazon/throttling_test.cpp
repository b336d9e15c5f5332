// Every emulated operation's usage plan, enforced at the documented rate and burst on the sim
// clock.
#include <cmath>

#include "sandbox/amazon/amazon_test_support.hpp"

namespace sandbox::amazon::testing {
namespace {

using nlohmann::json;

struct Call {
  std::string operation;
  std::string method;
  std::string path;
};

// One cheap call per operation; 4xx answers still spend a token, as on Amazon.
std::vector<Call> Calls() {
  const std::string item =
      std::string("/listings/2021-08-01/items/") + kSeller + "/SKU-T?marketplaceIds=" + kDe;
  return {
      {"orders.searchOrders", "GET", "/orders/2026-01-01/orders?createdAfter=2026-11-01T00:00:00Z"},
      {"orders.getOrder", "GET", "/orders/2026-01-01/orders/028-0000000-0000000"},
      {"ordersV0.confirmShipment", "POST",
       "/orders/v0/orders/028-0000000-0000000/shipmentConfirmation"},
      {"listings.getListingsItem", "GET", item},
      {"listings.putListingsItem", "PUT", item},
      {"listings.patchListingsItem", "PATCH", item},
      {"listings.deleteListingsItem", "DELETE", item},
      {"listings.searchListingsItems", "GET",
       std::string("/listings/2021-08-01/items/") + kSeller + "?marketplaceIds=" + kDe},
      {"feeds.createFeedDocument", "POST", "/feeds/2021-06-30/documents"},
      {"feeds.createFeed", "POST", "/feeds/2021-06-30/feeds"},
      {"feeds.getFeed", "GET", "/feeds/2021-06-30/feeds/123"},
      {"feeds.cancelFeed", "DELETE", "/feeds/2021-06-30/feeds/123"},
      {"feeds.getFeeds", "GET", "/feeds/2021-06-30/feeds"},
      {"feeds.getFeedDocument", "GET", "/feeds/2021-06-30/documents/nope"},
      {"reports.createReport", "POST", "/reports/2021-06-30/reports"},
      {"reports.getReports", "GET",
       "/reports/2021-06-30/reports?reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"},
      {"reports.getReport", "GET", "/reports/2021-06-30/reports/123"},
      {"reports.cancelReport", "DELETE", "/reports/2021-06-30/reports/123"},
      {"reports.getReportDocument", "GET", "/reports/2021-06-30/documents/nope"},
  };
}

class ThrottlingTest : public AmazonHttpTest {
 protected:
  httplib::Result Send(const Call& c) {
    if (c.method == "GET") return client_->Get(c.path.c_str(), Auth());
    if (c.method == "DELETE") return client_->Delete(c.path.c_str(), Auth());
    if (c.method == "PUT") return client_->Put(c.path.c_str(), Auth(), "{}", "application/json");
    if (c.method == "PATCH")
      return client_->Patch(c.path.c_str(), Auth(), "{}", "application/json");
    return client_->Post(c.path.c_str(), Auth(), "{}", "application/json");
  }
};

TEST_F(ThrottlingTest, EachOperationAllowsItsBurstThenRefillsAtItsRate) {
  for (const Call& call : Calls()) {
    SCOPED_TRACE(call.operation);
    token_ = FetchToken();  // the clock moves far; keep the token fresh
    const OperationLimit* limit = FindOperationLimit(call.operation);
    ASSERT_NE(limit, nullptr);
    for (int i = 0; i < limit->burst; ++i) {
      auto res = Send(call);
      ASSERT_TRUE(res);
      ASSERT_NE(res->status, 429) << "call " << i << " of the burst";
      EXPECT_EQ(res->get_header_value("x-amzn-RateLimit-Limit"), std::string(limit->rate));
    }
    auto throttled = Send(call);
    ASSERT_EQ(throttled->status, 429);
    EXPECT_EQ(
        Json(throttled),
        json::parse(
            R"({"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource.","details":""}]})"));
    EXPECT_FALSE(throttled->has_header("x-amzn-RateLimit-Limit"));
    EXPECT_TRUE(throttled->has_header("x-amzn-RequestId"));
    // One token takes 1/rate seconds to come back.
    const auto refill = std::chrono::milliseconds(
        static_cast<int64_t>(std::ceil(1000.0 / std::stod(std::string(limit->rate)))));
    clock_.Advance(refill * 9 / 10);
    token_ = FetchToken();
    EXPECT_EQ(Send(call)->status, 429) << "refilled too early";
    clock_.Advance(refill - refill * 9 / 10);
    EXPECT_NE(Send(call)->status, 429) << "not refilled after 1/rate s";
    EXPECT_EQ(Send(call)->status, 429);
  }
  auto counters = server_->Counters();
  EXPECT_EQ(counters["orders.searchOrders"].throttled, 3);
  EXPECT_EQ(counters["orders.searchOrders"].calls, 20 + 4);
}

TEST_F(ThrottlingTest, JsonListingsFeedIsLimitedToFivePerFiveMinutesPerRegion) {
  auto create = [&] {
    auto doc = Json(
        Post("/feeds/2021-06-30/documents", {{"contentType", "application/json; charset=UTF-8"}}));
    return Post("/feeds/2021-06-30/feeds", {{"feedType", "JSON_LISTINGS_FEED"},
                                            {"marketplaceIds", {kDe}},
                                            {"inputFeedDocumentId", doc["feedDocumentId"]}});
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(create()->status, 202) << i;
  auto sixth = create();
  EXPECT_EQ(sixth->status, 429);
  EXPECT_EQ(Json(sixth)["errors"][0]["code"], "QuotaExceeded");
  clock_.Advance(std::chrono::minutes(5));
  token_ = FetchToken();
  EXPECT_EQ(create()->status, 202);
}

}  // namespace
}  // namespace sandbox::amazon::testing

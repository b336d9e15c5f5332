// Each configurable fault type, injected over HTTP through the control API.
#include "sandbox/amazon/amazon_test_support.hpp"

namespace sandbox::amazon::testing {
namespace {

using nlohmann::json;

class FaultsTest : public AmazonHttpTest {
 protected:
  void Inject(const json& rule) {
    httplib::Client ctl("127.0.0.1", server_->port());
    auto res = ctl.Post("/_sandbox/amazon/faults", rule.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  std::string Order() {
    return "/orders/2026-01-01/orders/" + order_id_ + "?includedData=FULFILLMENT";
  }
  void SetUp() override {
    AmazonHttpTest::SetUp();
    SeedShirt("SKU-1", 10);
    order_id_ = PlaceOrder("SKU-1", 1).order_id;
  }
  std::string order_id_;
};

TEST_F(FaultsTest, ThrottleStormAnswers429ForTheConfiguredCalls) {
  Inject({{"operation", "orders.getOrder"}, {"kind", "throttle"}, {"count", 3}});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get(Order())->status, 429);
  EXPECT_EQ(Get(Order())->status, 200);
  EXPECT_EQ(server_->Counters()["orders.getOrder"].throttled, 3);
  EXPECT_EQ(server_->Counters()["orders.getOrder"].faults, 3);
}

TEST_F(FaultsTest, ServerErrors) {
  Inject(
      {{"operation", "orders.getOrder"}, {"kind", "server_error"}, {"status", 503}, {"count", 1}});
  Inject({{"operation", "orders.getOrder"}, {"kind", "server_error"}, {"count", 1}});
  auto first = Get(Order());
  EXPECT_EQ(first->status, 503);
  EXPECT_TRUE(first->has_header("x-amzn-RequestId"));
  auto second = Get(Order());
  EXPECT_EQ(second->status, 500);
  EXPECT_EQ(Json(second)["errors"][0]["code"], "InternalFailure");
  EXPECT_EQ(Get(Order())->status, 200);
}

TEST_F(FaultsTest, SlowResponseStillAnswers) {
  Inject({{"operation", "orders.getOrder"}, {"kind", "slow"}, {"delayMs", 300}, {"count", 1}});
  const auto start = std::chrono::steady_clock::now();
  auto res = Get(Order());
  EXPECT_EQ(res->status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST_F(FaultsTest, TimeoutNeverAnswers) {
  Inject({{"operation", "orders.getOrder"}, {"kind", "timeout"}, {"count", 1}});
  client_->set_read_timeout(0, 300000);  // 300 ms; the server holds for 1.5 s
  auto res = Get(Order());
  EXPECT_FALSE(res);
  EXPECT_EQ(res.error(), httplib::Error::Read);
}

TEST_F(FaultsTest, DroppedConnection) {
  Inject({{"operation", "orders.getOrder"}, {"kind", "drop_connection"}, {"count", 1}});
  auto res = Get(Order());
  EXPECT_FALSE(res);
  EXPECT_EQ(Get(Order())->status, 200);  // the next call goes through
}

TEST_F(FaultsTest, MalformedBody) {
  Inject({{"operation", "orders.getOrder"}, {"kind", "malformed_body"}, {"count", 1}});
  auto res = Get(Order());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(json::parse(res->body, nullptr, false).is_discarded());
}

TEST_F(FaultsTest, UnknownOrderStatusInSearchAndGet) {
  Inject({{"operation", "orders.getOrder"},
          {"kind", "unknown_order_status"},
          {"orderStatus", "AWAITING_PICKUP"}});
  Inject({{"operation", "orders.searchOrders"}, {"kind", "unknown_order_status"}, {"count", 1}});
  EXPECT_EQ(Json(Get(Order()))["order"]["fulfillment"]["fulfillmentStatus"], "AWAITING_PICKUP");
  clock_.Advance(std::chrono::minutes(3));
  token_ = FetchToken();
  auto search = Json(
      Get("/orders/2026-01-01/orders?createdAfter=2026-11-20T00:00:00Z&includedData=FULFILLMENT"));
  EXPECT_EQ(search["orders"][0]["fulfillment"]["fulfillmentStatus"], "AWAITING_PICKUP");
  // A status set by the market can be outside the enum too.
  ASSERT_TRUE(world_.SetOrderStatus(order_id_, "INVOICE_UNCONFIRMED_X"));
  httplib::Client ctl("127.0.0.1", server_->port());
  ASSERT_EQ(ctl.Delete("/_sandbox/amazon/faults")->status, 200);
  EXPECT_EQ(Json(Get(Order()))["order"]["fulfillment"]["fulfillmentStatus"],
            "INVOICE_UNCONFIRMED_X");
}

TEST_F(FaultsTest, UnknownFaultKindOrOperationIsRejected) {
  httplib::Client ctl("127.0.0.1", server_->port());
  EXPECT_EQ(
      ctl.Post("/_sandbox/amazon/faults", R"({"kind":"gremlins"})", "application/json")->status,
      400);
  EXPECT_EQ(ctl.Post("/_sandbox/amazon/faults", R"({"kind":"timeout","operation":"orders.nope"})",
                     "application/json")
                ->status,
            400);
  auto counters = json::parse(ctl.Get("/_sandbox/amazon/counters")->body);
  EXPECT_EQ(counters["world"]["ordersPlaced"], 1);
}

}  // namespace
}  // namespace sandbox::amazon::testing

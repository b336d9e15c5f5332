#include "sandbox/scayle/webhooks.hpp"

#include <gtest/gtest.h>

#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using namespace std::chrono_literals;
using testing::KeyPath;
using testing::kWait;
using testing::ScayleApiTest;
using testing::WebhookReceiver;

class ScayleWebhooksTest : public ScayleApiTest {
 protected:
  Json Subscribe(const std::string& event, const std::string& url) {
    Json body = {{"event", event},
                 {"version", 1},
                 {"url", url},
                 {"filters", {{{"merchantReferenceKeys", {{"include", {"merchant-1"}}}}}}}};
    auto res = client_->Post(Api("/webhooks/subscriptions"), body.dump(), "application/json");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 201) << res->body;
    return Json::parse(res->body);
  }
  void SetStock(int64_t variant_id, int quantity) {
    Json body = {{"quantity", quantity}, {"warehouseReferenceKey", "wh-main"}};
    auto res = client_->Post(Api("/variants/" + std::to_string(variant_id) + "/stocks"),
                             body.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201);
  }
  WebhookReceiver receiver_;
};

TEST_F(ScayleWebhooksTest, SubscriptionCredentialsAreMaskedInEveryRead) {
  auto created = Subscribe("order-package-shipped", receiver_.Url("hook-user:s3cret"));
  EXPECT_EQ(created["url"],
            "http://***:***@127.0.0.1:" + std::to_string(receiver_.port()) + "/hooks");
  int64_t id = created["id"];
  auto one = Json::parse(client_->Get(Api("/webhooks/subscriptions/" + std::to_string(id)))->body);
  EXPECT_EQ(one, created);
  auto all = Json::parse(client_->Get(Api("/webhooks/subscriptions"))->body);
  ASSERT_EQ(all["entities"].size(), 1u);
  EXPECT_EQ(all["entities"][0]["url"], created["url"]);

  Json patch = {
      {"url", receiver_.Url("hook-user:n3w", "/v2")},
      {"filters", {{{"merchantReferenceKeys", {{"include", {{"add", {"merchant-3"}}}}}}}}}};
  auto patched = client_->Patch(Api("/webhooks/subscriptions/" + std::to_string(id)), patch.dump(),
                                "application/json");
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  auto p = Json::parse(patched->body);
  EXPECT_EQ(p["url"], "http://***:***@127.0.0.1:" + std::to_string(receiver_.port()) + "/v2");
  EXPECT_EQ(p["filters"][0]["merchantReferenceKeys"]["include"],
            Json({"merchant-1", "merchant-3"}));
  EXPECT_EQ(p["event"], "order-package-shipped");

  auto bad = client_->Post(Api("/webhooks/subscriptions"),
                           R"({"event":"no-such-event","url":"http://x/y"})", "application/json");
  EXPECT_EQ(bad->status, 400);
  auto mistyped = client_->Post(Api("/webhooks/subscriptions"),
                                R"({"event":"order-canceled","version":"one","url":"http://x/y"})",
                                "application/json");
  ASSERT_TRUE(mistyped);
  EXPECT_EQ(mistyped->status, 400);
  EXPECT_EQ(Json::parse(mistyped->body)["errors"][0]["errorKey"], "VALIDATION_ERROR");
  EXPECT_EQ(client_->Delete(Api("/webhooks/subscriptions/" + std::to_string(id)))->status, 204);
  EXPECT_EQ(client_->Get(Api("/webhooks/subscriptions/" + std::to_string(id)))->status, 404);
}

TEST_F(ScayleWebhooksTest, StockUpdateIsDeliveredWithBasicCredentialsFromTheUrl) {
  auto v = AddShirt();
  Subscribe("product-variant-stock-updated", receiver_.Url("hook-user:s3cret"));
  SetStock(v.id, 11);
  ASSERT_TRUE(receiver_.WaitFor(1));
  auto got = receiver_.Requests().at(0);
  EXPECT_EQ(got.path, "/hooks");
  EXPECT_EQ(got.authorization, "Basic aG9vay11c2VyOnMzY3JldA==");  // base64("hook-user:s3cret")
  EXPECT_TRUE(got.body["key"].is_string());
  EXPECT_EQ(got.body["type"], "product-variant-stock-updated");
  EXPECT_EQ(got.body["version"], 1);
  EXPECT_EQ(got.body["meta"]["tenantKey"], "sandbox");
  EXPECT_EQ(got.body["occurredAt"], "2026-03-02T09:00:00+00:00");
  const auto& payload = got.body["payload"];
  EXPECT_EQ(payload["productVariant"]["id"], v.id);
  EXPECT_EQ(payload["productVariant"]["referenceKey"], "SHIRT-blue-M");
  EXPECT_EQ(payload["product"]["referenceKey"], "SHIRT-blue");
  EXPECT_EQ(payload["warehouse"]["referenceKey"], "wh-main");
  EXPECT_EQ(payload["quantity"], 11);
  EXPECT_EQ(payload["sellableWithoutStock"], false);
  EXPECT_EQ(payload["merchantReferenceKey"], "merchant-1");
}

TEST_F(ScayleWebhooksTest, OrderEventsCarryTheOrderEnvelope) {
  AddShirt();
  Subscribe("order-package-shipped", receiver_.Url("u:p", "/shipped"));
  Subscribe("order-canceled", receiver_.Url("u:p", "/canceled"));
  Json item = {{"variant", {{"referenceKey", "SHIRT-blue-M"}}}, {"price", {{"withTax", 2999}}}};
  auto a = Json::parse(client_
                           ->Post(Api("/shops/ms/countries/DE/orders"),
                                  Json({{"referenceKey", "A"}, {"items", {item}}}).dump(),
                                  "application/json")
                           ->body);
  auto b = Json::parse(client_
                           ->Post(Api("/shops/ms/countries/DE/orders"),
                                  Json({{"referenceKey", "B"}, {"items", {item}}}).dump(),
                                  "application/json")
                           ->body);
  ASSERT_TRUE(world_.ShipOrder(a["id"], {{"UPS", "1Z999AA10123456784", {}}}));
  ASSERT_TRUE(world_.CancelOrder(b["id"]));
  ASSERT_TRUE(receiver_.WaitFor(2));
  auto requests = receiver_.Requests();
  std::map<std::string, Json> by_path;
  for (const auto& r : requests) by_path[r.path] = r.body;
  const Json& shipped = by_path.at("/shipped");
  EXPECT_EQ(shipped["locale"]["countryCode"], "DE");
  EXPECT_EQ(shipped["locale"]["currencyCode"], "EUR");
  EXPECT_EQ(shipped["locale"]["languageCode"], "de_DE");
  EXPECT_TRUE(shipped["locale"]["appId"].is_number_integer());
  EXPECT_EQ(shipped["payload"]["referenceKey"], "A");
  EXPECT_EQ(shipped["payload"]["packages"][0]["shipmentKey"], "1Z999AA10123456784");
  EXPECT_EQ(shipped["payload"]["packages"][0]["carrierKey"], "UPS");
  EXPECT_EQ(by_path.at("/canceled")["payload"]["status"], "cancellation_completed");
}

TEST_F(ScayleWebhooksTest, FailedDeliveriesAreRetriedWithBackOffOnTheSandboxClock) {
  auto v = AddShirt();
  Subscribe("product-variant-stock-updated", receiver_.Url("u:p"));
  receiver_.FailNext(2);
  SetStock(v.id, 3);
  ASSERT_TRUE(server_->webhooks().WaitForAttempts(1, kWait));
  // The retry waits for its back-off (10 s of sandbox time); the clock is frozen.
  EXPECT_EQ(receiver_.Requests().size(), 1u);
  clock_.Advance(10s);
  ASSERT_TRUE(server_->webhooks().WaitForAttempts(2, kWait));
  clock_.Advance(30s);
  ASSERT_TRUE(receiver_.WaitFor(3));
  ASSERT_TRUE(server_->webhooks().WaitForAttempts(3, kWait));
  auto requests = receiver_.Requests();
  EXPECT_EQ(requests[0].answered, 500);
  EXPECT_EQ(requests[1].answered, 500);
  EXPECT_EQ(requests[2].answered, 200);
  EXPECT_EQ(requests[0].body["key"], requests[2].body["key"]);  // the same event, redelivered

  auto log = Json::parse(client_->Get("/_sandbox/scayle/webhooks/deliveries")->body);
  ASSERT_EQ(log["deliveries"].size(), 3u);
  EXPECT_EQ(log["deliveries"][0]["status"], 500);
  EXPECT_EQ(log["deliveries"][2]["attempt"], 3);
  EXPECT_EQ(log["deliveries"][2]["delivered"], true);
  EXPECT_EQ(log["counters"]["failedAttempts"], 2);
  EXPECT_EQ(log["counters"]["delivered"], 1);
}

TEST(ScayleWebhookHub, GivesUpAfterTheLastRetry) {
  SimClock clock(testing::TestStart(), 0.0);
  WebhookConfig config;
  config.retry_backoff = {1s, 2s};
  config.request_timeout = 500ms;
  WebhookHub hub(clock, config);
  hub.Start();
  WebhookReceiver receiver;
  receiver.FailNext(100);
  hub.Subscribe("product-updated", 1, receiver.Url("u:p"), Json::array());
  hub.Publish("product-updated", {{"key", "evt-1"}});
  ASSERT_TRUE(hub.WaitForAttempts(1, kWait));
  clock.Advance(1s);
  ASSERT_TRUE(hub.WaitForAttempts(2, kWait));
  clock.Advance(2s);
  ASSERT_TRUE(hub.WaitForAttempts(3, kWait));
  clock.Advance(1h);
  auto counters = hub.Counters();
  EXPECT_EQ(counters.attempts, 3);
  EXPECT_EQ(counters.abandoned, 1);
  EXPECT_TRUE(hub.Log().back().gave_up);
  EXPECT_EQ(hub.Pending(), 0u);
  hub.Stop();
}

TEST_F(ScayleWebhooksTest, DuplicateAndOutOfOrderFaults) {
  auto v = AddShirt();
  Subscribe("product-variant-stock-updated", receiver_.Url("u:p"));
  auto faults = client_->Post("/_sandbox/scayle/faults",
                              R"({"webhooks":{"duplicateProbability":1.0}})", "application/json");
  ASSERT_EQ(faults->status, 204);
  SetStock(v.id, 1);
  ASSERT_TRUE(receiver_.WaitFor(2));
  auto dup = receiver_.Requests();
  EXPECT_EQ(dup[0].body["key"], dup[1].body["key"]);
  EXPECT_EQ(dup[0].body, dup[1].body);

  ASSERT_EQ(client_->Delete("/_sandbox/scayle/faults")->status, 204);
  server_->webhooks().SetFaults({0.0, 1.0});  // hold the first event back
  SetStock(v.id, 2);
  server_->webhooks().SetFaults({});
  SetStock(v.id, 3);
  ASSERT_TRUE(receiver_.WaitFor(4));
  auto all = receiver_.Requests();
  EXPECT_EQ(all[2].body["payload"]["quantity"], 3);  // the later change arrives first
  EXPECT_EQ(all[3].body["payload"]["quantity"], 2);
}

}  // namespace
}  // namespace sandbox::scayle

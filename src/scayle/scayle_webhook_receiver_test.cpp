#include "scayle/scayle_webhook_receiver.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>

#include "core/timestamp.hpp"
#include "store/sqlite_state_store.hpp"

namespace mb::scayle {
namespace {

constexpr char kStockEvent[] =
    R"({"key":"evt-1","occurredAt":"2026-11-28T09:00:00+00:00","version":1,
  "meta":{"tenantKey":"acme"},"type":"product-variant-stock-updated",
  "payload":{"productVariant":{"id":11,"referenceKey":"SKU-123-M"},"product":{"id":2,"referenceKey":"P-1"},
  "warehouse":{"id":3,"referenceKey":"wh-main"},"quantity":5,"sellableWithoutStock":false,
  "createdAt":"2026-11-28T08:59:59+00:00","merchantReferenceKey":"merchant-1","expectedAvailabilityAt":null}})";

constexpr char kShippedEvent[] =
    R"({"key":"evt-9","locale":{"appId":1,"countryCode":"DE","currencyCode":"EUR","languageCode":"de_DE"},
  "occurredAt":"2026-11-28T10:00:00+00:00",
  "payload":{"id":901,"referenceKey":"302-1234567-1234567","status":"payment_reserved","currencyCode":"EUR",
   "items":[{"id":67,"status":"delivered","variant":{"id":11,"referenceKey":"SKU-123-M"},"packageId":45,
             "price":{"withTax":1999,"withoutTax":1680}}],
   "packages":[{"id":45,"shipmentKey":"1Z999AA10123456784","carrierKey":"dhl","deliveryStatus":"shipment_completed",
                "shippedAt":"2026-11-28T09:30:15+00:00","tracking":{"id":"1Z999AA10123456784","url":"https://t"}}]}})";

// "marketbridge:s3cret"
constexpr char kGoodAuth[] = "Basic bWFya2V0YnJpZGdlOnMzY3JldA==";

std::string TempDb() {
  static int counter = 0;
  auto dir =
      std::filesystem::temp_directory_path() / ("mb-scayle-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / ("hooks-" + std::to_string(counter++) + ".db");
  std::filesystem::remove(file);
  return file.string();
}

server::Request Delivery(std::string body, std::string auth = kGoodAuth) {
  server::Request request;
  request.method = "POST";
  request.path = "/webhooks/scayle";
  request.body = std::move(body);
  if (!auth.empty()) request.headers.emplace("Authorization", std::move(auth));
  return request;
}

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempDb();
    Open();
  }
  void Open() {
    receiver_.reset();
    auto store = store::OpenSqliteStateStore(path_, store::CoreSqliteMigrations(), clock_.Now());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    receiver_ = std::make_unique<ScayleWebhookReceiver>(WebhookSettings{"marketbridge", "s3cret"},
                                                        *store_, clock_, &registry_);
    receiver_->Subscribe("product-variant-stock-updated", [this](const ScayleWebhookEvent& e) {
      stock_events_.push_back(e);
      return fail_next_ ? Status(Fail(ErrorCode::kStorageError, "ledger busy")) : Status();
    });
    receiver_->Subscribe("order-package-shipped", [this](const ScayleWebhookEvent& e) {
      order_events_.push_back(e);
      return Status();
    });
  }

  FakeClock clock_{MakeTime(2026, 11, 28, 9, 0, 0)};
  metrics::Registry registry_;
  std::string path_;
  std::unique_ptr<store::SqliteStateStore> store_;
  std::unique_ptr<ScayleWebhookReceiver> receiver_;
  std::vector<ScayleWebhookEvent> stock_events_;
  std::vector<ScayleWebhookEvent> order_events_;
  bool fail_next_ = false;
};

TEST_F(WebhookTest, DispatchesATypedStockEvent) {
  auto response = receiver_->Handle(Delivery(kStockEvent), "");
  EXPECT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(stock_events_.size(), 1u);
  const auto& event = stock_events_[0];
  EXPECT_EQ(event.key, "evt-1");
  EXPECT_EQ(event.name, "product-variant-stock-updated");
  EXPECT_EQ(event.occurred_at, MakeTime(2026, 11, 28, 9, 0, 0));
  ASSERT_TRUE(event.stock);
  EXPECT_EQ(event.stock->variant.sku, Sku("SKU-123-M"));
  EXPECT_EQ(event.stock->variant.id, 11);
  EXPECT_EQ(event.stock->warehouse, WarehouseKey("wh-main"));
  EXPECT_EQ(event.stock->quantity, 5);
  EXPECT_EQ(event.stock->created_at, MakeTime(2026, 11, 28, 8, 59, 59));
}

TEST_F(WebhookTest, OrderEnvelopeTakesItsNameFromTheRoute) {
  auto response = receiver_->Handle(Delivery(kShippedEvent), "order-package-shipped");
  EXPECT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(order_events_.size(), 1u);
  const auto& event = order_events_[0];
  EXPECT_EQ(event.country_code, "DE");
  ASSERT_TRUE(event.order);
  EXPECT_EQ(event.order->reference_key, "302-1234567-1234567");
  ASSERT_EQ(event.order->packages.size(), 1u);
  EXPECT_EQ(event.order->packages[0].carrier_key, "dhl");
  EXPECT_EQ(event.order->packages[0].tracking_id, "1Z999AA10123456784");
  ASSERT_EQ(event.order->items.size(), 1u);
  EXPECT_EQ(event.order->items[0].package_id, 45);
  EXPECT_EQ(event.order->items[0].price_with_tax, Money(1999, Currency::Of("EUR")));

  // Without a route name and without `type`, the event cannot be named.
  auto unnamed = receiver_->Handle(Delivery(kShippedEvent), "");
  EXPECT_EQ(unnamed.status, 400);
  EXPECT_NE(unnamed.body.find("event name unknown"), std::string::npos);
}

TEST_F(WebhookTest, RefusesMissingOrWrongCredentials) {
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent, ""), "").status, 401);
  // "marketbridge:wrong"
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent, "Basic bWFya2V0YnJpZGdlOndyb25n"), "").status,
            401);
  // "intruder:s3cret"
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent, "Basic aW50cnVkZXI6czNjcmV0"), "").status, 401);
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent, "Bearer abc"), "").status, 401);
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent, "Basic !!!!"), "").status, 401);
  EXPECT_TRUE(stock_events_.empty());

  ScayleWebhookReceiver open_door(WebhookSettings{"marketbridge", ""}, *store_, clock_);
  EXPECT_EQ(open_door.Handle(Delivery(kStockEvent), "").status, 401);
}

TEST_F(WebhookTest, MalformedBodiesGet400WithAReason) {
  auto not_json = receiver_->Handle(Delivery("{nope"), "");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_NE(not_json.body.find("not a JSON object"), std::string::npos);
  auto no_key = receiver_->Handle(
      Delivery(R"({"type":"product-updated","occurredAt":"2026-11-28T09:00:00Z","payload":{}})"),
      "");
  EXPECT_EQ(no_key.status, 400);
  EXPECT_NE(no_key.body.find("`key`"), std::string::npos);
  auto bad_stock = receiver_->Handle(
      Delivery(
          R"({"key":"k","type":"product-variant-stock-updated","occurredAt":"2026-11-28T09:00:00Z","payload":{"productVariant":{"id":1},"warehouse":{"id":2}}})"),
      "");
  EXPECT_EQ(bad_stock.status, 400);
  EXPECT_NE(bad_stock.body.find("quantity"), std::string::npos);
}

TEST_F(WebhookTest, DuplicatesAreAcknowledgedButNotDispatchedEvenAfterARestart) {
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent), "").status, 200);
  auto again = receiver_->Handle(Delivery(kStockEvent), "");
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("duplicate"), std::string::npos);
  EXPECT_EQ(stock_events_.size(), 1u);

  Open();  // a new process: the in-memory set is empty, the store remembers
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent), "").status, 200);
  EXPECT_EQ(stock_events_.size(), 1u);
  auto effect = store_->FindEffect(IdempotencyKey("scayle.webhook:evt-1"));
  ASSERT_TRUE(effect && *effect);
  EXPECT_EQ((*effect)->state, EffectState::kDone);
  EXPECT_EQ((*effect)->payload.find("SKU"), std::string::npos);  // no body at rest
  EXPECT_NE(
      registry_.Expose().find(
          R"(mb_scayle_webhooks_total{event="product-variant-stock-updated",outcome="duplicate"} 2)"),
      std::string::npos);
}

TEST_F(WebhookTest, StoredDeliveriesAreForgottenAfterTheRememberWindow) {
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent), "").status, 200);
  ASSERT_TRUE(*store_->FindEffect(IdempotencyKey("scayle.webhook:evt-1")));

  // Six days on: still remembered, a late redelivery is refused as a duplicate.
  clock_.Advance(std::chrono::hours(24 * 6));
  std::string second = kStockEvent;
  second.replace(second.find("evt-1"), 5, "evt-2");
  EXPECT_EQ(receiver_->Handle(Delivery(second), "").status, 200);
  EXPECT_TRUE(*store_->FindEffect(IdempotencyKey("scayle.webhook:evt-1")));

  // Eight days on, the next delivery purges what finished more than seven days ago.
  clock_.Advance(std::chrono::hours(24 * 2));
  std::string third = kStockEvent;
  third.replace(third.find("evt-1"), 5, "evt-3");
  EXPECT_EQ(receiver_->Handle(Delivery(third), "").status, 200);
  EXPECT_FALSE(*store_->FindEffect(IdempotencyKey("scayle.webhook:evt-1")));
  EXPECT_TRUE(*store_->FindEffect(IdempotencyKey("scayle.webhook:evt-2")));
  EXPECT_TRUE(*store_->FindEffect(IdempotencyKey("scayle.webhook:evt-3")));
}

TEST_F(WebhookTest, AFailedDispatchIsRetriedOnRedelivery) {
  fail_next_ = true;
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent), "").status, 500);
  fail_next_ = false;
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent), "").status, 200);
  EXPECT_EQ(stock_events_.size(), 2u);
  EXPECT_EQ(receiver_->Handle(Delivery(kStockEvent), "").status, 200);
  EXPECT_EQ(stock_events_.size(), 2u);
}

TEST_F(WebhookTest, ServesTheRoutesOverHttp) {
  server::HttpServer http_server(server::HttpServerOptions{}, registry_);
  receiver_->RegisterRoutes(http_server);
  ASSERT_TRUE(http_server.Start());
  httplib::Client client("127.0.0.1", http_server.port());
  client.set_basic_auth("marketbridge", "s3cret");
  auto ok =
      client.Post("/webhooks/scayle/order-package-shipped", kShippedEvent, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  client.set_basic_auth("marketbridge", "guess");
  auto refused = client.Post("/webhooks/scayle", kStockEvent, "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  http_server.Stop();
  EXPECT_EQ(order_events_.size(), 1u);
  EXPECT_TRUE(stock_events_.empty());
}

}  // namespace
}  // namespace mb::scayle

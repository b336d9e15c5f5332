// The order-to-fulfilment loop end to end against the sandbox over HTTP on loopback: the sandbox's
// Amazon SP-API (LWA, Orders, usage plans, faults), SCAYLE Admin API (reservations, orders,
// cancellations, webhook delivery) and SQS (SigV4) servers, on ephemeral ports, talked to by the
// engine's real adapters (SP-API client with LWA and rate governor, SCAYLE client, SQS client)
// over libcurl. SCAYLE delivers its webhooks to the engine's own HTTP server. Each test drives one
// path of issue 5, including engine kills in the middle of a step: after the restart nothing is
// lost and nothing is duplicated. A kill is a hook on the engine's HTTP transport that throws
// after the server answered and before the adapter saw the answer.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "amazon/lwa_token_provider.hpp"
#include "amazon/rate_governor.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_client.hpp"
#include "amazon/sqs_client.hpp"
#include "http/curl_http_client.hpp"
#include "http/retrying_http_client.hpp"
#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/scayle/catalogue_generator.hpp"
#include "sandbox/scayle/scayle_server.hpp"
#include "sandbox/sqs/sqs_server.hpp"
#include "scayle/scayle_admin_api.hpp"
#include "scayle/scayle_client.hpp"
#include "server/http_server.hpp"
#include "tests/order_loop.hpp"
#include "tests/tapped_http_client.hpp"

namespace mb::order_test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::TappedHttpClient;

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";
constexpr const char* kGhostSku = "GHOST-404";
constexpr const char* kQueue = "marketbridge-orders";
constexpr const char* kAwsRegion = "eu-west-1";
constexpr const char* kAwsAccessKey = "AKIDMARKETBRIDGETEST";
constexpr const char* kAwsSecretKey = "sandbox-aws-secret-key";
constexpr const char* kShippedEvent = "order-package-shipped";

json ListingBody(int quantity) {
  return {{"productType", "SHIRT"},
          {"attributes",
           {{"item_name", {{{"value", "Shirt"}, {"language_tag", "de_DE"}}}},
            {"fulfillment_availability",
             {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", quantity}}}},
            {"purchasable_offer",
             {{{"currency", "EUR"},
               {"our_price", {{{"schedule", {{{"value_with_tax", 24.95}}}}}}}}}}}}};
}

// Where the engine finds the sandbox, as its config would say.
struct SandboxEndpoints {
  std::string amazon;  // SP-API and LWA base URL
  sandbox::amazon::LwaApplication lwa;
  std::string refresh_token;
  std::string scayle;  // Admin API base URL
  std::string scayle_token;
  std::string sqs_queue_url;
};

// The engine as a start builds it (src/app/external_services.cpp): the real adapters, each side
// with its retry policy over the one HTTP transport, the order loop on the SQLite file, and the
// HTTP server SCAYLE's webhooks reach. Destroying it and building another on the same file is an
// engine restart.
struct Engine {
  Engine(HttpClient& transport, const Clock& clock, const SandboxEndpoints& sandbox,
         const std::string& db_path, int webhook_port)
      : sp_api_http(transport, clock, SpApiRetries()),
        lwa(sp_api_http, clock,
            amazon::LwaCredentials{sandbox.amazon + "/auth/o2/token", sandbox.lwa.client_id,
                                   sandbox.lwa.client_secret, sandbox.refresh_token}),
        governor(clock),
        sp_api(sp_api_http, lwa, governor, clock, SpApiSettings(sandbox.amazon)),
        amazon(sp_api, governor, "eu"),
        scayle_http(transport, clock, ScayleRetries()),
        scayle_client(scayle_http, ScayleSettings(sandbox)),
        scayle(scayle_client),
        sqs(Sqs(sp_api_http, clock, sandbox.sqs_queue_url)),
        loop(db_path, amazon, scayle, clock, DefaultOrderSettings(), Intake()),
        server(ServerOptions(webhook_port), server_metrics) {
    loop.receiver.RegisterRoutes(server);
    if (auto started = server.Start(); !started) throw std::runtime_error(started.error().message);
  }
  ~Engine() {
    server.Stop();
    governor.Stop();
    sp_api_http.Stop();
    scayle_http.Stop();
  }

  // As BuildExternalServices sets them up: the governor paces SP-API 429s itself.
  static http::RetryOptions SpApiRetries() {
    http::RetryOptions o;
    o.policy.retry_throttled = false;
    o.seed = 1;
    return o;
  }
  static http::RetryOptions ScayleRetries() {
    http::RetryOptions o;
    o.is_throttled = scayle::IsScayleRateLimited;
    o.seed = 1;
    return o;
  }

  static amazon::SpApiSettings SpApiSettings(const std::string& endpoint) {
    amazon::SpApiSettings s;
    s.endpoint = endpoint;
    s.region = "eu";
    s.seller_id = kSeller;
    s.timeout = 10s;
    // The sandbox clock stands still between steps, so an empty bucket would never refill: a
    // call that would have to wait for quota fails at once instead of waiting forever.
    s.max_quota_wait_urgent = s.max_quota_wait_normal = s.max_quota_wait_bulk = Duration(0);
    return s;
  }
  static scayle::ScayleSettings ScayleSettings(const SandboxEndpoints& sandbox) {
    scayle::ScayleSettings s;
    s.endpoint = sandbox.scayle;
    s.access_token = sandbox.scayle_token;
    s.timeout = 10s;
    return s;
  }
  static std::unique_ptr<amazon::SqsClient> Sqs(HttpClient& http, const Clock& clock,
                                                const std::string& queue_url) {
    amazon::SqsSettings s;
    s.queue_url = queue_url;
    s.region = kAwsRegion;
    s.credentials.access_key_id = kAwsAccessKey;
    s.credentials.secret_access_key = kAwsSecretKey;
    s.visibility_timeout = 30s;
    auto client = amazon::SqsClient::Create(http, clock, std::move(s));
    if (!client) throw std::runtime_error(client.error().message);
    return std::move(*client);
  }
  static sync::IntakeSettings Intake() {
    sync::IntakeSettings intake;
    intake.long_poll = 0ms;
    intake.marketplace_ids = {MarketplaceId(kDe)};
    return intake;
  }
  static server::HttpServerOptions ServerOptions(int port) {
    server::HttpServerOptions o;
    o.port = port;
    o.threads = 2;
    return o;
  }

  http::RetryingHttpClient sp_api_http;
  amazon::LwaTokenProvider lwa;
  amazon::RateGovernor governor;
  amazon::SpApiClient sp_api;
  amazon::SpApiAmazonApi amazon;
  http::RetryingHttpClient scayle_http;
  scayle::ScayleClient scayle_client;
  scayle::ScayleAdminApi scayle;
  std::unique_ptr<amazon::SqsClient> sqs;
  OrderLoop loop;
  metrics::Registry server_metrics;
  server::HttpServer server;
};

class OrderE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scayle_world_.SeedDefaultTenant();
    sandbox::scayle::CatalogueSpec spec;
    spec.target_skus = 30;
    spec.zero_stock_share = 0;
    spec.max_stock_per_warehouse = 50;
    sandbox::scayle::GenerateFashionCatalogue(scayle_world_, spec);
    for (const auto& sku : scayle_world_.Skus()) {
      auto stocks = scayle_world_.VariantStocks(sandbox::scayle::Identifier{std::nullopt, sku});
      for (const auto& level : stocks ? *stocks : std::vector<sandbox::scayle::StockLevel>{}) {
        if (level.warehouse_key == "wh-main" && level.quantity >= 5) skus_.push_back(sku);
      }
    }
    ASSERT_GE(skus_.size(), 3u);
    for (const auto& sku : skus_)
      ASSERT_TRUE(amazon_world_.PutListing(kSeller, kDe, sku, ListingBody(50), false));
    ASSERT_TRUE(amazon_world_.PutListing(kSeller, kDe, kGhostSku, ListingBody(50), false));

    amazon_server_ = std::make_unique<sandbox::amazon::AmazonServer>(
        amazon_world_, sandbox::amazon::AmazonServerOptions{});
    amazon_server_->Start();
    scayle_server_ = std::make_unique<sandbox::scayle::ScayleServer>(scayle_world_);
    ASSERT_TRUE(scayle_server_->Start());
    sandbox::sqs::SqsConfig sqs;
    sqs.region = kAwsRegion;
    sqs.secrets_by_access_key[kAwsAccessKey] = kAwsSecretKey;
    sqs.queues = {kQueue};
    sqs_server_ = std::make_unique<sandbox::sqs::SqsServer>(sqs, sim_);
    sqs_server_->Start();
    queue_ = sqs_server_->Queue(kQueue);
    ASSERT_NE(queue_, nullptr);
    sandbox_.amazon = amazon_server_->base_url();
    sandbox_.lwa = amazon_server_->lwa_application();
    sandbox_.refresh_token = amazon_world_.config().sellers.front().refresh_token;
    sandbox_.scayle = scayle_server_->base_url();
    sandbox_.scayle_token = scayle_server_->config().access_token;
    sandbox_.sqs_queue_url = sqs_server_->QueueUrl(kQueue);

    db_path_ = (std::filesystem::temp_directory_path() /
                ("mb_order_e2e_" + std::to_string(::getpid()) + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                   .string();
    std::filesystem::remove(db_path_);
    Restart();
    // Subscribed the way an operator does it, through the Admin API; the engine keeps its port
    // across restarts, so the subscription stays valid.
    ScayleWebhookSubscription subscription;
    subscription.event = kShippedEvent;
    subscription.url = std::string("http://") + kWebhookUser + ":" + kWebhookPassword +
                       "@127.0.0.1:" + std::to_string(webhook_port_) + "/webhooks/scayle/" +
                       kShippedEvent;
    auto subscribed = engine_->scayle.CreateWebhookSubscription(subscription);
    ASSERT_TRUE(subscribed) << subscribed.error().message;
    subscription_id_ = subscribed->id;
  }
  void TearDown() override {
    // Whatever the path, the engine never sent a request the sandbox found malformed,
    // unauthorized or over quota, and never lost a connection. (404 and 409 are answers the loop
    // expects: a reservation already consumed, an item already shipped.)
    for (const auto& e : http_->Exchanges()) {
      bool refused = e.status == 0 ||
                     (e.status >= 400 && e.status < 500 && e.status != 404 && e.status != 409);
      EXPECT_FALSE(refused) << e.operation << " " << MethodName(e.method) << " " << e.url
                            << " answered " << e.status << "\n"
                            << e.request_body;
    }
    // The engine's pooled keep-alive connections close first: a server waits for them on Stop().
    engine_.reset();
    http_.reset();
    curl_.reset();
    sqs_server_->Stop();
    scayle_server_->Stop();
    amazon_server_->Stop();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path_ + suffix);
  }

  void Restart() {
    engine_.reset();
    engine_ = std::make_unique<Engine>(*http_, clock_, sandbox_, db_path_, webhook_port_);
    webhook_port_ = engine_->server.port();
  }
  OrderLoop& Loop() { return engine_->loop; }

  sandbox::amazon::Order Place(std::vector<sandbox::amazon::OrderLineRequest> lines) {
    sandbox::amazon::PlaceOrderRequest req;
    req.seller_id = kSeller;
    req.marketplace_id = kDe;
    req.lines = std::move(lines);
    auto order = amazon_world_.PlaceOrder(req);
    EXPECT_TRUE(order) << (order ? "" : order.error().message);
    return *order;
  }
  // The buyer cancels; the engine hears of it.
  void CancelOnAmazon(const std::string& order_id) {
    sim_.Advance(1s);
    ASSERT_TRUE(amazon_world_.CancelOrder(order_id));
    Notify(order_id);
    Poll();
  }
  // An order through Pending (held) and Unshipped (created in SCAYLE).
  sandbox::amazon::Order PlaceAndCreate(std::vector<sandbox::amazon::OrderLineRequest> lines) {
    auto order = Place(std::move(lines));
    Notify(order.order_id);
    Poll();
    SetStatus(order.order_id, "UNSHIPPED");
    Poll();
    return order;
  }
  // Amazon's notification lands in the queue (the SP-API side delivers in-process).
  void Notify(const std::string& order_id) {
    auto order = amazon_world_.GetOrder(order_id);
    ASSERT_TRUE(order);
    ASSERT_TRUE(sqs_server_->Enqueue(kQueue, OrderChangeBody(*order, ++sequence_)));
  }
  void SetStatus(const std::string& order_id, const char* status, bool notify = true) {
    sim_.Advance(1s);
    ASSERT_TRUE(amazon_world_.SetOrderStatus(order_id, status));
    if (notify) Notify(order_id);
  }
  // Drains the queue through the intake, as the engine's SQS loop would.
  void Poll() {
    for (int i = 0; i < 10 && queue_->VisibleCount() > 0; ++i)
      (void)Loop().intake.PollQueue(*engine_->sqs);
  }
  // Waits (bounded) until SCAYLE's webhook dispatcher has nothing queued or in flight, then checks
  // that the engine took every delivery.
  void AwaitWebhooks() {
    auto& hub = scayle_server_->webhooks();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (hub.Pending() > 0 && std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      hub.WaitForAttempts(hub.Counters().attempts + 1, std::max(left, 1ms));
    }
    ASSERT_EQ(hub.Pending(), 0u) << "SCAYLE's webhooks were not delivered in time";
    for (const auto& attempt : hub.Log())
      EXPECT_TRUE(attempt.delivered)
          << attempt.event << " " << attempt.event_key << " answered " << attempt.status;
  }
  // From here on the engine hears of no shipment by webhook (a lost delivery): only the polling
  // backstop can find them.
  void LoseWebhooks() { ASSERT_TRUE(scayle_server_->webhooks().Unsubscribe(subscription_id_)); }
  orders::OrderRecord Ledger(const std::string& order_id) {
    auto r = Loop().orders.LoadOrder(AmazonOrderId(order_id));
    EXPECT_TRUE(r && *r);
    return r && *r ? **r : orders::OrderRecord{};
  }
  int64_t ScayleOrderId(const std::string& order_id) {
    auto o =
        scayle_world_.FindOrder("ms", "DE", sandbox::scayle::Identifier{std::nullopt, order_id});
    return o ? o->id : 0;
  }
  // Ships the SCAYLE order in packages of the given item indexes.
  void Ship(const std::string& order_id, std::vector<std::vector<size_t>> packages,
            const std::string& carrier = "DHL_STD_NATIONAL") {
    auto o =
        scayle_world_.FindOrder("ms", "DE", sandbox::scayle::Identifier{std::nullopt, order_id});
    ASSERT_TRUE(o);
    std::vector<sandbox::scayle::PackageSpec> specs;
    int n = 0;
    for (const auto& idx : packages) {
      sandbox::scayle::PackageSpec spec;
      spec.carrier_key = carrier;
      spec.shipment_key = "TRK-" + order_id + "-" + std::to_string(++n);
      for (size_t i : idx) spec.item_ids.push_back(o->items.at(i).id);
      specs.push_back(spec);
    }
    sim_.Advance(1s);
    ASSERT_TRUE(scayle_world_.ShipOrder(o->id, specs));
  }
  // Confirmations Amazon counted (first sends, not edits) per order.
  std::map<std::string, int> NewConfirmations() {
    std::map<std::string, int> out;
    for (const auto& c : amazon_world_.Confirmations())
      if (!c.edit) ++out[c.order_id];
    return out;
  }
  int Calls(const std::string& operation) const { return http_->Count(operation); }
  // Kills the engine right after each answered call of `operation` until Revive().
  void KillAfter(const std::string& operation) {
    http_->After(operation, [](const HttpRequest&, const HttpResponse&) { throw EngineKilled(); });
  }
  void Revive(const std::string& operation) { http_->After(operation, nullptr); }
  // SCAYLE answers every Admin API call with 503 until ScayleBack().
  void ScayleDown() {
    sandbox::scayle::RouteFault fault;
    fault.kind = sandbox::scayle::FaultKind::kServerError;
    fault.status = 503;
    scayle_server_->faults().Add(fault);
  }
  void ScayleBack() { scayle_server_->faults().Clear(); }

  sandbox::SimClock sim_{sandbox::SimTime(std::chrono::hours(496000)), 0.0};
  SimClockAdapter clock_{sim_};
  sandbox::amazon::AmazonWorld amazon_world_{sim_, sandbox::amazon::AmazonConfig{}};
  sandbox::scayle::ScayleWorld scayle_world_{sim_};
  std::unique_ptr<sandbox::amazon::AmazonServer> amazon_server_;
  std::unique_ptr<sandbox::scayle::ScayleServer> scayle_server_;
  std::unique_ptr<sandbox::sqs::SqsServer> sqs_server_;
  sandbox::sqs::SqsQueue* queue_ = nullptr;
  SandboxEndpoints sandbox_;
  std::unique_ptr<http::CurlHttpClient> curl_ = std::make_unique<http::CurlHttpClient>();
  std::unique_ptr<TappedHttpClient> http_ = std::make_unique<TappedHttpClient>(*curl_);
  std::unique_ptr<Engine> engine_;
  int webhook_port_ = 0;
  int64_t subscription_id_ = 0;
  std::vector<std::string> skus_;
  std::string db_path_;
  int sequence_ = 0;
};

TEST_F(OrderE2eTest, HappyPathHeldAtPendingCreatedAtUnshippedConfirmedPerPackage) {
  auto order = Place({{skus_[0], 2, std::nullopt}, {skus_[1], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  EXPECT_EQ(queue_->VisibleCount() + queue_->InFlightCount(), 0u);  // deleted once recorded
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 3u);            // one per unit
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  EXPECT_EQ(ScayleOrderId(order.order_id), 0);  // not at Pending
  EXPECT_EQ(Calls("amazon.getOrder"), 0);       // the notification summary was enough
  EXPECT_EQ(amazon_server_->Counters()["orders.getOrder"].calls, 0);

  SetStatus(order.order_id, "UNSHIPPED");
  Poll();
  auto record = Ledger(order.order_id);
  EXPECT_EQ(record.State(), orders::OrderState::kCreated);
  int64_t scayle_id = ScayleOrderId(order.order_id);
  ASSERT_NE(scayle_id, 0);
  EXPECT_EQ(record.scayle_order_id, scayle_id);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 0u);  // consumed by the SCAYLE order
  auto scayle_order =
      scayle_world_.FindOrder("ms", "DE", sandbox::scayle::Identifier{scayle_id, ""});
  ASSERT_EQ(scayle_order->items.size(), 3u);
  EXPECT_EQ(scayle_order->items[0].price_with_tax, 2495);  // as Amazon charged it
  EXPECT_EQ(scayle_order->channel->key, "amazon_de");
  EXPECT_EQ(scayle_order->address["shipping"]["countryCode"], "DEU");
  // Personal data is stored only sealed.
  auto sealed = Loop().orders.LoadPii(AmazonOrderId(order.order_id));
  ASSERT_TRUE(sealed && *sealed);
  EXPECT_EQ((*sealed)->find("Mustermann"), std::string::npos);
  EXPECT_NE(Loop().cipher.Decrypt(**sealed, order.order_id)->find("Mustermann"), std::string::npos);

  // Two packages: first one unit, then the rest.
  Ship(order.order_id, {{0}});
  AwaitWebhooks();
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kPartiallyShipped);
  EXPECT_EQ(amazon_world_.GetOrder(order.order_id)->status, "PARTIALLY_SHIPPED");
  Ship(order.order_id, {{1, 2}});
  AwaitWebhooks();
  record = Ledger(order.order_id);
  EXPECT_EQ(record.State(), orders::OrderState::kConfirmed);
  EXPECT_EQ(amazon_world_.GetOrder(order.order_id)->status, "SHIPPED");
  auto confirmations = amazon_world_.Confirmations();
  ASSERT_EQ(confirmations.size(), 2u);
  EXPECT_EQ(confirmations[0].package_reference_id, "1");
  EXPECT_EQ(confirmations[1].package_reference_id, "2");
  EXPECT_EQ(confirmations[0].carrier_code, "DHL");
  EXPECT_FALSE(confirmations[1].late);
  // The timeline spans Amazon, the engine and SCAYLE.
  auto timeline = Loop().orders.Timeline(AmazonOrderId(order.order_id));
  std::set<std::string> sources;
  for (const auto& e : *timeline) sources.insert(e.source);
  EXPECT_TRUE(sources.count("amazon") && sources.count("scayle"));
}

// Every key path of a JSON value, arrays as `[]` (e.g. items[].variant.id).
void KeyPaths(const json& j, const std::string& prefix, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      std::string path = prefix.empty() ? k : prefix + "." + k;
      out.insert(path);
      KeyPaths(v, path, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) KeyPaths(v, prefix + "[]", out);
  }
}

TEST_F(OrderE2eTest, ScayleOrderRequestFollowsTheOrderCreateContract) {
  auto order = PlaceAndCreate({{skus_[0], 2, std::nullopt}, {skus_[1], 1, std::nullopt}});
  auto creates = http_->Exchanges("scayle.createOrder");
  ASSERT_EQ(creates.size(), 1u);
  json sent = json::parse(creates.back().request_body);  // the bytes on the wire
  std::ifstream in(std::string(MB_SHARED_DIR) +
                   "/reference/scayle/fixtures/OrderCreateRequest.json");
  json fixture = json::parse(in);
  // Nothing the contract does not know: every key is in SCAYLE's fixture or documented in
  // ADMIN_API.md §5 (channel of a marketplace order; the order object's customer and address
  // fields; an item's merchant).
  std::set<std::string> allowed, keys;
  KeyPaths(fixture, "", allowed);
  for (const char* documented :
       {"channel", "channel.key", "customer.email", "customer.firstName", "customer.lastName",
        "address.billing.houseNumber", "address.billing.additional", "address.billing.state",
        "address.billing.phone", "address.shipping.additional", "address.shipping.state",
        "address.shipping.phone", "items[].merchant", "items[].merchant.referenceKey"})
    allowed.insert(documented);
  KeyPaths(sent, "", keys);
  for (const auto& k : keys) EXPECT_TRUE(allowed.count(k)) << k << " is not in the contract";
  // The values issue 5 asks for.
  EXPECT_EQ(sent["referenceKey"], order.order_id);
  EXPECT_EQ(sent["channel"]["key"], "amazon_de");
  EXPECT_EQ(sent["currencyCode"], "EUR");
  ASSERT_EQ(sent["items"].size(), 3u);  // one item per unit
  for (const auto& item : sent["items"]) {
    EXPECT_TRUE(item["price"]["withTax"].is_number_integer());
    EXPECT_EQ(item["price"]["withTax"], 2495);    // as Amazon charged it
    EXPECT_FALSE(item["price"].contains("tax"));  // no invented VAT rate
    EXPECT_TRUE(item["variant"].contains("referenceKey") || item["variant"].contains("id"));
    EXPECT_TRUE(item["reservationKey"].is_string());
  }
  EXPECT_EQ(sent["items"][0]["variant"].value("referenceKey", ""), skus_[0]);
  EXPECT_EQ(sent["items"][2]["variant"].value("referenceKey", ""), skus_[1]);
  EXPECT_EQ(sent["items"][0]["reservationKey"],
            orders::ReservationKey(AmazonOrderId(order.order_id),
                                   AmazonOrderItemId(order.items[0].order_item_id), 1));
  const json& shipping = sent["address"]["shipping"];
  EXPECT_EQ(shipping["countryCode"], "DEU");  // alpha-3 in the body, alpha-2 in the path
  EXPECT_EQ(shipping["street"], "Hauptstr.");
  EXPECT_EQ(shipping["houseNumber"], "1");
  EXPECT_EQ(shipping["zipCode"], "10115");
  EXPECT_EQ(shipping["city"], "Berlin");
  EXPECT_EQ(shipping["recipient"]["firstName"], "Erika");
  EXPECT_EQ(shipping["recipient"]["lastName"], "Mustermann");
  EXPECT_EQ(sent["address"]["billing"], shipping);
  EXPECT_FALSE(sent["customer"].contains("gender"));
  EXPECT_EQ(sent["customer"]["referenceKey"], order.order_id);
  // And SCAYLE took it as sent.
  auto created = scayle_world_.FindOrder("ms", "DE",
                                         sandbox::scayle::Identifier{std::nullopt, order.order_id});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->items.size(), 3u);
}

TEST_F(OrderE2eTest, KillBetweenReservationSentAndRecordedNeitherLosesNorDuplicates) {
  auto order = Place({{skus_[0], 2, std::nullopt}});
  Notify(order.order_id);
  KillAfter("scayle.createReservations");
  EXPECT_THROW(Poll(), EngineKilled);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);  // SCAYLE did it; the engine never heard
  Revive("scayle.createReservations");
  Restart();
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kSeen);  // recorded before the call
  ASSERT_TRUE(Loop().processor.ProcessOpen());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);  // the same keys: no second hold
  // The message was never deleted: it comes back and changes nothing.
  sim_.Advance(31s);
  sqs_server_->WakeLongPolls();
  Poll();
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);
  EXPECT_EQ(queue_->VisibleCount() + queue_->InFlightCount(), 0u);
  SetStatus(order.order_id, "UNSHIPPED");
  Poll();
  EXPECT_NE(ScayleOrderId(order.order_id), 0);
  EXPECT_EQ(Calls("scayle.createOrder"), 1);
}

TEST_F(OrderE2eTest, KillBetweenConfirmShipmentSentAndRecordedConfirmsOnce) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}, {skus_[1], 1, std::nullopt}});
  LoseWebhooks();  // the shipment reaches the engine through the polling backstop
  Ship(order.order_id, {{0}, {1}});
  KillAfter("amazon.confirmShipment");
  EXPECT_THROW((void)Loop().watcher.Poll(), EngineKilled);
  EXPECT_EQ(NewConfirmations()[order.order_id], 1);
  Revive("amazon.confirmShipment");
  Restart();
  ASSERT_TRUE(Loop().processor.ProcessOpen());
  ASSERT_TRUE(Loop().watcher.Poll());  // nothing left to find
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kConfirmed);
  EXPECT_EQ(NewConfirmations()[order.order_id], 2);  // two packages, each confirmed once
  std::set<std::string> refs;
  for (const auto& c : amazon_world_.Confirmations()) refs.insert(c.package_reference_id);
  EXPECT_EQ(refs, (std::set<std::string>{"1", "2"}));
  EXPECT_EQ(amazon_world_.GetOrder(order.order_id)->status, "SHIPPED");
}

TEST_F(OrderE2eTest, SqsRedeliveryIsHarmless) {
  sqs_server_->SetDuplicateDelivery(true);
  auto order = Place({{skus_[2], 3, std::nullopt}});
  Notify(order.order_id);
  Notify(order.order_id);
  Poll();
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 3u);
  EXPECT_EQ(queue_->VisibleCount() + queue_->InFlightCount(), 0u);
  auto timeline = Loop().orders.Timeline(AmazonOrderId(order.order_id));
  int notifications = 0;
  for (const auto& e : *timeline) notifications += e.event == "notification";
  EXPECT_EQ(notifications, 1);  // the copies changed nothing
}

TEST_F(OrderE2eTest, PendingOrderCancelledReleasesEveryReservation) {
  auto order = Place({{skus_[0], 2, std::nullopt}, {skus_[1], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  ASSERT_EQ(scayle_world_.ActiveReservationCount(), 3u);
  CancelOnAmazon(order.order_id);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 0u);
  EXPECT_EQ(Calls("scayle.deleteReservation"), 3);  // no SCAYLE order took them: one per unit
  auto record = Ledger(order.order_id);
  EXPECT_EQ(record.State(), orders::OrderState::kReleased);
  EXPECT_EQ(ScayleOrderId(order.order_id), 0);
  ASSERT_TRUE(record.pii_purge_after);
  EXPECT_EQ(*record.pii_purge_after, *record.cancelled_at + std::chrono::hours(24 * 30));
}

TEST_F(OrderE2eTest, CancelledAfterCreationCancelsTheScayleOrder) {
  auto order = PlaceAndCreate({{skus_[0], 2, std::nullopt}, {skus_[1], 1, std::nullopt}});
  int64_t scayle_id = ScayleOrderId(order.order_id);
  ASSERT_NE(scayle_id, 0);
  auto stock_before =
      scayle_world_.VariantStocks(sandbox::scayle::Identifier{std::nullopt, skus_[0]});
  CancelOnAmazon(order.order_id);
  auto scayle_order =
      scayle_world_.FindOrder("ms", "DE", sandbox::scayle::Identifier{scayle_id, ""});
  EXPECT_EQ(scayle_order->status, "cancellation_completed");
  for (const auto& item : scayle_order->items) EXPECT_EQ(item.status, "cancelled");
  EXPECT_EQ(Calls("scayle.cancelOrderItems"), 1);  // one request for the whole order
  // The SCAYLE order consumed the reservations: none is left to release, none is asked for.
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 0u);
  EXPECT_EQ(Calls("scayle.deleteReservation"), 0);
  auto stock_after =
      scayle_world_.VariantStocks(sandbox::scayle::Identifier{std::nullopt, skus_[0]});
  int64_t before = 0, after = 0;
  for (const auto& l : *stock_before) before += l.quantity;
  for (const auto& l : *stock_after) after += l.quantity;
  EXPECT_EQ(after, before + 2);  // both units back on the shelf
  auto record = Ledger(order.order_id);
  EXPECT_EQ(record.State(), orders::OrderState::kReleased);
  for (const auto& u : record.units) EXPECT_TRUE(u.scayle_cancelled);
  EXPECT_TRUE(Loop().Open(ExceptionType::kScayleCancellationRefused).empty());
  // Each unit's cancellation is an outbox effect with its own key.
  const auto& unit = record.units.front();
  auto effect = Loop().state.FindEffect(
      orders::CancelEffectKey(record.order_id, unit.order_item_id, unit.index));
  ASSERT_TRUE(effect && *effect);
  EXPECT_EQ((*effect)->state, EffectState::kDone);
  // A redelivered cancellation and another pass change nothing.
  Notify(order.order_id);
  Poll();
  ASSERT_TRUE(Loop().processor.ProcessOpen());
  EXPECT_EQ(Calls("scayle.cancelOrderItems"), 1);
  EXPECT_EQ(Calls("scayle.deleteReservation"), 0);
}

TEST_F(OrderE2eTest, CancelledAfterScayleShippedPartRaisesTheRefusalForOps) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}, {skus_[1], 1, std::nullopt}});
  LoseWebhooks();  // the engine has not heard of the package yet
  Ship(order.order_id, {{0}});
  CancelOnAmazon(order.order_id);
  auto scayle_order = scayle_world_.FindOrder(
      "ms", "DE", sandbox::scayle::Identifier{std::nullopt, order.order_id});
  EXPECT_TRUE(scayle_order->items[0].shipped_at);
  EXPECT_EQ(scayle_order->items[1].status, "cancelled");  // the unshipped one is cancelled
  auto refused = Loop().Open(ExceptionType::kScayleCancellationRefused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].dedup_key, order.order_id);
  EXPECT_NE(refused[0].message.find("already shipped"), std::string::npos) << refused[0].message;
  EXPECT_NE(refused[0].message.find(std::to_string(scayle_order->items[0].id)), std::string::npos);
  auto record = Ledger(order.order_id);
  EXPECT_EQ(record.State(), orders::OrderState::kReleased);  // nothing left the engine can do
  int calls = Calls("scayle.cancelOrderItems");
  ASSERT_TRUE(Loop().processor.ProcessOpen());
  Notify(order.order_id);
  Poll();
  EXPECT_EQ(Calls("scayle.cancelOrderItems"), calls);  // a refusal is not repeated
}

TEST_F(OrderE2eTest, KillAfterScayleCreatedTheOrderThenCancellationCancelsIt) {
  auto order = Place({{skus_[2], 2, std::nullopt}});
  Notify(order.order_id);
  Poll();
  KillAfter("scayle.createOrder");
  SetStatus(order.order_id, "UNSHIPPED");
  EXPECT_THROW(Poll(), EngineKilled);
  int64_t scayle_id = ScayleOrderId(order.order_id);
  ASSERT_NE(scayle_id, 0);  // SCAYLE has it; the ledger does not
  Revive("scayle.createOrder");
  Restart();
  EXPECT_EQ(Ledger(order.order_id).scayle_order_id, 0);
  // The cancellation arrives before any pass re-planned the order.
  CancelOnAmazon(order.order_id);
  auto scayle_order =
      scayle_world_.FindOrder("ms", "DE", sandbox::scayle::Identifier{scayle_id, ""});
  EXPECT_EQ(scayle_order->status, "cancellation_completed");
  auto record = Ledger(order.order_id);
  EXPECT_EQ(record.scayle_order_id, scayle_id);
  EXPECT_EQ(record.State(), orders::OrderState::kReleased);
  EXPECT_EQ(Calls("scayle.createOrder"), 1);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 0u);  // nothing left held
  EXPECT_EQ(Calls("scayle.deleteReservation"), 0);
}

TEST_F(OrderE2eTest, KillAfterReservingAndCreatingInOnePassNeitherHoldsTwiceNorLeavesAHold) {
  // First heard of when already Unshipped: one pass reserves and creates, and the engine dies
  // before the ledger recorded either.
  auto order = Place({{skus_[2], 2, std::nullopt}});
  SetStatus(order.order_id, "UNSHIPPED");
  KillAfter("scayle.createOrder");
  EXPECT_THROW(Poll(), EngineKilled);
  int64_t scayle_id = ScayleOrderId(order.order_id);
  ASSERT_NE(scayle_id, 0);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 0u);  // the order took both units from them
  Revive("scayle.createOrder");
  Restart();
  ASSERT_TRUE(Loop().processor.ProcessOpen());
  // The order is found before any unit is reserved again.
  EXPECT_EQ(Ledger(order.order_id).scayle_order_id, scayle_id);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 0u);
  EXPECT_EQ(Calls("scayle.createReservations"), 1);
  EXPECT_EQ(Calls("scayle.createOrder"), 1);
  CancelOnAmazon(order.order_id);
  auto scayle_order =
      scayle_world_.FindOrder("ms", "DE", sandbox::scayle::Identifier{scayle_id, ""});
  EXPECT_EQ(scayle_order->status, "cancellation_completed");
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kReleased);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 0u);
  EXPECT_EQ(Calls("scayle.deleteReservation"), 0);
}

TEST_F(OrderE2eTest, TransientConfirmFailureIsRetriedWithinSeconds) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}});
  sandbox::amazon::FaultRule unavailable;  // one 503, nothing confirmed
  unavailable.kind = sandbox::amazon::FaultKind::kServerError;
  unavailable.count = 1;
  unavailable.status = 503;
  amazon_server_->faults().Add("ordersV0.confirmShipment", unavailable);
  Ship(order.order_id, {{0}});
  AwaitWebhooks();
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kShipped);
  auto due = Loop().processor.NextRetryDue();
  ASSERT_TRUE(due);
  EXPECT_LE(*due - clock_.Now(), 5s);
  sim_.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock_.Now()));
  ASSERT_TRUE(Loop().processor.ProcessDueRetries());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kConfirmed);
  EXPECT_FALSE(Loop().processor.NextRetryDue());
  EXPECT_EQ(Calls("amazon.confirmShipment"), 2);  // the 503, then the one that took
  EXPECT_EQ(NewConfirmations()[order.order_id], 1);
}

TEST_F(OrderE2eTest, UnmappedSkuIsAGhostOrderAtOnce) {
  auto order = Place({{kGhostSku, 1, std::nullopt}, {skus_[0], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  auto ghosts = Loop().Open(ExceptionType::kGhostOrder);
  ASSERT_EQ(ghosts.size(), 1u);
  EXPECT_EQ(ghosts[0].dedup_key, order.order_id + ":" + kGhostSku);
  EXPECT_NE(ghosts[0].message.find(kGhostSku), std::string::npos);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 1u);  // the mapped unit is still held
  SetStatus(order.order_id, "UNSHIPPED");
  Poll();
  EXPECT_EQ(ScayleOrderId(order.order_id), 0);  // never half-created
  EXPECT_EQ(Loop().Open(ExceptionType::kGhostOrder).size(), 1u);
}

TEST_F(OrderE2eTest, CarrierNotOnAmazonsListIsRaisedAndNotSent) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}});
  Ship(order.order_id, {{0}}, "HERMES");
  AwaitWebhooks();
  auto rejected = Loop().Open(ExceptionType::kCarrierRejected);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_NE(rejected[0].message.find("HERMES"), std::string::npos);
  EXPECT_TRUE(amazon_world_.Confirmations().empty());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kShipped);
}

TEST_F(OrderE2eTest, CarrierSentAsOtherWithNameWhereConfigured) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}});
  Ship(order.order_id, {{0}}, "DPD");
  AwaitWebhooks();
  auto c = amazon_world_.Confirmations();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].carrier_code, "Other");
  EXPECT_EQ(c[0].carrier_name, "DPD Deutschland");
}

TEST_F(OrderE2eTest, LostNotificationIsFoundByTheBackstop) {
  auto order = Place({{skus_[1], 2, std::nullopt}});  // no notification sent
  sim_.Advance(3min);                                 // past the 2-minute cut-off
  ASSERT_TRUE(Loop().intake.RunBackstop());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);
  // The cursor moved to the cut-off; the next pass overlaps and changes nothing.
  sim_.Advance(3min);
  ASSERT_TRUE(Loop().intake.RunBackstop());
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);
  auto cursor = Loop().state.GetCursor(sync::kBackstopCursor);
  ASSERT_TRUE(cursor && *cursor);
}

TEST_F(OrderE2eTest, UnknownStatusIsAnExceptionNotACrash) {
  auto order = Place({{skus_[0], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  SetStatus(order.order_id, "ON_HOLD_FOR_REVIEW");
  Poll();
  auto unknown = Loop().Open(ExceptionType::kUnknownOrderStatus);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0].message.find("ON_HOLD_FOR_REVIEW"), std::string::npos);
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  SetStatus(order.order_id, "UNSHIPPED");
  Poll();
  EXPECT_TRUE(Loop().Open(ExceptionType::kUnknownOrderStatus).empty());
  EXPECT_NE(ScayleOrderId(order.order_id), 0);
}

TEST_F(OrderE2eTest, ScayleOutageRaisesNotHeldInTimeThenRecovers) {
  ScayleDown();
  auto order = Place({{skus_[0], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  EXPECT_EQ(queue_->VisibleCount() + queue_->InFlightCount(), 0u);  // recorded, so deleted
  sim_.Advance(6min);
  (void)Loop().processor.ProcessOpen();
  ASSERT_EQ(Loop().Open(ExceptionType::kOrderNotHeldInTime).size(), 1u);
  ScayleBack();
  sim_.Advance(31s);  // the retry back-off
  ASSERT_TRUE(Loop().processor.ProcessOpen());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  EXPECT_TRUE(Loop().Open(ExceptionType::kOrderNotHeldInTime).empty());
}

TEST_F(OrderE2eTest, StockLoopSeesTheOrderTheMomentItIsRecorded) {
  std::vector<AmazonOrderEvent> seen;
  Loop().events.Subscribe([&](const AmazonOrderEvent& e) { seen.push_back(e); });
  ScayleDown();  // SCAYLE down: the order is known but not held
  auto order = Place({{skus_[0], 2, std::nullopt}});
  Notify(order.order_id);
  Poll();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().order_id.value(), order.order_id);
  ASSERT_EQ(seen.front().skus.size(), 1u);
  EXPECT_EQ(seen.front().skus[0].not_yet_in_scayle, 2);
  ScayleBack();
  sim_.Advance(31s);
  ASSERT_TRUE(Loop().processor.ProcessOpen());
  EXPECT_EQ(seen.back().skus[0].in_scayle, 2);
  EXPECT_EQ(seen.back().skus[0].not_yet_in_scayle, 0);
}

TEST_F(OrderE2eTest, TraceShowsTheTimelineAcrossAmazonEngineAndScayleWithoutPersonalData) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}});
  Ship(order.order_id, {{0}});
  AwaitWebhooks();
  std::string config = db_path_ + ".toml";
  std::ofstream(config) << "[store]\nsqlite_path = \"" << db_path_ << "\"\n";
  std::string cmd =
      std::string(MB_BINARY) + " -c " + config + " order trace " + order.order_id + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  for (size_t n; (n = fread(buf.data(), 1, buf.size(), pipe)) > 0;) out.append(buf.data(), n);
  int status = pclose(pipe);
  std::filesystem::remove(config);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  EXPECT_NE(out.find("state confirmed"), std::string::npos) << out;
  for (const char* event :
       {"amazon  notification", "scayle  reserved", "scayle  created", "scayle  package_shipped",
        "amazon  confirmed", "engine  effect orders.confirm:"})
    EXPECT_NE(out.find(event), std::string::npos) << event << "\n" << out;
  EXPECT_NE(out.find("personal data stored (encrypted)"), std::string::npos);
  EXPECT_EQ(out.find("Mustermann"), std::string::npos);
  EXPECT_EQ(out.find("Hauptstr"), std::string::npos);
}

}  // namespace
}  // namespace mb::order_test

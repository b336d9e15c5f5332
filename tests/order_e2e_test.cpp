// The order-to-fulfilment loop end to end against the sandbox worlds (Amazon seller account,
// SCAYLE tenant, SQS queue), in-process. Each test drives one path of issue 5, including engine
// kills in the middle of a step: after the restart nothing is lost and nothing is duplicated.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "sandbox/scayle/catalogue_generator.hpp"
#include "tests/order_world_ports.hpp"

namespace mb::order_test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";
constexpr const char* kGhostSku = "GHOST-404";

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
    scayle_world_.SetEventSink([this](const sandbox::scayle::WorldEvent& e) {
      std::lock_guard lock(events_mu_);
      webhooks_.push_back(e);
    });
    db_path_ = (std::filesystem::temp_directory_path() /
                ("mb_order_e2e_" + std::to_string(::getpid()) + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                   .string();
    std::filesystem::remove(db_path_);
    Restart();
  }
  void TearDown() override {
    loop_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path_ + suffix);
  }

  void Restart() {
    loop_.reset();
    sync::IntakeSettings intake;
    intake.long_poll = 0ms;
    loop_ = std::make_unique<OrderLoop>(db_path_, amazon_, scayle_, clock_, DefaultOrderSettings(),
                                        intake);
  }

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
  void Notify(const std::string& order_id) {
    auto order = amazon_world_.GetOrder(order_id);
    ASSERT_TRUE(order);
    queue_.Send(OrderChangeBody(*order, ++sequence_));
  }
  void SetStatus(const std::string& order_id, const char* status, bool notify = true) {
    sim_.Advance(1s);
    ASSERT_TRUE(amazon_world_.SetOrderStatus(order_id, status));
    if (notify) Notify(order_id);
  }
  // Drains the queue through the intake, as the engine's SQS loop would.
  void Poll() {
    for (int i = 0; i < 10 && queue_.VisibleCount() > 0; ++i) (void)loop_->intake.PollQueue(port_);
  }
  // Hands webhooks SCAYLE fired to the engine's receiver (outside the world lock).
  void DeliverWebhooks() {
    std::vector<sandbox::scayle::WorldEvent> events;
    {
      std::lock_guard lock(events_mu_);
      events.swap(webhooks_);
    }
    for (const auto& e : events) {
      if (e.name == "order-package-shipped") {
        EXPECT_LT(loop_->Deliver(e.name, e.envelope.dump()), 300);
      }
    }
  }
  orders::OrderRecord Ledger(const std::string& order_id) {
    auto r = loop_->orders.LoadOrder(AmazonOrderId(order_id));
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

  sandbox::SimClock sim_{sandbox::SimTime(std::chrono::hours(496000)), 0.0};
  SimClockAdapter clock_{sim_};
  sandbox::amazon::AmazonWorld amazon_world_{sim_, sandbox::amazon::AmazonConfig{}};
  sandbox::scayle::ScayleWorld scayle_world_{sim_};
  sandbox::sqs::SqsQueue queue_{"marketbridge-orders", sim_};
  WorldAmazonApi amazon_{amazon_world_, kSeller};
  WorldScayleApi scayle_{scayle_world_};
  WorldQueue port_{queue_};
  std::vector<std::string> skus_;
  std::string db_path_;
  std::unique_ptr<OrderLoop> loop_;
  std::mutex events_mu_;
  std::vector<sandbox::scayle::WorldEvent> webhooks_;
  int sequence_ = 0;
};

TEST_F(OrderE2eTest, HappyPathHeldAtPendingCreatedAtUnshippedConfirmedPerPackage) {
  auto order = Place({{skus_[0], 2, std::nullopt}, {skus_[1], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  EXPECT_EQ(queue_.VisibleCount() + queue_.InFlightCount(), 0u);  // deleted once recorded
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 3u);          // one per unit
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  EXPECT_EQ(ScayleOrderId(order.order_id), 0);  // not at Pending
  EXPECT_EQ(amazon_.get_order_calls, 0);        // the notification summary was enough

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
  auto sealed = loop_->orders.LoadPii(AmazonOrderId(order.order_id));
  ASSERT_TRUE(sealed && *sealed);
  EXPECT_EQ((*sealed)->find("Mustermann"), std::string::npos);
  EXPECT_NE(loop_->cipher.Decrypt(**sealed, order.order_id)->find("Mustermann"), std::string::npos);

  // Two packages: first one unit, then the rest.
  Ship(order.order_id, {{0}});
  DeliverWebhooks();
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kPartiallyShipped);
  EXPECT_EQ(amazon_world_.GetOrder(order.order_id)->status, "PARTIALLY_SHIPPED");
  Ship(order.order_id, {{1, 2}});
  DeliverWebhooks();
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
  auto timeline = loop_->orders.Timeline(AmazonOrderId(order.order_id));
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
  ASSERT_FALSE(scayle_.last_create_body.empty());
  json sent = json::parse(scayle_.last_create_body);
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
  scayle_.after_reserve = [](const auto&) { throw EngineKilled(); };
  EXPECT_THROW(Poll(), EngineKilled);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);  // SCAYLE did it; the engine never heard
  scayle_.after_reserve = nullptr;
  Restart();
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kSeen);  // recorded before the call
  ASSERT_TRUE(loop_->processor.ProcessOpen());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);  // the same keys: no second hold
  // The message was never deleted: it comes back and changes nothing.
  sim_.Advance(31s);
  queue_.Wake();
  Poll();
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);
  EXPECT_EQ(queue_.VisibleCount() + queue_.InFlightCount(), 0u);
  SetStatus(order.order_id, "UNSHIPPED");
  Poll();
  EXPECT_NE(ScayleOrderId(order.order_id), 0);
  EXPECT_EQ(scayle_.create_order_calls, 1);
}

TEST_F(OrderE2eTest, KillBetweenConfirmShipmentSentAndRecordedConfirmsOnce) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}, {skus_[1], 1, std::nullopt}});
  Ship(order.order_id, {{0}, {1}});
  webhooks_.clear();  // the shipment reaches the engine through the polling backstop
  amazon_.after_confirm = [](const auto&) { throw EngineKilled(); };
  EXPECT_THROW((void)loop_->watcher.Poll(), EngineKilled);
  EXPECT_EQ(NewConfirmations()[order.order_id], 1);
  amazon_.after_confirm = nullptr;
  Restart();
  ASSERT_TRUE(loop_->processor.ProcessOpen());
  ASSERT_TRUE(loop_->watcher.Poll());  // nothing left to find
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kConfirmed);
  EXPECT_EQ(NewConfirmations()[order.order_id], 2);  // two packages, each confirmed once
  std::set<std::string> refs;
  for (const auto& c : amazon_world_.Confirmations()) refs.insert(c.package_reference_id);
  EXPECT_EQ(refs, (std::set<std::string>{"1", "2"}));
  EXPECT_EQ(amazon_world_.GetOrder(order.order_id)->status, "SHIPPED");
}

TEST_F(OrderE2eTest, SqsRedeliveryIsHarmless) {
  queue_.SetDuplicateDelivery(true);
  auto order = Place({{skus_[2], 3, std::nullopt}});
  Notify(order.order_id);
  Notify(order.order_id);
  Poll();
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 3u);
  EXPECT_EQ(queue_.VisibleCount() + queue_.InFlightCount(), 0u);
  auto timeline = loop_->orders.Timeline(AmazonOrderId(order.order_id));
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
  EXPECT_EQ(scayle_.cancel_calls, 1);  // one request for the whole order
  auto stock_after =
      scayle_world_.VariantStocks(sandbox::scayle::Identifier{std::nullopt, skus_[0]});
  int64_t before = 0, after = 0;
  for (const auto& l : *stock_before) before += l.quantity;
  for (const auto& l : *stock_after) after += l.quantity;
  EXPECT_EQ(after, before + 2);  // both units back on the shelf
  auto record = Ledger(order.order_id);
  EXPECT_EQ(record.State(), orders::OrderState::kReleased);
  for (const auto& u : record.units) EXPECT_TRUE(u.scayle_cancelled);
  EXPECT_TRUE(loop_->Open(ExceptionType::kScayleCancellationRefused).empty());
  // Each unit's cancellation is an outbox effect with its own key.
  const auto& unit = record.units.front();
  auto effect = loop_->state.FindEffect(
      orders::CancelEffectKey(record.order_id, unit.order_item_id, unit.index));
  ASSERT_TRUE(effect && *effect);
  EXPECT_EQ((*effect)->state, EffectState::kDone);
  // A redelivered cancellation and another pass change nothing.
  Notify(order.order_id);
  Poll();
  ASSERT_TRUE(loop_->processor.ProcessOpen());
  EXPECT_EQ(scayle_.cancel_calls, 1);
}

TEST_F(OrderE2eTest, CancelledAfterScayleShippedPartRaisesTheRefusalForOps) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}, {skus_[1], 1, std::nullopt}});
  Ship(order.order_id, {{0}});
  webhooks_.clear();  // the engine has not heard of the package yet
  CancelOnAmazon(order.order_id);
  auto scayle_order = scayle_world_.FindOrder(
      "ms", "DE", sandbox::scayle::Identifier{std::nullopt, order.order_id});
  EXPECT_TRUE(scayle_order->items[0].shipped_at);
  EXPECT_EQ(scayle_order->items[1].status, "cancelled");  // the unshipped one is cancelled
  auto refused = loop_->Open(ExceptionType::kScayleCancellationRefused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].dedup_key, order.order_id);
  EXPECT_NE(refused[0].message.find("already shipped"), std::string::npos) << refused[0].message;
  EXPECT_NE(refused[0].message.find(std::to_string(scayle_order->items[0].id)), std::string::npos);
  auto record = Ledger(order.order_id);
  EXPECT_EQ(record.State(), orders::OrderState::kReleased);  // nothing left the engine can do
  int calls = scayle_.cancel_calls;
  ASSERT_TRUE(loop_->processor.ProcessOpen());
  Notify(order.order_id);
  Poll();
  EXPECT_EQ(scayle_.cancel_calls, calls);  // a refusal is not repeated
}

TEST_F(OrderE2eTest, KillAfterScayleCreatedTheOrderThenCancellationCancelsIt) {
  auto order = Place({{skus_[2], 2, std::nullopt}});
  Notify(order.order_id);
  Poll();
  scayle_.after_create = [](const auto&) { throw EngineKilled(); };
  SetStatus(order.order_id, "UNSHIPPED");
  EXPECT_THROW(Poll(), EngineKilled);
  int64_t scayle_id = ScayleOrderId(order.order_id);
  ASSERT_NE(scayle_id, 0);  // SCAYLE has it; the ledger does not
  scayle_.after_create = nullptr;
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
  EXPECT_EQ(scayle_.create_order_calls, 1);
}

TEST_F(OrderE2eTest, TransientConfirmFailureIsRetriedWithinSeconds) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}});
  Ship(order.order_id, {{0}});
  amazon_.fail_next_confirms = 1;
  DeliverWebhooks();
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kShipped);
  auto due = loop_->processor.NextRetryDue();
  ASSERT_TRUE(due);
  EXPECT_LE(*due - clock_.Now(), 5s);
  sim_.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock_.Now()));
  ASSERT_TRUE(loop_->processor.ProcessDueRetries());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kConfirmed);
  EXPECT_FALSE(loop_->processor.NextRetryDue());
}

TEST_F(OrderE2eTest, UnmappedSkuIsAGhostOrderAtOnce) {
  auto order = Place({{kGhostSku, 1, std::nullopt}, {skus_[0], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  auto ghosts = loop_->Open(ExceptionType::kGhostOrder);
  ASSERT_EQ(ghosts.size(), 1u);
  EXPECT_EQ(ghosts[0].dedup_key, order.order_id + ":" + kGhostSku);
  EXPECT_NE(ghosts[0].message.find(kGhostSku), std::string::npos);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 1u);  // the mapped unit is still held
  SetStatus(order.order_id, "UNSHIPPED");
  Poll();
  EXPECT_EQ(ScayleOrderId(order.order_id), 0);  // never half-created
  EXPECT_EQ(loop_->Open(ExceptionType::kGhostOrder).size(), 1u);
}

TEST_F(OrderE2eTest, CarrierNotOnAmazonsListIsRaisedAndNotSent) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}});
  Ship(order.order_id, {{0}}, "HERMES");
  DeliverWebhooks();
  auto rejected = loop_->Open(ExceptionType::kCarrierRejected);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_NE(rejected[0].message.find("HERMES"), std::string::npos);
  EXPECT_TRUE(amazon_world_.Confirmations().empty());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kShipped);
}

TEST_F(OrderE2eTest, CarrierSentAsOtherWithNameWhereConfigured) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}});
  Ship(order.order_id, {{0}}, "DPD");
  DeliverWebhooks();
  auto c = amazon_world_.Confirmations();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].carrier_code, "Other");
  EXPECT_EQ(c[0].carrier_name, "DPD Deutschland");
}

TEST_F(OrderE2eTest, LostNotificationIsFoundByTheBackstop) {
  auto order = Place({{skus_[1], 2, std::nullopt}});  // no notification sent
  sim_.Advance(3min);                                 // past the 2-minute cut-off
  ASSERT_TRUE(loop_->intake.RunBackstop());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);
  // The cursor moved to the cut-off; the next pass overlaps and changes nothing.
  sim_.Advance(3min);
  ASSERT_TRUE(loop_->intake.RunBackstop());
  EXPECT_EQ(scayle_world_.ActiveReservationCount(), 2u);
  auto cursor = loop_->state.GetCursor(sync::kBackstopCursor);
  ASSERT_TRUE(cursor && *cursor);
}

TEST_F(OrderE2eTest, UnknownStatusIsAnExceptionNotACrash) {
  auto order = Place({{skus_[0], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  SetStatus(order.order_id, "ON_HOLD_FOR_REVIEW");
  Poll();
  auto unknown = loop_->Open(ExceptionType::kUnknownOrderStatus);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0].message.find("ON_HOLD_FOR_REVIEW"), std::string::npos);
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  SetStatus(order.order_id, "UNSHIPPED");
  Poll();
  EXPECT_TRUE(loop_->Open(ExceptionType::kUnknownOrderStatus).empty());
  EXPECT_NE(ScayleOrderId(order.order_id), 0);
}

TEST_F(OrderE2eTest, ScayleOutageRaisesNotHeldInTimeThenRecovers) {
  scayle_.fail_next_calls = 1000;
  auto order = Place({{skus_[0], 1, std::nullopt}});
  Notify(order.order_id);
  Poll();
  EXPECT_EQ(queue_.VisibleCount() + queue_.InFlightCount(), 0u);  // recorded, so deleted
  sim_.Advance(6min);
  (void)loop_->processor.ProcessOpen();
  ASSERT_EQ(loop_->Open(ExceptionType::kOrderNotHeldInTime).size(), 1u);
  scayle_.fail_next_calls = 0;
  sim_.Advance(31s);  // the retry back-off
  ASSERT_TRUE(loop_->processor.ProcessOpen());
  EXPECT_EQ(Ledger(order.order_id).State(), orders::OrderState::kHeld);
  EXPECT_TRUE(loop_->Open(ExceptionType::kOrderNotHeldInTime).empty());
}

TEST_F(OrderE2eTest, StockLoopSeesTheOrderTheMomentItIsRecorded) {
  std::vector<AmazonOrderEvent> seen;
  loop_->events.Subscribe([&](const AmazonOrderEvent& e) { seen.push_back(e); });
  scayle_.fail_next_calls = 1000;  // SCAYLE down: the order is known but not held
  auto order = Place({{skus_[0], 2, std::nullopt}});
  Notify(order.order_id);
  Poll();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().order_id.value(), order.order_id);
  ASSERT_EQ(seen.front().skus.size(), 1u);
  EXPECT_EQ(seen.front().skus[0].not_yet_in_scayle, 2);
  scayle_.fail_next_calls = 0;
  sim_.Advance(31s);
  ASSERT_TRUE(loop_->processor.ProcessOpen());
  EXPECT_EQ(seen.back().skus[0].in_scayle, 2);
  EXPECT_EQ(seen.back().skus[0].not_yet_in_scayle, 0);
}

TEST_F(OrderE2eTest, TraceShowsTheTimelineAcrossAmazonEngineAndScayleWithoutPersonalData) {
  auto order = PlaceAndCreate({{skus_[0], 1, std::nullopt}});
  Ship(order.order_id, {{0}});
  DeliverWebhooks();
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

// The order-to-fulfilment loop as an engine component (issue 5): the order store and processor on
// the engine's shared Amazon, SCAYLE and SQS adapters, and four tasks: the SQS
// consumer (long poll, back to back), the open-orders pass, the searchOrders backstop and the
// shipment poll. SCAYLE's order-package-shipped webhooks arrive through the engine's receiver.
#include <fstream>
#include <sstream>

#include "app/component.hpp"
#include "crypto/pii_cipher.hpp"
#include "log/log.hpp"
#include "scayle/scayle_webhook_receiver.hpp"
#include "store/sqlite_order_store.hpp"
#include "sync/order_intake.hpp"
#include "sync/periodic_task.hpp"
#include "sync/shipment_watcher.hpp"

namespace mb::app {

namespace {

std::string Reveal(const config::Config& config, std::string_view key) {
  auto secret = config.GetSecret(key);
  return secret ? secret->Reveal() : std::string();
}

Result<sync::OrderSettings> SettingsFrom(const config::Config& c) {
  sync::OrderSettings s;
  s.warehouse_key = c.GetString("orders.warehouse");
  s.merchant_reference_key = c.GetString("orders.merchant_reference_key");
  s.reservation_ttl_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(c.GetDuration("orders.reservation_ttl"))
          .count();
  for (const auto& [marketplace, route] : c.GetMap("orders.marketplace_shops")) {
    auto a = route.find('/');
    auto b = a == std::string::npos ? a : route.find('/', a + 1);
    if (b == std::string::npos)
      return Fail(ErrorCode::kConfigError, "orders.marketplace_shops." + marketplace + ": '" +
                                               route + "' is not \"shop/COUNTRY/channel\"");
    s.routes[marketplace] = {route.substr(0, a), route.substr(a + 1, b - a - 1),
                             route.substr(b + 1)};
  }
  if (s.routes.empty())
    return Fail(ErrorCode::kConfigError,
                "orders.marketplace_shops is empty: no Amazon order could be created in SCAYLE");
  s.ghost.hold_within = c.GetDuration("orders.hold_within");
  s.ghost.create_within = c.GetDuration("orders.create_within");
  s.ship_by.lead_times.clear();
  for (const auto& text : c.GetList("orders.ship_by_warnings")) {
    auto d = config::ParseDuration(text);
    if (!d) return Fail(ErrorCode::kConfigError, "orders.ship_by_warnings: " + d.error().message);
    s.ship_by.lead_times.push_back(*d);
  }
  s.pii_retention = c.GetDuration("orders.pii_retention");
  return s;
}

Result<orders::CarrierMapper> CarriersFrom(const config::Config& c) {
  std::string path = c.GetString("orders.carrier_list_file");
  if (path.empty())
    path = std::string(MB_SHARED_DIR_FOR_APP) + "/reference/amazon/carrier-codes.txt";
  std::ifstream in(path);
  if (!in)
    return Fail(ErrorCode::kConfigError,
                "cannot read Amazon's carrier list " + path + " (orders.carrier_list_file)");
  std::stringstream text;
  text << in.rdbuf();
  return orders::CarrierMapper::Create(text.str(), c.GetMap("orders.carrier_codes"),
                                       c.GetMap("orders.carrier_other_names"));
}

class OrderComponent final : public Component {
 public:
  explicit OrderComponent(EngineContext& ctx) : ctx_(ctx) {}

  Status Build() {
    const auto& c = ctx_.config;
    auto settings = SettingsFrom(c);
    if (!settings) return tl::unexpected(settings.error());
    auto carriers = CarriersFrom(c);
    if (!carriers) return tl::unexpected(carriers.error());
    std::string key = Reveal(c, "orders.pii_key");
    if (key.empty())
      return Fail(ErrorCode::kConfigError,
                  "orders.pii_key is not set: buyer data must be encrypted at rest");
    auto cipher = crypto::AesGcmCipher::FromKeyText(key);
    if (!cipher) return tl::unexpected(cipher.error());
    cipher_ = std::make_unique<crypto::AesGcmCipher>(std::move(*cipher));
    if (!ctx_.sqlite) return Fail(ErrorCode::kConfigError, "the order loop needs the SQLite store");

    // The engine's shared adapters (external_services.cpp): one SP-API quota for every loop.
    if (!ctx_.amazon || !ctx_.scayle || !ctx_.scayle_webhooks)
      return Fail(ErrorCode::kConfigError,
                  "the order loop needs Amazon (amazon.*) and SCAYLE (scayle.*) configured");
    amazon_ = ctx_.amazon;
    scayle_ = ctx_.scayle;
    queue_ = ctx_.order_notifications;

    store_ = std::make_unique<store::SqliteOrderStore>(ctx_.sqlite);
    processor_ = std::make_unique<sync::OrderProcessor>(
        std::move(*settings), *store_, ctx_.store, *scayle_, *amazon_, ctx_.exceptions,
        cipher_.get(), std::move(*carriers), events_, ctx_.clock, &ctx_.metrics);
    sync::IntakeSettings intake;
    for (const auto& m : c.GetList("amazon.marketplace_ids"))
      intake.marketplace_ids.emplace_back(m);
    intake.backstop_overlap = c.GetDuration("orders.backstop_overlap");
    intake_ = std::make_unique<sync::OrderIntake>(intake, *amazon_, ctx_.store, *processor_,
                                                  ctx_.clock, &ctx_.metrics);
    watcher_ = std::make_unique<sync::ShipmentWatcher>(*scayle_, *store_, *processor_);
    ctx_.amazon_order_events = &events_;
    ctx_.scayle_webhooks->Subscribe("order-package-shipped", [this](const ScayleWebhookEvent& e) {
      return watcher_->OnWebhook(e);
    });

    auto task = [&](std::string name, Duration period, sync::PeriodicTask::StoppableStep step) {
      sync::PeriodicTask::Settings s;
      s.period = period;
      s.error_backoff = std::chrono::seconds(5);
      tasks_.push_back(std::make_unique<sync::PeriodicTask>(std::move(name), s, std::move(step),
                                                            ctx_.clock, &ctx_.metrics));
    };
    if (queue_) {
      // Nearly back to back: each step is one long poll of up to 20 s (PeriodicTask needs a
      // positive period).
      task("orders.sqs", std::chrono::milliseconds(100),
           [this](std::stop_token) { return intake_->PollQueue(*queue_); });
    }
    task("orders.process", c.GetDuration("orders.process_interval"),
         [this](std::stop_token stop) { return processor_->ProcessOpen(stop); });
    // Cheap when nothing failed: retries a transient failure within seconds (the full pass above
    // is the backstop after a restart, which forgets the schedule).
    task("orders.retry", std::chrono::seconds(1),
         [this](std::stop_token) { return processor_->ProcessDueRetries(); });
    task("orders.backstop", c.GetDuration("orders.backstop_interval"),
         [this](std::stop_token stop) { return intake_->RunBackstop(stop); });
    task("orders.shipments", c.GetDuration("orders.shipment_poll_interval"),
         [this](std::stop_token stop) { return watcher_->Poll(stop); });
    return {};
  }

  std::string_view name() const override { return "orders"; }
  Status Start() override {
    for (auto& t : tasks_) t->Start();
    log::Get("orders")->info("order loop started ({} task(s), SQS {})", tasks_.size(),
                             queue_ ? "on" : "off: backstop only");
    return {};
  }
  void RequestStop() override {
    for (auto& t : tasks_) t->RequestStop();
  }
  void Stop() override {
    RequestStop();  // all at once: each task then only finishes its own step
    for (auto& t : tasks_) t->Stop();
  }
  // For the stock loop: subscribe before Start().
  AmazonOrderEvents& events() { return events_; }

 private:
  EngineContext& ctx_;
  std::unique_ptr<crypto::AesGcmCipher> cipher_;
  AmazonApi* amazon_ = nullptr;
  ScayleApi* scayle_ = nullptr;
  NotificationQueue* queue_ = nullptr;
  std::unique_ptr<store::SqliteOrderStore> store_;
  sync::OrderEventHub events_;
  std::unique_ptr<sync::OrderProcessor> processor_;
  std::unique_ptr<sync::OrderIntake> intake_;
  std::unique_ptr<sync::ShipmentWatcher> watcher_;
  std::vector<std::unique_ptr<sync::PeriodicTask>> tasks_;
};

}  // namespace

Result<std::unique_ptr<Component>> MakeOrderComponent(EngineContext& context) {
  if (!context.config.GetBool("orders.enabled")) return std::unique_ptr<Component>();
  auto component = std::make_unique<OrderComponent>(context);
  auto built = component->Build();
  if (!built) return tl::unexpected(Error{built.error().code, "orders: " + built.error().message});
  return std::unique_ptr<Component>(std::move(component));
}

}  // namespace mb::app

#include "tests/order_loop.hpp"

#include <fstream>
#include <sstream>

#include "sandbox/amazon/order_notification.hpp"
#include "store/sqlite_migrations.hpp"

namespace mb::order_test {

std::string OrderChangeBody(const sandbox::amazon::Order& order, int sequence) {
  sandbox::sqs::NotificationEnvelope env;
  env.application_id = "amzn1.sellerapps.app.marketbridge";
  env.subscription_id = "sub-1";
  env.notification_id = "n-" + order.order_id + "-" + std::to_string(sequence);
  env.event_time = env.publish_time = order.last_updated_time;
  return sandbox::amazon::OrderChangeBody(order, env);
}

sync::OrderSettings DefaultOrderSettings() {
  sync::OrderSettings s;
  s.warehouse_key = "wh-main";
  s.routes["A1PA6795UKMFR9"] = {"ms", "DE", "amazon_de"};
  s.routes["A13V1IB3VIYZZH"] = {"ms", "FR", "amazon_fr"};
  s.routes["A1F83G8C2ARO7P"] = {"ms", "GB", "amazon_uk"};
  return s;
}

orders::CarrierMapper DefaultCarriers() {
  std::ifstream in(std::string(MB_SHARED_DIR) + "/reference/amazon/carrier-codes.txt");
  std::stringstream text;
  text << in.rdbuf();
  auto m = orders::CarrierMapper::Create(text.str(), {{"DHL_STD_NATIONAL", "DHL"}, {"UPS", "UPS"}},
                                         {{"DPD", "DPD Deutschland"}});
  if (!m) throw std::runtime_error(m.error().message);
  return std::move(*m);
}

namespace {
std::shared_ptr<store::SqliteDatabase> OpenDb(const std::string& path, const Clock& clock) {
  auto db = std::make_shared<store::SqliteDatabase>(path);
  auto migrations = store::AllSqliteMigrations();
  auto applied = db->Migrate(migrations, clock.Now());
  if (!applied) throw std::runtime_error(applied.error().message);
  return db;
}
}  // namespace

OrderLoop::OrderLoop(const std::string& db_path, AmazonApi& amazon, ScayleApi& scayle,
                     const Clock& clock, sync::OrderSettings settings,
                     sync::IntakeSettings intake_settings)
    : db(OpenDb(db_path, clock)),
      state(db),
      orders(db),
      exceptions(state, clock, nullptr),
      cipher(*crypto::AesGcmCipher::FromKeyText(kPiiKeyHex)),
      processor(std::move(settings), orders, state, scayle, amazon, exceptions, &cipher,
                DefaultCarriers(), events, clock, &metrics),
      intake(std::move(intake_settings), amazon, state, processor, clock, &metrics),
      watcher(scayle, orders, processor),
      receiver(scayle::WebhookSettings{kWebhookUser, kWebhookPassword}, state, clock, &metrics) {
  (void)state.ReleaseAbandonedClaims(clock.Now());
  receiver.Subscribe("order-package-shipped",
                     [this](const ScayleWebhookEvent& e) { return watcher.OnWebhook(e); });
}

int OrderLoop::Deliver(const std::string& event_name, const std::string& envelope_json) {
  server::Request req;
  req.method = "POST";
  req.path = "/webhooks/scayle/" + event_name;
  req.path_params["event"] = event_name;
  req.headers.emplace("Authorization", "Basic " + crypto::Base64Encode(std::string(kWebhookUser) +
                                                                       ":" + kWebhookPassword));
  req.headers.emplace("Content-Type", "application/json");
  req.body = envelope_json;
  return receiver.Handle(req, event_name).status;
}

std::vector<RaisedException> OrderLoop::Open(ExceptionType type) {
  ExceptionFilter f;
  f.type = type;
  f.open_only = true;
  auto list = exceptions.List(f);
  return list ? *list : std::vector<RaisedException>{};
}

}  // namespace mb::order_test

#include "scayle/scayle_webhook_receiver.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <nlohmann/json.hpp>

#include "core/timestamp.hpp"
#include "log/log.hpp"
#include "ports/http_client.hpp"
#include "scayle/scayle_json.hpp"

namespace mb::scayle {

namespace {

using nlohmann::json;

server::Response Answer(int status, const std::string& message) {
  return server::Response::Json(status, json{{"message", message}}.dump());
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

// Compares digests, so neither the content nor the length of the secret leaks through timing.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char da[SHA256_DIGEST_LENGTH];
  unsigned char db[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(a.data()), a.size(), da);
  SHA256(reinterpret_cast<const unsigned char*>(b.data()), b.size(), db);
  return CRYPTO_memcmp(da, db, SHA256_DIGEST_LENGTH) == 0;
}

}  // namespace

ScayleWebhookReceiver::ScayleWebhookReceiver(WebhookSettings settings, Outbox& outbox,
                                             const Clock& clock, metrics::Registry* registry)
    : settings_(std::move(settings)), outbox_(outbox), clock_(clock) {
  if (registry) {
    deliveries_ = &registry->AddCounter("mb_scayle_webhooks_total",
                                        "SCAYLE webhook deliveries by event and outcome.",
                                        {"event", "outcome"});
  }
}

void ScayleWebhookReceiver::RegisterRoutes(server::HttpServer& server) {
  server.Route("POST", settings_.path,
               [this](const server::Request& request) { return Handle(request, ""); });
  server.Route("POST", settings_.path + "/{event}", [this](const server::Request& request) {
    auto it = request.path_params.find("event");
    return Handle(request, it == request.path_params.end() ? "" : it->second);
  });
}

void ScayleWebhookReceiver::Subscribe(const std::string& event_name, Subscriber subscriber) {
  subscribers_[event_name].push_back(std::move(subscriber));
}

bool ScayleWebhookReceiver::Authorized(const server::Request& request) const {
  if (settings_.password.empty()) return false;
  const std::string header = request.Header("Authorization");
  constexpr std::string_view kBasic = "Basic ";
  if (header.size() <= kBasic.size() ||
      !mb::EqualsIgnoreCase(header.substr(0, kBasic.size()), kBasic)) {
    return false;
  }
  auto decoded = DecodeBase64(std::string_view(header).substr(kBasic.size()));
  if (!decoded) return false;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  // Both halves are always compared, so a wrong user name takes as long as a wrong password.
  const bool user_ok = ConstantTimeEquals(decoded->substr(0, colon), settings_.username);
  const bool password_ok = ConstantTimeEquals(decoded->substr(colon + 1), settings_.password);
  return user_ok && password_ok;
}

Result<ScayleWebhookEvent> ScayleWebhookReceiver::Parse(const std::string& body,
                                                        const std::string& route_event) const {
  const json envelope = json::parse(body, nullptr, false);
  if (!envelope.is_object()) return Fail(ErrorCode::kInvalidInput, "body is not a JSON object");
  ScayleWebhookEvent event;
  auto key = OptString(envelope, "key");
  if (!key || key->empty())
    return Fail(ErrorCode::kInvalidInput, "`key` is missing or not a string");
  event.key = *key;
  auto type = OptString(envelope, "type");
  if (!type) return Fail(ErrorCode::kInvalidInput, "`type` is not a string");
  event.name = type->empty() ? route_event : *type;
  if (event.name.empty()) {
    return Fail(ErrorCode::kInvalidInput,
                "event name unknown: the body has no `type`; deliver to " + settings_.path +
                    "/<event-name>");
  }
  auto occurred = OptTime(envelope, "occurredAt");
  if (!occurred) return Fail(ErrorCode::kInvalidInput, "`occurredAt` is not a timestamp");
  if (!*occurred) return Fail(ErrorCode::kInvalidInput, "`occurredAt` is missing");
  event.occurred_at = **occurred;
  if (auto locale = envelope.find("locale"); locale != envelope.end() && locale->is_object()) {
    auto country = OptString(*locale, "countryCode");
    if (country) event.country_code = *country;
  }
  auto payload = envelope.find("payload");
  if (payload == envelope.end() || !payload->is_object()) {
    return Fail(ErrorCode::kInvalidInput, "`payload` is missing or not an object");
  }
  event.payload_json = payload->dump();

  if (event.name == "product-variant-stock-updated") {
    auto stock = ParseStockChange(*payload);
    if (!stock) return Fail(ErrorCode::kInvalidInput, stock.error().message);
    event.stock = *stock;
  } else if (event.name.rfind("order-", 0) == 0) {
    // Order events carry the order, either as the payload itself or under `order`.
    const json& order_json = payload->contains("order") ? (*payload)["order"] : *payload;
    if (order_json.is_object() && order_json.contains("id")) {
      auto order = ParseOrder(order_json);
      if (!order) return Fail(ErrorCode::kInvalidInput, "order payload: " + order.error().message);
      event.order = *order;
    }
  } else if (event.name.rfind("product-variant-", 0) == 0) {
    const json& variant = payload->contains("productVariant") ? (*payload)["productVariant"]
                          : payload->contains("variant")      ? (*payload)["variant"]
                                                              : *payload;
    if (auto ref = ParseVariantRef(variant); ref) event.variant = *ref;
  } else if (event.name.rfind("product-", 0) == 0) {
    const json& product = payload->contains("product") ? (*payload)["product"] : *payload;
    if (auto id = OptInt(product, "id"); id && *id != 0) event.product_id = *id;
  }
  return event;
}

bool ScayleWebhookReceiver::RememberRecent(const std::string& key) {
  std::lock_guard lock(mu_);
  if (!recent_.insert(key).second) return false;
  recent_order_.push_back(key);
  while (recent_order_.size() > settings_.recent_keys) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
  return true;
}

void ScayleWebhookReceiver::ForgetRecent(const std::string& key) {
  std::lock_guard lock(mu_);
  recent_.erase(key);
  // Its entry in recent_order_ stays until it ages out; erasing a missing key then is harmless.
}

void ScayleWebhookReceiver::Count(const std::string& event, const std::string& outcome) {
  if (deliveries_) deliveries_->WithLabels({event, outcome}).Inc();
}

server::Response ScayleWebhookReceiver::Handle(const server::Request& request,
                                               const std::string& route_event) {
  if (!Authorized(request)) {
    Count(route_event, "unauthorized");
    auto response = Answer(401, "credentials missing or wrong");
    response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"marketbridge\"");
    return response;
  }
  auto event = Parse(request.body, route_event);
  if (!event) {
    Count(route_event, "malformed");
    log::Get("scayle")->warn("scayle webhook refused: {}", event.error().message);
    return Answer(400, "malformed SCAYLE webhook: " + event.error().message);
  }
  if (!RememberRecent(event->key)) {
    Count(event->name, "duplicate");
    return Answer(200, "duplicate");
  }
  const IdempotencyKey key("scayle.webhook:" + event->key);
  const std::string note =
      json{{"event", event->name}, {"occurredAt", FormatTimestamp(event->occurred_at)}}.dump();
  auto recorded = outbox_.RecordEffect(kWebhookEffectKind, key, note, clock_.Now());
  if (!recorded) {
    ForgetRecent(event->key);
    Count(event->name, "store_error");
    log::Get("scayle")->error("scayle webhook {} not recorded: {}", event->name,
                              recorded.error().message);
    return Answer(503, "could not record the event; deliver again");
  }
  if (!recorded->created && recorded->effect.state == EffectState::kDone) {
    Count(event->name, "duplicate");
    return Answer(200, "duplicate");
  }
  if (auto it = subscribers_.find(event->name); it != subscribers_.end()) {
    for (const auto& subscriber : it->second) {
      Status status;
      try {
        status = subscriber(*event);
      } catch (const std::exception& e) {
        status = Fail(ErrorCode::kInternal, e.what());
      }
      if (!status) {
        // Recorded as failed and forgotten here, so SCAYLE's redelivery is dispatched again.
        (void)outbox_.MarkEffectFailed(recorded->effect.id, status.error(), clock_.Now(),
                                       clock_.Now());
        ForgetRecent(event->key);
        Count(event->name, "failed");
        log::Get("scayle")->warn("scayle webhook {} {} not processed: {}", event->name, event->key,
                                 status.error().message);
        return Answer(500, "event not processed: " + status.error().message);
      }
    }
  }
  (void)outbox_.MarkEffectDone(recorded->effect.id, "dispatched", clock_.Now());
  PurgeOldDeliveries();
  Count(event->name, "accepted");
  return Answer(200, "accepted");
}

void ScayleWebhookReceiver::PurgeOldDeliveries() {
  const TimePoint now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    if (now < next_purge_) return;
    next_purge_ = now + std::chrono::hours(1);
  }
  auto purged = outbox_.PurgeDoneEffects(kWebhookEffectKind, now - settings_.remember_for);
  if (!purged) {
    log::Get("scayle")->warn("old scayle webhook deliveries not purged: {}",
                             purged.error().message);
  }
}

}  // namespace mb::scayle

#pragma once
// Receives SCAYLE webhooks: POST /webhooks/scayle (product events name themselves in `type`) and
// POST /webhooks/scayle/{event} (order events do not, so each subscription URL ends in its event
// name). SCAYLE authenticates only by the HTTP Basic credentials in the subscription URL, so every
// delivery is checked against scayle.webhook_username/password (constant-time; 401 otherwise).
//
// Idempotent on the event `key`: a bounded in-memory set answers repeats at once, and every key is
// recorded durably in the StateStore outbox (kind "scayle.webhook", key "scayle.webhook:<key>",
// payload = name and time only, never the body, which can hold personal data) before subscribers
// see it, and marked done after. A redelivery of a done key is acknowledged and dropped, also
// after a restart; a key whose dispatch failed is dispatched again. Subscribers must be quick
// (record and wake a loop): the answer waits for them, and SCAYLE wants a fast 2xx.

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "metrics/registry.hpp"
#include "ports/scayle_api.hpp"
#include "ports/state_store.hpp"
#include "server/http_server.hpp"

namespace mb::scayle {

struct WebhookSettings {
  std::string username;
  std::string password;  // empty: every delivery is refused (no accidental open endpoint)
  std::string path = "/webhooks/scayle";
  size_t recent_keys = 10000;  // in-memory de-duplication window
  // How long a processed delivery is remembered in the store to refuse late redeliveries. SCAYLE
  // documents no webhook retry window; its order delegation retries for about 46 hours.
  Duration remember_for = std::chrono::hours(24 * 7);
};

inline constexpr std::string_view kWebhookEffectKind = "scayle.webhook";

class ScayleWebhookReceiver {
 public:
  using Subscriber = std::function<Status(const ScayleWebhookEvent&)>;

  // `outbox`, `clock` and `registry` (optional) must outlive the receiver.
  ScayleWebhookReceiver(WebhookSettings settings, Outbox& outbox, const Clock& clock,
                        metrics::Registry* registry = nullptr);

  // Before the server starts.
  void RegisterRoutes(server::HttpServer& server);
  // Several subscribers per event name are called in subscription order. Before deliveries start.
  void Subscribe(const std::string& event_name, Subscriber subscriber);

  // The whole handling of one delivery (the routes call this; tests too). `route_event` is the
  // `{event}` path segment, "" on the bare path.
  server::Response Handle(const server::Request& request, const std::string& route_event);

 private:
  bool Authorized(const server::Request& request) const;
  Result<ScayleWebhookEvent> Parse(const std::string& body, const std::string& route_event) const;
  // Remembers `key` in the bounded set; false if it was there.
  bool RememberRecent(const std::string& key);
  void ForgetRecent(const std::string& key);
  void Count(const std::string& event, const std::string& outcome);
  // At most once an hour: drops stored deliveries older than `remember_for`.
  void PurgeOldDeliveries();

  WebhookSettings settings_;
  Outbox& outbox_;
  const Clock& clock_;
  metrics::CounterFamily* deliveries_ = nullptr;
  std::map<std::string, std::vector<Subscriber>> subscribers_;

  std::mutex mu_;
  std::set<std::string> recent_;
  std::deque<std::string> recent_order_;
  TimePoint next_purge_{};
};

}  // namespace mb::scayle

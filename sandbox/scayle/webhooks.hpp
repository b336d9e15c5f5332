#pragma once
// SCAYLE webhook subscriptions and delivery (ADMIN_API.md §7): credentials in the subscription URL
// are sent as HTTP Basic auth and masked when the subscription is read back. A background
// dispatcher delivers in order, retrying failures with bounded back-off on the sandbox clock.

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "sandbox/scayle/model.hpp"

namespace sandbox::scayle {

struct Subscription {
  int64_t id = 0;
  std::string event;
  int version = 1;
  std::string url;  // with credentials; never returned unmasked
  Json filters = Json::array();
};

struct WebhookFaults {
  double duplicate_probability = 0.0;     // deliver the same event (same key) twice
  double out_of_order_probability = 0.0;  // hold an event back until the next one was delivered
};

struct WebhookConfig {
  // Delay before retry n (sandbox time); attempts = size() + 1. SCAYLE's policy is undocumented.
  std::vector<std::chrono::milliseconds> retry_backoff = {
      std::chrono::seconds(10), std::chrono::seconds(30), std::chrono::minutes(2),
      std::chrono::minutes(10), std::chrono::minutes(30)};
  std::chrono::milliseconds request_timeout{2000};  // real time, per attempt
  // A held (out-of-order) event is sent at the latest this long after it was due.
  std::chrono::milliseconds out_of_order_hold{std::chrono::seconds(30)};
  uint64_t seed = 1;
};

// One delivery attempt, as the inspection API reports it.
struct DeliveryAttempt {
  int64_t subscription_id = 0;
  std::string event;
  std::string event_key;
  int attempt = 1;
  int status = 0;  // HTTP status; 0 when no response arrived
  bool delivered = false;
  bool gave_up = false;  // last attempt failed
  SimTime at;
};

struct WebhookCounters {
  int64_t published = 0;
  int64_t attempts = 0;
  int64_t delivered = 0;
  int64_t failed_attempts = 0;
  int64_t abandoned = 0;
};

// The events the sandbox can fire, for validating subscriptions.
const std::vector<std::string>& KnownWebhookEvents();

class WebhookHub {
 public:
  WebhookHub(const SimClock& clock, WebhookConfig config = {});
  ~WebhookHub();
  WebhookHub(const WebhookHub&) = delete;
  WebhookHub& operator=(const WebhookHub&) = delete;

  void Start();
  void Stop();

  Subscription Subscribe(std::string event, int version, std::string url, Json filters);
  std::vector<Subscription> Subscriptions() const;
  std::optional<Subscription> FindSubscription(int64_t id) const;
  // PATCH semantics: url replaced when given; filters replaced, or extended by `include.add` /
  // reduced by `include.remove` (WebhookSubscriptionUpdateRequest.json).
  std::optional<Subscription> UpdateSubscription(int64_t id, const std::optional<std::string>& url,
                                                 const Json& filters);
  bool Unsubscribe(int64_t id);

  // Queues one delivery per matching subscription. Never calls back into the caller.
  void Publish(const std::string& event, const Json& envelope);

  void SetFaults(WebhookFaults faults);
  std::vector<DeliveryAttempt> Log() const;
  WebhookCounters Counters() const;
  // Deliveries queued or in flight.
  size_t Pending() const;
  // Blocks until at least `count` attempts were made in total (real-time deadline); for tests and
  // the market, which must not sleep to wait.
  bool WaitForAttempts(int64_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Delivery {
    int64_t seq = 0;
    Subscription subscription;
    std::string event;
    std::string event_key;
    std::string body;
    int attempt = 1;
  };
  void Run();
  void Attempt(Delivery delivery);
  void EnqueueLocked(Delivery delivery, SimTime due);

  const SimClock& clock_;
  WebhookConfig config_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  mutable std::condition_variable attempted_;
  bool stopping_ = false;
  std::thread dispatcher_;
  int64_t next_subscription_ = 1;
  int64_t next_seq_ = 1;
  std::map<int64_t, Subscription> subscriptions_;
  std::multimap<SimTime, Delivery> queue_;
  std::optional<std::pair<SimTime, Delivery>> held_;  // out-of-order fault
  size_t in_flight_ = 0;
  WebhookFaults faults_;
  std::mt19937_64 rng_;
  std::deque<DeliveryAttempt> log_;
  WebhookCounters counters_;
};

}  // namespace sandbox::scayle

#include "sandbox/scayle/webhooks.hpp"

#include <httplib.h>

#include <algorithm>

#include "sandbox/scayle/identifiers.hpp"
#include "sandbox/scayle/scayle_json.hpp"

namespace sandbox::scayle {

namespace {

constexpr size_t kLogCapacity = 10000;
constexpr auto kPollInterval = std::chrono::milliseconds(5);

bool Chance(std::mt19937_64& rng, double p) {
  if (p <= 0.0) return false;
  if (p >= 1.0) return true;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p;
}

// Every event of the sandbox belongs to its single merchant.
bool AcceptsMerchant(const Json& filters) {
  for (const auto& f : filters) {
    if (!f.is_object() || !f.contains("merchantReferenceKeys")) continue;
    const Json& include = f["merchantReferenceKeys"].value("include", Json());
    if (include.is_array() &&
        std::find(include.begin(), include.end(), Json(kMerchantKey)) == include.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

const std::vector<std::string>& KnownWebhookEvents() {
  static const std::vector<std::string> kEvents = {"product-variant-stock-updated",
                                                   "product-updated",
                                                   "product-variant-deleted",
                                                   "product-variant-prices-updated",
                                                   "order-confirmed",
                                                   "order-package-shipped",
                                                   "order-canceled"};
  return kEvents;
}

WebhookHub::WebhookHub(const SimClock& clock, WebhookConfig config)
    : clock_(clock), config_(std::move(config)), rng_(config_.seed) {}

WebhookHub::~WebhookHub() { Stop(); }

void WebhookHub::Start() {
  std::lock_guard lock(mu_);
  if (dispatcher_.joinable()) return;
  stopping_ = false;
  dispatcher_ = std::thread([this] { Run(); });
}

void WebhookHub::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
}

Subscription WebhookHub::Subscribe(std::string event, int version, std::string url, Json filters) {
  std::lock_guard lock(mu_);
  Subscription s{next_subscription_++, std::move(event), version, std::move(url),
                 filters.is_array() ? std::move(filters) : Json::array()};
  subscriptions_[s.id] = s;
  return s;
}

std::vector<Subscription> WebhookHub::Subscriptions() const {
  std::lock_guard lock(mu_);
  std::vector<Subscription> out;
  for (const auto& [id, s] : subscriptions_) out.push_back(s);
  return out;
}

std::optional<Subscription> WebhookHub::FindSubscription(int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(id);
  if (it == subscriptions_.end()) return std::nullopt;
  return it->second;
}

std::optional<Subscription> WebhookHub::UpdateSubscription(int64_t id,
                                                           const std::optional<std::string>& url,
                                                           const Json& filters) {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(id);
  if (it == subscriptions_.end()) return std::nullopt;
  Subscription& s = it->second;
  if (url) s.url = *url;
  if (filters.is_array()) {
    Json merged = Json::array();
    for (const auto& f : filters) {
      const Json* include = nullptr;
      if (f.contains("merchantReferenceKeys") && f["merchantReferenceKeys"].contains("include")) {
        include = &f["merchantReferenceKeys"]["include"];
      }
      if (!include || include->is_array()) {
        merged.push_back(f);
        continue;
      }
      // {"include": {"add": [...], "remove": [...]}} edits the current include list.
      std::vector<std::string> keys;
      for (const auto& old : s.filters) {
        if (old.contains("merchantReferenceKeys") &&
            old["merchantReferenceKeys"].value("include", Json()).is_array()) {
          for (const auto& k : old["merchantReferenceKeys"]["include"])
            keys.push_back(k.get<std::string>());
        }
      }
      for (const auto& k : include->value("add", Json::array())) {
        if (k.is_string() &&
            std::find(keys.begin(), keys.end(), k.get<std::string>()) == keys.end()) {
          keys.push_back(k.get<std::string>());
        }
      }
      for (const auto& k : include->value("remove", Json::array())) {
        if (k.is_string()) std::erase(keys, k.get<std::string>());
      }
      merged.push_back({{"merchantReferenceKeys", {{"include", keys}}}});
    }
    s.filters = std::move(merged);
  }
  return s;
}

bool WebhookHub::Unsubscribe(int64_t id) {
  std::lock_guard lock(mu_);
  return subscriptions_.erase(id) > 0;
}

void WebhookHub::SetFaults(WebhookFaults faults) {
  std::lock_guard lock(mu_);
  faults_ = faults;
}

void WebhookHub::Publish(const std::string& event, const Json& envelope) {
  std::lock_guard lock(mu_);
  ++counters_.published;
  std::string body;
  std::string key = envelope.value("key", "");
  auto now = clock_.Now();
  for (const auto& [id, s] : subscriptions_) {
    // older pages spell the cancellation event `order-cancelled`
    bool matches = s.event == event || (event == "order-canceled" && s.event == "order-cancelled");
    if (!matches || !AcceptsMerchant(s.filters)) continue;
    if (body.empty()) body = envelope.dump();
    Delivery d{next_seq_++, s, event, key, body, 1};
    if (Chance(rng_, faults_.out_of_order_probability) && !held_) {
      held_ = std::make_pair(now + config_.out_of_order_hold, d);
      continue;
    }
    bool duplicate = Chance(rng_, faults_.duplicate_probability);
    EnqueueLocked(d, now);
    if (duplicate) {
      d.seq = next_seq_++;
      EnqueueLocked(d, now);
    }
  }
  wake_.notify_all();
}

void WebhookHub::EnqueueLocked(Delivery delivery, SimTime due) {
  queue_.emplace(due, std::move(delivery));
}

void WebhookHub::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    auto now = clock_.Now();
    if (held_ && held_->first <= now) {
      EnqueueLocked(std::move(held_->second), now);
      held_.reset();
    }
    if (queue_.empty() || queue_.begin()->first > now) {
      // Sandbox time may be frozen or scaled, so due times are re-checked on a short real-time
      // tick.
      wake_.wait_for(lock, kPollInterval);
      continue;
    }
    Delivery d = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    ++in_flight_;
    lock.unlock();
    Attempt(std::move(d));  // decrements in_flight_ with the attempt's bookkeeping
    lock.lock();
  }
}

void WebhookHub::Attempt(Delivery d) {
  int status = 0;
  if (auto url = ParseUrl(d.subscription.url)) {
    httplib::Client client(url->scheme_host_port);
    auto timeout = config_.request_timeout;
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    client.set_tcp_nodelay(true);
    if (!url->user.empty()) client.set_basic_auth(url->user, url->password);
    auto res = client.Post(url->path, d.body, "application/json");
    if (res) status = res->status;
  }
  bool ok = status >= 200 && status < 300;
  std::lock_guard lock(mu_);
  auto now = clock_.Now();
  --in_flight_;
  ++counters_.attempts;
  attempted_.notify_all();
  bool last = d.attempt > static_cast<int>(config_.retry_backoff.size());
  DeliveryAttempt record{d.subscription.id, d.event, d.event_key, d.attempt, status, ok,
                         !ok && last,       now};
  log_.push_back(record);
  if (log_.size() > kLogCapacity) log_.pop_front();
  if (ok) {
    ++counters_.delivered;
    // An out-of-order event goes out right after an event published after it.
    if (held_ && d.seq > held_->second.seq) {
      EnqueueLocked(std::move(held_->second), now);
      held_.reset();
    }
    return;
  }
  ++counters_.failed_attempts;
  if (last) {
    ++counters_.abandoned;
    return;
  }
  auto due = now + config_.retry_backoff[d.attempt - 1];
  ++d.attempt;
  EnqueueLocked(std::move(d), due);
}

std::vector<DeliveryAttempt> WebhookHub::Log() const {
  std::lock_guard lock(mu_);
  return {log_.begin(), log_.end()};
}

WebhookCounters WebhookHub::Counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

bool WebhookHub::WaitForAttempts(int64_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return attempted_.wait_for(lock, timeout, [&] { return counters_.attempts >= count; });
}

size_t WebhookHub::Pending() const {
  std::lock_guard lock(mu_);
  return queue_.size() + in_flight_ + (held_ ? 1 : 0);
}

}  // namespace sandbox::scayle

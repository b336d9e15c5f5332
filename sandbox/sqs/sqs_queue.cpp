#include "sandbox/sqs/sqs_queue.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

#include "sandbox/sqs/random_id.hpp"
#include "sandbox/sqs/sigv4.hpp"

namespace sandbox::sqs {

using namespace std::chrono_literals;

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr) != 1) {
    throw std::runtime_error("sandbox: OpenSSL MD5 failed");
  }
  return HexLower(std::string_view(reinterpret_cast<const char*>(digest), len));
}

SqsQueue::SqsQueue(std::string name, const SimClock& clock, std::chrono::seconds default_visibility)
    : name_(std::move(name)), clock_(clock), default_visibility_(default_visibility) {}

void SqsQueue::Store(const std::string& message_id, const std::string& body, SimTime visible_at) {
  Message m;
  m.message_id = message_id;
  m.body = body;
  m.md5 = Md5Hex(body);
  m.sent = clock_.Now();
  m.visible_at = visible_at;
  messages_.emplace(next_seq_++, std::move(m));
}

std::string SqsQueue::Send(const std::string& body, std::chrono::seconds delay) {
  std::string id = NewUuid();
  {
    std::lock_guard lock(mu_);
    SimTime visible_at = clock_.Now() + delay;
    Store(id, body, visible_at);
    if (duplicate_delivery_) Store(id, body, visible_at);
  }
  arrived_.notify_all();
  return id;
}

std::vector<ReceivedMessage> SqsQueue::TakeVisible(int max, std::chrono::seconds visibility,
                                                   SimTime now) {
  std::vector<ReceivedMessage> out;
  for (auto& [seq, m] : messages_) {
    if (static_cast<int>(out.size()) >= max) break;
    if (m.visible_at > now) continue;
    m.receive_count++;
    if (!m.first_receive) m.first_receive = now;
    m.visible_at = now + visibility;
    m.current_handle = NewOpaqueToken(96);
    handles_[m.current_handle] = seq;
    out.push_back(
        {m.message_id, m.current_handle, m.md5, m.body, m.receive_count, m.sent, *m.first_receive});
  }
  return out;
}

std::vector<ReceivedMessage> SqsQueue::Receive(int max,
                                               std::optional<std::chrono::seconds> visibility,
                                               std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  const SimTime deadline = clock_.Now() + wait;
  ++waiting_;
  for (;;) {
    const SimTime now = clock_.Now();
    auto got = TakeVisible(max, visibility.value_or(default_visibility_), now);
    if (!got.empty() || now >= deadline || shut_down_) {
      --waiting_;
      return got;
    }
    // Sandbox time may run faster than real time, stand still (factor 0, moved by Advance) or
    // make an in-flight message visible again: re-check the clock at least every 20 ms.
    auto real_left = 20ms;
    if (clock_.factor() > 0) {
      auto scaled =
          std::chrono::duration_cast<std::chrono::milliseconds>((deadline - now) / clock_.factor());
      real_left = std::clamp(scaled, 1ms, 20ms);
    }
    arrived_.wait_for(lock, real_left);
  }
}

HandleResult SqsQueue::Delete(const std::string& receipt_handle) {
  std::lock_guard lock(mu_);
  auto h = handles_.find(receipt_handle);
  if (h == handles_.end()) return HandleResult::kInvalid;
  auto m = messages_.find(h->second);
  if (m == messages_.end()) return HandleResult::kOk;  // already deleted: SQS deletes idempotently
  if (m->second.current_handle != receipt_handle) return HandleResult::kStale;
  messages_.erase(m);
  return HandleResult::kOk;
}

HandleResult SqsQueue::ChangeVisibility(const std::string& receipt_handle,
                                        std::chrono::seconds timeout) {
  std::lock_guard lock(mu_);
  auto h = handles_.find(receipt_handle);
  if (h == handles_.end()) return HandleResult::kInvalid;
  auto m = messages_.find(h->second);
  if (m == messages_.end() || m->second.current_handle != receipt_handle) {
    return HandleResult::kInvalid;
  }
  const SimTime now = clock_.Now();
  if (m->second.visible_at <= now) return HandleResult::kNotInflight;
  m->second.visible_at = now + timeout;
  if (timeout.count() == 0) arrived_.notify_all();
  return HandleResult::kOk;
}

void SqsQueue::SetDuplicateDelivery(bool on) {
  std::lock_guard lock(mu_);
  duplicate_delivery_ = on;
}

void SqsQueue::Wake() { arrived_.notify_all(); }

void SqsQueue::Shutdown() {
  {
    std::lock_guard lock(mu_);
    shut_down_ = true;
  }
  arrived_.notify_all();
}

size_t SqsQueue::VisibleCount() const {
  std::lock_guard lock(mu_);
  const SimTime now = clock_.Now();
  return static_cast<size_t>(std::count_if(messages_.begin(), messages_.end(), [&](const auto& e) {
    return e.second.visible_at <= now;
  }));
}

size_t SqsQueue::InFlightCount() const {
  std::lock_guard lock(mu_);
  const SimTime now = clock_.Now();
  return static_cast<size_t>(std::count_if(messages_.begin(), messages_.end(), [&](const auto& e) {
    return e.second.visible_at > now && e.second.first_receive.has_value();
  }));
}

size_t SqsQueue::WaitingReceivers() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

}  // namespace sandbox::sqs

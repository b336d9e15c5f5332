#pragma once
// One standard SQS queue on the sandbox clock (SQS_SIGV4.md §2): at-least-once delivery,
// visibility timeout and redelivery of messages not deleted in time, a fresh receipt handle on
// every receive (older handles go stale), long polling woken as soon as a message arrives.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::sqs {

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string md5_of_body;
  std::string body;
  int receive_count = 0;
  SimTime sent;
  SimTime first_receive;
};

enum class HandleResult {
  kOk,
  kStale,        // superseded by a later receive: accepted, but the message stays (as SQS does)
  kInvalid,      // never issued by this queue: ReceiptHandleIsInvalid
  kNotInflight,  // ChangeMessageVisibility on a message that is visible: MessageNotInflight
};

class SqsQueue {
 public:
  static constexpr std::chrono::seconds kMaxVisibility{43200};

  SqsQueue(std::string name, const SimClock& clock,
           std::chrono::seconds default_visibility = std::chrono::seconds(30));

  const std::string& name() const { return name_; }

  // Returns the MessageId. With duplicate delivery on, a second copy (same MessageId and body,
  // its own receipts) is stored too, as SQS's at-least-once delivery sometimes does.
  std::string Send(const std::string& body, std::chrono::seconds delay = std::chrono::seconds(0));

  // Up to `max` visible messages; waits up to `wait` of sandbox time when none is visible.
  std::vector<ReceivedMessage> Receive(int max, std::optional<std::chrono::seconds> visibility,
                                       std::chrono::milliseconds wait);

  HandleResult Delete(const std::string& receipt_handle);
  HandleResult ChangeVisibility(const std::string& receipt_handle, std::chrono::seconds timeout);

  void SetDuplicateDelivery(bool on);
  // Wakes long polls so they re-read the clock (call after SimClock::Advance).
  void Wake();
  // Ends every long poll now and makes later ones return at once (server shutdown).
  void Shutdown();

  size_t VisibleCount() const;
  size_t InFlightCount() const;
  size_t WaitingReceivers() const;

 private:
  struct Message {
    std::string message_id;
    std::string body;
    std::string md5;
    SimTime sent;
    SimTime visible_at;
    std::optional<SimTime> first_receive;
    int receive_count = 0;
    std::string current_handle;
  };

  void Store(const std::string& message_id, const std::string& body, SimTime visible_at);
  std::vector<ReceivedMessage> TakeVisible(int max, std::chrono::seconds visibility, SimTime now);

  std::string name_;
  const SimClock& clock_;
  std::chrono::seconds default_visibility_;
  mutable std::mutex mu_;
  std::condition_variable arrived_;
  std::map<uint64_t, Message> messages_;     // by arrival order
  std::map<std::string, uint64_t> handles_;  // every receipt handle ever issued
  uint64_t next_seq_ = 1;
  bool duplicate_delivery_ = false;
  bool shut_down_ = false;
  size_t waiting_ = 0;
};

std::string Md5Hex(const std::string& data);

}  // namespace sandbox::sqs

#pragma once
// The notification queue on Amazon SQS (AWS JSON protocol 1.0, SigV4-signed): long-poll
// ReceiveMessage, DeleteMessage, ChangeMessageVisibility. SP-API writes ORDER_CHANGE
// notifications there; the order loop deletes a message only after its effect is recorded.

#include <string>

#include "amazon/sigv4_signer.hpp"
#include "core/clock.hpp"
#include "ports/amazon_api.hpp"
#include "ports/http_client.hpp"

namespace mb::amazon {

struct SqsSettings {
  // https://sqs.<region>.amazonaws.com/<account>/<queue>; requests go to its scheme and host.
  std::string queue_url;
  std::string region;  // empty: taken from the queue URL host (sqs.<region>.amazonaws.com)
  AwsCredentials credentials;
  // How long received messages stay hidden; 0 keeps the queue's default.
  Duration visibility_timeout{std::chrono::seconds(60)};
};

// The region of `sqs.<region>.amazonaws.com` in a queue URL; "" when the host is another one.
std::string SqsRegionFromQueueUrl(const std::string& queue_url);

class SqsClient final : public NotificationQueue {
 public:
  // `http` and `clock` must outlive the client. Fails on settings that cannot work.
  static Result<std::unique_ptr<SqsClient>> Create(HttpClient& http, const Clock& clock,
                                                   SqsSettings settings);

  Result<std::vector<QueueMessage>> Receive(int max_messages, Duration wait) override;
  Status Delete(const std::string& receipt_handle) override;
  Status ChangeVisibility(const std::string& receipt_handle, Duration visibility) override;

  // Messages dropped because their body did not match MD5OfBody (they come back after the
  // visibility timeout and, if still corrupt, end in the dead-letter queue).
  int corrupt_messages() const { return corrupt_messages_; }

 private:
  SqsClient(HttpClient& http, const Clock& clock, SqsSettings settings, std::string endpoint);
  Result<std::string> Call(const std::string& action, const std::string& body, Duration timeout);

  HttpClient& http_;
  const Clock& clock_;
  SqsSettings settings_;
  std::string endpoint_;
  SigV4Signer signer_;
  int corrupt_messages_ = 0;
};

}  // namespace mb::amazon

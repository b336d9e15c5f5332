#pragma once
// Amazon SQS on loopback, speaking the AWS JSON 1.0 protocol (SQS_SIGV4.md): POST / with
// X-Amz-Target AmazonSQS.<Operation>, every request SigV4-verified against the configured keys
// and the sandbox clock. The Amazon side delivers notifications in-process with Enqueue().

#include <httplib.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sandbox/common/sim_clock.hpp"
#include "sandbox/sqs/sigv4_verifier.hpp"
#include "sandbox/sqs/sqs_queue.hpp"

namespace sandbox::sqs {

struct SqsConfig {
  std::string region = "eu-west-1";
  std::string account_id = "123456789012";
  std::map<std::string, std::string> secrets_by_access_key;  // SigV4 credentials accepted
  std::vector<std::string> queues;                           // created at start
  std::chrono::seconds default_visibility{30};
};

class SqsServer {
 public:
  SqsServer(SqsConfig config, const SimClock& clock);
  ~SqsServer();
  SqsServer(const SqsServer&) = delete;
  SqsServer& operator=(const SqsServer&) = delete;

  void Start(int port = 0);  // 127.0.0.1; 0 = ephemeral
  void Stop();
  int port() const { return port_; }

  // https-less URL this server answers for a queue: http://127.0.0.1:<port>/<account>/<name>.
  std::string QueueUrl(const std::string& queue) const;
  // "arn:aws:sqs:<region>:<account>:<name>", as SP-API destinations name queues.
  std::string QueueArn(const std::string& queue) const;

  void AddQueue(const std::string& name);
  SqsQueue* Queue(const std::string& name);
  // In-process delivery (the Amazon side's notifications); nullopt when the queue is unknown.
  std::optional<std::string> Enqueue(const std::string& queue, const std::string& body);
  // Fault switch: every message is delivered twice while on.
  void SetDuplicateDelivery(bool on);
  // Re-check long polls against the clock (after SimClock::Advance in tests).
  void WakeLongPolls();

 private:
  void Handle(const httplib::Request& req, httplib::Response& res);
  SqsQueue* QueueByUrl(const std::string& url);

  SqsConfig config_;
  const SimClock& clock_;
  SigV4Verifier verifier_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<SqsQueue>> queues_;
  bool duplicate_delivery_ = false;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace sandbox::sqs

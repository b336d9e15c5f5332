#include "sandbox/sqs/sqs_server.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "sandbox/conformance/loopback_listener.hpp"
#include "sandbox/sqs/random_id.hpp"

namespace sandbox::sqs {
namespace {

constexpr const char* kJsonType = "application/x-amz-json-1.0";
constexpr int kMaxWaitSeconds = 20;
constexpr int kMaxLongPolls = 64;
constexpr int kMaxVisibilitySeconds = static_cast<int>(SqsQueue::kMaxVisibility.count());

// An SQS error: HTTP status, the JSON 1.0 `__type`, and the awsQueryCompatible legacy code.
struct SqsError {
  int status;
  std::string type;
  std::string query_code;
  std::string message;
};

SqsError QueueMissing() {
  return {400, "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
          "The specified queue does not exist."};
}

SqsError InvalidParameter(const std::string& message) {
  return {400, "com.amazonaws.sqs#InvalidParameterValue", "InvalidParameterValue", message};
}

SqsError MissingParameter(const std::string& name) {
  return {400, "com.amazonaws.sqs#MissingParameter", "MissingParameter",
          "The request must contain the parameter " + name + "."};
}

SqsError HandleInvalid(const std::string& handle) {
  return {400, "com.amazonaws.sqs#ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
          "The input receipt handle \"" + handle + "\" is not a valid receipt handle."};
}

void Reply(httplib::Response& res, const nlohmann::json& body) {
  res.status = 200;
  res.set_content(body.dump(), kJsonType);
}

void Fail(httplib::Response& res, const SqsError& e) {
  res.status = e.status;
  res.set_header("x-amzn-query-error", e.query_code + ";Sender");
  res.set_content(nlohmann::json{{"__type", e.type}, {"message", e.message}}.dump(), kJsonType);
}

// Integer member in [lo, hi], default when absent; error text otherwise.
std::optional<std::string> ReadInt(const nlohmann::json& body, const std::string& name, int lo,
                                   int hi, int& out) {
  if (!body.contains(name)) return std::nullopt;
  if (!body[name].is_number_integer() || body[name].get<int64_t>() < lo ||
      body[name].get<int64_t>() > hi) {
    return "Value " + body[name].dump() + " for parameter " + name +
           " is invalid. Reason: Must be between " + std::to_string(lo) + " and " +
           std::to_string(hi) + ", if provided.";
  }
  out = body[name].get<int>();
  return std::nullopt;
}

std::string EpochMillis(SimTime t) { return std::to_string(t.time_since_epoch().count()); }

nlohmann::json Attributes(const ReceivedMessage& m, const nlohmann::json& body) {
  std::vector<std::string> wanted;
  for (const char* key : {"MessageSystemAttributeNames", "AttributeNames"}) {
    if (body.contains(key) && body[key].is_array()) {
      for (const auto& n : body[key]) {
        if (n.is_string()) wanted.push_back(n.get<std::string>());
      }
    }
  }
  auto want = [&](const std::string& n) {
    return std::find(wanted.begin(), wanted.end(), n) != wanted.end() ||
           std::find(wanted.begin(), wanted.end(), "All") != wanted.end();
  };
  nlohmann::json out = nlohmann::json::object();
  if (want("ApproximateReceiveCount"))
    out["ApproximateReceiveCount"] = std::to_string(m.receive_count);
  if (want("SentTimestamp")) out["SentTimestamp"] = EpochMillis(m.sent);
  if (want("ApproximateFirstReceiveTimestamp")) {
    out["ApproximateFirstReceiveTimestamp"] = EpochMillis(m.first_receive);
  }
  return out;
}

void SendMessage(SqsQueue& queue, const nlohmann::json& body, httplib::Response& res) {
  if (!body.contains("MessageBody") || !body["MessageBody"].is_string()) {
    return Fail(res, MissingParameter("MessageBody"));
  }
  int delay = 0;
  if (auto e = ReadInt(body, "DelaySeconds", 0, 900, delay)) return Fail(res, InvalidParameter(*e));
  const std::string text = body["MessageBody"].get<std::string>();
  std::string id = queue.Send(text, std::chrono::seconds(delay));
  Reply(res, {{"MD5OfMessageBody", Md5Hex(text)}, {"MessageId", id}});
}

void ReceiveMessage(SqsQueue& queue, const nlohmann::json& body, httplib::Response& res) {
  int max = 1, wait = 0, visibility = -1;
  if (auto e = ReadInt(body, "MaxNumberOfMessages", 1, 10, max)) {
    return Fail(res, InvalidParameter(*e));
  }
  if (auto e = ReadInt(body, "WaitTimeSeconds", 0, kMaxWaitSeconds, wait)) {
    return Fail(res, InvalidParameter(*e));
  }
  if (auto e = ReadInt(body, "VisibilityTimeout", 0, kMaxVisibilitySeconds, visibility)) {
    return Fail(res, InvalidParameter(*e));
  }
  std::optional<std::chrono::seconds> vt;
  if (visibility >= 0) vt = std::chrono::seconds(visibility);
  auto got = queue.Receive(max, vt, std::chrono::seconds(wait));
  nlohmann::json out = nlohmann::json::object();
  for (const auto& m : got) {
    nlohmann::json msg = {{"MessageId", m.message_id},
                          {"ReceiptHandle", m.receipt_handle},
                          {"MD5OfBody", m.md5_of_body},
                          {"Body", m.body}};
    auto attrs = Attributes(m, body);
    if (!attrs.empty()) msg["Attributes"] = attrs;
    out["Messages"].push_back(std::move(msg));
  }
  Reply(res, out);
}

void DeleteMessage(SqsQueue& queue, const nlohmann::json& body, httplib::Response& res) {
  const std::string handle = body.value("ReceiptHandle", "");
  if (handle.empty()) return Fail(res, MissingParameter("ReceiptHandle"));
  // A stale handle is accepted without deleting: the message was received again since.
  if (queue.Delete(handle) == HandleResult::kInvalid) return Fail(res, HandleInvalid(handle));
  Reply(res, nlohmann::json::object());
}

void ChangeMessageVisibility(SqsQueue& queue, const nlohmann::json& body, httplib::Response& res) {
  const std::string handle = body.value("ReceiptHandle", "");
  if (handle.empty()) return Fail(res, MissingParameter("ReceiptHandle"));
  if (!body.contains("VisibilityTimeout")) return Fail(res, MissingParameter("VisibilityTimeout"));
  int timeout = 0;
  if (auto e = ReadInt(body, "VisibilityTimeout", 0, kMaxVisibilitySeconds, timeout)) {
    return Fail(res, InvalidParameter(*e));
  }
  switch (queue.ChangeVisibility(handle, std::chrono::seconds(timeout))) {
    case HandleResult::kOk:
    case HandleResult::kStale:
      return Reply(res, nlohmann::json::object());
    case HandleResult::kInvalid:
      return Fail(res, HandleInvalid(handle));
    case HandleResult::kNotInflight:
      return Fail(res, {400, "com.amazonaws.sqs#MessageNotInflight",
                        "AWS.SimpleQueueService.MessageNotInflight",
                        "The message referred to isn't in flight."});
  }
}

}  // namespace

SqsServer::SqsServer(SqsConfig config, const SimClock& clock)
    : config_(std::move(config)),
      clock_(clock),
      verifier_(config_.secrets_by_access_key, config_.region, "sqs") {
  for (const auto& q : config_.queues) AddQueue(q);
  // Long polls hold a worker each; leave room for the short calls next to them.
  server_.new_task_queue = [] { return new httplib::ThreadPool(kMaxLongPolls); };
  server_.Post(".*",
               [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
}

SqsServer::~SqsServer() { Stop(); }

void SqsServer::Start(int port) {
  port_ = conformance::ListenOnLoopback(server_, port, thread_, "SQS");
}

void SqsServer::Stop() {
  {
    std::lock_guard lock(mu_);
    for (auto& [name, q] : queues_) q->Shutdown();
  }
  conformance::StopListening(server_, thread_);
}

std::string SqsServer::QueueUrl(const std::string& queue) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + config_.account_id + "/" + queue;
}

std::string SqsServer::QueueArn(const std::string& queue) const {
  return "arn:aws:sqs:" + config_.region + ":" + config_.account_id + ":" + queue;
}

void SqsServer::AddQueue(const std::string& name) {
  std::lock_guard lock(mu_);
  if (queues_.count(name)) return;
  auto q = std::make_unique<SqsQueue>(name, clock_, config_.default_visibility);
  q->SetDuplicateDelivery(duplicate_delivery_);
  queues_.emplace(name, std::move(q));
}

SqsQueue* SqsServer::Queue(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = queues_.find(name);
  return it == queues_.end() ? nullptr : it->second.get();
}

std::optional<std::string> SqsServer::Enqueue(const std::string& queue, const std::string& body) {
  SqsQueue* q = Queue(queue);
  if (q == nullptr) return std::nullopt;
  return q->Send(body);
}

void SqsServer::SetDuplicateDelivery(bool on) {
  std::lock_guard lock(mu_);
  duplicate_delivery_ = on;
  for (auto& [name, q] : queues_) q->SetDuplicateDelivery(on);
}

void SqsServer::WakeLongPolls() {
  std::lock_guard lock(mu_);
  for (auto& [name, q] : queues_) q->Wake();
}

void SqsServer::Handle(const httplib::Request& req, httplib::Response& res) {
  res.set_header("x-amzn-RequestId", NewUuid());
  SignableRequest signable;
  signable.method = req.method;
  const auto q = req.target.find('?');
  signable.path = req.target.substr(0, q);
  if (q != std::string::npos) signable.query = req.target.substr(q + 1);
  signable.headers.assign(req.headers.begin(), req.headers.end());
  signable.body = req.body;
  if (auto rejected = verifier_.Verify(signable, clock_.Now())) {
    Fail(res, {rejected->http_status, "com.amazon.coral.service#" + rejected->code, rejected->code,
               rejected->message});
    return;
  }
  const std::string target = req.get_header_value("X-Amz-Target");
  auto body = nlohmann::json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    Fail(res, {400, "com.amazon.coral.service#SerializationException", "SerializationException",
               "Start of structure or map found where not expected."});
    return;
  }
  if (target == "AmazonSQS.GetQueueUrl") {
    const std::string name = body.value("QueueName", "");
    if (name.empty()) return Fail(res, MissingParameter("QueueName"));
    if (Queue(name) == nullptr) return Fail(res, QueueMissing());
    return Reply(res, {{"QueueUrl", QueueUrl(name)}});
  }
  using Operation = void (*)(SqsQueue&, const nlohmann::json&, httplib::Response&);
  static const std::map<std::string, Operation> kOperations = {
      {"AmazonSQS.SendMessage", &SendMessage},
      {"AmazonSQS.ReceiveMessage", &ReceiveMessage},
      {"AmazonSQS.DeleteMessage", &DeleteMessage},
      {"AmazonSQS.ChangeMessageVisibility", &ChangeMessageVisibility}};
  auto op = kOperations.find(target);
  if (op == kOperations.end()) {
    return Fail(res, {400, "com.amazon.coral.service#UnknownOperationException",
                      "UnknownOperationException", "Unknown operation " + target});
  }
  const std::string url = body.value("QueueUrl", "");
  if (url.empty()) return Fail(res, MissingParameter("QueueUrl"));
  SqsQueue* queue = QueueByUrl(url);
  if (queue == nullptr) return Fail(res, QueueMissing());
  op->second(*queue, body, res);
}

SqsQueue* SqsServer::QueueByUrl(const std::string& url) {
  // Any host (clients may keep the real sqs.<region>.amazonaws.com URL with an endpoint
  // override); the path must be /<account>/<queue> of this server.
  const std::string prefix = "/" + config_.account_id + "/";
  const auto scheme = url.find("//");
  const auto at = url.find(prefix, scheme == std::string::npos ? 0 : scheme + 2);
  return at == std::string::npos ? nullptr : Queue(url.substr(at + prefix.size()));
}

}  // namespace sandbox::sqs

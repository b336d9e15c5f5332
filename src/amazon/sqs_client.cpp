#include "amazon/sqs_client.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "log/log.hpp"

namespace mb::amazon {

namespace {

using nlohmann::json;

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0F];
  }
  return out;
}

// As the AWS SDKs do: cut at the first ':' and keep what follows the last '#'.
std::string SanitizeErrorCode(std::string code) {
  if (auto colon = code.find(':'); colon != std::string::npos) code.resize(colon);
  if (auto hash = code.rfind('#'); hash != std::string::npos) code = code.substr(hash + 1);
  return code;
}

ErrorCode CodeFor(int status, const std::string& code) {
  if (code == "RequestThrottled" || code == "ThrottlingException" || code == "KmsThrottled" ||
      status == 429) {
    return ErrorCode::kThrottled;
  }
  if (status >= 500) return ErrorCode::kUnavailable;
  if (code == "InvalidSignatureException" || code == "UnrecognizedClientException" ||
      code == "InvalidClientTokenId" || code == "ExpiredToken" || code == "ExpiredTokenException" ||
      code == "AccessDeniedException" || code == "AccessDenied" || code == "InvalidSecurity" ||
      status == 401 || status == 403) {
    return ErrorCode::kUnauthorized;
  }
  if (code == "QueueDoesNotExist" || code == "NonExistentQueue") return ErrorCode::kNotFound;
  if (code == "MessageNotInflight") return ErrorCode::kConflict;
  return ErrorCode::kRejected;
}

}  // namespace

std::string SqsRegionFromQueueUrl(const std::string& queue_url) {
  const auto scheme = queue_url.find("://");
  if (scheme == std::string::npos) return "";
  const auto host_start = scheme + 3;
  const auto host = queue_url.substr(host_start, queue_url.find('/', host_start) - host_start);
  constexpr std::string_view kPrefix = "sqs.";
  constexpr std::string_view kSuffix = ".amazonaws.com";
  if (host.rfind(kPrefix, 0) != 0 || host.size() <= kPrefix.size() + kSuffix.size() ||
      host.compare(host.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return "";
  }
  return host.substr(kPrefix.size(), host.size() - kPrefix.size() - kSuffix.size());
}

Result<std::unique_ptr<SqsClient>> SqsClient::Create(HttpClient& http, const Clock& clock,
                                                     SqsSettings settings) {
  const auto scheme = settings.queue_url.find("://");
  const auto path =
      scheme == std::string::npos ? std::string::npos : settings.queue_url.find('/', scheme + 3);
  if (path == std::string::npos) {
    return Fail(ErrorCode::kConfigError,
                "sqs: amazon.sqs_queue_url must look like "
                "https://sqs.<region>.amazonaws.com/<account>/<queue>");
  }
  if (settings.region.empty()) settings.region = SqsRegionFromQueueUrl(settings.queue_url);
  if (settings.region.empty()) {
    return Fail(ErrorCode::kConfigError,
                "sqs: cannot tell the AWS region from the queue URL; set amazon.sqs_region");
  }
  if (settings.credentials.access_key_id.empty() ||
      settings.credentials.secret_access_key.empty()) {
    return Fail(ErrorCode::kConfigError,
                "sqs: set amazon.aws_access_key_id and amazon.aws_secret_access_key");
  }
  std::string endpoint = settings.queue_url.substr(0, path) + "/";
  return std::unique_ptr<SqsClient>(
      new SqsClient(http, clock, std::move(settings), std::move(endpoint)));
}

SqsClient::SqsClient(HttpClient& http, const Clock& clock, SqsSettings settings,
                     std::string endpoint)
    : http_(http),
      clock_(clock),
      settings_(std::move(settings)),
      endpoint_(std::move(endpoint)),
      signer_(settings_.credentials, settings_.region, "sqs") {}

Result<std::string> SqsClient::Call(const std::string& action, const std::string& body,
                                    Duration timeout) {
  HttpRequest request(HttpMethod::kPost, endpoint_, "sqs." + action);
  request.headers.Set("Content-Type", "application/x-amz-json-1.0");
  request.headers.Set("X-Amz-Target", "AmazonSQS." + action);
  request.body = body;
  request.timeout = timeout;
  // Receive hands out a message at most once per visibility window, Delete and visibility changes
  // are idempotent on the receipt handle: all three may be retried.
  request.retry_safe = true;
  request.long_poll = action == "ReceiveMessage";
  if (auto signed_ok = signer_.SignRequest(request, clock_.Now()); !signed_ok) {
    return tl::unexpected(signed_ok.error());
  }
  auto response = http_.Send(request);
  if (!response) {
    return Fail(response.error().code, "sqs: " + action + " failed: " + response.error().message);
  }
  if (response->ok()) return std::move(response->body);
  const auto error = json::parse(response->body, nullptr, false);
  std::string code(response->headers.Find("X-Amzn-Errortype").value_or(""));
  std::string message;
  if (error.is_object()) {
    if (code.empty()) code = error.value("code", error.value("__type", ""));
    message = error.value("message", error.value("Message", ""));
  }
  code = SanitizeErrorCode(code);
  std::string text = "sqs: " + action + " returned " + std::to_string(response->status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += ": " + message;
  if (auto id = response->headers.Find("x-amzn-RequestId"))
    text += " [request id " + std::string(*id) + "]";
  return Fail(CodeFor(response->status, code), std::move(text));
}

Result<std::vector<QueueMessage>> SqsClient::Receive(int max_messages, Duration wait) {
  const auto wait_seconds =
      std::clamp<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(wait).count(), 0, 20);
  json body = {{"QueueUrl", settings_.queue_url},
               {"MaxNumberOfMessages", std::clamp(max_messages, 1, 10)},
               {"WaitTimeSeconds", wait_seconds},
               {"MessageSystemAttributeNames", {"ApproximateReceiveCount", "SentTimestamp"}}};
  if (settings_.visibility_timeout.count() > 0) {
    body["VisibilityTimeout"] =
        std::chrono::duration_cast<std::chrono::seconds>(settings_.visibility_timeout).count();
  }
  // The HTTP timeout must outlast the long poll.
  auto text = Call("ReceiveMessage", body.dump(),
                   std::chrono::seconds(wait_seconds) + std::chrono::seconds(10));
  if (!text) return tl::unexpected(text.error());
  std::vector<QueueMessage> out;
  const auto response = json::parse(*text, nullptr, false);
  if (text->empty() || (response.is_object() && !response.contains("Messages"))) return out;
  if (!response.is_object() || !response["Messages"].is_array()) {
    return Fail(ErrorCode::kMalformedResponse,
                "sqs: ReceiveMessage answer is not the JSON protocol");
  }
  int corrupt = 0;
  for (const auto& m : response["Messages"]) {
    if (!m.is_object() || !m.contains("ReceiptHandle") || !m.contains("Body") ||
        !m["Body"].is_string()) {
      ++corrupt;
      continue;
    }
    QueueMessage message;
    message.message_id = m.value("MessageId", "");
    message.receipt_handle = m.value("ReceiptHandle", "");
    message.body = m["Body"].get<std::string>();
    if (m.contains("MD5OfBody") && m.value("MD5OfBody", "") != Md5Hex(message.body)) {
      ++corrupt;
      continue;
    }
    if (m.contains("Attributes") && m["Attributes"].is_object()) {
      const auto& attributes = m["Attributes"];
      // Numbers arrive as strings; epoch milliseconds for timestamps.
      try {
        if (attributes.contains("ApproximateReceiveCount")) {
          message.receive_count =
              std::stoi(attributes["ApproximateReceiveCount"].get<std::string>());
        }
        if (attributes.contains("SentTimestamp")) {
          message.sent_at =
              TimePoint(Duration(std::stoll(attributes["SentTimestamp"].get<std::string>())));
        }
      } catch (const std::exception&) {
        // An unreadable attribute does not make the notification unusable.
      }
    }
    out.push_back(std::move(message));
  }
  if (corrupt > 0) {
    corrupt_messages_ += corrupt;
    log::Get("amazon")->warn("sqs: dropped {} message(s) whose body did not match MD5OfBody",
                             corrupt);
  }
  return out;
}

Status SqsClient::Delete(const std::string& receipt_handle) {
  auto text =
      Call("DeleteMessage",
           json{{"QueueUrl", settings_.queue_url}, {"ReceiptHandle", receipt_handle}}.dump(),
           std::chrono::seconds(30));
  if (!text) return tl::unexpected(text.error());
  return {};
}

Status SqsClient::ChangeVisibility(const std::string& receipt_handle, Duration visibility) {
  const auto seconds = std::clamp<int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(visibility).count(), 0, 43200);
  auto text = Call("ChangeMessageVisibility",
                   json{{"QueueUrl", settings_.queue_url},
                        {"ReceiptHandle", receipt_handle},
                        {"VisibilityTimeout", seconds}}
                       .dump(),
                   std::chrono::seconds(30));
  if (!text) return tl::unexpected(text.error());
  return {};
}

}  // namespace mb::amazon

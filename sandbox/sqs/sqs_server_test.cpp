// SQS semantics over real HTTP on loopback, every request SigV4-signed; the sandbox clock is
// frozen and moved by Advance(), so visibility timeouts and long polls are deterministic.
#include "sandbox/sqs/sqs_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <future>

namespace sandbox::sqs {
namespace {

using namespace std::chrono_literals;

const std::string kKey = "AKIDSANDBOX";
const std::string kSecret = "sandbox-secret";

// Waits (bounded) for a condition another thread makes true.
template <typename Pred>
bool WaitUntil(Pred pred, std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string query_error;
};

// A minimal SQS JSON client that signs like the AWS SDKs (content-type, host, x-amz-date,
// x-amz-target).
class SignedClient {
 public:
  SignedClient(int port, const SimClock& clock, std::string key, std::string secret)
      : port_(port), clock_(clock), key_(std::move(key)), secret_(std::move(secret)) {}

  Reply Call(const std::string& operation, const nlohmann::json& input,
             std::chrono::milliseconds date_offset = 0ms, bool sign = true) {
    const std::string host = "127.0.0.1:" + std::to_string(port_);
    const std::string amz_date = FormatAmzDate(clock_.Now() + date_offset);
    SignableRequest req;
    req.method = "POST";
    req.body = input.dump();
    req.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                   {"Host", host},
                   {"X-Amz-Date", amz_date},
                   {"X-Amz-Target", "AmazonSQS." + operation}};
    httplib::Headers headers = {
        {"Host", host}, {"X-Amz-Date", amz_date}, {"X-Amz-Target", "AmazonSQS." + operation}};
    if (sign) {
      headers.emplace("Authorization",
                      AuthorizationFor(req, key_, secret_, "eu-west-1", "sqs", amz_date));
    }
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(30);
    auto res = client.Post("/", headers, req.body, "application/x-amz-json-1.0");
    if (!res) return {};
    Reply out{res->status, nlohmann::json::parse(res->body, nullptr, false),
              res->get_header_value("x-amzn-query-error")};
    EXPECT_FALSE(res->get_header_value("x-amzn-RequestId").empty());
    return out;
  }

 private:
  int port_;
  const SimClock& clock_;
  std::string key_;
  std::string secret_;
};

class SqsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    url_ = server_.QueueUrl("notifications");
    client_ = std::make_unique<SignedClient>(server_.port(), clock_, kKey, kSecret);
  }
  void TearDown() override { server_.Stop(); }

  Reply Receive(int max, int wait = 0, std::optional<int> visibility = std::nullopt) {
    nlohmann::json in = {
        {"QueueUrl", url_},
        {"MaxNumberOfMessages", max},
        {"WaitTimeSeconds", wait},
        {"MessageSystemAttributeNames", {"ApproximateReceiveCount", "SentTimestamp"}}};
    if (visibility) in["VisibilityTimeout"] = *visibility;
    return client_->Call("ReceiveMessage", in);
  }
  Reply Delete(const std::string& handle) {
    return client_->Call("DeleteMessage", {{"QueueUrl", url_}, {"ReceiptHandle", handle}});
  }
  static size_t Count(const Reply& r) {
    return r.body.contains("Messages") ? r.body["Messages"].size() : 0;
  }

  SimClock clock_{SimTime(std::chrono::hours(24 * 20000)), 0.0};
  SqsServer server_{SqsConfig{"eu-west-1", "123456789012", {{kKey, kSecret}}, {"notifications"}},
                    clock_};
  std::string url_;
  std::unique_ptr<SignedClient> client_;
};

using SqsOverHttp = SqsServerTest;

TEST_F(SqsOverHttp, SendReceiveDeleteWithMd5AndAttributes) {
  auto sent = client_->Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "{\"a\":1}"}});
  ASSERT_EQ(sent.status, 200);
  EXPECT_EQ(sent.body["MD5OfMessageBody"], Md5Hex("{\"a\":1}"));
  auto got = Receive(10);
  ASSERT_EQ(got.status, 200);
  ASSERT_EQ(Count(got), 1u);
  const auto& m = got.body["Messages"][0];
  EXPECT_EQ(m["MessageId"], sent.body["MessageId"]);
  EXPECT_EQ(m["Body"], "{\"a\":1}");
  EXPECT_EQ(m["MD5OfBody"], Md5Hex("{\"a\":1}"));
  EXPECT_EQ(m["Attributes"]["ApproximateReceiveCount"], "1");
  EXPECT_EQ(m["Attributes"]["SentTimestamp"],
            std::to_string(clock_.Now().time_since_epoch().count()));
  EXPECT_EQ(Delete(m["ReceiptHandle"]).status, 200);
  clock_.Advance(31s);
  EXPECT_EQ(Count(Receive(10)), 0u);
}

TEST_F(SqsOverHttp, Md5OfBodyIsTheKnownDigest) {
  server_.Enqueue("notifications", "hello");
  auto got = Receive(1);
  ASSERT_EQ(Count(got), 1u);
  EXPECT_EQ(got.body["Messages"][0]["MD5OfBody"], "5d41402abc4b2a76b9719d911017c592");
}

TEST_F(SqsOverHttp, LongPollIsWokenAsSoonAsAMessageArrives) {
  auto started = std::chrono::steady_clock::now();
  auto poll = std::async(std::launch::async, [&] { return Receive(10, 20); });
  ASSERT_TRUE(WaitUntil([&] { return server_.Queue("notifications")->WaitingReceivers() == 1; }));
  server_.Enqueue("notifications", "order changed");
  ASSERT_EQ(poll.wait_for(5s), std::future_status::ready);
  auto got = poll.get();
  ASSERT_EQ(Count(got), 1u);
  EXPECT_EQ(got.body["Messages"][0]["Body"], "order changed");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(SqsOverHttp, LongPollEndsEmptyWhenTheSandboxWaitTimeRunsOut) {
  auto poll = std::async(std::launch::async, [&] { return Receive(10, 20); });
  ASSERT_TRUE(WaitUntil([&] { return server_.Queue("notifications")->WaitingReceivers() == 1; }));
  clock_.Advance(19s);
  server_.WakeLongPolls();
  EXPECT_EQ(poll.wait_for(100ms), std::future_status::timeout);  // 1 s of sandbox time left
  clock_.Advance(1s);
  server_.WakeLongPolls();
  ASSERT_EQ(poll.wait_for(5s), std::future_status::ready);
  auto got = poll.get();
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(Count(got), 0u);
}

TEST_F(SqsOverHttp, UndeletedMessageIsRedeliveredAndOldReceiptHandlesGoStale) {
  server_.Enqueue("notifications", "m1");
  auto first = Receive(1, 0, 30);
  ASSERT_EQ(Count(first), 1u);
  const std::string h1 = first.body["Messages"][0]["ReceiptHandle"];
  EXPECT_EQ(Count(Receive(1)), 0u) << "in flight: hidden until the visibility timeout";
  clock_.Advance(29s);
  EXPECT_EQ(Count(Receive(1)), 0u);
  clock_.Advance(1s);
  auto second = Receive(1, 0, 30);
  ASSERT_EQ(Count(second), 1u);
  const std::string h2 = second.body["Messages"][0]["ReceiptHandle"];
  EXPECT_NE(h1, h2);
  EXPECT_EQ(second.body["Messages"][0]["MessageId"], first.body["Messages"][0]["MessageId"]);
  EXPECT_EQ(second.body["Messages"][0]["Attributes"]["ApproximateReceiveCount"], "2");
  // The stale handle is accepted (as SQS does) but deletes nothing.
  EXPECT_EQ(Delete(h1).status, 200);
  clock_.Advance(30s);
  auto third = Receive(1);
  ASSERT_EQ(Count(third), 1u);
  EXPECT_EQ(third.body["Messages"][0]["Attributes"]["ApproximateReceiveCount"], "3");
  EXPECT_EQ(Delete(third.body["Messages"][0]["ReceiptHandle"]).status, 200);
  clock_.Advance(60s);
  EXPECT_EQ(Count(Receive(1)), 0u);
}

TEST_F(SqsOverHttp, ChangeMessageVisibility) {
  server_.Enqueue("notifications", "m1");
  auto got = Receive(1, 0, 300);
  const std::string h = got.body["Messages"][0]["ReceiptHandle"];
  auto change = [&](int vt) {
    return client_->Call("ChangeMessageVisibility",
                         {{"QueueUrl", url_}, {"ReceiptHandle", h}, {"VisibilityTimeout", vt}});
  };
  EXPECT_EQ(change(0).status, 200);
  auto again = change(10);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body["__type"], "com.amazonaws.sqs#MessageNotInflight");
  EXPECT_EQ(Count(Receive(1)), 1u) << "visibility 0 made it visible at once";
  auto bogus =
      client_->Call("ChangeMessageVisibility",
                    {{"QueueUrl", url_}, {"ReceiptHandle", "bogus"}, {"VisibilityTimeout", 5}});
  EXPECT_EQ(bogus.status, 400);
  EXPECT_EQ(bogus.body["__type"], "com.amazonaws.sqs#ReceiptHandleIsInvalid");
  EXPECT_EQ(bogus.query_error, "ReceiptHandleIsInvalid;Sender");
}

TEST_F(SqsOverHttp, MaxNumberOfMessagesIsOneToTen) {
  for (int i = 0; i < 12; ++i) server_.Enqueue("notifications", "m" + std::to_string(i));
  EXPECT_EQ(Count(Receive(10)), 10u);
  EXPECT_EQ(Count(Receive(1)), 1u);
  auto too_many = Receive(11);
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.query_error, "InvalidParameterValue;Sender");
  EXPECT_EQ(Receive(0).status, 400);
  EXPECT_EQ(Receive(1, 21).status, 400) << "WaitTimeSeconds is at most 20";
}

TEST_F(SqsOverHttp, GetQueueUrlAndMissingQueue) {
  auto url = client_->Call("GetQueueUrl", {{"QueueName", "notifications"}});
  EXPECT_EQ(url.status, 200);
  EXPECT_EQ(url.body["QueueUrl"], url_);
  auto missing = client_->Call("GetQueueUrl", {{"QueueName", "nope"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body, nlohmann::json({{"__type", "com.amazonaws.sqs#QueueDoesNotExist"},
                                          {"message", "The specified queue does not exist."}}));
  EXPECT_EQ(missing.query_error, "AWS.SimpleQueueService.NonExistentQueue;Sender");
  // The real AWS URL of the same queue works too (clients with an endpoint override).
  auto real_url = client_->Call(
      "ReceiveMessage",
      {{"QueueUrl", "https://sqs.eu-west-1.amazonaws.com/123456789012/notifications"}});
  EXPECT_EQ(real_url.status, 200);
}

TEST_F(SqsOverHttp, WrongSignatureIsRejectedWith403) {
  SignedClient wrong(server_.port(), clock_, kKey, "not-the-secret");
  auto r = wrong.Call("ReceiveMessage", {{"QueueUrl", url_}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["__type"], "com.amazon.coral.service#SignatureDoesNotMatch");
  EXPECT_EQ(r.query_error, "SignatureDoesNotMatch;Sender");
  EXPECT_NE(r.body["message"].get<std::string>().find("does not match"), std::string::npos);

  auto skewed = client_->Call("ReceiveMessage", {{"QueueUrl", url_}}, -16min);
  EXPECT_EQ(skewed.status, 403);
  EXPECT_EQ(skewed.body["message"].get<std::string>().rfind("Signature expired:", 0), 0u);

  auto unsigned_call = client_->Call("ReceiveMessage", {{"QueueUrl", url_}}, 0ms, false);
  EXPECT_EQ(unsigned_call.status, 403);
  EXPECT_EQ(unsigned_call.query_error, "MissingAuthenticationToken;Sender");

  SignedClient stranger(server_.port(), clock_, "AKIDUNKNOWN", kSecret);
  EXPECT_EQ(stranger.Call("ReceiveMessage", {{"QueueUrl", url_}}).body["__type"],
            "com.amazon.coral.service#InvalidClientTokenId");
}

TEST_F(SqsOverHttp, DuplicateDeliveryFaultDeliversEveryMessageTwice) {
  server_.SetDuplicateDelivery(true);
  server_.Enqueue("notifications", "dup");
  auto got = Receive(10);
  ASSERT_EQ(Count(got), 2u);
  EXPECT_EQ(got.body["Messages"][0]["MessageId"], got.body["Messages"][1]["MessageId"]);
  EXPECT_NE(got.body["Messages"][0]["ReceiptHandle"], got.body["Messages"][1]["ReceiptHandle"]);
  server_.SetDuplicateDelivery(false);
  server_.Enqueue("notifications", "single");
  EXPECT_EQ(Count(Receive(10)), 1u);
}

}  // namespace
}  // namespace sandbox::sqs

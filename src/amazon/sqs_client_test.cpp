#include "amazon/sqs_client.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "amazon/sigv4_signer.hpp"
#include "core/timestamp.hpp"
#include "http/curl_http_client.hpp"
#include "http/fake_http_client.hpp"
#include "http/test_http_server.hpp"

namespace mb::amazon {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr char kQueue[] = "https://sqs.eu-west-1.amazonaws.com/123456789012/spapi-notifications";
constexpr char kBody[] = R"({"NotificationVersion":"1.0","NotificationType":"ORDER_CHANGE"})";

SqsSettings Settings(std::string queue = kQueue) {
  SqsSettings settings;
  settings.queue_url = std::move(queue);
  settings.credentials = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  return settings;
}

std::string Message(const std::string& body, const std::string& md5) {
  return json{
      {"Messages",
       {{{"MessageId", "5fea7756-0ea4-451a-a703-a558b933e274"},
         {"ReceiptHandle", "handle-1"},
         {"MD5OfBody", md5},
         {"Body", body},
         {"Attributes", {{"ApproximateReceiveCount", "3"}, {"SentTimestamp", "1700000000000"}}}}}}}
      .dump();
}

class SqsTest : public ::testing::Test {
 protected:
  FakeClock clock_{MakeTime(2015, 8, 30, 12, 36, 0)};
  http::FakeHttpClient http_;
};

TEST(SqsRegion, FromTheQueueUrl) {
  EXPECT_EQ(SqsRegionFromQueueUrl(kQueue), "eu-west-1");
  EXPECT_EQ(SqsRegionFromQueueUrl("http://127.0.0.1:9324/000/q"), "");
}

TEST_F(SqsTest, CreateRefusesUnusableSettings) {
  EXPECT_EQ(SqsClient::Create(http_, clock_, Settings("not a url")).error().code,
            ErrorCode::kConfigError);
  EXPECT_EQ(SqsClient::Create(http_, clock_, Settings("http://127.0.0.1:9/1/q")).error().code,
            ErrorCode::kConfigError);
  auto no_keys = Settings();
  no_keys.credentials = {};
  EXPECT_EQ(SqsClient::Create(http_, clock_, no_keys).error().code, ErrorCode::kConfigError);
}

TEST_F(SqsTest, ReceiveLongPollsWithASignedJsonRequest) {
  auto client = SqsClient::Create(http_, clock_, Settings());
  ASSERT_TRUE(client);
  http_.PushResponse(200, Message(kBody, "0123456789abcdef0123456789abcdef"));
  http_.PushResponse(200, "{}");
  auto received = (*client)->Receive(10, 20s);
  ASSERT_TRUE(received) << received.error().ToString();
  EXPECT_TRUE(received->empty());  // the MD5 did not match: dropped
  EXPECT_EQ((*client)->corrupt_messages(), 1);

  const auto sent = http_.requests().at(0);
  EXPECT_EQ(sent.method, HttpMethod::kPost);
  EXPECT_EQ(sent.url, "https://sqs.eu-west-1.amazonaws.com/");
  EXPECT_EQ(sent.headers.Find("X-Amz-Target").value_or(""), "AmazonSQS.ReceiveMessage");
  EXPECT_EQ(sent.headers.Find("Content-Type").value_or(""), "application/x-amz-json-1.0");
  EXPECT_EQ(sent.headers.Find("X-Amz-Date").value_or(""), "20150830T123600Z");
  EXPECT_EQ(
      sent.headers.Find("Authorization")
          .value_or("")
          .rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/sqs/aws4_request, "
                 "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=",
                 0),
      0u);
  EXPECT_GE(sent.timeout, 20s);
  const auto body = json::parse(sent.body);
  EXPECT_EQ(body["QueueUrl"], kQueue);
  EXPECT_EQ(body["MaxNumberOfMessages"], 10);
  EXPECT_EQ(body["WaitTimeSeconds"], 20);
  EXPECT_EQ(body["VisibilityTimeout"], 60);

  // An empty poll answers {} or an empty list.
  auto empty = (*client)->Receive(10, 20s);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST_F(SqsTest, ReadsMessagesWhoseBodyMatchesItsMd5) {
  auto client = SqsClient::Create(http_, clock_, Settings());
  ASSERT_TRUE(client);
  // md5 of kBody, computed independently: `printf '%s' BODY | md5sum`.
  http_.PushResponse(200, Message(kBody, "369ec0077dca0c68afb3238106b2e040"));
  auto received = (*client)->Receive(5, 0s);
  ASSERT_TRUE(received) << received.error().ToString();
  ASSERT_EQ(received->size(), 1u);
  const auto& m = (*received)[0];
  EXPECT_EQ(m.body, kBody);
  EXPECT_EQ(m.receipt_handle, "handle-1");
  EXPECT_EQ(m.receive_count, 3);
  EXPECT_EQ(m.sent_at, TimePoint(Duration(1700000000000)));
}

TEST_F(SqsTest, DeleteAndChangeVisibility) {
  auto client = SqsClient::Create(http_, clock_, Settings());
  ASSERT_TRUE(client);
  http_.PushResponse(200, "");
  http_.PushResponse(200, "{}");
  ASSERT_TRUE((*client)->Delete("handle-1"));
  ASSERT_TRUE((*client)->ChangeVisibility("handle-1", 0s));
  const auto sent = http_.requests();
  EXPECT_EQ(sent[0].headers.Find("X-Amz-Target").value_or(""), "AmazonSQS.DeleteMessage");
  EXPECT_EQ(json::parse(sent[0].body), (json{{"QueueUrl", kQueue}, {"ReceiptHandle", "handle-1"}}));
  EXPECT_EQ(sent[1].headers.Find("X-Amz-Target").value_or(""), "AmazonSQS.ChangeMessageVisibility");
  EXPECT_EQ(json::parse(sent[1].body)["VisibilityTimeout"], 0);
}

TEST_F(SqsTest, MapsAwsErrors) {
  auto client = SqsClient::Create(http_, clock_, Settings());
  ASSERT_TRUE(client);
  http_.PushResponse(
      400,
      R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})",
      HttpHeaders{{"x-amzn-RequestId", "66916324"}});
  auto missing = (*client)->Receive(1, 0s);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message,
            "sqs: ReceiveMessage returned 400 QueueDoesNotExist: The specified queue does not "
            "exist. [request id 66916324]");
  http_.PushResponse(
      400,
      R"({"__type":"com.amazon.coral.service#InvalidSignatureException","message":"Signature expired"})");
  EXPECT_EQ((*client)->Delete("h").error().code, ErrorCode::kUnauthorized);
  http_.PushResponse(400, R"({"message":"slow"})",
                     HttpHeaders{{"X-Amzn-Errortype", "RequestThrottled:http://internal"}});
  EXPECT_EQ((*client)->Delete("h").error().code, ErrorCode::kThrottled);
  http_.PushResponse(503, "");
  EXPECT_EQ((*client)->Delete("h").error().code, ErrorCode::kUnavailable);
  http_.PushResponse(400, R"({"__type":"com.amazonaws.sqs#MessageNotInflight","message":"x"})");
  EXPECT_EQ((*client)->ChangeVisibility("h", 1s).error().code, ErrorCode::kConflict);
}

TEST_F(SqsTest, SignatureVerifiesAtALoopbackServer) {
  // The far end recomputes the signature from what it received, as SQS does.
  http::TestHttpServer server;
  std::string verdict;
  server.server().Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    SigningInput input;
    input.method = "POST";
    input.path = "/";
    for (const char* name : {"Content-Type", "Host", "X-Amz-Date", "X-Amz-Target"}) {
      input.headers.emplace_back(name, req.get_header_value(name));
    }
    input.payload = req.body;
    const SigV4Signer signer({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""},
                             "eu-west-1", "sqs");
    const auto expected = signer.Sign(input, TimePoint{}).authorization;
    verdict = expected == req.get_header_value("Authorization") ? "ok" : "mismatch: " + expected;
    res.set_content("{}", "application/x-amz-json-1.0");
  });
  server.Start();
  http::CurlHttpClient curl;
  auto settings = Settings(server.Url("/123456789012/spapi-notifications"));
  settings.region = "eu-west-1";
  auto client = SqsClient::Create(curl, clock_, settings);
  ASSERT_TRUE(client);
  auto received = (*client)->Receive(1, 0s);
  ASSERT_TRUE(received) << received.error().ToString();
  EXPECT_EQ(verdict, "ok");
}

}  // namespace
}  // namespace mb::amazon

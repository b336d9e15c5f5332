// createDestination / createSubscription over HTTP, then an ORDER_CHANGE delivered into the SQS
// queue the destination names.
#include "sandbox/sqs/notification_subscriptions.hpp"

#include <gtest/gtest.h>

#include "sandbox/conformance/loopback_listener.hpp"

namespace sandbox::sqs {
namespace {

using namespace std::chrono_literals;

const std::string kModels = std::string(MB_SHARED_DIR) + "/reference/amazon/models";

class NotificationSubscriptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqs_.Start();
    subscriptions_.RegisterRoutes(amazon_);
    port_ = conformance::ListenOnLoopback(amazon_, 0, thread_, "test Amazon server");
  }
  void TearDown() override {
    conformance::StopListening(amazon_, thread_);
    sqs_.Stop();
  }
  httplib::Result Post(const std::string& path, const nlohmann::json& body) {
    httplib::Client client("127.0.0.1", port_);
    return client.Post(path.c_str(), body.dump(), "application/json");
  }
  nlohmann::json Check(const httplib::Result& res, int status, const std::string& operation) {
    EXPECT_TRUE(res);
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << res->body;
    auto body = nlohmann::json::parse(res->body);
    auto v = conformance::ModelValidator::Load(kModels + "/notifications.json", operation);
    auto errors = v.ValidateResponse(res->status, body);
    EXPECT_TRUE(errors.empty()) << operation << ": " << errors.front();
    return body;
  }

  SimClock clock_{SimTime(std::chrono::hours(24 * 20000)), 0.0};
  SqsServer sqs_{
      SqsConfig{"eu-west-1", "123456789012", {{"AKID", "secret"}}, {"spapi-notifications"}},
      clock_};
  NotificationSubscriptions subscriptions_{sqs_, clock_, "amzn1.sp.solution.sandbox", kModels};
  httplib::Server amazon_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(NotificationSubscriptionsTest, SubscribedOrderChangeArrivesInTheQueue) {
  auto dest = Check(
      Post("/notifications/v1/destinations",
           {{"name", "engine"},
            {"resourceSpecification", {{"sqs", {{"arn", sqs_.QueueArn("spapi-notifications")}}}}}}),
      200, "createDestination");
  const std::string destination_id = dest["payload"]["destinationId"];
  auto sub = Check(Post("/notifications/v1/subscriptions/ORDER_CHANGE",
                        {{"payloadVersion", "1.0"}, {"destinationId", destination_id}}),
                   200, "createSubscription");
  const std::string subscription_id = sub["payload"]["subscriptionId"];
  Check(Post("/notifications/v1/subscriptions/ORDER_CHANGE",
             {{"payloadVersion", "1.0"}, {"destinationId", destination_id}}),
        409, "createSubscription");

  OrderChangeFacts facts;
  facts.seller_id = "A2ZPJ4TLUOSWY8";
  facts.amazon_order_id = "302-1234567-1234567";
  facts.marketplace_id = "A1PA6795UKMFR9";
  facts.order_status = "Unshipped";
  facts.time_of_order_change = clock_.Now();
  facts.items = {{"1", "SKU-1", std::nullopt, 1, 0, "Unshipped", false}};
  EXPECT_EQ(subscriptions_.PublishOrderChange(facts), 1);

  auto got = sqs_.Queue("spapi-notifications")->Receive(10, std::nullopt, 0ms);
  ASSERT_EQ(got.size(), 1u);
  auto doc = nlohmann::json::parse(got[0].body);
  EXPECT_EQ(doc["NotificationMetadata"]["SubscriptionId"], subscription_id);
  EXPECT_EQ(doc["NotificationMetadata"]["ApplicationId"], "amzn1.sp.solution.sandbox");
  EXPECT_EQ(doc["Payload"]["OrderChangeNotification"]["AmazonOrderId"], "302-1234567-1234567");
}

TEST_F(NotificationSubscriptionsTest, InvalidRequestsGetAmazonsErrorShape) {
  auto missing =
      Check(Post("/notifications/v1/destinations", {{"name", "engine"}}), 400, "createDestination");
  EXPECT_EQ(missing["errors"][0]["code"], "InvalidInput");
  EXPECT_NE(missing["errors"][0]["message"].get<std::string>().find("resourceSpecification"),
            std::string::npos);
  auto bad_arn = Check(
      Post("/notifications/v1/destinations",
           {{"name", "engine"}, {"resourceSpecification", {{"sqs", {{"arn", "not-an-arn"}}}}}}),
      400, "createDestination");
  EXPECT_EQ(bad_arn["errors"][0]["code"], "InvalidInput");
  auto no_dest = Check(Post("/notifications/v1/subscriptions/ORDER_CHANGE",
                            {{"payloadVersion", "1.0"}, {"destinationId", "nope"}}),
                       400, "createSubscription");
  EXPECT_EQ(no_dest["errors"][0]["code"], "InvalidInput");
}

TEST_F(NotificationSubscriptionsTest, NothingIsPublishedWithoutSubscription) {
  OrderChangeFacts facts;
  facts.order_status = "Pending";
  EXPECT_EQ(subscriptions_.PublishOrderChange(facts), 0);
  EXPECT_EQ(sqs_.Queue("spapi-notifications")->VisibleCount(), 0u);
}

}  // namespace
}  // namespace sandbox::sqs

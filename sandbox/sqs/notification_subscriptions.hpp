#pragma once
// The dynamic Notifications API v1 subset the engine uses (SPAPI.md §8): destinations naming an
// SQS queue by ARN and subscriptions per notification type, mounted on the Amazon server by
// RegisterRoutes(). PublishOrderChange() delivers ORDER_CHANGE into every subscribed queue.
// Authentication (x-amz-access-token, grantless tokens) is the mounting server's job.

#include <httplib.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "sandbox/common/sim_clock.hpp"
#include "sandbox/conformance/model_validator.hpp"
#include "sandbox/sqs/order_change_notification.hpp"
#include "sandbox/sqs/sqs_server.hpp"

namespace sandbox::sqs {

struct Destination {
  std::string destination_id;
  std::string name;
  std::string arn;  // arn:aws:sqs:<region>:<account>:<queue>
};

struct Subscription {
  std::string subscription_id;
  std::string notification_type;
  std::string payload_version;
  std::string destination_id;
};

class NotificationSubscriptions {
 public:
  // `models_dir` holds notifications.json (request bodies are validated against it).
  NotificationSubscriptions(SqsServer& sqs, const SimClock& clock, std::string application_id,
                            const std::string& models_dir);

  // POST/GET /notifications/v1/destinations, GET/DELETE …/destinations/{id},
  // POST/GET /notifications/v1/subscriptions/{type}, GET/DELETE …/subscriptions/{type}/{id}.
  void RegisterRoutes(httplib::Server& server);

  // Builds the notification for the ORDER_CHANGE subscription and enqueues it; returns the
  // number of queues it reached (0 without a subscription or when the queue does not exist,
  // which SP-API does not report either).
  int PublishOrderChange(const OrderChangeFacts& facts);

  std::optional<Subscription> FindSubscription(const std::string& notification_type) const;

 private:
  void CreateDestination(const httplib::Request& req, httplib::Response& res);
  void CreateSubscription(const httplib::Request& req, httplib::Response& res);

  SqsServer& sqs_;
  const SimClock& clock_;
  std::string application_id_;
  std::shared_ptr<const conformance::SwaggerModel> model_;  // notifications.json
  conformance::ModelValidator create_destination_;
  conformance::ModelValidator create_subscription_;
  mutable std::mutex mu_;
  std::map<std::string, Destination> destinations_;    // by destinationId
  std::map<std::string, Subscription> subscriptions_;  // by notification type
};

// The queue name of an SQS ARN ("arn:aws:sqs:eu-west-1:123456789012:q" -> "q"), or "".
std::string QueueNameFromArn(const std::string& arn);

}  // namespace sandbox::sqs

#include "sandbox/sqs/notification_subscriptions.hpp"

#include <nlohmann/json.hpp>

#include "sandbox/conformance/amazon_error.hpp"
#include "sandbox/sqs/random_id.hpp"

namespace sandbox::sqs {
namespace {

using conformance::AmazonErrorBody;

void Send(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("x-amzn-RequestId", NewUuid());
  res.set_content(body.dump(), "application/json");
}

nlohmann::json DestinationJson(const Destination& d) {
  return {{"name", d.name},
          {"destinationId", d.destination_id},
          {"resource", {{"sqs", {{"arn", d.arn}}}}}};
}

nlohmann::json SubscriptionJson(const Subscription& s) {
  return {{"subscriptionId", s.subscription_id},
          {"payloadVersion", s.payload_version},
          {"destinationId", s.destination_id}};
}

// The body validated against the operation's model; nullopt after answering 400.
std::optional<nlohmann::json> ValidBody(const conformance::ModelValidator& validator,
                                        const httplib::Request& req, httplib::Response& res,
                                        const conformance::PathParams& params) {
  if (auto rejected = validator.ValidateRequest(conformance::FromHttplib(req), params)) {
    Send(res, rejected->status, rejected->body);
    return std::nullopt;
  }
  return nlohmann::json::parse(req.body);
}

}  // namespace

std::string QueueNameFromArn(const std::string& arn) {
  if (arn.rfind("arn:aws:sqs:", 0) != 0) return "";
  auto last = arn.rfind(':');
  return arn.substr(last + 1);
}

NotificationSubscriptions::NotificationSubscriptions(SqsServer& sqs, const SimClock& clock,
                                                     std::string application_id,
                                                     const std::string& models_dir)
    : sqs_(sqs),
      clock_(clock),
      application_id_(std::move(application_id)),
      model_(conformance::SwaggerModel::Load(models_dir + "/notifications.json")),
      create_destination_(model_, "createDestination"),
      create_subscription_(model_, "createSubscription") {}

void NotificationSubscriptions::RegisterRoutes(httplib::Server& server) {
  server.Post(
      "/notifications/v1/destinations",
      [this](const httplib::Request& req, httplib::Response& res) { CreateDestination(req, res); });
  server.Get("/notifications/v1/destinations",
             [this](const httplib::Request&, httplib::Response& res) {
               std::lock_guard lock(mu_);
               nlohmann::json list = nlohmann::json::array();
               for (const auto& [id, d] : destinations_) list.push_back(DestinationJson(d));
               Send(res, 200, {{"payload", list}});
             });
  server.Get(R"(/notifications/v1/destinations/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               std::lock_guard lock(mu_);
               auto it = destinations_.find(req.matches[1]);
               if (it == destinations_.end()) {
                 return Send(res, 404, AmazonErrorBody("NotFound", "Destination not found"));
               }
               Send(res, 200, {{"payload", DestinationJson(it->second)}});
             });
  server.Delete(R"(/notifications/v1/destinations/([^/]+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::lock_guard lock(mu_);
                  if (destinations_.erase(req.matches[1]) == 0) {
                    return Send(res, 404, AmazonErrorBody("NotFound", "Destination not found"));
                  }
                  Send(res, 200, nlohmann::json::object());
                });
  server.Post(R"(/notifications/v1/subscriptions/([A-Z_]+))",
              [this](const httplib::Request& req, httplib::Response& res) {
                CreateSubscription(req, res);
              });
  server.Get(R"(/notifications/v1/subscriptions/([A-Z_]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               auto s = FindSubscription(req.matches[1]);
               if (!s) return Send(res, 404, AmazonErrorBody("NotFound", "Subscription not found"));
               Send(res, 200, {{"payload", SubscriptionJson(*s)}});
             });
  server.Delete(R"(/notifications/v1/subscriptions/([A-Z_]+)/([^/]+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::lock_guard lock(mu_);
                  auto it = subscriptions_.find(req.matches[1]);
                  if (it == subscriptions_.end() || it->second.subscription_id != req.matches[2]) {
                    return Send(res, 404, AmazonErrorBody("NotFound", "Subscription not found"));
                  }
                  subscriptions_.erase(it);
                  Send(res, 200, nlohmann::json::object());
                });
}

void NotificationSubscriptions::CreateDestination(const httplib::Request& req,
                                                  httplib::Response& res) {
  auto body = ValidBody(create_destination_, req, res, {});
  if (!body) return;
  const auto& spec = (*body)["resourceSpecification"];
  if (!spec.contains("sqs")) {
    return Send(res, 400,
                AmazonErrorBody("InvalidInput", "The sandbox supports only SQS destinations"));
  }
  Destination d{NewUuid(), (*body)["name"].get<std::string>(),
                spec["sqs"]["arn"].get<std::string>()};
  std::lock_guard lock(mu_);
  for (const auto& [id, existing] : destinations_) {
    if (existing.arn == d.arn) {
      return Send(
          res, 409,
          AmazonErrorBody("Conflict", "A destination for " + d.arn + " already exists: " + id));
    }
  }
  destinations_[d.destination_id] = d;
  Send(res, 200, {{"payload", DestinationJson(d)}});
}

void NotificationSubscriptions::CreateSubscription(const httplib::Request& req,
                                                   httplib::Response& res) {
  const std::string type = req.matches[1];
  auto body = ValidBody(create_subscription_, req, res, {{"notificationType", type}});
  if (!body) return;
  Subscription s{NewUuid(), type, (*body)["payloadVersion"].get<std::string>(),
                 (*body)["destinationId"].get<std::string>()};
  std::lock_guard lock(mu_);
  if (!destinations_.count(s.destination_id)) {
    return Send(
        res, 400,
        AmazonErrorBody("InvalidInput", "Destination " + s.destination_id + " does not exist"));
  }
  if (subscriptions_.count(type)) {
    return Send(res, 409,
                AmazonErrorBody("Conflict", "A subscription for " + type + " already exists: " +
                                                subscriptions_[type].subscription_id));
  }
  subscriptions_[type] = s;
  Send(res, 200, {{"payload", SubscriptionJson(s)}});
}

std::optional<Subscription> NotificationSubscriptions::FindSubscription(
    const std::string& notification_type) const {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(notification_type);
  if (it == subscriptions_.end()) return std::nullopt;
  return it->second;
}

int NotificationSubscriptions::PublishOrderChange(const OrderChangeFacts& facts) {
  std::string arn;
  std::string subscription_id;
  {
    std::lock_guard lock(mu_);
    auto s = subscriptions_.find("ORDER_CHANGE");
    if (s == subscriptions_.end()) return 0;
    auto d = destinations_.find(s->second.destination_id);
    if (d == destinations_.end()) return 0;
    arn = d->second.arn;
    subscription_id = s->second.subscription_id;
  }
  const SimTime now = clock_.Now();
  auto doc = BuildOrderChangeNotification(
      facts, NotificationEnvelope{application_id_, subscription_id, NewUuid(), now, now});
  return sqs_.Enqueue(QueueNameFromArn(arn), doc.dump()) ? 1 : 0;
}

}  // namespace sandbox::sqs

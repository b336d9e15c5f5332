// Notifications v1: createDestination (grantless) and createSubscription (notifications.json).
// Both answer `{payload: ...}`.
#include "amazon/amazon_json.hpp"
#include "amazon/lwa_token_provider.hpp"
#include "amazon/sp_api_amazon_api.hpp"

namespace mb::amazon {

namespace {

using nlohmann::json;

const json& Payload(const json& body) {
  static const json kEmpty = json::object();
  return body.is_object() && body.contains("payload") && body["payload"].is_object()
             ? body["payload"]
             : kEmpty;
}

}  // namespace

Result<NotificationDestination> SpApiAmazonApi::CreateDestination(
    const CreateDestinationRequest& request) {
  SpApiRequest call;
  call.method = HttpMethod::kPost;
  call.path = "/notifications/v1/destinations";
  call.body =
      json{{"name", request.name}, {"resourceSpecification", {{"sqs", {{"arn", request.sqs_arn}}}}}}
          .dump();
  call.operation = "createDestination";
  call.priority = CallPriority::kBulk;
  call.grantless_scope = std::string(kNotificationsScope);
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  const json& payload = Payload(*body);
  auto id = JsonString(payload, "destinationId");
  auto name = JsonString(payload, "name");
  if (!id || !name || id->empty()) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: createDestination answer lacks destinationId");
  }
  std::string arn;
  if (payload.contains("resource") && payload["resource"].contains("sqs")) {
    auto parsed = JsonString(payload["resource"]["sqs"], "arn");
    if (parsed) arn = *parsed;
  }
  return NotificationDestination{*id, *name, arn};
}

Result<NotificationSubscription> SpApiAmazonApi::CreateSubscription(
    const CreateSubscriptionRequest& request) {
  json body = {{"payloadVersion", request.payload_version},
               {"destinationId", request.destination_id}};
  if (!request.marketplace_ids.empty() || !request.order_change_types.empty()) {
    json filter = {{"eventFilterType", request.notification_type}};
    if (!request.marketplace_ids.empty()) {
      filter["marketplaceIds"] = json::array();
      for (const auto& m : request.marketplace_ids) filter["marketplaceIds"].push_back(m.value());
    }
    if (!request.order_change_types.empty()) {
      filter["orderChangeTypes"] = request.order_change_types;
    }
    body["processingDirective"] = {{"eventFilter", filter}};
  }
  SpApiRequest call;
  call.method = HttpMethod::kPost;
  call.path = "/notifications/v1/subscriptions/" + PathSegment(request.notification_type);
  call.body = body.dump();
  call.operation = "createSubscription";
  call.priority = CallPriority::kBulk;
  auto response = client_.CallJson(call);
  if (!response) return tl::unexpected(response.error());
  const json& payload = Payload(*response);
  auto id = JsonString(payload, "subscriptionId");
  auto version = JsonString(payload, "payloadVersion");
  auto destination = JsonString(payload, "destinationId");
  if (!id || !version || !destination || id->empty()) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: createSubscription answer lacks subscriptionId");
  }
  return NotificationSubscription{*id, *version, *destination};
}

}  // namespace mb::amazon

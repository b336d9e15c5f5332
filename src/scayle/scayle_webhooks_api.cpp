// Webhook subscriptions: create and list.
#include "scayle/scayle_admin_api.hpp"
#include "scayle/scayle_json.hpp"

namespace mb::scayle {

namespace {

using nlohmann::json;

Result<ScayleWebhookSubscription> ParseSubscription(const json& object) {
  ScayleWebhookSubscription subscription;
  auto id = OptInt(object, "id");
  auto event = OptString(object, "event");
  auto version = OptInt(object, "version");
  auto url = OptString(object, "url");
  if (!id || !event || !version || !url) {
    return Fail(ErrorCode::kMalformedResponse,
                "scayle: webhook subscription does not match the API");
  }
  subscription.id = *id;
  subscription.event = *event;
  subscription.version = static_cast<int>(*version);
  subscription.url = *url;
  if (object.contains("filters") && object["filters"].is_array()) {
    for (const auto& filter : object["filters"]) {
      const auto include = filter.value("/merchantReferenceKeys/include"_json_pointer, json());
      if (!include.is_array()) continue;
      for (const auto& key : include) {
        if (key.is_string()) subscription.merchant_reference_keys.push_back(key);
      }
    }
  }
  return subscription;
}

}  // namespace

Result<ScayleWebhookSubscription> ScayleAdminApi::CreateWebhookSubscription(
    const ScayleWebhookSubscription& subscription) {
  json body = {
      {"event", subscription.event}, {"version", subscription.version}, {"url", subscription.url}};
  if (!subscription.merchant_reference_keys.empty()) {
    body["filters"] = json::array(
        {{{"merchantReferenceKeys", {{"include", subscription.merchant_reference_keys}}}}});
  }
  // The URL carries the webhook credentials: the subject names only the event.
  auto response = client_.Call({HttpMethod::kPost,
                                "/webhooks/subscriptions",
                                {},
                                body.dump(),
                                "createWebhookSubscription",
                                subscription.event});
  if (!response) return tl::unexpected(response.error());
  return ParseSubscription(*response);
}

Result<std::vector<ScayleWebhookSubscription>> ScayleAdminApi::ListWebhookSubscriptions() {
  std::vector<ScayleWebhookSubscription> out;
  auto status =
      client_.ForEachPage({HttpMethod::kGet,
                           "/webhooks/subscriptions",
                           {},
                           std::nullopt,
                           "listWebhookSubscriptions",
                           ""},
                          [&](const json& entities) -> Status {
                            auto parsed = ParseEntities<ScayleWebhookSubscription>(
                                entities, ParseSubscription, "webhook subscriptions");
                            if (!parsed) return tl::unexpected(parsed.error());
                            std::move(parsed->begin(), parsed->end(), std::back_inserter(out));
                            return {};
                          });
  if (!status) return tl::unexpected(status.error());
  return out;
}

}  // namespace mb::scayle

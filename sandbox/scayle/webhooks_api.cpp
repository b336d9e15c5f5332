// /webhooks/events and /webhooks/subscriptions (ADMIN_API.md §7).
#include <algorithm>

#include "sandbox/scayle/routes.hpp"

namespace sandbox::scayle {

namespace {

Json SubscriptionJson(const Subscription& s) {
  return {{"id", s.id},
          {"event", s.event},
          {"version", s.version},
          {"url", MaskUrlCredentials(s.url)},
          {"filters", s.filters}};
}

tl::expected<int64_t, ApiError> SubscriptionId(const std::string& text) {
  auto id = ParseIdentifier(text);
  if (!id || !id->id)
    return tl::unexpected(NotFound("WEBHOOK_SUBSCRIPTION_NOT_FOUND", "subscription " + text));
  return *id->id;
}

bool ValidUrl(const Json& url) {
  return url.is_string() && ParseUrl(url.get<std::string>()).has_value();
}

}  // namespace

void RegisterWebhookRoutes(ApiRouter& router, WebhookHub& hub) {
  router.Get("/webhooks/events", "globalRead", [](const auto&, const auto&) -> ApiResult {
    Json entities = Json::array();
    for (const auto& e : KnownWebhookEvents()) {
      entities.push_back({{"event", e},
                          {"version", 1},
                          {"description", "Sandbox emulation of " + e},
                          {"isDeprecated", false},
                          {"supportedFilters", {{"merchants", true}}}});
    }
    return Reply{200, {{"entities", std::move(entities)}}};
  });
  router.Get("/webhooks/subscriptions", "globalRead",
             [&hub](const auto&, const auto&) -> ApiResult {
               Json entities = Json::array();
               for (const auto& s : hub.Subscriptions()) entities.push_back(SubscriptionJson(s));
               return Reply{200, {{"entities", std::move(entities)}}};
             });
  router.Post(
      "/webhooks/subscriptions", "globalWrite",
      [&hub](const httplib::Request& req, const auto&) -> ApiResult {
        auto body = ParseJsonBody(req);
        if (!body) return tl::unexpected(body.error());
        const auto& events = KnownWebhookEvents();
        std::string event = body->is_object() ? body->value("event", "") : "";
        if (event == "order-cancelled") event = "order-canceled";
        if (std::find(events.begin(), events.end(), event) == events.end()) {
          return tl::unexpected(ApiError{
              400, "VALIDATION_ERROR", "unknown event '" + event + "' (see GET /webhooks/events)"});
        }
        if (!ValidUrl(body->value("url", Json()))) {
          return tl::unexpected(ApiError{400, "VALIDATION_ERROR", "url must be an http(s) URL"});
        }
        auto s =
            hub.Subscribe(body->value("event", ""), body->value("version", 1),
                          (*body)["url"].get<std::string>(), body->value("filters", Json::array()));
        return Reply{201, SubscriptionJson(s)};
      });
  router.Get("/webhooks/subscriptions/{id}", "globalRead",
             [&hub](const auto&, const auto& params) -> ApiResult {
               auto id = SubscriptionId(params[0]);
               if (!id) return tl::unexpected(id.error());
               auto s = hub.FindSubscription(*id);
               if (!s)
                 return tl::unexpected(
                     NotFound("WEBHOOK_SUBSCRIPTION_NOT_FOUND", "subscription " + params[0]));
               return Reply{200, SubscriptionJson(*s)};
             });
  router.Patch(
      "/webhooks/subscriptions/{id}", "globalWrite",
      [&hub](const httplib::Request& req, const auto& params) -> ApiResult {
        auto id = SubscriptionId(params[0]);
        if (!id) return tl::unexpected(id.error());
        auto body = ParseJsonBody(req);
        if (!body) return tl::unexpected(body.error());
        if (!body->is_object())
          return tl::unexpected(ApiError{400, "VALIDATION_ERROR", "body must be an object"});
        std::optional<std::string> url;
        if (body->contains("url")) {
          if (!ValidUrl((*body)["url"])) {
            return tl::unexpected(ApiError{400, "VALIDATION_ERROR", "url must be an http(s) URL"});
          }
          url = (*body)["url"].get<std::string>();
        }
        auto s = hub.UpdateSubscription(*id, url, body->value("filters", Json()));
        if (!s)
          return tl::unexpected(
              NotFound("WEBHOOK_SUBSCRIPTION_NOT_FOUND", "subscription " + params[0]));
        return Reply{200, SubscriptionJson(*s)};
      });
  router.Delete("/webhooks/subscriptions/{id}", "globalWrite",
                [&hub](const auto&, const auto& params) -> ApiResult {
                  auto id = SubscriptionId(params[0]);
                  if (!id) return tl::unexpected(id.error());
                  if (!hub.Unsubscribe(*id))
                    return tl::unexpected(
                        NotFound("WEBHOOK_SUBSCRIPTION_NOT_FOUND", "subscription " + params[0]));
                  return Reply{204, nullptr};
                });
}

}  // namespace sandbox::scayle

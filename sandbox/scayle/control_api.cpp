// The sandbox's own control and inspection API for tests, the market and the demo. It is not part
// of SCAYLE's contract: no auth, no rate limits, and a path SCAYLE never uses.
#include "sandbox/scayle/catalogue_generator.hpp"
#include "sandbox/scayle/routes.hpp"
#include "sandbox/scayle/scayle_json.hpp"
#include "sandbox/scayle/scayle_server.hpp"
#include "sandbox/scayle/timestamps.hpp"

namespace sandbox::scayle {

namespace {

constexpr const char* kControlBase = "/_sandbox/scayle";

using ControlHandler = std::function<ApiResult(const Json& body, const httplib::Request& req)>;

httplib::Server::Handler Control(ControlHandler handler) {
  return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    Json body = req.body.empty() ? Json::object() : Json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
      WriteJson(res, 400, ErrorBody({400, "INVALID_JSON", "the request body is not valid JSON"}));
      return;
    }
    auto result = handler(body, req);
    if (!result) {
      WriteJson(res, result.error().status, ErrorBody(result.error()));
    } else {
      WriteJson(res, result->status, result->body);
    }
  };
}

Json AttemptJson(const DeliveryAttempt& a) {
  return {{"subscriptionId", a.subscription_id},
          {"event", a.event},
          {"eventKey", a.event_key},
          {"attempt", a.attempt},
          {"status", a.status},
          {"delivered", a.delivered},
          {"gaveUp", a.gave_up},
          {"at", FormatTimestamp(a.at)}};
}

Json WebhookCountersJson(const WebhookCounters& c) {
  return {{"published", c.published},
          {"attempts", c.attempts},
          {"delivered", c.delivered},
          {"failedAttempts", c.failed_attempts},
          {"abandoned", c.abandoned}};
}

Identifier SkuIdentifier(const Json& body) {
  return Identifier{std::nullopt, body.value("sku", "")};
}

}  // namespace

void RegisterControlRoutes(httplib::Server& server, ScayleServer& sandbox) {
  const std::string base = kControlBase;
  ScayleWorld& world = sandbox.world();
  server.Post(base + "/catalogue", Control([&world](const Json& body, const auto&) -> ApiResult {
                CatalogueSpec spec;
                spec.seed = body.value("seed", uint64_t{1});
                spec.target_skus = body.value("skus", size_t{1000});
                auto summary = GenerateFashionCatalogue(world, spec);
                return Reply{201,
                             {{"masters", summary.masters},
                              {"products", summary.products},
                              {"variants", summary.variants},
                              {"units", summary.units}}};
              }));
  server.Post(base + "/stock", Control([&world](const Json& body, const auto&) -> ApiResult {
                StockUpdate u;
                u.warehouse_key = body.value("warehouse", "");
                u.quantity = body.value("quantity", int64_t{0});
                if (body.value("changedAt", Json()).is_string())
                  u.changed_at = ParseTimestamp(body["changedAt"].get<std::string>());
                auto stored = world.SetStock(SkuIdentifier(body), u);
                if (!stored) return tl::unexpected(stored.error());
                return Reply{200, StockJson(*stored)};
              }));
  server.Post(base + "/purchases", Control([&world](const Json& body, const auto&) -> ApiResult {
                auto sale = world.PurchaseD2c(SkuIdentifier(body), body.value("shopKey", "ms"),
                                              body.value("countryCode", "DE"));
                if (!sale) return tl::unexpected(sale.error());
                return Reply{201,
                             {{"warehouse", sale->warehouse_key},
                              {"remainingSellable", sale->remaining_sellable}}};
              }));
  server.Get(
      base + "/sellable", Control([&world](const Json&, const httplib::Request& req) -> ApiResult {
        Identifier sku{std::nullopt, req.get_param_value("sku")};
        return Reply{
            200,
            {{"sku", sku.reference_key},
             {"sellable",
              world.SellableD2c(
                  sku, req.has_param("shopKey") ? req.get_param_value("shopKey") : "ms",
                  req.has_param("countryCode") ? req.get_param_value("countryCode") : "DE")}}};
      }));
  server.Post(base + R"(/orders/(\d+)/shipments)",
              Control([&world](const Json& body, const httplib::Request& req) -> ApiResult {
                std::vector<PackageSpec> packages;
                for (const auto& p : body.value("packages", Json::array())) {
                  PackageSpec spec{p.value("carrierKey", ""), p.value("shipmentKey", ""), {}};
                  for (const auto& id : p.value("itemIds", Json::array())) {
                    if (id.is_number_integer()) spec.item_ids.push_back(id.get<int64_t>());
                  }
                  packages.push_back(std::move(spec));
                }
                auto order = world.ShipOrder(std::stoll(req.matches[1]), packages);
                if (!order) return tl::unexpected(order.error());
                return Reply{200, {{"orderId", order->id}, {"packages", order->packages.size()}}};
              }));
  server.Post(base + R"(/orders/(\d+)/cancellation)",
              Control([&world](const Json&, const httplib::Request& req) -> ApiResult {
                auto order = world.CancelOrder(std::stoll(req.matches[1]));
                if (!order) return tl::unexpected(order.error());
                return Reply{200, {{"orderId", order->id}, {"status", order->status}}};
              }));
  server.Get(base + "/webhooks/deliveries",
             Control([&sandbox](const Json&, const auto&) -> ApiResult {
               Json deliveries = Json::array();
               for (const auto& a : sandbox.webhooks().Log()) deliveries.push_back(AttemptJson(a));
               return Reply{200,
                            {{"deliveries", std::move(deliveries)},
                             {"counters", WebhookCountersJson(sandbox.webhooks().Counters())},
                             {"pending", sandbox.webhooks().Pending()}}};
             }));
  server.Get(base + "/counters", Control([&sandbox](const Json&, const auto&) -> ApiResult {
               Json scopes = Json::object();
               for (const auto& [scope, c] : sandbox.rate_limits().Counters()) {
                 scopes[scope] = {{"calls", c.calls}, {"rateLimited", c.rate_limited}};
               }
               Json operations = Json::object();
               for (const auto& [route, c] : sandbox.rate_limits().OperationCounters()) {
                 operations[route] = {{"calls", c.calls}, {"rateLimited", c.rate_limited}};
               }
               return Reply{200,
                            {{"scopes", std::move(scopes)},
                             {"operations", std::move(operations)},
                             {"webhooks", WebhookCountersJson(sandbox.webhooks().Counters())},
                             {"activeReservations", sandbox.world().ActiveReservationCount()}}};
             }));
  // {"routes":[{"route":"GET /variants/{v}/stocks","kind":"server_error","count":3}, ...],
  //  "webhooks":{"duplicateProbability":0.1,"outOfOrderProbability":0.05}}
  server.Post(
      base + "/faults", Control([&sandbox](const Json& body, const auto&) -> ApiResult {
        for (const auto& spec : body.value("routes", Json::array())) {
          auto fault = ParseRouteFault(spec);
          if (!fault)
            return tl::unexpected(ApiError{400, "INVALID_FAULT", "unknown fault: " + spec.dump()});
          sandbox.faults().Add(*fault);
        }
        if (body.contains("webhooks")) {
          const Json& w = body["webhooks"];
          sandbox.webhooks().SetFaults(
              {w.value("duplicateProbability", 0.0), w.value("outOfOrderProbability", 0.0)});
        }
        return Reply{204, nullptr};
      }));
  server.Delete(base + "/faults", Control([&sandbox](const Json&, const auto&) -> ApiResult {
                  sandbox.faults().Clear();
                  sandbox.webhooks().SetFaults({});
                  return Reply{204, nullptr};
                }));
}

}  // namespace sandbox::scayle

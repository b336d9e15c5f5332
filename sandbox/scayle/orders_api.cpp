// Orders under /shops/{shopKey}/countries/{countryCode}/orders (ADMIN_API.md §5).
#include "sandbox/scayle/routes.hpp"
#include "sandbox/scayle/scayle_json.hpp"

namespace sandbox::scayle {

namespace {

tl::expected<ShopCountry, ApiError> LoadShopCountry(const ScayleWorld& world,
                                                    const std::vector<std::string>& params) {
  auto sc = world.FindShopCountry(params[0], params[1]);
  if (!sc)
    return tl::unexpected(
        NotFound("SHOP_COUNTRY_NOT_FOUND", "shop country " + params[0] + "/" + params[1]));
  return *sc;
}

tl::expected<std::pair<Order, ShopCountry>, ApiError> LoadOrder(
    const ScayleWorld& world, const std::vector<std::string>& params) {
  auto sc = LoadShopCountry(world, params);
  if (!sc) return tl::unexpected(sc.error());
  auto id = PathIdentifier(params[2], "ORDER_NOT_FOUND");
  if (!id) return tl::unexpected(id.error());
  auto order = world.FindOrder(sc->shop_key, sc->country_code, *id);
  if (!order) return tl::unexpected(order.error());
  return std::make_pair(*order, *sc);
}

}  // namespace

void RegisterOrderRoutes(ApiRouter& router, ScayleWorld& world) {
  const std::string base = "/shops/{shopKey}/countries/{countryCode}/orders";
  router.Post(base, "ordersWrite",
              [&world](const httplib::Request& req, const auto& params) -> ApiResult {
                auto sc = LoadShopCountry(world, params);
                if (!sc) return tl::unexpected(sc.error());
                auto body = ParseJsonBody(req);
                if (!body) return tl::unexpected(body.error());
                auto order = world.CreateOrder(sc->shop_key, sc->country_code, *body);
                if (!order) return tl::unexpected(order.error());
                return Reply{201, OrderJson(*order, *sc)};
              });
  // ADMIN_API.md §6: the shop country travels in the body (the fixture spells it lower case;
  // shop countries match case-insensitively).
  router.Post(
      "/fulfillment/cancellations", "fulfillmentWrite",
      [&world](const httplib::Request& req, const auto&) -> ApiResult {
        auto body = ParseJsonBody(req);
        if (!body) return tl::unexpected(body.error());
        const Json& b = *body;
        auto string_at = [&](const char* k) {
          return b.is_object() && b.contains(k) && b[k].is_string();
        };
        if (!string_at("shopKey") || !string_at("countryCode") || !b.contains("orderId") ||
            !b["orderId"].is_number_integer() || !b.contains("items") || !b["items"].is_array()) {
          return tl::unexpected(ApiError{400, "INVALID_BODY",
                                         "shopKey, countryCode, orderId and items[] are required"});
        }
        std::vector<int64_t> ids;
        for (const auto& item : b["items"]) {
          if (!item.is_object() || !item.contains("orderItemId") ||
              !item["orderItemId"].is_number_integer())
            return tl::unexpected(
                ApiError{400, "INVALID_BODY", "every item needs an integer orderItemId"});
          ids.push_back(item["orderItemId"].get<int64_t>());
        }
        auto order = world.CancelOrderItems(b["shopKey"].get<std::string>(),
                                            b["countryCode"].get<std::string>(),
                                            b["orderId"].get<int64_t>(), ids);
        if (!order) return tl::unexpected(order.error());
        return Reply{204, nullptr};
      });
  router.Get(
      base, "ordersRead", [&world](const httplib::Request& req, const auto& params) -> ApiResult {
        auto sc = LoadShopCountry(world, params);
        if (!sc) return tl::unexpected(sc.error());
        auto page = ParsePage(req, 100);
        if (!page) return tl::unexpected(page.error());
        std::optional<int64_t> next;
        Json entities = Json::array();
        for (const auto& o :
             world.ListOrders(sc->shop_key, sc->country_code, page->after, page->limit, next)) {
          entities.push_back(OrderJson(o, *sc));
        }
        return Reply{200, Collection(std::move(entities), next)};
      });
  router.Get(base + "/{order}", "ordersRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto loaded = LoadOrder(world, params);
               if (!loaded) return tl::unexpected(loaded.error());
               return Reply{200, OrderJson(loaded->first, loaded->second)};
             });
  router.Get(base + "/{order}/status", "ordersRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto loaded = LoadOrder(world, params);
               if (!loaded) return tl::unexpected(loaded.error());
               return Reply{200, OrderStatusJson(loaded->first)};
             });
}

}  // namespace sandbox::scayle

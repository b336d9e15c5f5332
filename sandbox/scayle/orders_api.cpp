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

// GET /shops, /shops/{shopKey}, /shops/{shopKey}/countries/{countryCode}: the shop countries with
// their currency, languages and attached warehouses by priority (ADMIN_API.md §2).
#include <strings.h>

#include "sandbox/scayle/routes.hpp"

namespace sandbox::scayle {

namespace {

Json AttachedWarehouses(const ShopCountry& sc, const std::vector<Warehouse>& warehouses) {
  Json out = Json::array();
  for (const auto& w : warehouses) {
    for (const auto& attached : w.shop_countries) {
      if (attached.shop_key == sc.shop_key &&
          strcasecmp(attached.country_code.c_str(), sc.country_code.c_str()) == 0) {
        out.push_back({{"id", w.id},
                       {"referenceKey", w.reference_key},
                       {"priority", attached.priority},
                       {"packageGroup", {{"id", 1}}}});
      }
    }
  }
  return out;
}

// The shop country as nested in a shop (ShopAllResponse) or read alone (ShopCountryGetResponse).
Json CountryJson(const ShopCountry& sc, const std::vector<Warehouse>& warehouses, bool alone) {
  Json out = {{"countryCode", sc.country_code},
              {"currencyCode", sc.currency_code},
              {"defaultLanguageCode", sc.default_language},
              {"supportedLanguageCodes", sc.languages},
              {"url", "https://" + sc.shop_key + "." + sc.country_code + ".sandbox.invalid"},
              {"assortment", nullptr},  // the whole catalogue is assigned
              {"warehouses", AttachedWarehouses(sc, warehouses)}};
  if (alone) {
    out["id"] = sc.id;
    out["priceGroupKey"] = nullptr;
    out["active"] = true;
    out["deleted"] = false;
    out["smartSortingKey"] = nullptr;
    out["priceRoundings"] = Json::array();
    out["customData"] = Json::object();
  }
  return out;
}

std::optional<Json> ShopJson(const std::string& key, const ScayleWorld& world) {
  auto warehouses = world.Warehouses();
  Json countries = Json::array();
  for (const auto& sc : world.ShopCountries()) {
    if (sc.shop_key == key) countries.push_back(CountryJson(sc, warehouses, false));
  }
  if (countries.empty()) return std::nullopt;
  return Json{{"id", 1},
              {"key", key},
              {"name", "Marketbridge Sandbox Shop " + key},
              {"logoUrl", nullptr},
              {"priceGroupKey", nullptr},
              {"active", true},
              {"deleted", false},
              {"shopCategoryTreeId", 1},
              {"companyId", 1},
              {"countries", std::move(countries)},
              {"customData", Json::object()},
              {"smartSortingKey", nullptr}};
}

}  // namespace

void RegisterShopRoutes(ApiRouter& router, ScayleWorld& world) {
  router.Get("/shops", "globalRead", [&world](const auto&, const auto&) -> ApiResult {
    std::vector<std::string> keys;
    for (const auto& sc : world.ShopCountries()) {
      if (std::find(keys.begin(), keys.end(), sc.shop_key) == keys.end())
        keys.push_back(sc.shop_key);
    }
    Json entities = Json::array();
    for (const auto& key : keys) entities.push_back(*ShopJson(key, world));
    return Reply{200, Collection(std::move(entities), std::nullopt)};
  });
  router.Get("/shops/{shopKey}", "globalRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto shop = ShopJson(params[0], world);
               if (!shop) return tl::unexpected(NotFound("SHOP_NOT_FOUND", "shop " + params[0]));
               return Reply{200, std::move(*shop)};
             });
  router.Get("/shops/{shopKey}/countries/{countryCode}", "globalRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto sc = world.FindShopCountry(params[0], params[1]);
               if (!sc)
                 return tl::unexpected(NotFound("SHOP_COUNTRY_NOT_FOUND",
                                                "shop country " + params[0] + "/" + params[1]));
               return Reply{200, CountryJson(*sc, world.Warehouses(), true)};
             });
}

}  // namespace sandbox::scayle

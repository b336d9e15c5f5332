// Catalogue reads: products, variants, attributes, categories, prices, warehouses, carriers.
#include "sandbox/scayle/routes.hpp"
#include "sandbox/scayle/scayle_json.hpp"

namespace sandbox::scayle {

tl::expected<Identifier, ApiError> PathIdentifier(const std::string& text,
                                                  const std::string& not_found_key) {
  auto id = ParseIdentifier(text);
  if (!id) {
    return tl::unexpected(ApiError{
        404, not_found_key, "'" + text + "' is neither a numeric id nor key=<referenceKey>"});
  }
  return *id;
}

namespace {

tl::expected<ProductView, ApiError> LoadProduct(const ScayleWorld& world, const std::string& text) {
  auto id = PathIdentifier(text, "PRODUCT_NOT_FOUND");
  if (!id) return tl::unexpected(id.error());
  auto view = world.FindProduct(*id);
  if (!view) return tl::unexpected(NotFound("PRODUCT_NOT_FOUND", "product " + text));
  return *view;
}

Json VariantWithStocks(const ScayleWorld& world, const Variant& v) {
  auto stocks = world.VariantStocks(Identifier{v.id, {}}).value_or(std::vector<StockLevel>{});
  return VariantJson(v, &stocks);
}

const Variant* VariantOf(const ProductView& view, const Identifier& id) {
  for (const auto& v : view.variants) {
    if ((id.id && v.id == *id.id) || (!id.id && v.reference_key == id.reference_key)) return &v;
  }
  return nullptr;
}

}  // namespace

void RegisterCatalogueRoutes(ApiRouter& router, ScayleWorld& world) {
  router.Get("/products", "productRead",
             [&world](const httplib::Request& req, const auto&) -> ApiResult {
               auto page = ParsePage(req, 100);
               if (!page) return tl::unexpected(page.error());
               std::optional<int64_t> next;
               Json entities = Json::array();
               for (const auto& v : world.ListProducts(page->after, page->limit, next)) {
                 entities.push_back(ProductJson(v.product, v.master, v.variants));
               }
               return Reply{200, Collection(std::move(entities), next)};
             });
  router.Get("/products/{p}", "productRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto view = LoadProduct(world, params[0]);
               if (!view) return tl::unexpected(view.error());
               Json product = ProductJson(view->product, view->master, view->variants);
               // The single-product read carries these in the fixture; the sandbox models neither.
               product["sellableTimeframes"] = Json::array();
               product["similarProducts"] = Json::array();
               return Reply{200, std::move(product)};
             });
  router.Get("/products/{p}/variants", "productRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto view = LoadProduct(world, params[0]);
               if (!view) return tl::unexpected(view.error());
               Json entities = Json::array();
               for (const auto& v : view->variants) entities.push_back(VariantWithStocks(world, v));
               return Reply{200, Collection(std::move(entities), std::nullopt)};
             });
  router.Get("/products/{p}/variants/{v}", "productRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto view = LoadProduct(world, params[0]);
               if (!view) return tl::unexpected(view.error());
               auto id = PathIdentifier(params[1], "VARIANT_NOT_FOUND");
               if (!id) return tl::unexpected(id.error());
               const Variant* v = VariantOf(*view, *id);
               if (!v)
                 return tl::unexpected(NotFound(
                     "VARIANT_NOT_FOUND", "variant " + params[1] + " of product " + params[0]));
               return Reply{200, VariantWithStocks(world, *v)};
             });
  router.Get("/products/{p}/attributes", "productRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto view = LoadProduct(world, params[0]);
               if (!view) return tl::unexpected(view.error());
               return Reply{200, {{"entities", AttributesJson(view->product.attributes)}}};
             });
  router.Get("/master-categories", "productRead", [&world](const auto&, const auto&) -> ApiResult {
    Json entities = Json::array();
    for (const auto& c : world.MasterCategories()) entities.push_back(MasterCategoryJson(c));
    return Reply{200, Collection(std::move(entities), std::nullopt)};
  });
  router.Get("/attribute-groups", "productRead", [&world](const auto&, const auto&) -> ApiResult {
    Json entities = Json::array();
    for (const auto& g : world.AttributeGroups()) entities.push_back(AttributeGroupJson(g));
    return Reply{200, Collection(std::move(entities), std::nullopt)};
  });
  router.Get("/variants/{v}/prices", "pricesRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto id = PathIdentifier(params[0], "VARIANT_NOT_FOUND");
               if (!id) return tl::unexpected(id.error());
               auto v = world.FindVariant(*id);
               if (!v) return tl::unexpected(NotFound("VARIANT_NOT_FOUND", "variant " + params[0]));
               Json entities = Json::array();
               for (const auto& p : v->prices) {
                 Json price = PriceJson(p);
                 price["customData"] = Json::object();
                 entities.push_back(std::move(price));
               }
               return Reply{200, {{"entities", std::move(entities)}}};
             });
  router.Get("/warehouses", "globalRead", [&world](const auto&, const auto&) -> ApiResult {
    Json entities = Json::array();
    for (const auto& w : world.Warehouses()) entities.push_back(WarehouseJson(w));
    return Reply{200, Collection(std::move(entities), std::nullopt)};
  });
  router.Get("/carriers", "globalRead", [&world](const auto&, const auto&) -> ApiResult {
    Json entities = Json::array();
    for (const auto& c : world.Carriers()) entities.push_back(CarrierJson(c));
    return Reply{200, Collection(std::move(entities), std::nullopt)};
  });
}

}  // namespace sandbox::scayle

// GET/POST /variants/{v}/stocks and PUT .../stocks/sellableWithoutStock (ADMIN_API.md §4).
#include "sandbox/scayle/routes.hpp"
#include "sandbox/scayle/scayle_json.hpp"
#include "sandbox/scayle/timestamps.hpp"

namespace sandbox::scayle {

namespace {

ApiError Invalid(const std::string& message) { return {400, "VALIDATION_ERROR", message}; }

tl::expected<StockUpdate, ApiError> ParseStockUpdate(const Json& body, SimTime now) {
  if (!body.is_object()) return tl::unexpected(Invalid("the stock must be a JSON object"));
  StockUpdate u;
  if (!body.contains("quantity") || !body["quantity"].is_number_integer()) {
    return tl::unexpected(Invalid("quantity must be an integer"));
  }
  u.quantity = body["quantity"].get<int64_t>();
  if (!body.contains("warehouseReferenceKey") || !body["warehouseReferenceKey"].is_string()) {
    return tl::unexpected(Invalid("warehouseReferenceKey is required"));
  }
  u.warehouse_key = body["warehouseReferenceKey"].get<std::string>();
  if (body.contains("changedAt") && !body["changedAt"].is_null()) {
    auto t = body["changedAt"].is_string() ? ParseTimestamp(body["changedAt"].get<std::string>())
                                           : std::nullopt;
    if (!t) return tl::unexpected(Invalid("changedAt must be an RFC 3339 timestamp"));
    u.changed_at = t;
  }
  if (body.contains("sellableWithoutStock") && body["sellableWithoutStock"].is_boolean()) {
    u.sellable_without_stock = body["sellableWithoutStock"].get<bool>();
  }
  if (body.contains("merchantReferenceKey") && body["merchantReferenceKey"] != kMerchantKey) {
    return tl::unexpected(ApiError{404, "MERCHANT_NOT_FOUND", "unknown merchantReferenceKey"});
  }
  if (body.contains("expectedAvailabilityAt") && !body["expectedAvailabilityAt"].is_null()) {
    const Json& date = body["expectedAvailabilityAt"];
    // The documented rule: a future date.
    if (!date.is_string() || date.get<std::string>().size() != 10 ||
        date.get<std::string>() <= FormatDate(now)) {
      return tl::unexpected(Invalid("expectedAvailabilityAt must be a future date (YYYY-MM-DD)"));
    }
    u.expected_availability_at = date.get<std::string>();
  }
  return u;
}

}  // namespace

void RegisterStockRoutes(ApiRouter& router, ScayleWorld& world) {
  router.Get("/variants/{v}/stocks", "stocksRead",
             [&world](const auto&, const auto& params) -> ApiResult {
               auto id = PathIdentifier(params[0], "VARIANT_NOT_FOUND");
               if (!id) return tl::unexpected(id.error());
               auto stocks = world.VariantStocks(*id);
               if (!stocks) return tl::unexpected(stocks.error());
               Json entities = Json::array();
               for (const auto& s : *stocks) entities.push_back(StockJson(s));
               return Reply{200, {{"entities", std::move(entities)}}};
             });
  router.Post("/variants/{v}/stocks", "stocksWrite",
              [&world](const httplib::Request& req, const auto& params) -> ApiResult {
                auto id = PathIdentifier(params[0], "VARIANT_NOT_FOUND");
                if (!id) return tl::unexpected(id.error());
                auto body = ParseJsonBody(req);
                if (!body) return tl::unexpected(body.error());
                auto update = ParseStockUpdate(*body, world.clock().Now());
                if (!update) return tl::unexpected(update.error());
                auto stored = world.SetStock(*id, *update);
                if (!stored) return tl::unexpected(stored.error());
                return Reply{201, StockJson(*stored)};
              });
  router.Put("/variants/{v}/stocks/sellableWithoutStock", "stocksWrite",
             [&world](const httplib::Request& req, const auto& params) -> ApiResult {
               auto id = PathIdentifier(params[0], "VARIANT_NOT_FOUND");
               if (!id) return tl::unexpected(id.error());
               auto body = ParseJsonBody(req);
               if (!body) return tl::unexpected(body.error());
               if (!body->is_object() ||
                   !body->value("warehouseReferenceKey", Json()).is_string() ||
                   !body->value("sellableWithoutStock", Json()).is_boolean()) {
                 return tl::unexpected(
                     Invalid("warehouseReferenceKey and sellableWithoutStock are required"));
               }
               std::string warehouse = (*body)["warehouseReferenceKey"];
               auto stored = world.SetSellableWithoutStock(
                   *id, warehouse, (*body)["sellableWithoutStock"].get<bool>());
               if (!stored) return tl::unexpected(stored.error());
               return Reply{200,
                            {{"warehouseReferenceKey", warehouse},
                             {"sellableWithoutStock", stored->sellable_without_stock},
                             {"merchantReferenceKey", kMerchantKey}}};
             });
}

}  // namespace sandbox::scayle

// Products with variants, variant stocks and prices, reservations.
#include "scayle/scayle_admin_api.hpp"
#include "scayle/scayle_json.hpp"

namespace mb::scayle {

namespace {

using nlohmann::json;

// Collects every page of a per-variant collection (stocks, prices) into one list.
template <typename T, typename Parser>
Result<std::vector<T>> AllEntities(ScayleClient& client, ScayleRequest request, Parser parse,
                                   const std::string& what) {
  std::vector<T> out;
  auto status = client.ForEachPage(std::move(request), [&](const json& entities) -> Status {
    auto parsed = ParseEntities<T>(entities, parse, what);
    if (!parsed) return tl::unexpected(parsed.error());
    std::move(parsed->begin(), parsed->end(), std::back_inserter(out));
    return {};
  });
  if (!status) return tl::unexpected(status.error());
  return out;
}

std::string Describe(const ScayleVariantRef& variant) {
  return variant.sku.empty() ? "variant " + std::to_string(variant.id) : variant.sku.value();
}

}  // namespace

std::string VariantIdentifier(const ScayleVariantRef& variant) {
  return variant.id != 0 ? IdentifierById(variant.id) : IdentifierByKey(variant.sku.value());
}

Status ScayleAdminApi::ForEachProduct(
    const std::function<Status(const std::vector<ScayleProduct>&)>& page) {
  // `with` asks SCAYLE to embed what the loops need in one walk instead of a call per variant.
  ScayleRequest request{HttpMethod::kGet,
                        "/products",
                        {{"with",
                          "master,attributes,images,variants,variants.attributes,"
                          "variants.prices,variants.stocks"}},
                        std::nullopt,
                        "listProducts",
                        ""};
  return client_.ForEachPage(request, [&](const json& entities) -> Status {
    auto products = ParseEntities<ScayleProduct>(entities, ParseProduct, "products");
    if (!products) return tl::unexpected(products.error());
    return page(*products);
  });
}

Result<std::vector<ScayleStock>> ScayleAdminApi::GetVariantStocks(const ScayleVariantRef& variant) {
  return AllEntities<ScayleStock>(client_,
                                  {HttpMethod::kGet,
                                   "/variants/" + VariantIdentifier(variant) + "/stocks",
                                   {},
                                   std::nullopt,
                                   "getVariantStocks",
                                   Describe(variant)},
                                  ParseStock, "stocks of " + Describe(variant));
}

Result<std::vector<ScaylePrice>> ScayleAdminApi::GetVariantPrices(const ScayleVariantRef& variant) {
  return AllEntities<ScaylePrice>(client_,
                                  {HttpMethod::kGet,
                                   "/variants/" + VariantIdentifier(variant) + "/prices",
                                   {},
                                   std::nullopt,
                                   "getVariantPrices",
                                   Describe(variant)},
                                  ParsePrice, "prices of " + Describe(variant));
}

Result<std::vector<ScayleReservationOutcome>> ScayleAdminApi::CreateReservations(
    const std::vector<ScayleReservationRequest>& reservations) {
  json body = json::array();
  for (const auto& r : reservations) {
    json variant = r.variant.id != 0 ? json{{"id", r.variant.id}}
                                     : json{{"referenceKey", r.variant.sku.value()}};
    if (!r.merchant_reference_key.empty()) {
      variant["merchantReferenceKey"] = r.merchant_reference_key;
    }
    json entry = {{"referenceKey", r.reference_key},
                  {"warehouseReferenceKey", r.warehouse.value()},
                  {"variant", variant}};
    if (r.ttl_seconds) entry["reservationTtl"] = *r.ttl_seconds;
    body.push_back(std::move(entry));
  }
  std::string subject = reservations.size() == 1
                            ? reservations[0].reference_key
                            : std::to_string(reservations.size()) + " reservations";
  // Each entry carries its own referenceKey, so repeating the POST cannot double a hold.
  ScayleRequest request{HttpMethod::kPost, "/reservations",      {},
                        body.dump(),       "createReservations", subject};
  auto response = client_.Call(request);
  if (!response) return tl::unexpected(response.error());
  if (!response->is_object() || !response->contains("entities") ||
      !(*response)["entities"].is_array()) {
    return Fail(ErrorCode::kMalformedResponse,
                "scayle: POST /reservations answered without an `entities` array");
  }
  std::vector<ScayleReservationOutcome> outcomes;
  for (const auto& entity : (*response)["entities"]) {
    ScayleReservationOutcome outcome;
    auto key = OptString(entity, "referenceKey");
    if (!key) return tl::unexpected(key.error());
    outcome.reference_key = *key;
    if (entity.contains("error") && entity["error"].is_object()) {
      outcome.error_key = entity["error"].value("errorKey", "UNKNOWN");
      outcome.error_message = entity["error"].value("message", "");
    } else {
      auto id = OptInt(entity, "id");
      if (!id) return tl::unexpected(id.error());
      if (*id != 0) outcome.id = *id;
      if (entity.contains("reservationTtl") && entity["reservationTtl"].is_number_integer()) {
        outcome.ttl_seconds = entity["reservationTtl"].get<int64_t>();
      }
      if (!outcome.id) {
        outcome.error_key = "MISSING_ID";
        outcome.error_message = "SCAYLE answered neither an id nor an error for this entry";
      }
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

Status ScayleAdminApi::DeleteReservationByKey(const std::string& reference_key) {
  auto response = client_.Call({HttpMethod::kDelete,
                                "/reservations/" + IdentifierByKey(reference_key),
                                {},
                                std::nullopt,
                                "deleteReservation",
                                reference_key});
  if (!response) return tl::unexpected(response.error());
  return {};
}

Status ScayleAdminApi::DeleteReservationById(int64_t id) {
  auto response = client_.Call({HttpMethod::kDelete,
                                "/reservations/" + IdentifierById(id),
                                {},
                                std::nullopt,
                                "deleteReservation",
                                "reservation " + std::to_string(id)});
  if (!response) return tl::unexpected(response.error());
  return {};
}

}  // namespace mb::scayle

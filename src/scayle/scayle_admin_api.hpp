#pragma once
// ScayleApi on the Admin API. The JSON mapping lives in scayle_json.cpp; the calls are split by
// business area: scayle_stock_api.cpp (products, variants, stocks, prices, reservations),
// scayle_orders_api.cpp (orders, carriers), scayle_webhooks_api.cpp (subscriptions).

#include "ports/scayle_api.hpp"
#include "scayle/scayle_client.hpp"

namespace mb::scayle {

class ScayleAdminApi final : public ScayleApi {
 public:
  // `client` must outlive this object.
  explicit ScayleAdminApi(ScayleClient& client) : client_(client) {}

  Status ForEachProduct(
      const std::function<Status(const std::vector<ScayleProduct>&)>& page) override;
  Result<std::vector<ScayleStock>> GetVariantStocks(const ScayleVariantRef& variant) override;
  Result<std::vector<ScaylePrice>> GetVariantPrices(const ScayleVariantRef& variant) override;

  Result<std::vector<ScayleReservationOutcome>> CreateReservations(
      const std::vector<ScayleReservationRequest>& reservations) override;
  Status DeleteReservationByKey(const std::string& reference_key) override;
  Status DeleteReservationById(int64_t id) override;

  Result<ScayleOrder> CreateOrder(const ScayleNewOrder& order) override;
  Result<ScayleOrder> GetOrderById(const std::string& shop_key, const std::string& country_code,
                                   int64_t id) override;
  Result<ScayleOrder> GetOrderByReferenceKey(const std::string& shop_key,
                                             const std::string& country_code,
                                             const std::string& reference_key) override;
  Status CancelOrderItems(const std::string& shop_key, const std::string& country_code,
                          int64_t order_id, const std::vector<int64_t>& order_item_ids) override;
  Status ForEachOrder(const std::string& shop_key, const std::string& country_code,
                      const std::function<Status(const std::vector<ScayleOrder>&)>& page) override;

  Result<std::vector<ScayleCarrier>> ListCarriers() override;

  Result<ScayleWebhookSubscription> CreateWebhookSubscription(
      const ScayleWebhookSubscription& subscription) override;
  Result<std::vector<ScayleWebhookSubscription>> ListWebhookSubscriptions() override;

 private:
  Result<ScayleOrder> GetOrder(const std::string& shop_key, const std::string& country_code,
                               const std::string& identifier, const std::string& subject);

  ScayleClient& client_;
};

// The variant's path identifier: by id when known, else `key=<SKU>`.
std::string VariantIdentifier(const ScayleVariantRef& variant);

// Reads each element of `entities` with `parse`, naming `what` in the error.
template <typename T, typename Parser>
Result<std::vector<T>> ParseEntities(const nlohmann::json& entities, Parser parse,
                                     const std::string& what) {
  std::vector<T> out;
  for (const auto& entity : entities) {
    auto parsed = parse(entity);
    if (!parsed) {
      return Fail(parsed.error().code, "scayle: " + what + ": " + parsed.error().message);
    }
    out.push_back(std::move(*parsed));
  }
  return out;
}

}  // namespace mb::scayle

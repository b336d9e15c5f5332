// Orders per shop country (create, get by id or referenceKey, list) and carriers.
#include <cctype>

#include "scayle/scayle_admin_api.hpp"
#include "scayle/scayle_json.hpp"

namespace mb::scayle {

namespace {

using nlohmann::json;

std::string OrdersPath(const std::string& shop_key, const std::string& country_code) {
  return "/shops/" + EncodeComponent(shop_key) + "/countries/" + EncodeComponent(country_code) +
         "/orders";
}

}  // namespace

Result<ScayleOrder> ScayleAdminApi::CreateOrder(const ScayleNewOrder& order) {
  ScayleRequest request{HttpMethod::kPost,
                        OrdersPath(order.shop_key, order.country_code),
                        {},
                        OrderJson(order).dump(),
                        "createOrder",
                        "order " + order.reference_key};
  auto response = client_.Call(request);
  if (!response) return tl::unexpected(response.error());
  auto parsed = ParseOrder(*response);
  if (!parsed) {
    return Fail(parsed.error().code,
                "scayle: created order " + order.reference_key + ": " + parsed.error().message);
  }
  return parsed;
}

Result<ScayleOrder> ScayleAdminApi::GetOrder(const std::string& shop_key,
                                             const std::string& country_code,
                                             const std::string& identifier,
                                             const std::string& subject) {
  auto response = client_.Call({HttpMethod::kGet,
                                OrdersPath(shop_key, country_code) + "/" + identifier,
                                {},
                                std::nullopt,
                                "getOrder",
                                subject});
  if (!response) return tl::unexpected(response.error());
  auto parsed = ParseOrder(*response);
  if (!parsed) {
    return Fail(parsed.error().code, "scayle: " + subject + ": " + parsed.error().message);
  }
  return parsed;
}

Result<ScayleOrder> ScayleAdminApi::GetOrderById(const std::string& shop_key,
                                                 const std::string& country_code, int64_t id) {
  return GetOrder(shop_key, country_code, IdentifierById(id), "order " + std::to_string(id));
}

Result<ScayleOrder> ScayleAdminApi::GetOrderByReferenceKey(const std::string& shop_key,
                                                           const std::string& country_code,
                                                           const std::string& reference_key) {
  return GetOrder(shop_key, country_code, IdentifierByKey(reference_key), "order " + reference_key);
}

Status ScayleAdminApi::CancelOrderItems(const std::string& shop_key,
                                        const std::string& country_code, int64_t order_id,
                                        const std::vector<int64_t>& order_item_ids) {
  // Body as CancellationSendRequest.json: the shop country travels in the body, lower case.
  std::string country = country_code;
  for (auto& c : country) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  json items = json::array();
  for (int64_t id : order_item_ids) items.push_back({{"orderItemId", id}});
  json body = {
      {"shopKey", shop_key}, {"countryCode", country}, {"orderId", order_id}, {"items", items}};
  auto response = client_.Call({HttpMethod::kPost,
                                "/fulfillment/cancellations",
                                {},
                                body.dump(),
                                "cancelOrderItems",
                                "order " + std::to_string(order_id)});
  if (!response) return tl::unexpected(response.error());
  return {};
}

Status ScayleAdminApi::ForEachOrder(
    const std::string& shop_key, const std::string& country_code,
    const std::function<Status(const std::vector<ScayleOrder>&)>& page) {
  return client_.ForEachPage(
      {HttpMethod::kGet, OrdersPath(shop_key, country_code), {}, std::nullopt, "listOrders", ""},
      [&](const json& entities) -> Status {
        auto orders = ParseEntities<ScayleOrder>(entities, ParseOrder, "orders");
        if (!orders) return tl::unexpected(orders.error());
        return page(*orders);
      });
}

Result<std::vector<ScayleCarrier>> ScayleAdminApi::ListCarriers() {
  std::vector<ScayleCarrier> carriers;
  auto status = client_.ForEachPage(
      {HttpMethod::kGet, "/carriers", {}, std::nullopt, "listCarriers", ""},
      [&](const json& entities) -> Status {
        for (const auto& entity : entities) {
          auto id = OptInt(entity, "id");
          auto key = OptString(entity, "key");
          auto name = OptString(entity, "name");
          auto url = OptString(entity, "trackingUrl");
          if (!id || !key || !name || !url) {
            return Fail(ErrorCode::kMalformedResponse, "scayle: carrier does not match the API");
          }
          carriers.push_back({*id, *key, *name, *url});
        }
        return {};
      });
  if (!status) return tl::unexpected(status.error());
  return carriers;
}

}  // namespace mb::scayle

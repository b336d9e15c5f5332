// Orders 2026-01-01 searchOrders / getOrder (orders_2026-01-01.json) and Orders v0
// confirmShipment (ordersV0.json). v0 reads are deprecated and deliberately absent.
#include "amazon/amazon_json.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "core/timestamp.hpp"

namespace mb::amazon {

namespace {

using nlohmann::json;

constexpr char kOrdersBase[] = "/orders/2026-01-01/orders";

// Reads `field` of `object` with `read` into `target`, remembering the first failure.
struct Reader {
  std::optional<Error> failure;

  template <typename T>
  void Read(Result<T> value, T& target) {
    if (!value) {
      if (!failure) failure = value.error();
      return;
    }
    target = std::move(*value);
  }
};

const json& Sub(const json& object, const char* field) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(field);
  return it == object.end() ? kNull : *it;
}

AmazonAddress ParseAddress(const json& object, Reader& r) {
  AmazonAddress a;
  r.Read(JsonString(object, "name"), a.name);
  r.Read(JsonString(object, "companyName"), a.company_name);
  r.Read(JsonString(object, "addressLine1"), a.address_line1);
  r.Read(JsonString(object, "addressLine2"), a.address_line2);
  r.Read(JsonString(object, "addressLine3"), a.address_line3);
  r.Read(JsonString(object, "city"), a.city);
  r.Read(JsonString(object, "districtOrCounty"), a.district_or_county);
  r.Read(JsonString(object, "stateOrRegion"), a.state_or_region);
  r.Read(JsonString(object, "municipality"), a.municipality);
  r.Read(JsonString(object, "postalCode"), a.postal_code);
  r.Read(JsonString(object, "countryCode"), a.country_code);
  r.Read(JsonString(object, "phone"), a.phone);
  r.Read(JsonString(object, "addressType"), a.address_type);
  return a;
}

AmazonOrderItem ParseItem(const json& object, Reader& r) {
  AmazonOrderItem item;
  std::string id;
  r.Read(JsonString(object, "orderItemId"), id);
  item.order_item_id = AmazonOrderItemId(id);
  r.Read(JsonInt(object, "quantityOrdered"), item.quantity_ordered);
  const json& product = Sub(object, "product");
  std::string sku;
  std::string asin;
  r.Read(JsonString(product, "sellerSku"), sku);
  r.Read(JsonString(product, "asin"), asin);
  item.seller_sku = Sku(sku);
  item.asin = Asin(asin);
  r.Read(JsonString(product, "title"), item.title);
  r.Read(JsonMoney(Sub(product, "price"), "unitPrice"), item.unit_price);
  const json& proceeds = Sub(object, "proceeds");
  r.Read(JsonMoney(proceeds, "proceedsTotal"), item.proceeds_total);
  if (const json& breakdowns = Sub(proceeds, "breakdowns"); breakdowns.is_array()) {
    for (const auto& b : breakdowns) {
      std::string type;
      std::optional<Money> subtotal;
      r.Read(JsonString(b, "type"), type);
      r.Read(JsonMoney(b, "subtotal"), subtotal);
      if (subtotal) item.proceeds_breakdown.insert_or_assign(type, *subtotal);
    }
  }
  const json& fulfillment = Sub(object, "fulfillment");
  if (fulfillment.contains("quantityFulfilled")) {
    int64_t q = 0;
    r.Read(JsonInt(fulfillment, "quantityFulfilled"), q);
    item.quantity_fulfilled = q;
  }
  if (fulfillment.contains("quantityUnfulfilled")) {
    int64_t q = 0;
    r.Read(JsonInt(fulfillment, "quantityUnfulfilled"), q);
    item.quantity_unfulfilled = q;
  }
  item.cancellation_requested = Sub(Sub(object, "cancellation"), "cancellationRequest").is_object();
  return item;
}

Result<AmazonOrder> ParseOrder(const json& object) {
  Reader r;
  AmazonOrder order;
  std::string id;
  r.Read(JsonString(object, "orderId"), id);
  order.order_id = AmazonOrderId(id);
  std::optional<TimePoint> created;
  std::optional<TimePoint> updated;
  r.Read(JsonTime(object, "createdTime"), created);
  r.Read(JsonTime(object, "lastUpdatedTime"), updated);
  const json& channel = Sub(object, "salesChannel");
  std::string marketplace;
  r.Read(JsonString(channel, "marketplaceId"), marketplace);
  order.marketplace_id = MarketplaceId(marketplace);
  r.Read(JsonString(channel, "channelName"), order.channel_name);
  r.Read(JsonStrings(object, "programs"), order.programs);
  const json& fulfillment = Sub(object, "fulfillment");
  r.Read(JsonString(fulfillment, "fulfillmentStatus"), order.fulfillment_status);
  r.Read(JsonString(fulfillment, "fulfilledBy"), order.fulfilled_by);
  r.Read(JsonString(fulfillment, "fulfillmentServiceLevel"), order.fulfillment_service_level);
  r.Read(JsonTime(Sub(fulfillment, "shipByWindow"), "earliestDateTime"), order.ship_by_earliest);
  r.Read(JsonTime(Sub(fulfillment, "shipByWindow"), "latestDateTime"), order.ship_by_latest);
  r.Read(JsonTime(Sub(fulfillment, "deliverByWindow"), "earliestDateTime"),
         order.deliver_by_earliest);
  r.Read(JsonTime(Sub(fulfillment, "deliverByWindow"), "latestDateTime"), order.deliver_by_latest);
  r.Read(JsonMoney(Sub(object, "proceeds"), "grandTotal"), order.grand_total);
  r.Read(JsonString(Sub(object, "buyer"), "buyerName"), order.buyer_name);
  r.Read(JsonString(Sub(object, "buyer"), "buyerEmail"), order.buyer_email);
  if (const json& address = Sub(Sub(object, "recipient"), "deliveryAddress"); address.is_object()) {
    order.delivery_address = ParseAddress(address, r);
  }
  if (const json& items = Sub(object, "orderItems"); items.is_array()) {
    for (const auto& item : items) order.items.push_back(ParseItem(item, r));
  }
  if (const json& packages = Sub(object, "packages"); packages.is_array()) {
    for (const auto& p : packages) {
      AmazonOrderPackage package;
      r.Read(JsonString(p, "packageReferenceId"), package.package_reference_id);
      r.Read(JsonString(p, "carrier"), package.carrier);
      r.Read(JsonString(p, "trackingNumber"), package.tracking_number);
      r.Read(JsonString(p, "shippingService"), package.shipping_service);
      r.Read(JsonString(Sub(p, "packageStatus"), "status"), package.package_status);
      r.Read(JsonTime(p, "shipTime"), package.ship_time);
      order.packages.push_back(std::move(package));
    }
  }
  if (r.failure) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: order " + id + " does not match the model: " + r.failure->message);
  }
  if (id.empty() || !created || !updated) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: order lacks orderId, createdTime or lastUpdatedTime");
  }
  order.created_time = *created;
  order.last_updated_time = *updated;
  return order;
}

}  // namespace

Result<AmazonOrdersPage> SpApiAmazonApi::SearchOrders(const SearchOrdersRequest& request) {
  if (request.created_after.has_value() == request.last_updated_after.has_value()) {
    return Fail(ErrorCode::kInvalidInput,
                "amazon: searchOrders needs exactly one of createdAfter and lastUpdatedAfter");
  }
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = kOrdersBase;
  auto add_time = [&](const char* name, const std::optional<TimePoint>& t) {
    if (t) call.query.emplace_back(name, FormatTimestamp(*t));
  };
  add_time("createdAfter", request.created_after);
  add_time("createdBefore", request.created_before);
  add_time("lastUpdatedAfter", request.last_updated_after);
  add_time("lastUpdatedBefore", request.last_updated_before);
  if (!request.marketplace_ids.empty()) {
    call.query.emplace_back("marketplaceIds", JoinIds(request.marketplace_ids));
  }
  if (!request.fulfillment_statuses.empty()) {
    call.query.emplace_back("fulfillmentStatuses", JoinCsv(request.fulfillment_statuses));
  }
  if (!request.fulfilled_by.empty()) {
    call.query.emplace_back("fulfilledBy", JoinCsv(request.fulfilled_by));
  }
  call.query.emplace_back("maxResultsPerPage", std::to_string(request.max_results_per_page));
  if (!request.pagination_token.empty()) {
    call.query.emplace_back("paginationToken", request.pagination_token);
  }
  if (!request.included_data.empty()) {
    call.query.emplace_back("includedData", JoinCsv(request.included_data));
  }
  call.operation = "searchOrders";
  call.priority = request.priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  return ParseGuarded<AmazonOrdersPage>("searchOrders", [&]() -> Result<AmazonOrdersPage> {
    AmazonOrdersPage page;
    const json& orders = Sub(*body, "orders");
    if (!orders.is_array()) {
      return Fail(ErrorCode::kMalformedResponse, "amazon: searchOrders answer lacks `orders`");
    }
    for (const auto& entry : orders) {
      auto order = ParseOrder(entry);
      if (!order) return tl::unexpected(order.error());
      page.orders.push_back(std::move(*order));
    }
    Reader r;
    r.Read(JsonString(Sub(*body, "pagination"), "nextToken"), page.next_token);
    r.Read(JsonTime(*body, "lastUpdatedBefore"), page.last_updated_before);
    r.Read(JsonTime(*body, "createdBefore"), page.created_before);
    if (r.failure) return tl::unexpected(*r.failure);
    return page;
  });
}

Result<AmazonOrder> SpApiAmazonApi::GetOrder(const GetOrderRequest& request) {
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = std::string(kOrdersBase) + "/" + PathSegment(request.order_id.value());
  if (!request.included_data.empty()) {
    call.query.emplace_back("includedData", JoinCsv(request.included_data));
  }
  call.operation = "getOrder";
  call.priority = request.priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  return ParseGuarded<AmazonOrder>("getOrder", [&]() -> Result<AmazonOrder> {
    const json& order = Sub(*body, "order");
    if (!order.is_object()) {
      return Fail(ErrorCode::kMalformedResponse, "amazon: getOrder answer lacks `order`");
    }
    return ParseOrder(order);
  });
}

Status SpApiAmazonApi::ConfirmShipment(const ConfirmShipmentRequest& request) {
  if (request.tracking_number.empty()) {
    return Fail(ErrorCode::kInvalidInput, "amazon: confirmShipment for order " +
                                              request.order_id.value() + " has no tracking number");
  }
  if (request.carrier_code == "Other" && request.carrier_name.empty()) {
    return Fail(ErrorCode::kInvalidInput, "amazon: confirmShipment for order " +
                                              request.order_id.value() +
                                              ": carrierCode Other needs a carrierName");
  }
  json items = json::array();
  for (const auto& item : request.items) {
    json entry = {{"orderItemId", item.order_item_id.value()}, {"quantity", item.quantity}};
    if (!item.transparency_codes.empty()) entry["transparencyCodes"] = item.transparency_codes;
    items.push_back(std::move(entry));
  }
  json package = {{"packageReferenceId", request.package_reference_id},
                  {"carrierCode", request.carrier_code},
                  {"trackingNumber", request.tracking_number},
                  {"shipDate", FormatTimestamp(request.ship_date)},
                  {"orderItems", items}};
  if (!request.carrier_name.empty()) package["carrierName"] = request.carrier_name;
  if (!request.shipping_method.empty()) package["shippingMethod"] = request.shipping_method;
  if (!request.ship_from_supply_source_id.empty()) {
    package["shipFromSupplySourceId"] = request.ship_from_supply_source_id;
  }
  json body = {{"marketplaceId", request.marketplace_id.value()}, {"packageDetail", package}};
  if (!request.cod_collection_method.empty()) {
    body["codCollectionMethod"] = request.cod_collection_method;
  }
  SpApiRequest call;
  call.method = HttpMethod::kPost;
  call.path =
      "/orders/v0/orders/" + PathSegment(request.order_id.value()) + "/shipmentConfirmation";
  call.body = body.dump();
  call.operation = "confirmShipment";
  call.priority = request.priority;
  auto response = client_.Call(call);
  if (!response) return tl::unexpected(response.error());
  return {};
}

}  // namespace mb::amazon

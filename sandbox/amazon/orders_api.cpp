// Orders API 2026-01-01 (searchOrders, getOrder) and Orders v0 confirmShipment.
#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>

#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"

namespace sandbox::amazon {
namespace {

using nlohmann::json;

const std::set<std::string> kIncludedData = {
    "BUYER",       "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION",         "CANCELLATION",
    "FULFILLMENT", "PACKAGES",  "TAX",      "PAYMENT", "FULFILLMENT_ORDERS"};
const std::set<std::string> kFulfillmentStatuses = {"PENDING_AVAILABILITY", "PENDING", "UNSHIPPED",
                                                    "PARTIALLY_SHIPPED",    "SHIPPED", "CANCELLED",
                                                    "UNFULFILLABLE"};
// Orders newer than this are not yet visible (model: Before bounds must be 2 minutes in the past).
constexpr std::chrono::minutes kVisibilityLag{2};
constexpr std::chrono::hours kPaginationTokenLifetime{24};

const std::set<std::string>& CarrierCodes() {
  static const std::set<std::string> codes = [] {
    std::ifstream in(std::string(MB_SHARED_DIR) + "/reference/amazon/carrier-codes.txt");
    if (!in)
      throw std::runtime_error("amazon sandbox: cannot read reference/amazon/carrier-codes.txt");
    std::set<std::string> out;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty() && line[0] != '#') out.insert(line);
    }
    return out;
  }();
  return codes;
}

ApiResponse Invalid(const std::string& message) {
  return ApiResponse::Error(400, "InvalidInput", message);
}

json MoneyJson(int64_t minor, const std::string& currency) {
  return {{"amount", FormatAmount(minor)}, {"currencyCode", currency}};
}

json Window(SimTime from, SimTime to) {
  return {{"earliestDateTime", FormatIso(from)}, {"latestDateTime", FormatIso(to)}};
}

bool AddressVisible(const std::string& status) {
  // As in Orders v0: no shipping address before payment is authorised or after cancellation.
  return status != order_status::kPending && status != order_status::kPendingAvailability &&
         status != order_status::kCancelled;
}

json OrderJson(const Order& order, const std::set<std::string>& included, const FaultRule* fault) {
  const Marketplace* m = FindMarketplace(order.marketplace_id);
  json j = {{"orderId", order.order_id},
            {"createdTime", FormatIso(order.created_time)},
            {"lastUpdatedTime", FormatIso(order.last_updated_time)},
            {"salesChannel",
             {{"channelName", "AMAZON"},
              {"marketplaceId", order.marketplace_id},
              {"marketplaceName", std::string(m->name)}}}};
  if (included.count("BUYER")) {
    j["buyer"] = {{"buyerName", order.buyer_name}, {"buyerEmail", order.buyer_email}};
  }
  if (included.count("RECIPIENT") && AddressVisible(order.status)) {
    const Address& a = order.delivery_address;
    j["recipient"]["deliveryAddress"] = {{"name", a.name},
                                         {"addressLine1", a.address_line1},
                                         {"city", a.city},
                                         {"postalCode", a.postal_code},
                                         {"countryCode", a.country_code},
                                         {"phone", a.phone},
                                         {"addressType", "RESIDENTIAL"}};
  }
  int64_t total = 0;
  std::string currency(m->currency);
  json items = json::array();
  for (const auto& item : order.items) {
    const int64_t line_total = item.unit_price.minor * item.quantity_ordered;
    total += line_total;
    currency = item.unit_price.currency;
    json i = {
        {"orderItemId", item.order_item_id},
        {"quantityOrdered", item.quantity_ordered},
        {"product",
         {{"asin", item.asin},
          {"title", item.title},
          {"sellerSku", item.sku},
          {"condition", {{"conditionType", "NEW"}, {"conditionSubtype", "NEW"}}},
          {"price", {{"unitPrice", MoneyJson(item.unit_price.minor, item.unit_price.currency)}}}}}};
    if (included.count("PROCEEDS")) {
      i["proceeds"] = {
          {"proceedsTotal", MoneyJson(line_total, item.unit_price.currency)},
          {"breakdowns",
           {{{"type", "ITEM"}, {"subtotal", MoneyJson(line_total, item.unit_price.currency)}}}}};
    }
    if (included.count("FULFILLMENT")) {
      i["fulfillment"] = {{"quantityFulfilled", item.quantity_shipped},
                          {"quantityUnfulfilled", item.quantity_ordered - item.quantity_shipped}};
    }
    items.push_back(std::move(i));
  }
  j["orderItems"] = std::move(items);
  if (included.count("PROCEEDS")) j["proceeds"] = {{"grandTotal", MoneyJson(total, currency)}};
  if (included.count("FULFILLMENT")) {
    j["fulfillment"] = {
        {"fulfillmentStatus", fault ? fault->order_status : order.status},
        {"fulfilledBy", "MERCHANT"},
        {"fulfillmentServiceLevel", "STANDARD"},
        {"shipByWindow", Window(order.earliest_ship_date, order.latest_ship_date)},
        {"deliverByWindow", Window(order.earliest_delivery_date, order.latest_delivery_date)}};
  }
  if (included.count("PACKAGES")) {
    json packages = json::array();
    for (const auto& p : order.packages) {
      json items_json = json::array();
      for (const auto& pi : p.items)
        items_json.push_back({{"orderItemId", pi.order_item_id}, {"quantity", pi.quantity}});
      packages.push_back({{"packageReferenceId", p.package_reference_id},
                          {"createdTime", FormatIso(p.confirmed_at)},
                          {"packageStatus", {{"status", "SHIPPED"}}},
                          {"carrier", p.carrier_code == "Other" ? p.carrier_name : p.carrier_code},
                          {"shipTime", FormatIso(p.ship_date)},
                          {"shippingService", p.shipping_method},
                          {"trackingNumber", p.tracking_number},
                          {"packageItems", items_json}});
    }
    j["packages"] = std::move(packages);
  }
  return j;
}

std::optional<std::set<std::string>> IncludedData(const ApiRequest& req, ApiResponse* error) {
  std::set<std::string> out;
  for (const auto& v : req.ArrayParam("includedData")) {
    if (!kIncludedData.count(v)) {
      *error = Invalid("Invalid includedData value: " + v);
      return std::nullopt;
    }
    out.insert(v);
  }
  return out;
}

// The first page's filters, carried in the pagination token (filters stay as in the first call).
struct OrderQuery {
  bool by_created = true;
  int64_t after_ms = 0;
  int64_t before_ms = 0;
  std::vector<std::string> marketplaces;
  std::vector<std::string> statuses;
  bool merchant = true;
  int page_size = 100;
  size_t offset = 0;
  int64_t issued_ms = 0;

  json ToJson() const {
    return {{"c", by_created},   {"a", after_ms}, {"b", before_ms},
            {"m", marketplaces}, {"s", statuses}, {"f", merchant},
            {"p", page_size},    {"o", offset},   {"i", issued_ms}};
  }
  static OrderQuery FromJson(const json& j) {
    OrderQuery q;
    q.by_created = j.at("c");
    q.after_ms = j.at("a");
    q.before_ms = j.at("b");
    q.marketplaces = j.at("m").get<std::vector<std::string>>();
    q.statuses = j.at("s").get<std::vector<std::string>>();
    q.merchant = j.at("f");
    q.page_size = j.at("p");
    q.offset = j.at("o");
    q.issued_ms = j.at("i");
    return q;
  }
};

int64_t Ms(SimTime t) { return t.time_since_epoch().count(); }

std::optional<OrderQuery> ParseFirstPage(const ApiRequest& req, ApiResponse* error) {
  auto fail = [&](const std::string& message) {
    *error = Invalid(message);
    return std::nullopt;
  };
  auto created_after = req.Param("createdAfter"), created_before = req.Param("createdBefore");
  auto updated_after = req.Param("lastUpdatedAfter"),
       updated_before = req.Param("lastUpdatedBefore");
  if (created_after.has_value() == updated_after.has_value()) {
    return fail("Exactly one of createdAfter and lastUpdatedAfter must be provided.");
  }
  OrderQuery q;
  q.by_created = created_after.has_value();
  if (q.by_created && updated_before)
    return fail("lastUpdatedBefore can't be combined with createdAfter.");
  if (!q.by_created && created_before)
    return fail("createdBefore can't be combined with lastUpdatedAfter.");
  const std::string after_name = q.by_created ? "createdAfter" : "lastUpdatedAfter";
  const std::string before_name = q.by_created ? "createdBefore" : "lastUpdatedBefore";
  auto after = ParseIso(q.by_created ? *created_after : *updated_after);
  if (!after) return fail(after_name + " is not a valid ISO 8601 date-time.");
  const SimTime cutoff = req.now - kVisibilityLag;
  SimTime before = cutoff;
  if (auto text = q.by_created ? created_before : updated_before) {
    auto parsed = ParseIso(*text);
    if (!parsed) return fail(before_name + " is not a valid ISO 8601 date-time.");
    if (*parsed < *after)
      return fail(before_name + " must be equal to or after " + after_name + ".");
    if (*parsed > cutoff)
      return fail(before_name + " must be at least two minutes before the time of the request.");
    before = *parsed;
  }
  q.after_ms = Ms(*after);
  q.before_ms = Ms(before);
  q.marketplaces = req.ArrayParam("marketplaceIds");
  if (q.marketplaces.size() > 50) return fail("marketplaceIds accepts at most 50 values.");
  for (const auto& id : q.marketplaces) {
    if (FindMarketplace(id) == nullptr) return fail("Invalid marketplaceId: " + id);
  }
  q.statuses = req.ArrayParam("fulfillmentStatuses");
  for (const auto& s : q.statuses) {
    if (!kFulfillmentStatuses.count(s)) return fail("Invalid fulfillmentStatuses value: " + s);
  }
  auto fulfilled_by = req.ArrayParam("fulfilledBy");
  for (const auto& f : fulfilled_by) {
    if (f != "MERCHANT" && f != "AMAZON") return fail("Invalid fulfilledBy value: " + f);
  }
  q.merchant =
      fulfilled_by.empty() || std::count(fulfilled_by.begin(), fulfilled_by.end(), "MERCHANT") > 0;
  if (auto size = req.Param("maxResultsPerPage")) {
    try {
      size_t used = 0;
      q.page_size = std::stoi(*size, &used);
      if (used != size->size()) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      return fail("maxResultsPerPage must be an integer.");
    }
    if (q.page_size < 1 || q.page_size > 100)
      return fail("maxResultsPerPage must be between 1 and 100.");
  }
  q.issued_ms = Ms(req.now);
  return q;
}

ApiResponse SearchOrders(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto included = IncludedData(req, &error);
  if (!included) return error;
  std::optional<OrderQuery> q;
  if (auto token = req.Param("paginationToken")) {
    auto decoded = HexDecode(*token);
    auto j = decoded ? json::parse(*decoded, nullptr, false) : json(nullptr);
    try {
      if (j.is_object()) q = OrderQuery::FromJson(j);
    } catch (const json::exception&) {
      q.reset();
    }
    if (!q) return Invalid("Invalid paginationToken.");
    if (Ms(req.now) - q->issued_ms >
        std::chrono::duration_cast<std::chrono::milliseconds>(kPaginationTokenLifetime).count()) {
      return Invalid("The paginationToken has expired.");
    }
  } else {
    q = ParseFirstPage(req, &error);
    if (!q) return error;
  }
  std::vector<Order> matching;
  if (q->merchant) {
    for (auto& order : world.Orders(req.seller_id)) {
      const int64_t t = Ms(q->by_created ? order.created_time : order.last_updated_time);
      if (t < q->after_ms || t > q->before_ms) continue;
      if (!q->marketplaces.empty() && std::find(q->marketplaces.begin(), q->marketplaces.end(),
                                                order.marketplace_id) == q->marketplaces.end()) {
        continue;
      }
      if (!q->statuses.empty() &&
          std::find(q->statuses.begin(), q->statuses.end(), order.status) == q->statuses.end()) {
        continue;
      }
      matching.push_back(std::move(order));
    }
  }
  std::sort(matching.begin(), matching.end(), [&](const Order& a, const Order& b) {
    auto ta = q->by_created ? a.created_time : a.last_updated_time;
    auto tb = q->by_created ? b.created_time : b.last_updated_time;
    return ta != tb ? ta < tb : a.order_id < b.order_id;
  });
  json orders = json::array();
  const FaultRule* fault =
      req.fault && req.fault->kind == FaultKind::kUnknownOrderStatus ? &*req.fault : nullptr;
  size_t end = std::min(matching.size(), q->offset + static_cast<size_t>(q->page_size));
  for (size_t i = q->offset; i < end; ++i)
    orders.push_back(OrderJson(matching[i], *included, fault));
  json body = {{"orders", orders}};
  if (end < matching.size()) {
    OrderQuery next = *q;
    next.offset = end;
    body["pagination"] = {{"nextToken", HexEncode(next.ToJson().dump())}};
  }
  body[q->by_created ? "createdBefore" : "lastUpdatedBefore"] =
      FormatIso(SimTime(std::chrono::milliseconds(q->before_ms)));
  return ApiResponse::Json(200, body);
}

ApiResponse GetOrder(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto included = IncludedData(req, &error);
  if (!included) return error;
  const std::string id = req.PathParam(1);
  auto order = world.GetOrder(id);
  if (!order || order->seller_id != req.seller_id) {
    return ApiResponse::Error(404, "NotFound", "Order " + id + " was not found.");
  }
  const FaultRule* fault =
      req.fault && req.fault->kind == FaultKind::kUnknownOrderStatus ? &*req.fault : nullptr;
  return ApiResponse::Json(200, {{"order", OrderJson(*order, *included, fault)}});
}

bool IsPositiveNumeric(const std::string& s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  return s.find_first_not_of('0') != std::string::npos;
}

ApiResponse ConfirmShipment(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto body = ParseJsonBody(req.http, &error);
  if (!body) return error;
  auto str = [](const json& j, const char* key) -> std::optional<std::string> {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return std::nullopt;
    return j[key].get<std::string>();
  };
  auto marketplace = str(*body, "marketplaceId");
  if (!marketplace || FindMarketplace(*marketplace) == nullptr)
    return Invalid("marketplaceId is missing or invalid.");
  if (!body->contains("packageDetail") || !(*body)["packageDetail"].is_object()) {
    return Invalid("packageDetail is required.");
  }
  const json& pd = (*body)["packageDetail"];
  ConfirmShipmentRequest request;
  request.marketplace_id = *marketplace;
  Package& pkg = request.package;
  auto ref = str(pd, "packageReferenceId");
  if (!ref || !IsPositiveNumeric(*ref))
    return Invalid("packageReferenceId must be a positive numeric string.");
  pkg.package_reference_id = *ref;
  auto carrier = str(pd, "carrierCode");
  if (!carrier || carrier->empty()) return Invalid("carrierCode is required.");
  if (!CarrierCodes().count(*carrier)) {
    return Invalid("carrierCode '" + *carrier +
                   "' is not a recognised carrier; use 'Other' with carrierName.");
  }
  pkg.carrier_code = *carrier;
  pkg.carrier_name = str(pd, "carrierName").value_or("");
  if (pkg.carrier_code == "Other" && pkg.carrier_name.empty()) {
    return Invalid("carrierName is required when carrierCode is 'Other'.");
  }
  pkg.shipping_method = str(pd, "shippingMethod").value_or("");
  auto tracking = str(pd, "trackingNumber");
  if (!tracking || tracking->empty()) return Invalid("trackingNumber is required.");
  pkg.tracking_number = *tracking;
  auto ship_date_text = str(pd, "shipDate");
  if (!ship_date_text) return Invalid("shipDate is required.");
  auto ship_date = ParseIso(*ship_date_text);
  if (!ship_date)
    return Invalid("shipDate '" + *ship_date_text + "' is not an ISO 8601 date-time.");
  pkg.ship_date = *ship_date;
  if (!pd.contains("orderItems") || !pd["orderItems"].is_array() || pd["orderItems"].empty()) {
    return Invalid("orderItems is required.");
  }
  for (const auto& item : pd["orderItems"]) {
    auto item_id = str(item, "orderItemId");
    if (!item_id || !item.contains("quantity") || !item["quantity"].is_number_integer()) {
      return Invalid("each orderItems entry needs orderItemId and integer quantity.");
    }
    pkg.items.push_back({*item_id, item["quantity"].get<int>()});
  }
  auto done = world.ConfirmShipment(req.seller_id, req.PathParam(1), request);
  if (!done)
    return ApiResponse::Error(done.error().http_status, done.error().code, done.error().message);
  return ApiResponse::Empty(204);
}

}  // namespace

void AddOrdersRoutes(ApiRouter& router, AmazonWorld& world) {
  CarrierCodes();  // fail at startup, not on the first confirmation, if the list is missing
  router.Add("GET", "/orders/2026-01-01/orders", "orders.searchOrders",
             [&world](const ApiRequest& r) { return SearchOrders(world, r); });
  router.Add("GET", "/orders/2026-01-01/orders/([^/]+)", "orders.getOrder",
             [&world](const ApiRequest& r) { return GetOrder(world, r); });
  router.Add("POST", "/orders/v0/orders/([^/]+)/shipmentConfirmation", "ordersV0.confirmShipment",
             [&world](const ApiRequest& r) { return ConfirmShipment(world, r); });
}

}  // namespace sandbox::amazon

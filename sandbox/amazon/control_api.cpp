// The sandbox's own control and inspection API under /_sandbox/amazon/ — no token, no throttling,
// not counted: it is how tests, the market and the demo drive and read the emulated Amazon.
#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"

namespace sandbox::amazon {
namespace {

using nlohmann::json;

ApiResponse Fail(const WorldError& e) {
  return ApiResponse::Error(e.http_status, e.code, e.message);
}
ApiResponse Bad(const std::string& message) {
  return ApiResponse::Error(400, "InvalidInput", message);
}

json ListingJson(const Listing& l) {
  return {{"sellerId", l.seller_id},
          {"region", RegionName(l.region)},
          {"sku", l.sku},
          {"asin", l.asin},
          {"productType", l.product_type},
          {"marketplaceIds", l.marketplace_ids},
          {"quantity", ListedQuantity(l)},
          {"attributes", l.attributes},
          {"createdDate", FormatIso(l.created_date)},
          {"lastUpdatedDate", FormatIso(l.last_updated_date)}};
}

json OrderSummary(const Order& o) {
  json items = json::array();
  for (const auto& i : o.items) {
    items.push_back({{"orderItemId", i.order_item_id},
                     {"sellerSku", i.sku},
                     {"quantityOrdered", i.quantity_ordered},
                     {"quantityShipped", i.quantity_shipped},
                     {"unitPrice",
                      {{"amount", FormatAmount(i.unit_price.minor)},
                       {"currencyCode", i.unit_price.currency}}}});
  }
  return {{"orderId", o.order_id},
          {"sellerId", o.seller_id},
          {"marketplaceId", o.marketplace_id},
          {"status", o.status},
          {"createdTime", FormatIso(o.created_time)},
          {"lastUpdatedTime", FormatIso(o.last_updated_time)},
          {"latestShipDate", FormatIso(o.latest_ship_date)},
          {"orderItems", items}};
}

std::optional<json> Body(const ApiRequest& req, ApiResponse* error) {
  auto body = ParseJsonBody(req.http, error);
  if (body && !body->is_object()) {
    *error = Bad("body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

ApiResponse Counters(AmazonServer& server) {
  WorldCounters c = server.world().Counters();
  return ApiResponse::Json(200,
                           {{"operations", server.CountersJson()},
                            {"world",
                             {{"ordersPlaced", c.orders_placed},
                              {"ordersRejected", c.orders_rejected},
                              {"shipmentsConfirmed", c.shipments_confirmed},
                              {"lateShipments", c.late_shipments},
                              {"feedsDone", c.feeds_done},
                              {"feedsFatal", c.feeds_fatal},
                              {"feedMessagesSilentlyDropped", c.feed_messages_silently_dropped}}}});
}

ApiResponse SeedListing(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto b = Body(req, &error);
  if (!b) return error;
  if (!b->contains("sellerId") || !b->contains("marketplaceId") || !b->contains("sku")) {
    return Bad("sellerId, marketplaceId, sku, productType and attributes are required");
  }
  auto sub = world.PutListing((*b)["sellerId"], (*b)["marketplaceId"], (*b)["sku"], *b, false);
  if (!sub) return Fail(sub.error());
  return ApiResponse::Json(sub->status == "ACCEPTED" ? 200 : 400,
                           {{"sku", sub->sku}, {"status", sub->status}, {"issues", sub->issues}});
}

ApiResponse ReadListing(AmazonWorld& world, const ApiRequest& req) {
  const Region region =
      req.Param("region").value_or("EU") == "NA" ? Region::kNorthAmerica : Region::kEurope;
  auto listing = world.GetListing(req.PathParam(1), region, req.PathParam(2));
  if (!listing) return ApiResponse::Error(404, "NotFound", "no listing " + req.PathParam(2));
  return ApiResponse::Json(200, ListingJson(*listing));
}

ApiResponse PlaceOrder(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto b = Body(req, &error);
  if (!b) return error;
  PlaceOrderRequest order;
  try {
    order.seller_id = b->at("sellerId");
    order.marketplace_id = b->at("marketplaceId");
    for (const auto& line : b->at("lines")) {
      OrderLineRequest l{line.at("sku"), line.value("quantity", 1), std::nullopt};
      if (line.contains("unitPrice")) {
        const Marketplace* m = FindMarketplace(order.marketplace_id);
        l.unit_price =
            Money{line["unitPrice"].get<int64_t>(), m ? std::string(m->currency) : "EUR"};
      }
      order.lines.push_back(l);
    }
    order.status = b->value("status", order.status);
    order.ship_within =
        std::chrono::seconds(b->value("shipWithinSeconds", order.ship_within.count()));
  } catch (const json::exception& e) {
    return Bad(std::string("bad order: ") + e.what());
  }
  auto placed = world.PlaceOrder(order);
  if (!placed) return Fail(placed.error());
  return ApiResponse::Json(201, OrderSummary(*placed));
}

ApiResponse ReadOrder(AmazonWorld& world, const ApiRequest& req) {
  auto order = world.GetOrder(req.PathParam(1));
  if (!order) return ApiResponse::Error(404, "NotFound", "no order " + req.PathParam(1));
  return ApiResponse::Json(200, OrderSummary(*order));
}

ApiResponse SetStatus(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto b = Body(req, &error);
  if (!b) return error;
  if (!b->contains("status") || !(*b)["status"].is_string()) return Bad("status is required");
  auto order = world.SetOrderStatus(req.PathParam(1), (*b)["status"]);
  if (!order) return Fail(order.error());
  return ApiResponse::Json(200, OrderSummary(*order));
}

ApiResponse Cancel(AmazonWorld& world, const ApiRequest& req) {
  auto order = world.CancelOrder(req.PathParam(1));
  if (!order) return Fail(order.error());
  return ApiResponse::Json(200, OrderSummary(*order));
}

ApiResponse ReadConfirmations(AmazonWorld& world) {
  json out = json::array();
  for (const auto& c : world.Confirmations()) {
    out.push_back({{"orderId", c.order_id},
                   {"packageReferenceId", c.package_reference_id},
                   {"carrierCode", c.carrier_code},
                   {"carrierName", c.carrier_name},
                   {"trackingNumber", c.tracking_number},
                   {"shipDate", FormatIso(c.ship_date)},
                   {"confirmedAt", FormatIso(c.confirmed_at)},
                   {"latestShipDate", FormatIso(c.latest_ship_date)},
                   {"late", c.late},
                   {"edit", c.edit}});
  }
  return ApiResponse::Json(200, {{"confirmations", out}});
}

ApiResponse AddFault(AmazonServer& server, const ApiRequest& req) {
  ApiResponse error;
  auto b = Body(req, &error);
  if (!b) return error;
  std::string problem;
  auto rule = FaultRuleFromJson(*b, &problem);
  if (!rule) return Bad(problem);
  const std::string op = b->value("operation", "*");
  if (op != "*" && FindOperationLimit(op) == nullptr) return Bad("unknown operation " + op);
  server.faults().Add(op, *rule);
  return ApiResponse::Json(200, server.faults().ToJson());
}

ApiResponse PublishReport(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto b = Body(req, &error);
  if (!b) return error;
  try {
    SimTime created = world.clock().Now();
    if (b->contains("createdTime")) {
      auto t = ParseIso(b->at("createdTime").get<std::string>());
      if (!t) return Bad("createdTime is not ISO 8601");
      created = *t;
    }
    Report r = world.AddReport(b->at("sellerId"), b->at("reportType"), b->at("marketplaceId"),
                               b->at("content"), created, b->value("gzip", true));
    return ApiResponse::Json(
        201, {{"reportId", r.report_id}, {"reportDocumentId", r.report_document_id}});
  } catch (const json::exception& e) {
    return Bad(std::string("bad report: ") + e.what());
  }
}

ApiResponse Advance(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto b = Body(req, &error);
  if (!b) return error;
  world.clock().Advance(
      std::chrono::milliseconds(static_cast<int64_t>(b->value("seconds", 0.0) * 1000)));
  world.ProcessDue();
  return ApiResponse::Json(200, {{"now", FormatIso(world.clock().Now())}});
}

}  // namespace

void AddControlRoutes(ApiRouter& router, AmazonServer& server) {
  AmazonWorld& world = server.world();
  const std::string p = "/_sandbox/amazon";
  router.Add("GET", p + "/counters", "control",
             [&server](const ApiRequest&) { return Counters(server); });
  router.Add("POST", p + "/listings", "control",
             [&world](const ApiRequest& r) { return SeedListing(world, r); });
  router.Add("GET", p + "/listings/([^/]+)/([^/]+)", "control",
             [&world](const ApiRequest& r) { return ReadListing(world, r); });
  router.Add("POST", p + "/orders", "control",
             [&world](const ApiRequest& r) { return PlaceOrder(world, r); });
  router.Add("GET", p + "/orders/([^/]+)", "control",
             [&world](const ApiRequest& r) { return ReadOrder(world, r); });
  router.Add("POST", p + "/orders/([^/]+)/status", "control",
             [&world](const ApiRequest& r) { return SetStatus(world, r); });
  router.Add("POST", p + "/orders/([^/]+)/cancel", "control",
             [&world](const ApiRequest& r) { return Cancel(world, r); });
  router.Add("GET", p + "/confirmations", "control",
             [&world](const ApiRequest&) { return ReadConfirmations(world); });
  router.Add("GET", p + "/faults", "control", [&server](const ApiRequest&) {
    return ApiResponse::Json(200, server.faults().ToJson());
  });
  router.Add("POST", p + "/faults", "control",
             [&server](const ApiRequest& r) { return AddFault(server, r); });
  router.Add("DELETE", p + "/faults", "control", [&server](const ApiRequest&) {
    server.faults().Clear();
    return ApiResponse::Json(200, json::object());
  });
  router.Add("POST", p + "/reports", "control",
             [&world](const ApiRequest& r) { return PublishReport(world, r); });
  router.Add("GET", p + "/clock", "control", [&world](const ApiRequest&) {
    return ApiResponse::Json(200, {{"now", FormatIso(world.clock().Now())}});
  });
  router.Add("POST", p + "/clock/advance", "control",
             [&world](const ApiRequest& r) { return Advance(world, r); });
}

}  // namespace sandbox::amazon

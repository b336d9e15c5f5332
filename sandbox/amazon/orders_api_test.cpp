#include "sandbox/amazon/amazon_test_support.hpp"

namespace sandbox::amazon::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class OrdersApiTest : public AmazonHttpTest {
 protected:
  json Confirmation(const Order& order, const std::string& ref, const std::string& carrier,
                    int quantity) {
    return {{"marketplaceId", kDe},
            {"packageDetail",
             {{"packageReferenceId", ref},
              {"carrierCode", carrier},
              {"trackingNumber", "00340434" + ref},
              {"shipDate", FormatIso(clock_.Now())},
              {"orderItems",
               {{{"orderItemId", order.items[0].order_item_id}, {"quantity", quantity}}}}}}};
  }
  httplib::Result Confirm(const Order& order, const json& body) {
    return Post("/orders/v0/orders/" + order.order_id + "/shipmentConfirmation", body);
  }
  std::string Message(const httplib::Result& res) { return Json(res)["errors"][0]["message"]; }
};

TEST_F(OrdersApiTest, ConfirmShipmentAnswers204AndRecordsOnTimeAndLate) {
  SeedShirt("SKU-1", 10);
  Order on_time = PlaceOrder("SKU-1", 1);
  auto res = Confirm(on_time, Confirmation(on_time, "1", "DHL", 1));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_TRUE(res->body.empty());
  EXPECT_EQ(res->get_header_value("x-amzn-RateLimit-Limit"), "2");

  Order late = PlaceOrder("SKU-1", 1);
  clock_.Advance(49h);  // ship-by window is 48 h
  token_ = FetchToken();
  EXPECT_EQ(Confirm(late, Confirmation(late, "1", "UPS", 1))->status, 204);

  auto log = world_.Confirmations();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].order_id, on_time.order_id);
  EXPECT_FALSE(log[0].late);
  EXPECT_EQ(log[1].order_id, late.order_id);
  EXPECT_TRUE(log[1].late);
  EXPECT_EQ(world_.Counters().late_shipments, 1);
  EXPECT_EQ(world_.GetOrder(late.order_id)->status, order_status::kShipped);
}

TEST_F(OrdersApiTest, ConfirmShipmentRejectsBadCarrierAndOtherWithoutName) {
  SeedShirt("SKU-1", 10);
  Order order = PlaceOrder("SKU-1", 1);
  auto bad = Confirm(order, Confirmation(order, "1", "Evri Express", 1));
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad)["errors"][0]["code"], "InvalidInput");
  EXPECT_NE(Message(bad).find("carrierCode"), std::string::npos);
  EXPECT_EQ(bad->get_header_value("x-amzn-RateLimit-Limit"), "2");

  json other = Confirmation(order, "1", "Other", 1);
  auto no_name = Confirm(order, other);
  EXPECT_EQ(no_name->status, 400);
  EXPECT_NE(Message(no_name).find("carrierName"), std::string::npos);
  other["packageDetail"]["carrierName"] = "Kurier Schmidt";
  EXPECT_EQ(Confirm(order, other)->status, 204);
  EXPECT_TRUE(world_.Confirmations().at(0).carrier_name == "Kurier Schmidt");
}

TEST_F(OrdersApiTest, ConfirmShipmentChecksBodyAndOrderState) {
  SeedShirt("SKU-1", 10);
  Order pending = PlaceOrder("SKU-1", 1, order_status::kPending);
  auto res = Confirm(pending, Confirmation(pending, "1", "DHL", 1));
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(Message(res).find("PENDING"), std::string::npos);

  Order order = PlaceOrder("SKU-1", 2);
  json body = Confirmation(order, "0", "DHL", 1);
  EXPECT_NE(Message(Confirm(order, body)).find("packageReferenceId"), std::string::npos);
  body = Confirmation(order, "1", "DHL", 1);
  body["packageDetail"]["shipDate"] = "02/21/2022";
  EXPECT_EQ(Confirm(order, body)->status, 400);
  body = Confirmation(order, "1", "DHL", 1);
  body["packageDetail"].erase("trackingNumber");
  EXPECT_EQ(Confirm(order, body)->status, 400);
  body = Confirmation(order, "1", "DHL", 3);
  EXPECT_NE(Message(Confirm(order, body)).find("exceeds"), std::string::npos);
  body = Confirmation(order, "1", "DHL", 1);
  body["packageDetail"]["orderItems"][0]["orderItemId"] = "99999999999999";
  EXPECT_NE(Message(Confirm(order, body)).find("does not belong"), std::string::npos);

  // Same packageReferenceId again edits that package instead of adding one.
  EXPECT_EQ(Confirm(order, Confirmation(order, "1", "DHL", 1))->status, 204);
  EXPECT_EQ(Confirm(order, Confirmation(order, "1", "UPS", 2))->status, 204);
  auto stored = world_.GetOrder(order.order_id);
  ASSERT_EQ(stored->packages.size(), 1u);
  EXPECT_EQ(stored->packages[0].carrier_code, "UPS");
  EXPECT_EQ(stored->status, order_status::kShipped);
  EXPECT_TRUE(world_.Confirmations().back().edit);

  ASSERT_TRUE(world_.CancelOrder(pending.order_id));
  EXPECT_EQ(Confirm(pending, Confirmation(pending, "1", "DHL", 1))->status, 400);
  EXPECT_EQ(Post("/orders/v0/orders/000-0000000-0000000/shipmentConfirmation",
                 Confirmation(order, "1", "DHL", 1))
                ->status,
            404);
}

TEST_F(OrdersApiTest, SearchOrdersHidesTheLastTwoMinutesAndRejectsNewerBounds) {
  SeedShirt("SKU-1", 10);
  Order old_order = PlaceOrder("SKU-1", 1);
  clock_.Advance(5min);
  Order fresh = PlaceOrder("SKU-1", 1);
  clock_.Advance(1min);
  auto res = Get("/orders/2026-01-01/orders?createdAfter=2026-11-20T00:00:00Z&marketplaceIds=" +
                 std::string(kDe));
  ASSERT_EQ(res->status, 200);
  json body = Json(res);
  ASSERT_EQ(body["orders"].size(), 1u);
  EXPECT_EQ(body["orders"][0]["orderId"], old_order.order_id);
  EXPECT_EQ(body["createdBefore"], "2026-11-20T10:04:00Z");
  EXPECT_EQ(res->get_header_value("x-amzn-RateLimit-Limit"), "0.0056");

  auto too_new =
      Get("/orders/2026-01-01/"
          "orders?createdAfter=2026-11-20T00:00:00Z&createdBefore=2026-11-20T10:05:00Z");
  EXPECT_EQ(too_new->status, 400);
  EXPECT_EQ(Get("/orders/2026-01-01/orders")->status, 400);
  EXPECT_EQ(Get("/orders/2026-01-01/"
                "orders?createdAfter=2026-11-20T00:00:00Z&lastUpdatedAfter=2026-11-20T00:00:00Z")
                ->status,
            400);
  EXPECT_EQ(Get("/orders/2026-01-01/orders?createdAfter=2026-11-20T00:00:00Z&maxResultsPerPage=101")
                ->status,
            400);

  clock_.Advance(2min);
  body = Json(Get("/orders/2026-01-01/orders?lastUpdatedAfter=2026-11-20T10:01:00Z"));
  ASSERT_EQ(body["orders"].size(), 1u);
  EXPECT_EQ(body["orders"][0]["orderId"], fresh.order_id);
  EXPECT_TRUE(body.contains("lastUpdatedBefore"));
}

TEST_F(OrdersApiTest, SearchOrdersPaginatesWithStableFilters) {
  SeedShirt("SKU-1", 10);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(PlaceOrder("SKU-1", 1).order_id);
    clock_.Advance(1s);
  }
  clock_.Advance(3min);
  std::vector<std::string> seen;
  std::string url =
      "/orders/2026-01-01/orders?createdAfter=2026-11-20T00:00:00Z&maxResultsPerPage=2";
  for (int page = 0; page < 5; ++page) {
    json body = Json(Get(url));
    for (const auto& o : body["orders"]) seen.push_back(o["orderId"]);
    if (!body.contains("pagination")) break;
    // A later page keeps the first call's filters even if the clock moves.
    clock_.Advance(10min);
    url = "/orders/2026-01-01/orders?paginationToken=" +
          body["pagination"]["nextToken"].get<std::string>();
  }
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(Get("/orders/2026-01-01/orders?paginationToken=zz")->status, 400);
}

TEST_F(OrdersApiTest, GetOrderShowsPiiOnlyWhenRequested) {
  SeedShirt("SKU-1", 10);
  Order order = PlaceOrder("SKU-1", 2);
  auto plain = Json(Get("/orders/2026-01-01/orders/" + order.order_id))["order"];
  EXPECT_FALSE(plain.contains("recipient"));
  EXPECT_FALSE(plain.contains("buyer"));
  EXPECT_EQ(plain["orderItems"][0]["product"]["sellerSku"], "SKU-1");
  EXPECT_EQ(plain["orderItems"][0]["quantityOrdered"], 2);
  EXPECT_EQ(plain["orderItems"][0]["product"]["price"]["unitPrice"],
            json({{"amount", "24.95"}, {"currencyCode", "EUR"}}));
  EXPECT_EQ(plain["salesChannel"]["marketplaceId"], kDe);

  auto full = Json(Get("/orders/2026-01-01/orders/" + order.order_id +
                       "?includedData=RECIPIENT,BUYER,FULFILLMENT,PROCEEDS"))["order"];
  EXPECT_EQ(full["recipient"]["deliveryAddress"]["postalCode"], "10115");
  EXPECT_EQ(full["buyer"]["buyerName"], "Sandbox Buyer");
  EXPECT_EQ(full["fulfillment"]["fulfillmentStatus"], "UNSHIPPED");
  EXPECT_EQ(full["fulfillment"]["shipByWindow"]["latestDateTime"], "2026-11-22T10:00:00Z");
  EXPECT_EQ(full["proceeds"]["grandTotal"]["amount"], "49.90");
  EXPECT_EQ(Get("/orders/2026-01-01/orders/" + order.order_id + "?includedData=EVERYTHING")->status,
            400);
}

}  // namespace
}  // namespace sandbox::amazon::testing

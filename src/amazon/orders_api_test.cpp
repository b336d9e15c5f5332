#include <gtest/gtest.h>

#include "amazon/model_check.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_test_support.hpp"

namespace mb::amazon {
namespace {

using testing::ExpectBodyMatchesDefinition;
using testing::ExpectQueryMatchesModel;
using testing::SandboxCases;
using testing::SpApiFixture;

constexpr char kModel[] = "orders_2026-01-01.json";

class OrdersApiTest : public testing::AmazonApiTest {};

TEST_F(OrdersApiTest, SearchOrdersSendsTheModelsParameters) {
  fixture_.http().PushResponse(
      200,
      R"({"orders":[],"pagination":{"nextToken":"t2"},"lastUpdatedBefore":"2026-11-28T08:58:00Z"})");
  SearchOrdersRequest request;
  request.last_updated_after = MakeTime(2026, 11, 28, 8, 0, 0);
  request.last_updated_before = MakeTime(2026, 11, 28, 8, 58, 0);
  request.marketplace_ids = {MarketplaceId("A1PA6795UKMFR9"), MarketplaceId("A13V1IB3VIYZZH")};
  request.fulfillment_statuses = {"PENDING", "UNSHIPPED"};
  request.fulfilled_by = {"MERCHANT"};
  request.included_data = {"FULFILLMENT", "PACKAGES"};
  request.pagination_token = "t1";
  auto page = api_.SearchOrders(request);
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->next_token, "t2");
  EXPECT_EQ(page->last_updated_before, MakeTime(2026, 11, 28, 8, 58, 0));
  const auto url = fixture_.last().url;
  EXPECT_EQ(
      url,
      "https://sp.test/orders/2026-01-01/orders?lastUpdatedAfter=2026-11-28T08%3A00%3A00Z"
      "&lastUpdatedBefore=2026-11-28T08%3A58%3A00Z&marketplaceIds=A1PA6795UKMFR9%2CA13V1IB3VIYZZH"
      "&fulfillmentStatuses=PENDING%2CUNSHIPPED&fulfilledBy=MERCHANT&maxResultsPerPage=100"
      "&paginationToken=t1&includedData=FULFILLMENT%2CPACKAGES");
  ExpectQueryMatchesModel(kModel, "searchOrders", url);
}

TEST_F(OrdersApiTest, SearchOrdersNeedsExactlyOneLowerBound) {
  EXPECT_EQ(api_.SearchOrders({}).error().code, ErrorCode::kInvalidInput);
  SearchOrdersRequest both;
  both.created_after = MakeTime(2026, 11, 1);
  both.last_updated_after = MakeTime(2026, 11, 1);
  EXPECT_EQ(api_.SearchOrders(both).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(fixture_.http().request_count(), 0u);
}

TEST_F(OrdersApiTest, ParsesEverySandboxExampleOfTheModel) {
  const auto search_cases = SandboxCases(kModel, "searchOrders", "200");
  ASSERT_EQ(search_cases.size(), 3u);
  for (const auto& c : search_cases) {
    fixture_.http().PushResponse(200, c.response.dump());
    SearchOrdersRequest request;
    request.created_after = MakeTime(2024, 12, 25);
    auto page = api_.SearchOrders(request);
    ASSERT_TRUE(page) << page.error().ToString();
    EXPECT_EQ(page->orders.size(), c.response["orders"].size());
  }
  const auto get_cases = SandboxCases(kModel, "getOrder", "200");
  ASSERT_EQ(get_cases.size(), 3u);
  for (const auto& c : get_cases) {
    fixture_.http().PushResponse(200, c.response.dump());
    auto order =
        api_.GetOrder({AmazonOrderId(c.parameters["orderId"]["value"]), {}, CallPriority::kNormal});
    ASSERT_TRUE(order) << order.error().ToString();
    EXPECT_EQ(order->order_id.value(), c.parameters["orderId"]["value"]);
  }
}

TEST_F(OrdersApiTest, GetOrderReadsWhatTheOrderLoopNeeds) {
  const auto cases = SandboxCases(kModel, "getOrder", "200");
  const auto it = std::find_if(cases.begin(), cases.end(), [](const auto& c) {
    return c.parameters["orderId"]["value"] == "171-9876543-2109876";
  });
  ASSERT_NE(it, cases.end());
  fixture_.http().PushResponse(200, it->response.dump());
  auto order = api_.GetOrder(
      {AmazonOrderId("171-9876543-2109876"), {"BUYER", "RECIPIENT"}, CallPriority::kNormal});
  ASSERT_TRUE(order) << order.error().ToString();
  EXPECT_EQ(fixture_.last().url,
            "https://sp.test/orders/2026-01-01/orders/"
            "171-9876543-2109876?includedData=BUYER%2CRECIPIENT");
  ExpectQueryMatchesModel(kModel, "getOrder", fixture_.last().url);
  EXPECT_EQ(order->marketplace_id, MarketplaceId("A2Q3Y263D00KWC"));
  EXPECT_EQ(order->fulfillment_status, "UNSHIPPED");
  EXPECT_EQ(order->fulfilled_by, "MERCHANT");
  EXPECT_EQ(order->ship_by_latest, MakeTime(2024, 12, 27, 23, 59, 59));
  EXPECT_EQ(order->grand_total, Money(29990, Currency::Of("BRL")));
  ASSERT_TRUE(order->delivery_address);
  EXPECT_EQ(order->delivery_address->postal_code, "01234-567");
  ASSERT_EQ(order->items.size(), 1u);
  EXPECT_EQ(order->items[0].seller_sku, Sku("ECHO-DOT-4-BR-PRETO"));
  EXPECT_EQ(order->items[0].quantity_ordered, 1);
  EXPECT_EQ(order->items[0].unit_price, Money(29990, Currency::Of("BRL")));
  EXPECT_EQ(order->items[0].proceeds_breakdown.at("ITEM"), Money(29990, Currency::Of("BRL")));
  EXPECT_EQ(order->items[0].quantity_unfulfilled, 1);
}

TEST_F(OrdersApiTest, AnUnknownStatusIsKeptNotRejected) {
  fixture_.http().PushResponse(
      200,
      R"({"order":{"orderId":"1","createdTime":"2026-11-28T08:00:00Z","lastUpdatedTime":"2026-11-28T08:00:00Z",
    "salesChannel":{"channelName":"AMAZON","marketplaceId":"A1PA6795UKMFR9"},"fulfillment":{"fulfillmentStatus":"ON_THE_MOON"},"orderItems":[]}})");
  auto order = api_.GetOrder({AmazonOrderId("1"), {}, CallPriority::kNormal});
  ASSERT_TRUE(order) << order.error().ToString();
  EXPECT_EQ(order->fulfillment_status, "ON_THE_MOON");
}

TEST_F(OrdersApiTest, AMalformedOrderIsAnErrorNamingTheOrder) {
  fixture_.http().PushResponse(
      200,
      R"({"order":{"orderId":"9","createdTime":"yesterday","lastUpdatedTime":"2026-11-28T08:00:00Z","orderItems":[]}})");
  auto order = api_.GetOrder({AmazonOrderId("9"), {}, CallPriority::kNormal});
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().code, ErrorCode::kMalformedResponse);
  EXPECT_NE(order.error().message.find("order 9"), std::string::npos);
}

TEST_F(OrdersApiTest, ConfirmShipmentPostsOnePackageAndAccepts204) {
  fixture_.http().PushResponse(204, "");
  ConfirmShipmentRequest request;
  request.order_id = AmazonOrderId("302-1234567-1234567");
  request.marketplace_id = MarketplaceId("A1PA6795UKMFR9");
  request.package_reference_id = "1";
  request.carrier_code = "Other";
  request.carrier_name = "My Courier";
  request.shipping_method = "Paket";
  request.tracking_number = "003404341234";
  request.ship_date = MakeTime(2026, 8, 20, 9, 30, 0);
  request.items = {{AmazonOrderItemId("79039765272157"), 1, {}}};
  ASSERT_TRUE(api_.ConfirmShipment(request));
  const auto sent = fixture_.last();
  EXPECT_EQ(sent.method, HttpMethod::kPost);
  EXPECT_EQ(sent.url, "https://sp.test/orders/v0/orders/302-1234567-1234567/shipmentConfirmation");
  EXPECT_EQ(sent.operation, "amazon.confirmShipment");
  ExpectBodyMatchesDefinition("ordersV0.json", "ConfirmShipmentRequest", sent.body);
  const auto body = nlohmann::json::parse(sent.body);
  EXPECT_EQ(body["packageDetail"]["shipDate"], "2026-08-20T09:30:00Z");
  EXPECT_EQ(body["packageDetail"]["orderItems"][0]["orderItemId"], "79039765272157");

  request.tracking_number.clear();
  EXPECT_EQ(api_.ConfirmShipment(request).error().code, ErrorCode::kInvalidInput);
  request.tracking_number = "1";
  request.carrier_name.clear();
  EXPECT_EQ(api_.ConfirmShipment(request).error().code, ErrorCode::kInvalidInput);
}

TEST_F(OrdersApiTest, ConfirmShipmentRejectionCarriesAmazonsMessage) {
  fixture_.http().PushResponse(
      400,
      R"({"errors":[{"code":"InvalidInput","message":"Invalid Input","details":"shipDate"}]})");
  ConfirmShipmentRequest request;
  request.order_id = AmazonOrderId("1");
  request.carrier_code = "DHL";
  request.tracking_number = "T";
  auto status = api_.ConfirmShipment(request);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(status.error().message.find("Invalid Input (shipDate)"), std::string::npos);
}

}  // namespace
}  // namespace mb::amazon

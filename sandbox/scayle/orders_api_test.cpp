#include <gtest/gtest.h>

#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using testing::ScayleApiTest;

class ScayleOrdersApiTest : public ScayleApiTest {
 protected:
  static Json OrderBody(const std::string& reference_key, int units) {
    Json items = Json::array();
    for (int i = 0; i < units; ++i) {
      items.push_back({{"variant", {{"referenceKey", "SHIRT-blue-M"}}},
                       {"price",
                        {{"withTax", 2999},
                         {"withoutTax", 2520},
                         {"tax", {{"vat", {{"amount", 479}, {"rate", 0.19}}}}}}}});
    }
    return {{"referenceKey", reference_key},
            {"currencyCode", "EUR"},
            {"channel", {{"key", "amazon_de"}, {"name", "Amazon DE"}, {"type", "marketplace"}}},
            {"customer", {{"referenceKey", "buyer-1"}, {"email", "buyer@marketplace.invalid"}}},
            {"items", std::move(items)}};
  }
  httplib::Result Create(const Json& body) {
    return client_->Post(Api("/shops/ms/countries/DE/orders"), body.dump(), "application/json");
  }
};

TEST_F(ScayleOrdersApiTest, CreateDuplicateAndGetByIdOrKey) {
  AddShirt();
  auto created = Create(OrderBody("302-1234567-7654321", 2));
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  auto order = Json::parse(created->body);
  EXPECT_EQ(order["referenceKey"], "302-1234567-7654321");
  EXPECT_EQ(order["items"].size(), 2u);  // one item per unit
  EXPECT_EQ(order["channel"]["key"], "amazon_de");
  EXPECT_EQ(order["cost"]["withTax"], 5998);
  EXPECT_EQ(world_.SellableD2c({std::nullopt, "SHIRT-blue-M"}, "ms", "DE"), 5);

  auto duplicate = Create(OrderBody("302-1234567-7654321", 1));
  ASSERT_TRUE(duplicate);
  EXPECT_EQ(duplicate->status, 409);
  auto error = Json::parse(duplicate->body)["errors"][0];
  EXPECT_EQ(error["errorKey"], "ORDER_ALREADY_EXISTS");
  EXPECT_NE(error["message"].get<std::string>().find(std::to_string(order["id"].get<int64_t>())),
            std::string::npos);

  auto by_id = client_->Get(
      Api("/shops/ms/countries/DE/orders/" + std::to_string(order["id"].get<int64_t>())));
  auto by_key = client_->Get(Api("/shops/ms/countries/de/orders/key%3D302-1234567-7654321"));
  ASSERT_TRUE(by_id && by_key);
  ASSERT_EQ(by_id->status, 200);
  EXPECT_EQ(by_id->body, by_key->body);
  auto wrong_country = client_->Get(
      Api("/shops/ms/countries/GB/orders/" + std::to_string(order["id"].get<int64_t>())));
  EXPECT_EQ(wrong_country->status, 404);
  auto status = client_->Get(Api("/shops/ms/countries/DE/orders/key%3D302-1234567-7654321/status"));
  ASSERT_TRUE(status);
  EXPECT_EQ(Json::parse(status->body)["status"], "payment_reserved");
}

TEST_F(ScayleOrdersApiTest, PackagesAppearAfterTheWarehouseShips) {
  AddShirt();
  auto order = Json::parse(Create(OrderBody("302-0000000-0000001", 3))->body);
  int64_t id = order["id"];
  Json shipment = {
      {"packages", Json::array({{{"carrierKey", "DHL_STD_NATIONAL"},
                                 {"shipmentKey", "00340434161094042557"},
                                 {"itemIds", {order["items"][0]["id"], order["items"][1]["id"]}}},
                                {{"carrierKey", "DPD"}, {"shipmentKey", "01505012345678"}}})}};
  auto shipped = client_->Post("/_sandbox/scayle/orders/" + std::to_string(id) + "/shipments",
                               shipment.dump(), "application/json");
  ASSERT_TRUE(shipped);
  ASSERT_EQ(shipped->status, 200) << shipped->body;
  auto res = client_->Get(Api("/shops/ms/countries/DE/orders/" + std::to_string(id)));
  auto got = Json::parse(res->body);
  ASSERT_EQ(got["packages"].size(), 2u);
  const auto& first = got["packages"][0];
  EXPECT_EQ(first["carrierKey"], "DHL_STD_NATIONAL");
  EXPECT_EQ(first["shipmentKey"], "00340434161094042557");
  EXPECT_EQ(first["tracking"]["id"], "00340434161094042557");
  EXPECT_EQ(first["shippedAt"], "2026-03-02T09:00:00+00:00");
  EXPECT_NE(first["tracking"]["url"].get<std::string>().find("00340434161094042557"),
            std::string::npos);
  EXPECT_EQ(got["items"][0]["packageId"], first["id"]);
  EXPECT_EQ(got["items"][1]["packageId"], first["id"]);
  EXPECT_EQ(got["items"][2]["packageId"], got["packages"][1]["id"]);
  EXPECT_EQ(got["items"][2]["shippedAt"], "2026-03-02T09:00:00+00:00");
  EXPECT_EQ(got["status"], "invoice_completed");
}

TEST_F(ScayleOrdersApiTest, CancellationsCancelUnshippedItemsAndRefuseShippedOnes) {
  AddShirt();
  auto order = Json::parse(Create(OrderBody("302-0000000-0000009", 3))->body);
  int64_t id = order["id"];
  EXPECT_EQ(world_.SellableD2c({std::nullopt, "SHIRT-blue-M"}, "ms", "DE"), 4);
  auto cancel = [&](std::vector<Json> item_ids) {
    Json items = Json::array();
    for (const auto& i : item_ids) items.push_back({{"orderItemId", i}});
    Json body = {{"shopKey", "ms"}, {"countryCode", "de"}, {"orderId", id}, {"items", items}};
    return client_->Post(Api("/fulfillment/cancellations"), body.dump(), "application/json");
  };
  auto first = cancel({order["items"][0]["id"]});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 204) << first->body;
  EXPECT_EQ(world_.SellableD2c({std::nullopt, "SHIRT-blue-M"}, "ms", "DE"), 5);  // back in stock
  EXPECT_EQ(cancel({order["items"][0]["id"]})->status, 204);  // a repeat changes nothing
  EXPECT_EQ(world_.SellableD2c({std::nullopt, "SHIRT-blue-M"}, "ms", "DE"), 5);
  Json shipment = {{"packages", Json::array({{{"carrierKey", "DPD"},
                                              {"shipmentKey", "01505012345678"},
                                              {"itemIds", {order["items"][1]["id"]}}}})}};
  ASSERT_EQ(client_
                ->Post("/_sandbox/scayle/orders/" + std::to_string(id) + "/shipments",
                       shipment.dump(), "application/json")
                ->status,
            200);
  // All or nothing: the shipped item refuses the request, the open one stays open.
  auto refused = cancel({order["items"][1]["id"], order["items"][2]["id"]});
  EXPECT_EQ(refused->status, 409);
  EXPECT_EQ(Json::parse(refused->body)["errors"][0]["errorKey"], "ITEM_NOT_CANCELLABLE");
  auto got =
      Json::parse(client_->Get(Api("/shops/ms/countries/DE/orders/" + std::to_string(id)))->body);
  EXPECT_EQ(got["items"][0]["status"], "cancelled");
  EXPECT_NE(got["items"][2]["status"], "cancelled");
  EXPECT_EQ(cancel({Json(999999)})->status, 404);
  auto bad =
      client_->Post(Api("/fulfillment/cancellations"), R"({"orderId":1})", "application/json");
  EXPECT_EQ(bad->status, 400);
}

TEST_F(ScayleOrdersApiTest, ListOrdersWithCursorToTheEnd) {
  AddShirt();
  for (int i = 0; i < 7; ++i)
    ASSERT_EQ(Create(OrderBody("amz-" + std::to_string(i), 1))->status, 201);
  std::vector<std::string> keys;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto res = client_->Get(Api("/shops/ms/countries/DE/orders?limit=3") +
                            (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    auto body = Json::parse(res->body);
    for (const auto& o : body["entities"]) keys.push_back(o["referenceKey"]);
    if (body["cursor"]["next"].is_null()) break;
    cursor = body["cursor"]["next"];
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"amz-0", "amz-1", "amz-2", "amz-3", "amz-4", "amz-5",
                                            "amz-6"}));
  auto other_country = client_->Get(Api("/shops/ms/countries/FR/orders"));
  EXPECT_EQ(Json::parse(other_country->body)["entities"].size(), 0u);
}

TEST_F(ScayleOrdersApiTest, InvalidOrdersAreRejected) {
  AddShirt();
  auto no_items = Create({{"referenceKey", "x"}});
  EXPECT_EQ(no_items->status, 400);
  auto bad_variant =
      Create({{"referenceKey", "y"}, {"items", {{{"variant", {{"referenceKey", "NOPE"}}}}}}});
  EXPECT_EQ(bad_variant->status, 400);
  EXPECT_EQ(Json::parse(bad_variant->body)["errors"][0]["errorKey"], "VARIANT_NOT_FOUND");
  auto no_shop = client_->Post(Api("/shops/xx/countries/DE/orders"), OrderBody("z", 1).dump(),
                               "application/json");
  EXPECT_EQ(no_shop->status, 404);
  // A unit with no stock left becomes an unavailable item; the order is still accepted.
  auto big = Create(OrderBody("big", 8));
  ASSERT_EQ(big->status, 201);
  auto items = Json::parse(big->body)["items"];
  EXPECT_EQ(items[6]["status"], "available");
  EXPECT_EQ(items[7]["status"], "unavailable");
  // The contract of ADMIN_API.md §5: alpha-3 address countries, the shop country's currency,
  // integer minor units, a VAT rate as a fraction.
  Json address = {{"street", "Domstrasse"},
                  {"houseNumber", "10"},
                  {"zipCode", "20459"},
                  {"city", "Hamburg"},
                  {"countryCode", "DE"},
                  {"recipient", {{"firstName", "Anna"}, {"lastName", "Fohlmeister"}}}};
  Json alpha2 = OrderBody("a2", 1);
  alpha2["address"] = {{"shipping", address}};
  auto bad_country = Create(alpha2);
  EXPECT_EQ(bad_country->status, 400);
  EXPECT_EQ(Json::parse(bad_country->body)["errors"][0]["errorKey"], "INVALID_ADDRESS");
  address["countryCode"] = "DEU";
  alpha2["address"] = {{"shipping", address}, {"billing", address}};
  alpha2["referenceKey"] = "a3";
  EXPECT_EQ(Create(alpha2)->status, 201);
  Json dollars = OrderBody("usd", 1);
  dollars["currencyCode"] = "USD";
  EXPECT_EQ(Json::parse(Create(dollars)->body)["errors"][0]["errorKey"], "CURRENCY_MISMATCH");
  Json percent = OrderBody("pct", 1);
  percent["items"][0]["price"]["tax"]["vat"]["rate"] = 19;
  EXPECT_EQ(Json::parse(Create(percent)->body)["errors"][0]["errorKey"], "INVALID_PRICE");
  Json euros = OrderBody("eur", 1);
  euros["items"][0]["price"]["withTax"] = 29.99;
  EXPECT_EQ(Json::parse(Create(euros)->body)["errors"][0]["errorKey"], "INVALID_PRICE");
}

}  // namespace
}  // namespace sandbox::scayle

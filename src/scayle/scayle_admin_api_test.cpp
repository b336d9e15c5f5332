#include "scayle/scayle_admin_api.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/timestamp.hpp"
#include "http/fake_http_client.hpp"

namespace mb::scayle {
namespace {

using nlohmann::json;

// SCAYLE's own SDK fixtures (reference/scayle/fixtures).
std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(MB_SHARED_DIR) + "/reference/scayle/fixtures/" + name);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

class ScayleAdminApiTest : public ::testing::Test {
 protected:
  http::FakeHttpClient http_;
  ScayleClient client_{http_, {"https://acme-live.admin.api.scayle.cloud/api/admin/v1", "key"}};
  ScayleAdminApi api_{client_};
  std::string Path(size_t i) const {
    const auto url = http_.requests().at(i).url;
    return url.substr(std::string("https://acme-live.admin.api.scayle.cloud/api/admin/v1").size());
  }
};

TEST_F(ScayleAdminApiTest, ReadsProductsWithVariantsFromTheSdkFixture) {
  http_.PushResponse(200, Fixture("ProductAllResponse.json"));
  std::vector<ScayleProduct> products;
  auto status = api_.ForEachProduct([&](const std::vector<ScayleProduct>& page) -> Status {
    products.insert(products.end(), page.begin(), page.end());
    return {};
  });
  ASSERT_TRUE(status) << status.error().ToString();
  ASSERT_FALSE(products.empty());
  const auto& product = products[0];
  EXPECT_FALSE(product.reference_key.empty());
  EXPECT_EQ(product.master_reference_key, "M00012");
  ASSERT_EQ(product.category_paths.size(), 1u);
  EXPECT_EQ(product.category_paths[0], (std::vector<std::string>{"Fashion", "Men", "Shirts"}));
  ASSERT_FALSE(product.master_attributes.empty());
  EXPECT_EQ(product.master_attributes[0].type, "localizedString");
  ASSERT_FALSE(product.variants.empty());
  EXPECT_FALSE(product.variants[0].ref.sku.empty());
  EXPECT_EQ(Path(0).substr(0, 14), "/products?with");
}

TEST_F(ScayleAdminApiTest, VariantStocksAndPricesByKey) {
  http_.PushResponse(200, Fixture("ProductVariantStockAllResponse.json"));
  auto stocks = api_.GetVariantStocks({0, Sku("SKU-123-M")});
  ASSERT_TRUE(stocks) << stocks.error().ToString();
  ASSERT_EQ(stocks->size(), 2u);
  EXPECT_EQ((*stocks)[0].warehouse, WarehouseKey("myFirstWarehouse"));
  EXPECT_EQ((*stocks)[0].quantity, 3);
  EXPECT_EQ((*stocks)[0].changed_at, MakeTime(2020, 7, 23, 11, 30, 58));
  EXPECT_TRUE((*stocks)[1].sellable_without_stock);
  EXPECT_EQ(Path(0), "/variants/key%3DSKU-123-M/stocks?limit=100");

  http_.PushResponse(200, Fixture("ProductVariantPriceAllResponse.json"));
  auto prices = api_.GetVariantPrices({77, Sku("SKU-123-M")});
  ASSERT_TRUE(prices) << prices.error().ToString();
  ASSERT_FALSE(prices->empty());
  EXPECT_EQ((*prices)[0].price, Money(80, Currency::Of("EUR")));
  EXPECT_EQ((*prices)[0].country_code, "DE");
  EXPECT_DOUBLE_EQ((*prices)[0].tax_rate, 19);
  EXPECT_EQ(Path(1), "/variants/77/prices?limit=100");
}

TEST_F(ScayleAdminApiTest, ReservationsReportPartialSuccessPerEntry) {
  http_.PushResponse(200, Fixture("ReservationCreateResponse.json"));
  std::vector<ScayleReservationRequest> requests = {
      {"order4711-item3", WarehouseKey("myWarehouse"), {123, Sku()}, "merchant-1", 3600},
      {"order4711-item4", WarehouseKey("myWarehouse"), {0, Sku("foo-456789")}, "merchant-1", {}},
  };
  auto outcomes = api_.CreateReservations(requests);
  ASSERT_TRUE(outcomes) << outcomes.error().ToString();
  ASSERT_EQ(outcomes->size(), 2u);
  EXPECT_TRUE((*outcomes)[0].ok());
  EXPECT_EQ((*outcomes)[0].id, 123);
  EXPECT_FALSE((*outcomes)[1].ok());
  EXPECT_EQ((*outcomes)[1].error_key, "VARIANT_NOT_FOUND");
  // The request body is SCAYLE's documented shape (its SDK's request fixture, first two entries).
  const auto expected = json::parse(Fixture("ReservationCreateRequest.json"));
  const auto sent = json::parse(http_.requests()[0].body);
  EXPECT_EQ(sent[0], expected[0]);
  EXPECT_EQ(sent[1], expected[1]);
  EXPECT_EQ(Path(0), "/reservations");
}

TEST_F(ScayleAdminApiTest, DeletesReservationsByKeyOrId) {
  http_.PushResponse(204, "");
  http_.PushResponse(404, R"({"errors":[{"errorKey":"RESERVATION_NOT_FOUND","message":"gone"}]})");
  EXPECT_TRUE(api_.DeleteReservationByKey("AMZ-1:item 1"));
  auto missing = api_.DeleteReservationById(5);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(http_.requests()[0].method, HttpMethod::kDelete);
  EXPECT_EQ(Path(0), "/reservations/key%3DAMZ-1%3Aitem%201");
  EXPECT_EQ(Path(1), "/reservations/5");
}

TEST_F(ScayleAdminApiTest, GetsAnOrderByReferenceKeyWithPackages) {
  http_.PushResponse(200, Fixture("OrderGetResponse.json"));
  auto order = api_.GetOrderByReferenceKey("ms", "DE", "302-1234567-1234567");
  ASSERT_TRUE(order) << order.error().ToString();
  EXPECT_EQ(Path(0), "/shops/ms/countries/DE/orders/key%3D302-1234567-1234567");
  EXPECT_EQ(order->currency_code, "EUR");
  ASSERT_TRUE(order->shipping_address);
  EXPECT_EQ(order->shipping_address->country_code, "DEU");
  EXPECT_FALSE(order->items.empty());
  EXPECT_FALSE(order->packages.empty());
}

TEST_F(ScayleAdminApiTest, CreatesAnOrderWithReferenceKeyChannelAndItems) {
  http_.PushResponse(201, Fixture("OrderCreateResponse.json"));
  ScayleNewOrder order;
  order.shop_key = "ms";
  order.country_code = "DE";
  order.reference_key = "302-1234567-1234567";
  order.channel_key = "amazon_de";
  order.currency_code = "EUR";
  order.customer = {"Anna", "Fohlmeister", "", "", "personal"};
  order.shipping_address.street = "Domstrasse";
  order.shipping_address.country_code = "DEU";
  order.billing_address = order.shipping_address;
  order.items = {
      {{11, Sku("SKU-1")}, Money(1999, Currency::Of("EUR")), std::nullopt, 0.19, "", ""}};
  auto created = api_.CreateOrder(order);
  ASSERT_TRUE(created) << created.error().ToString();
  const auto sent = json::parse(http_.requests()[0].body);
  EXPECT_EQ(Path(0), "/shops/ms/countries/DE/orders");
  EXPECT_EQ(sent["referenceKey"], "302-1234567-1234567");
  EXPECT_EQ(sent["channel"]["key"], "amazon_de");
  EXPECT_EQ(sent["items"][0]["variant"]["id"], 11);
  EXPECT_EQ(sent["items"][0]["price"]["withTax"], 1999);
  EXPECT_EQ(sent["address"]["shipping"]["street"], "Domstrasse");
}

TEST_F(ScayleAdminApiTest, CancelsOrderItemsWithTheBodyOfCancellationSendRequest) {
  http_.PushResponse(204, "");
  ASSERT_TRUE(api_.CancelOrderItems("ms", "DE", 123, {67, 68}));
  EXPECT_EQ(Path(0), "/fulfillment/cancellations");
  const auto sent = json::parse(http_.requests()[0].body);
  const auto fixture = json::parse(Fixture("CancellationSendRequest.json"));
  EXPECT_EQ(sent["shopKey"], fixture["shopKey"]);
  EXPECT_EQ(sent["countryCode"], fixture["countryCode"]);  // lower case, as documented
  EXPECT_EQ(sent["orderId"], fixture["orderId"]);
  EXPECT_EQ(sent["items"], json::parse(R"([{"orderItemId":67},{"orderItemId":68}])"));
  std::set<std::string> keys, documented;
  for (const auto& [k, v] : sent.items()) keys.insert(k);
  for (const auto& [k, v] : fixture.items()) documented.insert(k);
  EXPECT_EQ(keys, documented);

  http_.PushResponse(409,
                     R"({"errors":[{"errorKey":"ITEM_NOT_CANCELLABLE","message":"shipped"}]})");
  auto refused = api_.CancelOrderItems("ms", "DE", 123, {67});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("ITEM_NOT_CANCELLABLE"), std::string::npos);
}

TEST_F(ScayleAdminApiTest, CarriersAndWebhookSubscriptions) {
  http_.PushResponse(200, Fixture("CarrierAllResponse.json"));
  auto carriers = api_.ListCarriers();
  ASSERT_TRUE(carriers) << carriers.error().ToString();
  ASSERT_EQ(carriers->size(), 1u);
  EXPECT_EQ((*carriers)[0].key, "DHL_STD_NATIONAL");

  http_.PushResponse(201, Fixture("WebhookSubscriptionCreateResponse.json"));
  ScayleWebhookSubscription subscription{
      0, "customer-created", 1, "https://foo:bar@foobar.tld/notifiy", {"merchant-1", "merchant-2"}};
  auto created = api_.CreateWebhookSubscription(subscription);
  ASSERT_TRUE(created) << created.error().ToString();
  EXPECT_EQ(created->id, 42);
  EXPECT_EQ(json::parse(http_.requests()[1].body),
            json::parse(Fixture("WebhookSubscriptionCreateRequest.json")));
}

}  // namespace
}  // namespace mb::scayle

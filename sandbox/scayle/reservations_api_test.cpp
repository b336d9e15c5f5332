#include <gtest/gtest.h>

#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using namespace std::chrono_literals;
using testing::ScayleApiTest;

class ScayleReservationsApiTest : public ScayleApiTest {
 protected:
  httplib::Result Reserve(const Json& entries) {
    return client_->Post(Api("/reservations"), entries.dump(), "application/json");
  }
  int64_t Sellable(const std::string& sku) {
    return world_.SellableD2c({std::nullopt, sku}, "ms", "DE");
  }
};

TEST_F(ScayleReservationsApiTest, PartialSuccessAnswersPerEntryInRequestOrder) {
  auto v = AddShirt();
  Json body = Json::array({
      {{"referenceKey", "amz-1:1"},
       {"warehouseReferenceKey", "wh-main"},
       {"reservationTtl", 3600},
       {"variant", {{"id", v.id}, {"merchantReferenceKey", "merchant-1"}}}},
      {{"referenceKey", "amz-1:2"},
       {"warehouseReferenceKey", "wh-main"},
       {"variant", {{"referenceKey", "NO-SUCH-SKU"}}}},
      {{"referenceKey", "amz-1:3"},
       {"warehouseReferenceKey", "wh-main"},
       {"variant", {{"referenceKey", "SHIRT-blue-M"}}},
       {"unknownFutureField", 1}},
      {{"referenceKey", "amz-1:1"},
       {"warehouseReferenceKey", "wh-main"},
       {"variant", {{"id", v.id}}}},
  });
  auto res = Reserve(body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 206);
  auto entities = Json::parse(res->body)["entities"];
  ASSERT_EQ(entities.size(), 4u);
  EXPECT_EQ(entities[0]["referenceKey"], "amz-1:1");
  EXPECT_TRUE(entities[0]["id"].is_number_integer());
  EXPECT_EQ(entities[0]["reservationTtl"], 3600);
  EXPECT_EQ(entities[1]["error"]["errorKey"], "VARIANT_NOT_FOUND");
  EXPECT_EQ(entities[2]["reservationTtl"], 3600);  // the default TTL
  // A duplicate referenceKey of an active reservation fails alone (docs/sandbox.md).
  EXPECT_EQ(entities[3]["referenceKey"], "amz-1:1");
  EXPECT_EQ(entities[3]["error"]["errorKey"], "RESERVATION_ALREADY_EXISTS");
  EXPECT_EQ(Sellable("SHIRT-blue-M"), 5);  // 7 units, 2 reserved

  auto all_ok = Reserve(Json::array({{{"referenceKey", "amz-2:1"},
                                      {"warehouseReferenceKey", "wh-east"},
                                      {"variant", {{"referenceKey", "SHIRT-blue-S"}}}}}));
  ASSERT_TRUE(all_ok);
  EXPECT_EQ(all_ok->status, 201);

  auto not_array = Reserve({{"referenceKey", "x"}});
  ASSERT_TRUE(not_array);
  EXPECT_EQ(not_array->status, 400);
}

TEST_F(ScayleReservationsApiTest, ReleaseByIdAndByKey) {
  AddShirt();
  auto res = Reserve(Json::array({{{"referenceKey", "amz 3/1"},
                                   {"warehouseReferenceKey", "wh-main"},
                                   {"variant", {{"referenceKey", "SHIRT-blue-L"}}}},
                                  {{"referenceKey", "amz-3:2"},
                                   {"warehouseReferenceKey", "wh-main"},
                                   {"variant", {{"referenceKey", "SHIRT-blue-L"}}}}}));
  ASSERT_TRUE(res);
  auto entities = Json::parse(res->body)["entities"];
  EXPECT_EQ(Sellable("SHIRT-blue-L"), 5);
  auto by_id =
      client_->Delete(Api("/reservations/" + std::to_string(entities[1]["id"].get<int64_t>())));
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->status, 204);
  // `key=` URL-encoded; this key holds a space and a slash.
  auto by_key = client_->Delete(Api("/reservations/key%3Damz%203%2F1"));
  ASSERT_TRUE(by_key);
  EXPECT_EQ(by_key->status, 204) << by_key->body;
  EXPECT_EQ(Sellable("SHIRT-blue-L"), 7);
  auto again = client_->Delete(Api("/reservations/key%3Damz-3%3A2"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);
  EXPECT_EQ(Json::parse(again->body)["errors"][0]["errorKey"], "RESERVATION_NOT_FOUND");
}

TEST_F(ScayleReservationsApiTest, ReservationsExpireAfterTheirTtlOnTheSandboxClock) {
  AddShirt();
  auto res = Reserve(Json::array({{{"referenceKey", "amz-4:1"},
                                   {"warehouseReferenceKey", "wh-east"},
                                   {"reservationTtl", 90},
                                   {"variant", {{"referenceKey", "SHIRT-blue-S"}}}},
                                  {{"referenceKey", "amz-4:2"},
                                   {"warehouseReferenceKey", "wh-east"},
                                   {"reservationTtl", 90},
                                   {"variant", {{"referenceKey", "SHIRT-blue-S"}}}}}));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201);
  // wh-east holds 2 units, both reserved: a third reservation there fails.
  auto full = Reserve(Json::array({{{"referenceKey", "amz-4:3"},
                                    {"warehouseReferenceKey", "wh-east"},
                                    {"variant", {{"referenceKey", "SHIRT-blue-S"}}}}}));
  EXPECT_EQ(Json::parse(full->body)["entities"][0]["error"]["errorKey"], "INSUFFICIENT_STOCK");
  EXPECT_EQ(Sellable("SHIRT-blue-S"), 5);
  clock_.Advance(89s);
  EXPECT_EQ(Sellable("SHIRT-blue-S"), 5);
  clock_.Advance(1s);
  EXPECT_EQ(Sellable("SHIRT-blue-S"), 7);
  auto gone = client_->Delete(Api("/reservations/key%3Damz-4%3A1"));
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  // The key is free again once the reservation expired.
  auto reuse = Reserve(Json::array({{{"referenceKey", "amz-4:1"},
                                     {"warehouseReferenceKey", "wh-east"},
                                     {"variant", {{"referenceKey", "SHIRT-blue-S"}}}}}));
  EXPECT_EQ(reuse->status, 201);
}

TEST_F(ScayleReservationsApiTest, ReservedUnitsAreWithheldFromD2cShoppers) {
  AddShirt();
  for (int i = 0; i < 7; ++i) {
    auto res = Reserve(Json::array({{{"referenceKey", "amz-5:" + std::to_string(i)},
                                     {"warehouseReferenceKey", i < 5 ? "wh-main" : "wh-east"},
                                     {"variant", {{"referenceKey", "SHIRT-blue-M"}}}}}));
    ASSERT_EQ(res->status, 201) << i;
  }
  auto buy = client_->Post("/_sandbox/scayle/purchases",
                           R"({"sku":"SHIRT-blue-M","shopKey":"ms","countryCode":"DE"})",
                           "application/json");
  ASSERT_TRUE(buy);
  EXPECT_EQ(buy->status, 409);
  EXPECT_EQ(Json::parse(buy->body)["errors"][0]["errorKey"], "OUT_OF_STOCK");
  ASSERT_EQ(client_->Delete(Api("/reservations/key%3Damz-5%3A0"))->status, 204);
  auto bought =
      client_->Post("/_sandbox/scayle/purchases", R"({"sku":"SHIRT-blue-M"})", "application/json");
  ASSERT_TRUE(bought);
  EXPECT_EQ(bought->status, 201);
  EXPECT_EQ(Json::parse(bought->body)["remainingSellable"], 0);
}

}  // namespace
}  // namespace sandbox::scayle

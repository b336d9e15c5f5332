#include <gtest/gtest.h>

#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using testing::KeyPath;
using testing::ScayleApiTest;

using ScayleStockApiTest = ScayleApiTest;

TEST_F(ScayleStockApiTest, ReadAndWriteStockByIdAndByKey) {
  auto v = AddShirt();
  auto res = client_->Get(Api("/variants/" + KeyPath(v.reference_key) + "/stocks"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto entities = Json::parse(res->body)["entities"];
  ASSERT_EQ(entities.size(), 2u);
  EXPECT_EQ(entities[0]["warehouseReferenceKey"], "wh-main");
  EXPECT_EQ(entities[0]["quantity"], 5);
  EXPECT_EQ(entities[0]["changedAt"], "2026-03-02T09:00:00+00:00");

  Json update = {{"quantity", 17},
                 {"warehouseReferenceKey", "wh-east"},
                 {"changedAt", "2026-03-02T08:59:30+00:00"},
                 {"sellableWithoutStock", false},
                 {"merchantReferenceKey", "merchant-1"},
                 {"expectedAvailabilityAt", "2026-03-09"},
                 {"someFutureField", {{"ignored", true}}}};
  auto post = client_->Post(Api("/variants/" + std::to_string(v.id) + "/stocks"), update.dump(),
                            "application/json");
  ASSERT_TRUE(post);
  ASSERT_EQ(post->status, 201) << post->body;
  auto stored = Json::parse(post->body);
  EXPECT_EQ(stored["quantity"], 17);
  EXPECT_EQ(stored["changedAt"], "2026-03-02T08:59:30+00:00");
  EXPECT_FALSE(stored.contains("someFutureField"));

  auto after = client_->Get(Api("/variants/" + std::to_string(v.id) + "/stocks"));
  auto rows = Json::parse(after->body)["entities"];
  EXPECT_EQ(rows[1]["quantity"], 17);
  EXPECT_EQ(rows[1]["expectedAvailabilityAt"], "2026-03-09");
}

TEST_F(ScayleStockApiTest, InvalidWritesAreRejectedWithErrorBodies) {
  auto v = AddShirt();
  std::string path = Api("/variants/" + std::to_string(v.id) + "/stocks");
  struct Case {
    std::string body;
    int status;
    std::string key;
  };
  for (
      const auto& c : std::vector<Case>{
          {"{not json", 400, "INVALID_JSON"},
          {R"({"warehouseReferenceKey":"wh-main"})", 400, "VALIDATION_ERROR"},
          {R"({"quantity":1,"warehouseReferenceKey":"wh-nowhere"})", 404, "WAREHOUSE_NOT_FOUND"},
          {R"({"quantity":1,"warehouseReferenceKey":"wh-main","expectedAvailabilityAt":"2026-03-01"})",
           400, "VALIDATION_ERROR"},
          {R"({"quantity":1,"warehouseReferenceKey":"wh-main","changedAt":"yesterday"})", 400,
           "VALIDATION_ERROR"}}) {
    auto res = client_->Post(path, c.body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, c.status) << c.body;
    EXPECT_EQ(Json::parse(res->body)["errors"][0]["errorKey"], c.key) << c.body;
  }
  auto unknown = client_->Get(Api("/variants/" + KeyPath("NO-SUCH-SKU") + "/stocks"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Json::parse(unknown->body)["errors"][0]["errorKey"], "VARIANT_NOT_FOUND");
}

TEST_F(ScayleStockApiTest, SellableWithoutStockLetsD2cSellBelowZero) {
  auto v = AddShirt();
  Json body = {{"warehouseReferenceKey", "wh-east"},
               {"sellableWithoutStock", true},
               {"merchantReferenceKey", "merchant-1"}};
  auto res =
      client_->Put(Api("/variants/" + KeyPath(v.reference_key) + "/stocks/sellableWithoutStock"),
                   body.dump(), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Json::parse(res->body), body);
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(world_.PurchaseD2c({v.id, {}}, "ms", "DE")) << i;
  auto rows = world_.VariantStocks({v.id, {}});
  EXPECT_EQ(rows->at(0).quantity, 0);   // wh-main sold out first (higher priority)
  EXPECT_EQ(rows->at(1).quantity, -2);  // wh-east counts down below zero
}

}  // namespace
}  // namespace sandbox::scayle

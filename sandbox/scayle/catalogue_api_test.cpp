#include <gtest/gtest.h>

#include "sandbox/scayle/catalogue_generator.hpp"
#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using testing::KeyPath;
using testing::ScayleApiTest;

using ScayleCatalogueApiTest = ScayleApiTest;

TEST_F(ScayleCatalogueApiTest, MissingOrWrongTokenIs401WithTheDocumentedErrorBody) {
  for (const std::string& token : {std::string(), std::string("wrong")}) {
    auto client = MakeClient(token);
    auto res = client->Get(Api("/carriers"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    auto body = Json::parse(res->body);
    ASSERT_EQ(body["errors"].size(), 1u);
    EXPECT_EQ(body["errors"][0]["errorKey"], "UNAUTHORIZED");
    EXPECT_TRUE(body["errors"][0]["message"].is_string());
    EXPECT_TRUE(body["errors"][0]["context"].is_object());
    EXPECT_EQ(res->get_header_value("X-RateLimit-Scope"), "globalRead");
  }
  auto ok = client_->Get(Api("/carriers"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(Json::parse(ok->body)["entities"].size(), 6u);
}

TEST_F(ScayleCatalogueApiTest, ProductsPaginateWithCursorsToTheEnd) {
  auto summary = GenerateFashionCatalogue(world_, {5, 400});
  std::set<int64_t> seen;
  size_t variants = 0;
  std::string cursor;
  int pages = 0;
  for (;;) {
    std::string path = Api("/products?limit=25") + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto res = client_->Get(path);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    auto body = Json::parse(res->body);
    ASSERT_LE(body["entities"].size(), 25u);
    for (const auto& p : body["entities"]) {
      EXPECT_TRUE(seen.insert(p["id"].get<int64_t>()).second) << "product returned twice";
      variants += p["variants"].size();
    }
    ++pages;
    if (body["cursor"]["next"].is_null()) break;
    cursor = body["cursor"]["next"].get<std::string>();
    ASSERT_LT(pages, 1000);
  }
  EXPECT_EQ(seen.size(), summary.products);
  EXPECT_EQ(variants, 400u);
  EXPECT_EQ(pages, static_cast<int>((summary.products + 24) / 25));

  auto bad = client_->Get(Api("/products?cursor=bogus"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json::parse(bad->body)["errors"][0]["errorKey"], "INVALID_CURSOR");
}

TEST_F(ScayleCatalogueApiTest, ProductsAndVariantsByIdOrKey) {
  auto v = AddShirt();
  auto by_id = client_->Get(Api("/products/" + std::to_string(v.product_id)));
  auto by_key = client_->Get(Api("/products/" + KeyPath("SHIRT-blue")));
  ASSERT_TRUE(by_id && by_key);
  ASSERT_EQ(by_id->status, 200);
  ASSERT_EQ(by_key->status, 200);
  EXPECT_EQ(by_id->body, by_key->body);
  auto product = Json::parse(by_id->body);
  EXPECT_EQ(product["referenceKey"], "SHIRT-blue");
  EXPECT_EQ(product["master"]["categories"]["paths"][0][2], "Shirts");
  EXPECT_EQ(product["variants"].size(), 3u);

  auto variant = client_->Get(Api("/products/key=SHIRT-blue/variants/" + KeyPath("SHIRT-blue-M")));
  ASSERT_TRUE(variant);
  ASSERT_EQ(variant->status, 200);
  auto vj = Json::parse(variant->body);
  EXPECT_EQ(vj["id"], v.id);
  EXPECT_EQ(vj["stocks"].size(), 2u);

  auto prices = client_->Get(Api("/variants/" + KeyPath("SHIRT-blue-M") + "/prices"));
  ASSERT_TRUE(prices);
  EXPECT_EQ(Json::parse(prices->body)["entities"][0]["price"], 2999);

  for (const std::string& missing :
       {std::string("999999"), KeyPath("NOPE"), std::string("SHIRT-blue")}) {
    auto res = client_->Get(Api("/products/" + missing));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << missing;
    EXPECT_EQ(Json::parse(res->body)["errors"][0]["errorKey"], "PRODUCT_NOT_FOUND");
  }
  auto unknown_route = client_->Get(Api("/no-such-thing"));
  ASSERT_TRUE(unknown_route);
  EXPECT_EQ(unknown_route->status, 404);
  EXPECT_TRUE(Json::parse(unknown_route->body)["errors"].is_array());
}

}  // namespace
}  // namespace sandbox::scayle

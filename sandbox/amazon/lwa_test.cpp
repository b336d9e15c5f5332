#include "sandbox/amazon/amazon_test_support.hpp"

namespace sandbox::amazon::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class LwaTest : public AmazonHttpTest {};

TEST_F(LwaTest, TokenEndpointAnswersFormAndJsonBodies) {
  ASSERT_FALSE(token_.empty());
  EXPECT_EQ(token_.rfind("Atza|", 0), 0u);
  const auto& app = server_->lwa_application();
  json body = {{"grant_type", "refresh_token"},
               {"refresh_token", world_.config().sellers[0].refresh_token},
               {"client_id", app.client_id},
               {"client_secret", app.client_secret}};
  auto res = client_->Post("/auth/o2/token", body.dump(), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(Json(res)["token_type"], "bearer");
  EXPECT_EQ(Json(res)["expires_in"], 3600);

  auto grantless =
      client_->Post("/auth/o2/token", httplib::Params{{"grant_type", "client_credentials"},
                                                      {"scope", "sellingpartnerapi::notifications"},
                                                      {"client_id", app.client_id},
                                                      {"client_secret", app.client_secret}});
  ASSERT_TRUE(grantless);
  EXPECT_EQ(grantless->status, 200);
  EXPECT_EQ(Json(grantless)["scope"], "sellingpartnerapi::notifications");
}

TEST_F(LwaTest, TokenEndpointErrorsUseLwaShape) {
  const auto& app = server_->lwa_application();
  auto bad_grant =
      client_->Post("/auth/o2/token", httplib::Params{{"grant_type", "refresh_token"},
                                                      {"refresh_token", "Atzr|unknown"},
                                                      {"client_id", app.client_id},
                                                      {"client_secret", app.client_secret}});
  ASSERT_TRUE(bad_grant);
  EXPECT_EQ(bad_grant->status, 400);
  EXPECT_EQ(Json(bad_grant)["error"], "invalid_grant");
  EXPECT_TRUE(Json(bad_grant).contains("error_description"));
  auto bad_client = client_->Post("/auth/o2/token", httplib::Params{{"grant_type", "refresh_token"},
                                                                    {"refresh_token", "x"},
                                                                    {"client_id", app.client_id},
                                                                    {"client_secret", "wrong"}});
  EXPECT_EQ(bad_client->status, 401);
  EXPECT_EQ(Json(bad_client)["error"], "invalid_client");
  auto bad_scope =
      client_->Post("/auth/o2/token", httplib::Params{{"grant_type", "client_credentials"},
                                                      {"scope", "everything"},
                                                      {"client_id", app.client_id},
                                                      {"client_secret", app.client_secret}});
  EXPECT_EQ(Json(bad_scope)["error"], "invalid_scope");
}

TEST_F(LwaTest, SpApiCallsNeedAValidUnexpiredToken) {
  const std::string path = "/orders/2026-01-01/orders/028-0000000-0000000";
  auto missing = client_->Get(path.c_str());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 403);
  EXPECT_EQ(
      Json(missing),
      json::parse(
          R"({"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.","details":""}]})"));
  EXPECT_FALSE(missing->has_header("x-amzn-RateLimit-Limit"));
  EXPECT_TRUE(missing->has_header("x-amzn-RequestId"));
  auto invalid =
      client_->Get(path.c_str(), httplib::Headers{{"x-amz-access-token", "Atza|forged"}});
  EXPECT_EQ(invalid->status, 403);

  auto fresh = Get(path);
  EXPECT_EQ(fresh->status, 404);  // authorised; the order just doesn't exist
  clock_.Advance(3599s);
  EXPECT_EQ(Get(path)->status, 404);
  clock_.Advance(1s);
  auto expired = Get(path);
  EXPECT_EQ(expired->status, 403);
  EXPECT_EQ(Json(expired)["errors"][0]["message"], "The access token you provided has expired.");
  token_ = FetchToken();
  EXPECT_EQ(Get(path)->status, 404);
}

TEST_F(LwaTest, GrantlessTokenCannotReadSellerData) {
  const auto& app = server_->lwa_application();
  auto grantless =
      client_->Post("/auth/o2/token", httplib::Params{{"grant_type", "client_credentials"},
                                                      {"scope", "sellingpartnerapi::notifications"},
                                                      {"client_id", app.client_id},
                                                      {"client_secret", app.client_secret}});
  token_ = Json(grantless)["access_token"];
  EXPECT_EQ(Get("/orders/2026-01-01/orders/028-0000000-0000000")->status, 403);
}

}  // namespace
}  // namespace sandbox::amazon::testing

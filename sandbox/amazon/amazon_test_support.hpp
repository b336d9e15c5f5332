#pragma once
// Test fixture: a frozen-clock world behind a real AmazonServer on loopback, and an httplib client.

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"

namespace sandbox::amazon::testing {

inline constexpr const char* kSeller = "A2MBSANDBOX1";
inline constexpr const char* kDe = "A1PA6795UKMFR9";
inline constexpr const char* kFr = "A13V1IB3VIYZZH";
inline constexpr const char* kUk = "A1F83G8C2ARO7P";

inline nlohmann::json ShirtAttributes(int quantity) {
  return {{"item_name", {{{"value", "Shirt"}, {"language_tag", "de_DE"}, {"marketplace_id", kDe}}}},
          {"fulfillment_availability",
           {{{"fulfillment_channel_code", "DEFAULT"},
             {"quantity", quantity},
             {"lead_time_to_ship_max_days", 2}}}},
          {"purchasable_offer",
           {{{"marketplace_id", kDe},
             {"currency", "EUR"},
             {"our_price", {{{"schedule", {{{"value_with_tax", 24.95}}}}}}}}}}};
}

class AmazonHttpTest : public ::testing::Test {
 protected:
  explicit AmazonHttpTest(AmazonConfig config = {}) : world_(clock_, std::move(config)) {}

  void SetUp() override {
    AmazonServerOptions options;
    options.timeout_hold = std::chrono::milliseconds(1500);
    options.product_types = product_types_;
    server_ = std::make_unique<AmazonServer>(world_, options);
    server_->Start();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(5, 0);
    token_ = FetchToken();
  }
  void TearDown() override { server_->Stop(); }

  // Set before SetUp to have the server check listings against the sandbox's product types.
  const catalogue::ProductTypeCatalogue* product_types_ = nullptr;

  std::string FetchToken() {
    const auto& app = server_->lwa_application();
    httplib::Params form = {{"grant_type", "refresh_token"},
                            {"refresh_token", world_.config().sellers.front().refresh_token},
                            {"client_id", app.client_id},
                            {"client_secret", app.client_secret}};
    auto res = client_->Post("/auth/o2/token", form);
    EXPECT_TRUE(res);
    if (!res || res->status != 200) return "";
    return nlohmann::json::parse(res->body)["access_token"];
  }
  httplib::Headers Auth() const { return {{"x-amz-access-token", token_}}; }

  httplib::Result Get(const std::string& path) { return client_->Get(path.c_str(), Auth()); }
  httplib::Result Post(const std::string& path, const nlohmann::json& body) {
    return client_->Post(path.c_str(), Auth(), body.dump(), "application/json");
  }
  httplib::Result Put(const std::string& path, const nlohmann::json& body) {
    return client_->Put(path.c_str(), Auth(), body.dump(), "application/json");
  }
  httplib::Result Patch(const std::string& path, const nlohmann::json& body) {
    return client_->Patch(path.c_str(), Auth(), body.dump(), "application/json");
  }
  static nlohmann::json Json(const httplib::Result& res) {
    return nlohmann::json::parse(res->body);
  }

  void SeedShirt(const std::string& sku, int quantity) {
    auto sub = world_.PutListing(
        kSeller, kDe, sku, {{"productType", "SHIRT"}, {"attributes", ShirtAttributes(quantity)}},
        false);
    ASSERT_TRUE(sub && sub->status == "ACCEPTED");
  }
  Order PlaceOrder(const std::string& sku, int quantity,
                   const std::string& status = order_status::kUnshipped) {
    PlaceOrderRequest req{kSeller, kDe, {{sku, quantity, std::nullopt}}};
    req.status = status;
    auto order = world_.PlaceOrder(req);
    EXPECT_TRUE(order) << (order ? "" : order.error().message);
    return *order;
  }

  SimClock clock_{*ParseIso("2026-11-20T10:00:00Z"), 0.0};
  AmazonWorld world_;
  std::unique_ptr<AmazonServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_;
};

}  // namespace sandbox::amazon::testing

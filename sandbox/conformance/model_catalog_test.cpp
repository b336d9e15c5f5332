#include "sandbox/conformance/model_catalog.hpp"

#include <gtest/gtest.h>

namespace sandbox::conformance {
namespace {

const std::string kModels = std::string(MB_SHARED_DIR) + "/reference/amazon/models";

TEST(ModelCatalog, RoutesConcretePathsToTemplatesPreferringLiterals) {
  ModelCatalog catalog;
  catalog.Load(kModels, {"ordersV0"});
  auto items = catalog.Route("GET", "/orders/v0/orders/902-1-2/orderItems/buyerInfo");
  ASSERT_TRUE(items);
  EXPECT_EQ(items->operation->operation_id, "getOrderItemsBuyerInfo");
  EXPECT_EQ(items->path_params.at("orderId"), "902-1-2");
  auto order = catalog.Route("GET", "/orders/v0/orders/902-1-2");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->operation->operation_id, "getOrder");
  auto confirm = catalog.Route("POST", "/orders/v0/orders/902-1-2/shipmentConfirmation");
  ASSERT_TRUE(confirm);
  EXPECT_EQ(confirm->operation->operation_id, "confirmShipment");
  EXPECT_EQ(confirm->operation->BodyParameter()->value("name", ""), "payload");
  EXPECT_FALSE(catalog.Route("DELETE", "/orders/v0/orders/902-1-2"));
  EXPECT_FALSE(catalog.Route("GET", "/orders/v0/orders/902-1-2/unknown"));
}

TEST(ModelCatalog, MissingModelIsAStartupError) {
  ModelCatalog catalog;
  EXPECT_THROW(catalog.Load(kModels, {"noSuchModel"}), std::runtime_error);
}

}  // namespace
}  // namespace sandbox::conformance

#include "sandbox/sqs/order_change_notification.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "sandbox/conformance/json_schema.hpp"

namespace sandbox::sqs {
namespace {

using namespace std::chrono_literals;
using conformance::JsonSchema;

const std::string kSchema =
    std::string(MB_SHARED_DIR) + "/reference/amazon/models/OrderChangeNotification.json";

SimTime At(int64_t epoch_ms) { return SimTime(std::chrono::milliseconds(epoch_ms)); }

OrderChangeFacts Facts() {
  OrderChangeFacts f;
  f.seller_id = "A2ZPJ4TLUOSWY8";
  f.amazon_order_id = "302-1234567-1234567";
  f.marketplace_id = "A1PA6795UKMFR9";
  f.order_status = "Unshipped";
  f.time_of_order_change = At(1764617212000);  // 2025-12-01T19:26:52.000Z
  f.purchase_date = At(1764617000123);
  f.latest_ship_date = At(1764790000000);
  f.items = {{"148197599524161", "SKU-123-M", std::nullopt, 2, 0, "Unshipped", false},
             {"148197599524162", "SKU-124-L", "src-1", 1, 1, "Shipped", false}};
  return f;
}

NotificationEnvelope Envelope() {
  return {"amzn1.sp.solution.app", "sub-1", "fb7a833f-bcb7-48b7-8f0b-10397b015af8",
          At(1764617415261), At(1764617416976)};
}

TEST(OrderChangeNotification, ConformsToTheOfficialSchema) {
  auto schema = JsonSchema::FromFile(kSchema, JsonSchema::Draft::kDraft7);
  auto doc = BuildOrderChangeNotification(Facts(), Envelope());
  auto errors = schema.Validate(doc);
  EXPECT_TRUE(errors.empty()) << errors.front();
  // The schema can fail: the same document without SellerId or with an unknown status does.
  auto no_seller = doc;
  no_seller["Payload"]["OrderChangeNotification"].erase("SellerId");
  EXPECT_FALSE(schema.Validate(no_seller).empty());
  auto bad_status = doc;
  bad_status["Payload"]["OrderChangeNotification"]["Summary"]["OrderStatus"] = "UNSHIPPED";
  EXPECT_FALSE(schema.Validate(bad_status).empty());
}

TEST(OrderChangeNotification, CarriesTheFactsInAmazonsFieldNames) {
  auto doc = BuildOrderChangeNotification(Facts(), Envelope());
  EXPECT_EQ(doc["NotificationType"], "ORDER_CHANGE");
  EXPECT_EQ(doc["EventTime"], "2025-12-01T19:30:15.261Z");
  EXPECT_EQ(doc["NotificationMetadata"],
            nlohmann::json({{"ApplicationId", "amzn1.sp.solution.app"},
                            {"SubscriptionId", "sub-1"},
                            {"PublishTime", "2025-12-01T19:30:16.976Z"},
                            {"NotificationId", "fb7a833f-bcb7-48b7-8f0b-10397b015af8"}}));
  const auto& n = doc["Payload"]["OrderChangeNotification"];
  EXPECT_EQ(n["AmazonOrderId"], "302-1234567-1234567");
  EXPECT_EQ(n["OrderChangeTrigger"]["TimeOfOrderChange"], "2025-12-01T19:26:52.000Z");
  EXPECT_EQ(n["Summary"]["NumberOfItemsShipped"], 1);
  EXPECT_EQ(n["Summary"]["NumberOfItemsUnshipped"], 2);
  EXPECT_EQ(n["Summary"]["DestinationPostalCode"], nullptr);
  EXPECT_EQ(n["Summary"]["OrderItems"][0]["SupplySourceId"], nullptr);
  EXPECT_EQ(n["Summary"]["OrderItems"][0]["SellerSKU"], "SKU-123-M");
  EXPECT_EQ(n["Summary"]["OrderItems"][1]["SupplySourceId"], "src-1");
  EXPECT_FALSE(n["Summary"].contains("EarliestShipDate"));
  EXPECT_EQ(n["Summary"]["LatestShipDate"], "2025-12-03T19:26:40.000Z");
}

TEST(OrderChangeNotification, TheSchemaExampleItselfConforms) {
  std::ifstream in(kSchema);
  auto schema_doc = nlohmann::json::parse(in);
  auto schema = JsonSchema::FromFile(kSchema, JsonSchema::Draft::kDraft7);
  EXPECT_TRUE(schema.Validate(schema_doc["examples"][0]).empty());
}

}  // namespace
}  // namespace sandbox::sqs

// The searchOrders backstop under a stop request: it ends after the page in hand and leaves the
// cursor where it was, so the next pass reads those pages again (ingesting is idempotent).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stop_token>

#include "tests/order_world_ports.hpp"

namespace mb::order_test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";

class OrderBackstopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scayle_world_.SeedDefaultTenant();
    nlohmann::json listing = {
        {"productType", "SHIRT"},
        {"attributes",
         {{"item_name", {{{"value", "Shirt"}, {"language_tag", "de_DE"}}}},
          {"fulfillment_availability",
           {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", 50}}}},
          {"purchasable_offer",
           {{{"currency", "EUR"},
             {"our_price", {{{"schedule", {{{"value_with_tax", 24.95}}}}}}}}}}}}};
    ASSERT_TRUE(amazon_world_.PutListing(kSeller, kDe, "SKU-STOP", listing, false));
    db_path_ = (std::filesystem::temp_directory_path() /
                ("mb_order_backstop_" + std::to_string(::getpid()) + ".db"))
                   .string();
    std::filesystem::remove(db_path_);
  }
  void TearDown() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path_ + suffix);
  }

  sandbox::SimClock sim_{sandbox::SimTime(std::chrono::hours(496000)), 0.0};
  SimClockAdapter clock_{sim_};
  sandbox::amazon::AmazonWorld amazon_world_{sim_, sandbox::amazon::AmazonConfig{}};
  sandbox::scayle::ScayleWorld scayle_world_{sim_};
  WorldAmazonApi amazon_{amazon_world_, kSeller};
  WorldScayleApi scayle_{scayle_world_};
  std::string db_path_;
};

TEST_F(OrderBackstopTest, EndsBetweenPagesWhenStoppingAndLeavesTheCursor) {
  for (int i = 0; i < 3; ++i) {
    sandbox::amazon::PlaceOrderRequest req;
    req.seller_id = kSeller;
    req.marketplace_id = kDe;
    req.lines = {{"SKU-STOP", 1, std::nullopt}};
    ASSERT_TRUE(amazon_world_.PlaceOrder(req));
  }
  sim_.Advance(3min);  // past the 2-minute cut-off
  amazon_.page_size = 1;
  OrderLoop loop(db_path_, amazon_, scayle_, clock_);

  std::stop_source stopping;
  stopping.request_stop();
  ASSERT_TRUE(loop.intake.RunBackstop(stopping.get_token()));
  EXPECT_EQ(amazon_.search_calls, 1);  // the page in hand, not the two after it
  auto cursor = loop.state.GetCursor(sync::kBackstopCursor);
  ASSERT_TRUE(cursor);
  EXPECT_FALSE(*cursor);  // not moved: the next pass reads these pages again

  (void)loop.intake.RunBackstop();  // the SKU is unknown to SCAYLE: processing may fail
  EXPECT_EQ(amazon_.search_calls, 4);
  cursor = loop.state.GetCursor(sync::kBackstopCursor);
  ASSERT_TRUE(cursor && *cursor);
}

}  // namespace
}  // namespace mb::order_test

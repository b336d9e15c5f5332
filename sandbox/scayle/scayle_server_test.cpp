#include "sandbox/scayle/scayle_server.hpp"

#include <gtest/gtest.h>

#include "sandbox/scayle/catalogue_generator.hpp"
#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using namespace std::chrono_literals;
using testing::ScayleApiTest;

using ScayleServerTest = ScayleApiTest;

TEST(ScayleServerLifecycle, StartsOnAnEphemeralLoopbackPortAndStopsTwice) {
  SimClock clock(testing::TestStart(), 0.0);
  ScayleWorld world(clock);
  ScayleServer server(world);
  ASSERT_TRUE(server.Start());
  EXPECT_GT(server.port(), 0);
  EXPECT_EQ(server.base_url(),
            "http://127.0.0.1:" + std::to_string(server.port()) + "/api/admin/v1");
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Get("/api/admin/v1/carriers");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  server.Stop();
  server.Stop();
  EXPECT_FALSE(client.Get("/api/admin/v1/carriers"));
}

// Measures what one engine connection can get from the emulation (docs/sandbox.md quotes it).
TEST_F(ScayleServerTest, ThroughputOfStockReadsAndWritesOnATwentyThousandSkuCatalogue) {
  GenerateFashionCatalogue(world_, {42, 20000});
  auto skus = world_.Skus();
  client_->set_keep_alive(true);
  constexpr int kCalls = 2000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) {
    const auto& sku = skus[static_cast<size_t>(i * 7919) % skus.size()];
    httplib::Result res = (i % 4 == 3)
                              ? client_->Post(Api("/variants/key%3D" + sku + "/stocks"),
                                              R"({"quantity":4,"warehouseReferenceKey":"wh-main"})",
                                              "application/json")
                              : client_->Get(Api("/variants/key%3D" + sku + "/stocks"));
    ASSERT_TRUE(res);
    ASSERT_LT(res->status, 300) << res->body;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "[ measure  ] %d stock calls (3 reads : 1 write) in %.2f s on one connection: %.0f "
      "requests/s\n",
      kCalls, seconds, kCalls / seconds);
  EXPECT_GT(kCalls / seconds, 100.0);
}

}  // namespace
}  // namespace sandbox::scayle

// The order loop as an engine component: off unless enabled, refuses a configuration it cannot
// work with, and with a complete one starts and registers its webhook route.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>

#include "app/engine.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"
#include "tests/order_loop_config.hpp"

namespace mb::app {
namespace {

class OrderComponentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("mb-order-component-" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    config_.Set("server.port", int64_t(0));
    config_.Set("store.sqlite_path", path_);
    auto store = store::OpenSqliteStateStore(path_, store::AllSqliteMigrations(), clock_.Now());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + s);
  }
  void Complete() { test_support::ConfigureOrderLoop(config_, "http://127.0.0.1:1"); }
  FakeClock clock_{MakeTime(2026, 11, 28, 10, 0, 0)};
  config::Config config_ = config::DefaultConfig();
  std::string path_;
  std::unique_ptr<store::SqliteStateStore> store_;
};

TEST_F(OrderComponentTest, OffUnlessEnabled) {
  Engine engine(config_, *store_, store_->database(), clock_);
  ASSERT_TRUE(engine.Start());
  for (const auto& component : engine.components()) EXPECT_NE(component->name(), "orders");
  engine.Stop();
}

TEST_F(OrderComponentTest, RefusesToStartWithoutPiiKeyOrWithACarrierAmazonDoesNotList) {
  Complete();
  config_.Set("orders.pii_key", config::Secret("", "env:TEST"));
  {
    Engine engine(config_, *store_, store_->database(), clock_);
    auto started = engine.Start();
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("orders.pii_key"), std::string::npos);
  }
  Complete();
  config_.Set("orders.carrier_codes",
              std::map<std::string, std::string>{{"pigeon", "Pigeon Express"}});
  Engine engine(config_, *store_, store_->database(), clock_);
  auto started = engine.Start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("Pigeon Express"), std::string::npos);
}

TEST_F(OrderComponentTest, StartsAndServesItsWebhookRoute) {
  Complete();
  config_.Set("scayle.webhook_password", config::Secret("pw", "env:TEST"));
  Engine engine(config_, *store_, store_->database(), clock_);
  auto started = engine.Start();
  ASSERT_TRUE(started) << started.error().message;
  // The dashboard is always there; of the loops only the order loop is enabled.
  std::vector<std::string_view> names;
  for (const auto& component : engine.components()) names.push_back(component->name());
  EXPECT_EQ(names, (std::vector<std::string_view>{"dashboard", "orders"}));
  httplib::Client client("127.0.0.1", engine.http_port());
  auto res = client.Post("/webhooks/scayle/order-package-shipped", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);  // the route is there and wants SCAYLE's credentials
  engine.Stop();
}

}  // namespace
}  // namespace mb::app

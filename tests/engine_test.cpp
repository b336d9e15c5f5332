// The composed engine: started from a config, it serves /healthz and /metrics and recovers effects
// a crashed run left in flight.
#include "app/engine.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"

namespace mb::app {
namespace {

using namespace std::chrono_literals;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("mb-engine-test-" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    config_.Set("server.port", int64_t(0));
    config_.Set("store.sqlite_path", path_);
    auto store = store::OpenSqliteStateStore(path_, store::AllSqliteMigrations(), clock_.Now());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  FakeClock clock_{MakeTime(2026, 11, 28, 10, 0, 0)};
  config::Config config_ = config::DefaultConfig();
  std::string path_;
  std::unique_ptr<store::SqliteStateStore> store_;
};

TEST_F(EngineTest, ServesHealthAndMetrics) {
  Engine engine(config_, *store_, store_->database(), clock_);
  ASSERT_TRUE(engine.Start());
  ASSERT_GT(engine.http_port(), 0);
  httplib::Client client("127.0.0.1", engine.http_port());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"ok\""), std::string::npos) << health->body;
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("# TYPE"), std::string::npos) << metrics->body;
  engine.Stop();
  EXPECT_FALSE(client.Get("/healthz")) << "the server must be closed after Stop()";
}

TEST_F(EngineTest, DashboardShowsOpenExceptionsPerTeam) {
  Engine engine(config_, *store_, store_->database(), clock_);
  ASSERT_TRUE(engine.Start());
  ASSERT_TRUE(engine.exceptions().Raise(ExceptionType::kGhostOrder, "028-1111111-2222222",
                                        "SKU-X unmapped"));
  ASSERT_TRUE(engine.exceptions().Raise(ExceptionType::kListingInvalid, "SKU-Y", "title too long"));
  clock_.Advance(31min);  // the ghost order is now past its act-by time
  httplib::Client client("127.0.0.1", engine.http_port());
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("/api/exceptions"), std::string::npos);
  auto ops = client.Get("/api/exceptions?open=1&team=ops");
  ASSERT_TRUE(ops);
  ASSERT_EQ(ops->status, 200);
  auto list = nlohmann::json::parse(ops->body);
  ASSERT_EQ(list.size(), 1u) << ops->body;
  EXPECT_EQ(list[0]["type"], "ghost_order");
  EXPECT_EQ(list[0]["overdue"], true);
  EXPECT_EQ(list[0]["playbook"], "docs/playbook.md#ghost_order");
  auto bad = client.Get("/api/exceptions?team=sales");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(EngineTest, HalfConfiguredAmazonIsRefusedWithTheMissingKeys) {
  config_.Set("amazon.seller_id", std::string("A3SELLER"));
  config_.Set("amazon.lwa_client_id", std::string("amzn1.application-oa2-client.x"));
  Engine engine(config_, *store_, store_->database(), clock_);
  auto started = engine.Start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kConfigError);
  EXPECT_NE(started.error().message.find("amazon.lwa_client_secret"), std::string::npos)
      << started.error().message;
}

TEST_F(EngineTest, StartRecoversEffectsLeftInFlight) {
  ASSERT_TRUE(
      store_->RecordEffect("scayle.reservation", IdempotencyKey("r-1"), "{}", clock_.Now()));
  ASSERT_EQ(store_->ClaimDueEffects("scayle.reservation", clock_.Now(), 10min, 10)->size(), 1u);
  Engine engine(config_, *store_, store_->database(), clock_);
  ASSERT_TRUE(engine.Start());
  auto again = store_->ClaimDueEffects("scayle.reservation", clock_.Now(), 10min, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
}

}  // namespace
}  // namespace mb::app

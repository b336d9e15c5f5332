// How long Engine::Stop takes while a long step is in flight, against a fake Amazon on loopback
// (LWA, searchOrders, SQS): a searchOrders backstop walking slow pages, and an SQS long poll that
// Amazon holds for its full 20 seconds. The numbers are printed as `[ measure  ]` lines.
#include <gtest/gtest.h>
#include <httplib.h>

#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/engine.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"
#include "tests/order_loop_config.hpp"

namespace mb::app {
namespace {

using namespace std::chrono_literals;

// Amazon as far as the order loop needs it at start: a token, searchOrders pages that take
// `page_time` each and never end, and an SQS queue whose long polls are held until released.
class SlowAmazon {
 public:
  explicit SlowAmazon(std::chrono::milliseconds page_time) : page_time_(page_time) {
    server_.Post("/auth/o2/token", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"access_token":"Atza|test","token_type":"bearer","expires_in":3600})",
                      "application/json");
    });
    server_.Get(
        "/orders/2026-01-01/orders", [this](const httplib::Request&, httplib::Response& res) {
          std::this_thread::sleep_for(page_time_);  // the time Amazon takes to answer a page
          res.set_content(R"({"orders":[],"pagination":{"nextToken":"more"}})", "application/json");
          Count(pages_);
        });
    server_.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("X-Amz-Target") == "AmazonSQS.ReceiveMessage") {
        Count(polls_);
        // SQS holds a long poll until a message comes or WaitTimeSeconds (20 s) pass.
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, 20s, [&] { return released_; });
      }
      res.set_content("{}", "application/x-amz-json-1.0");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~SlowAmazon() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  bool WaitForPages(int n) { return WaitFor(pages_, n); }
  bool WaitForPolls(int n) { return WaitFor(polls_, n); }
  int pages() {
    std::lock_guard lock(mu_);
    return pages_;
  }

 private:
  void Count(int& counter) {
    std::lock_guard lock(mu_);
    ++counter;
    cv_.notify_all();
  }
  bool WaitFor(int& counter, int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return counter >= n; });
  }

  const std::chrono::milliseconds page_time_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  int pages_ = 0;
  int polls_ = 0;
  bool released_ = false;
};

class EngineStopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("mb-engine-stop-" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    config_.Set("server.port", int64_t(0));
    config_.Set("store.sqlite_path", path_);
    test_support::ConfigureOrderLoop(config_, amazon_.url());
    auto store = store::OpenSqliteStateStore(path_, store::AllSqliteMigrations(), clock_.Now());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + s);
  }

  static std::chrono::milliseconds TimeToStop(Engine& engine) {
    auto begin = std::chrono::steady_clock::now();
    engine.Stop();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 begin);
  }

  SlowAmazon amazon_{100ms};
  SystemClock clock_;
  config::Config config_ = config::DefaultConfig();
  std::string path_;
  std::unique_ptr<store::SqliteStateStore> store_;
};

TEST_F(EngineStopTest, StopEndsABackstopPassBetweenPages) {
  Engine engine(config_, *store_, store_->database(), clock_);
  ASSERT_TRUE(engine.Start());
  // The backstop runs at start: 20 pages (its limit per pass) of 100 ms each.
  ASSERT_TRUE(amazon_.WaitForPages(3));
  auto latency = TimeToStop(engine);
  std::cout << "[ measure  ] Engine::Stop during a searchOrders backstop pass (100 ms pages, "
            << amazon_.pages() << " of 20 read): " << latency.count() << " ms\n";
  EXPECT_LT(amazon_.pages(), 20);
  EXPECT_LT(latency, 1s);
}

TEST_F(EngineStopTest, StopDoesNotWaitForAnSqsLongPoll) {
  config_.Set("amazon.sqs_queue_url", amazon_.url() + "/123456789012/marketbridge-orders");
  config_.Set("amazon.sqs_region", std::string("eu-west-1"));
  config_.Set("amazon.aws_access_key_id", config::Secret("AKIDEXAMPLE", "env:TEST"));
  config_.Set("amazon.aws_secret_access_key", config::Secret("secret", "env:TEST"));
  Engine engine(config_, *store_, store_->database(), clock_);
  ASSERT_TRUE(engine.Start());
  ASSERT_TRUE(amazon_.WaitForPolls(1));
  auto latency = TimeToStop(engine);
  std::cout << "[ measure  ] Engine::Stop during an SQS long poll (held 20 s): " << latency.count()
            << " ms\n";
  EXPECT_LT(latency, 3s);
}

}  // namespace
}  // namespace mb::app

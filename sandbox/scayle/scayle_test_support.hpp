#pragma once
// Test harness for the SCAYLE emulation: a started server on a frozen SimClock, an authenticated
// loopback client, and a tiny webhook receiver. Waits are condition waits with deadlines.

#include <gtest/gtest.h>
#include <httplib.h>

#include <condition_variable>
#include <fstream>
#include <memory>

#include "sandbox/scayle/api_router.hpp"
#include "sandbox/scayle/scayle_server.hpp"

namespace sandbox::scayle::testing {

using namespace std::chrono_literals;

inline constexpr auto kWait = std::chrono::seconds(10);

inline SimTime TestStart() {
  return SimTime(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)) + 9h;
}

inline Json Fixture(const std::string& name) {
  std::ifstream in(std::string(MB_SHARED_DIR) + "/reference/scayle/fixtures/" + name);
  EXPECT_TRUE(in.good()) << "fixture " << name << " missing";
  return Json::parse(in, nullptr, false);
}

// Encodes `key=<sku>` as clients send it in a path.
inline std::string KeyPath(const std::string& reference_key) { return "key%3D" + reference_key; }

class ScayleApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.SeedDefaultTenant();
    server_ = std::make_unique<ScayleServer>(world_, Config());
    ASSERT_TRUE(server_->Start());
    client_ = MakeClient(server_->config().access_token);
  }
  void TearDown() override {
    client_.reset();
    server_->Stop();
  }
  virtual ScayleServerConfig Config() {
    ScayleServerConfig config;
    config.webhooks.request_timeout = 2s;
    return config;
  }
  std::unique_ptr<httplib::Client> MakeClient(const std::string& token) {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client->set_connection_timeout(5s);
    client->set_read_timeout(5s);
    client->set_tcp_nodelay(true);
    if (!token.empty()) client->set_default_headers({{"X-Access-Token", token}});
    return client;
  }
  static std::string Api(const std::string& path) { return std::string(kApiBase) + path; }

  // A small catalogue: one product with sizes S/M/L stocked 5 in wh-main, 2 in wh-east.
  Variant AddShirt(const std::string& sku_base = "SHIRT-blue") {
    Product p;
    p.reference_key = sku_base;
    p.master_key = "SHIRT";
    p.name = {{"de_DE", "Hemd"}, {"en_GB", "Shirt"}};
    std::vector<Variant> variants;
    std::vector<std::vector<StockLevel>> stock;
    for (const char* size : {"S", "M", "L"}) {
      Variant v;
      v.reference_key = sku_base + "-" + size;
      v.ean = "4000000000017";
      v.attributes = {{"size", "simple", size}};
      Price price;
      price.key = "DE-EUR";
      price.price = 2999;
      price.country_code = "DE";
      price.currency_code = "EUR";
      price.valid_from = TestStart() - std::chrono::days(1);
      v.prices = {price};
      variants.push_back(v);
      stock.push_back({{"wh-main", 5, TestStart(), false, std::nullopt},
                       {"wh-east", 2, TestStart(), false, std::nullopt}});
    }
    world_.AddMaster({"SHIRT", {{"Fashion", "Men", "Shirts"}}, {{"brand", "simple", "Nordkap"}}});
    world_.AddProduct(p, variants, stock);
    return *world_.FindVariant(Identifier{std::nullopt, sku_base + "-M"});
  }

  SimClock clock_{TestStart(), 0.0};
  ScayleWorld world_{clock_};
  std::unique_ptr<ScayleServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

// Answers webhook POSTs; can be told to fail the next N requests.
class WebhookReceiver {
 public:
  struct Received {
    std::string path;
    std::string authorization;
    Json body;
    int answered = 200;
  };

  WebhookReceiver() {
    server_.Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      int status = 200;
      if (failures_left_ > 0) {
        --failures_left_;
        status = 500;
      }
      received_.push_back({req.path, req.get_header_value("Authorization"),
                           Json::parse(req.body, nullptr, false), status});
      res.status = status;
      cv_.notify_all();
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::string Url(const std::string& credentials, const std::string& path = "/hooks") const {
    return "http://" + credentials + "@127.0.0.1:" + std::to_string(port_) + path;
  }
  void FailNext(int n) {
    std::lock_guard lock(mu_);
    failures_left_ = n;
  }
  bool WaitFor(size_t n, std::chrono::milliseconds timeout = kWait) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
  }
  std::vector<Received> Requests() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  int failures_left_ = 0;
  std::vector<Received> received_;
};

}  // namespace sandbox::scayle::testing

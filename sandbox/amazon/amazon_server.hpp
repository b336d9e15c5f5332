#pragma once
// The emulated SP-API over HTTP on loopback: LWA token endpoint, the Orders, Listings Items, Feeds
// and Reports operations, presigned-style document URLs, and the /_sandbox/amazon control API.
// Every SP-API call passes, in order: access-token check (403), usage-plan throttle (429), injected
// faults, then the operation.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "sandbox/amazon/amazon_world.hpp"
#include "sandbox/amazon/api_support.hpp"
#include "sandbox/amazon/faults.hpp"
#include "sandbox/amazon/lwa.hpp"
#include "sandbox/amazon/rate_limits.hpp"
#include "sandbox/catalogue/product_types.hpp"

namespace sandbox::amazon {

struct AmazonServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;        // 0 = ephemeral
  LwaApplication lwa;  // refresh tokens of the world's sellers are added automatically
  // How long (real time) a `timeout` fault holds a request before dropping it.
  std::chrono::milliseconds timeout_hold{5000};
  // Routes served by another component on this server (the Notifications API), registered before
  // the SP-API dispatcher; requests under `extra_routes_prefix` must carry a valid access token
  // (seller or grantless) first.
  std::function<void(httplib::Server&)> mount_extra_routes;
  std::string extra_routes_prefix = "/notifications/";
  // The sandbox's product types (outlive the server). When set, this server also answers the
  // Product Type Definitions API (and the schema links it hands out), and the Listings API and
  // JSON_LISTINGS_FEED messages check listings of those product types against the same schemas,
  // answering INVALID with Amazon-shaped issues. Product types it does not serve, and every
  // listing when unset, get only the general attribute shape check.
  const catalogue::ProductTypeCatalogue* product_types = nullptr;
};

struct OperationCounters {
  int64_t calls = 0;
  int64_t throttled = 0;  // 429 answers, bucket or injected
  int64_t client_errors = 0;
  int64_t server_errors = 0;
  int64_t faults = 0;
};

class AmazonServer {
 public:
  AmazonServer(AmazonWorld& world, AmazonServerOptions options);
  ~AmazonServer();
  AmazonServer(const AmazonServer&) = delete;
  AmazonServer& operator=(const AmazonServer&) = delete;

  // Binds and serves on a background thread; throws if the port can't be bound.
  void Start();
  void Stop();
  int port() const { return port_; }
  std::string base_url() const;

  AmazonWorld& world() { return world_; }
  FaultPlan& faults() { return faults_; }
  const LwaApplication& lwa_application() const { return options_.lwa; }
  std::map<std::string, OperationCounters> Counters() const;
  nlohmann::json CountersJson() const;

 private:
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  void ServeToken(const httplib::Request& req, httplib::Response& res);
  void ServeDocument(const httplib::Request& req, httplib::Response& res);
  void ServeApi(const ApiRoute& route, std::smatch match, const httplib::Request& req,
                httplib::Response& res);
  void Count(const std::string& operation, int status, bool fault);
  // Waits up to `d` of real time; returns early (false) when the server stops.
  bool HoldFor(std::chrono::milliseconds d);
  static void DropConnection(httplib::Response& res);

  AmazonWorld& world_;
  AmazonServerOptions options_;
  LwaAuthority lwa_;
  RateLimiter limiter_;
  FaultPlan faults_;
  ApiRouter router_;
  ApiRouter control_;
  httplib::Server http_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<uint64_t> request_sequence_{0};

  mutable std::mutex counters_mu_;
  std::map<std::string, OperationCounters> counters_;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

// Route tables, one per API (listings_api.cpp, orders_api.cpp, ...).
void AddListingsRoutes(ApiRouter& router, AmazonWorld& world);
void AddOrdersRoutes(ApiRouter& router, AmazonWorld& world);
void AddFeedsRoutes(ApiRouter& router, AmazonWorld& world, RateLimiter& limiter);
void AddReportsRoutes(ApiRouter& router, AmazonWorld& world);
void AddControlRoutes(ApiRouter& router, AmazonServer& server);
// getFeedDocument / getReportDocument: the caller's document with a fresh 5-minute URL.
ApiResponse DocumentAnswer(AmazonWorld& world, const ApiRequest& req, const char* id_field);

}  // namespace sandbox::amazon

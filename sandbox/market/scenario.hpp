#pragma once
// Scenario files and the runner (issue 3 "Faults and scenarios", docs/sandbox.md "Market and
// scenarios"). ScenarioRunner owns the whole sandbox — clock, worlds, Amazon SP-API + LWA with the
// Notifications routes, SCAYLE Admin API, SQS — and the market, so main() and in-process
// benchmarks drive the same thing: Start(), then Tick() or RunUntilDone(), then Report().

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/catalogue/product_types.hpp"
#include "sandbox/market/market.hpp"
#include "sandbox/scayle/scayle_server.hpp"
#include "sandbox/sqs/notification_subscriptions.hpp"
#include "sandbox/sqs/sqs_server.hpp"

namespace sandbox::market {

struct Scenario {
  std::string name = "default";
  uint64_t seed = 1;
  std::optional<SimTime> start;                  // default: now
  double time_scale = 1.0;                       // sim seconds per real second; 0 = frozen
  std::optional<std::chrono::seconds> duration;  // none: run until stopped
  MarketConfig market;
  nlohmann::json amazon_faults = nlohmann::json::array();  // [{"operation", FaultRule JSON...}]
  nlohmann::json scayle_faults = nlohmann::json::array();  // [RouteFault JSON]
  double webhook_duplicate_probability = 0;
  double webhook_out_of_order_probability = 0;
  int feed_silently_drop_every_nth = 0;
  std::set<std::string> feed_silently_dropped_skus;
  bool sqs_duplicate_delivery = false;
  std::chrono::seconds sqs_visibility{30};
};

// Parses a scenario document; throws std::runtime_error naming the bad field.
Scenario ParseScenario(const nlohmann::json& doc);
Scenario LoadScenarioFile(const std::string& path);

struct SandboxPorts {
  int amazon = 0;
  int scayle = 0;
  int sqs = 0;
};

// The sandbox-only credentials a client needs (printed by marketbridge-sandbox).
struct SandboxCredentials {
  std::string lwa_client_id;
  std::string lwa_client_secret;
  std::string refresh_token;
  std::string seller_id;
  std::string scayle_token;
  std::string aws_access_key_id;
  std::string aws_secret_access_key;
  std::string sqs_queue;
};

class ScenarioRunner {
 public:
  explicit ScenarioRunner(Scenario scenario, SandboxPorts ports = {});
  ~ScenarioRunner();
  ScenarioRunner(const ScenarioRunner&) = delete;
  ScenarioRunner& operator=(const ScenarioRunner&) = delete;

  // Generates the catalogue, applies the faults and starts every server. Throws when a port
  // cannot be bound.
  void Start();
  void Stop();
  // Lets the market catch up with the clock. With a frozen clock, advance it first.
  void Tick();
  // Ticks every `tick` of real time until the scenario's duration has passed in sim time, or
  // `stop` is set. Returns true when the scenario ended by itself.
  bool RunUntilDone(const std::atomic<bool>& stop,
                    std::chrono::milliseconds tick = std::chrono::milliseconds(20));
  bool Done() const;

  nlohmann::json Report() const;

  std::string amazon_url() const;
  std::string scayle_url() const;  // base of /api/admin/v1
  std::string sqs_url() const;
  std::string sqs_queue_url() const;
  std::string control_url() const;  // the Amazon server's /_sandbox/ API
  SandboxCredentials Credentials() const;

  const Scenario& scenario() const { return scenario_; }
  SimClock& clock() { return clock_; }
  amazon::AmazonWorld& amazon_world() { return amazon_world_; }
  scayle::ScayleWorld& scayle_world() { return scayle_world_; }
  amazon::AmazonServer& amazon_server() { return *amazon_server_; }
  scayle::ScayleServer& scayle_server() { return *scayle_server_; }
  sqs::SqsServer& sqs_server() { return sqs_server_; }
  Market& market() { return market_; }

 private:
  void PublishOrderChange(const amazon::Order& order);

  Scenario scenario_;
  SandboxPorts ports_;
  SimClock clock_;
  catalogue::ProductTypeCatalogue product_types_;  // served by the Definitions API
  amazon::AmazonWorld amazon_world_;
  scayle::ScayleWorld scayle_world_;
  sqs::SqsServer sqs_server_;
  std::unique_ptr<sqs::NotificationSubscriptions> notifications_;
  std::unique_ptr<amazon::AmazonServer> amazon_server_;
  std::unique_ptr<scayle::ScayleServer> scayle_server_;
  Market market_;
  scayle::CatalogueSummary catalogue_;
  bool started_ = false;
};

}  // namespace sandbox::market

#pragma once
// The emulated SCAYLE Admin API on loopback: `/api/admin/v1/...` as SCAYLE answers it, plus the
// sandbox's control and inspection API under `/_sandbox/scayle/...` (docs/sandbox.md).

#include <httplib.h>

#include <thread>

#include "sandbox/scayle/faults.hpp"
#include "sandbox/scayle/rate_limits.hpp"
#include "sandbox/scayle/scayle_world.hpp"
#include "sandbox/scayle/webhooks.hpp"

namespace sandbox::scayle {

struct ScayleServerConfig {
  std::string access_token = "sandbox-scayle-token";
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port, see port()
  std::map<std::string, int> rate_limits = DefaultScopeLimits();
  WebhookConfig webhooks;
  uint64_t fault_seed = 1;
};

class ScayleServer {
 public:
  ScayleServer(ScayleWorld& world, ScayleServerConfig config = {});
  ~ScayleServer();
  ScayleServer(const ScayleServer&) = delete;
  ScayleServer& operator=(const ScayleServer&) = delete;

  // Binds, then serves on a background thread and starts webhook delivery. False if the bind fails.
  bool Start();
  void Stop();
  int port() const { return port_; }
  // e.g. "http://127.0.0.1:40123/api/admin/v1", what the engine's `scayle.base_url` points at.
  std::string base_url() const;
  const ScayleServerConfig& config() const { return config_; }

  ScayleWorld& world() { return world_; }
  WebhookHub& webhooks() { return hub_; }
  FaultPlan& faults() { return faults_; }
  RateLimiter& rate_limits() { return limiter_; }

 private:
  ScayleWorld& world_;
  ScayleServerConfig config_;
  RateLimiter limiter_;
  FaultPlan faults_;
  WebhookHub hub_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace sandbox::scayle

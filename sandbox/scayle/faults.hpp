#pragma once
// Faults injected into emulated routes by configuration (issue 3 "Faults and scenarios"): each
// rule names a route ("GET /variants/{v}/stocks", or "*" for all) and what goes wrong there.

#include <chrono>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sandbox::scayle {

enum class FaultKind {
  kRateLimitStorm,  // 429 RATE_LIMIT_EXCEED regardless of the window
  kServerError,     // `status` (5xx) with the documented error body
  kSlowResponse,    // answers correctly after `delay` (real time); clients time out
  kDropConnection,  // headers sent, then the connection is closed without a body
  kMalformedBody,   // 200 with a truncated JSON body
};

struct RouteFault {
  std::string route = "*";
  FaultKind kind = FaultKind::kServerError;
  double probability = 1.0;
  int remaining = -1;  // injections left; -1 = unlimited
  int status = 503;
  std::chrono::milliseconds delay{0};
};

// Parses {"route","kind":"rate_limit_storm|server_error|slow|drop_connection|malformed_body",
// "probability","count","status","delayMs"}; nullopt when the kind is unknown.
std::optional<RouteFault> ParseRouteFault(const nlohmann::json& spec);

class FaultPlan {
 public:
  explicit FaultPlan(uint64_t seed = 1) : rng_(seed) {}
  void Add(RouteFault fault);
  void Clear();
  // The fault to inject into this call, if any; consumes one injection.
  std::optional<RouteFault> Draw(const std::string& route);

 private:
  std::mutex mu_;
  std::vector<RouteFault> faults_;
  std::mt19937_64 rng_;
};

}  // namespace sandbox::scayle

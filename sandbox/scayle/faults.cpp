#include "sandbox/scayle/faults.hpp"

namespace sandbox::scayle {

namespace {

// Slow responses hold a server thread; keep them bounded.
constexpr std::chrono::milliseconds kMaxDelay{30000};

}  // namespace

std::optional<RouteFault> ParseRouteFault(const nlohmann::json& spec) {
  if (!spec.is_object()) return std::nullopt;
  RouteFault f;
  std::string kind = spec.value("kind", "");
  if (kind == "rate_limit_storm")
    f.kind = FaultKind::kRateLimitStorm;
  else if (kind == "server_error")
    f.kind = FaultKind::kServerError;
  else if (kind == "slow")
    f.kind = FaultKind::kSlowResponse;
  else if (kind == "drop_connection")
    f.kind = FaultKind::kDropConnection;
  else if (kind == "malformed_body")
    f.kind = FaultKind::kMalformedBody;
  else
    return std::nullopt;
  f.route = spec.value("route", "*");
  f.probability = spec.value("probability", 1.0);
  f.remaining = spec.value("count", -1);
  f.status = spec.value("status", 503);
  if (f.status < 500 || f.status > 599) f.status = 503;
  f.delay = std::min(kMaxDelay, std::chrono::milliseconds(spec.value("delayMs", 0)));
  return f;
}

void FaultPlan::Add(RouteFault fault) {
  std::lock_guard lock(mu_);
  faults_.push_back(std::move(fault));
}

void FaultPlan::Clear() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

std::optional<RouteFault> FaultPlan::Draw(const std::string& route) {
  std::lock_guard lock(mu_);
  for (auto& f : faults_) {
    if (f.remaining == 0 || (f.route != "*" && f.route != route)) continue;
    if (f.probability < 1.0 &&
        std::uniform_real_distribution<double>(0.0, 1.0)(rng_) >= f.probability)
      continue;
    if (f.remaining > 0) --f.remaining;
    return f;
  }
  return std::nullopt;
}

}  // namespace sandbox::scayle

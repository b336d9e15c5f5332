#include "sandbox/amazon/faults.hpp"

#include <array>
#include <utility>

namespace sandbox::amazon {
namespace {

constexpr std::array<std::pair<FaultKind, const char*>, 7> kNames = {{
    {FaultKind::kThrottle, "throttle"},
    {FaultKind::kServerError, "server_error"},
    {FaultKind::kSlowResponse, "slow"},
    {FaultKind::kTimeout, "timeout"},
    {FaultKind::kDropConnection, "drop_connection"},
    {FaultKind::kMalformedBody, "malformed_body"},
    {FaultKind::kUnknownOrderStatus, "unknown_order_status"},
}};

}  // namespace

std::optional<FaultKind> ParseFaultKind(const std::string& name) {
  for (const auto& [kind, text] : kNames) {
    if (name == text) return kind;
  }
  return std::nullopt;
}

std::string FaultKindName(FaultKind kind) {
  for (const auto& [k, text] : kNames) {
    if (k == kind) return text;
  }
  return "unknown";
}

std::optional<FaultRule> FaultRuleFromJson(const nlohmann::json& j, std::string* error) {
  FaultRule rule;
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string()) {
    *error = "fault needs a string \"kind\"";
    return std::nullopt;
  }
  auto kind = ParseFaultKind(j["kind"].get<std::string>());
  if (!kind) {
    *error = "unknown fault kind " + j["kind"].get<std::string>();
    return std::nullopt;
  }
  rule.kind = *kind;
  try {
    rule.count = j.value("count", -1);
    rule.probability = j.value("probability", 1.0);
    rule.status = j.value("status", 500);
    rule.delay = std::chrono::milliseconds(j.value("delayMs", 0));
    rule.order_status = j.value("orderStatus", rule.order_status);
  } catch (const nlohmann::json::exception& e) {
    *error = std::string("bad fault field: ") + e.what();
    return std::nullopt;
  }
  if (rule.count == 0 || rule.count < -1) {
    *error = "fault count must be positive, or -1 for until cleared";
    return std::nullopt;
  }
  return rule;
}

void FaultPlan::Add(const std::string& operation, FaultRule rule) {
  std::lock_guard lock(mu_);
  rules_[operation].push_back(std::move(rule));
}

void FaultPlan::Clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

std::optional<FaultRule> FaultPlan::DrawFrom(std::vector<FaultRule>& rules) {
  for (auto it = rules.begin(); it != rules.end(); ++it) {
    if (it->probability < 1.0 &&
        std::uniform_real_distribution<double>(0, 1)(rng_) >= it->probability) {
      continue;
    }
    FaultRule hit = *it;
    if (it->count > 0 && --it->count == 0) rules.erase(it);
    return hit;
  }
  return std::nullopt;
}

std::optional<FaultRule> FaultPlan::Draw(const std::string& operation) {
  std::lock_guard lock(mu_);
  if (rules_.empty()) return std::nullopt;
  if (auto it = rules_.find(operation); it != rules_.end()) {
    if (auto hit = DrawFrom(it->second)) return hit;
  }
  if (auto it = rules_.find("*"); it != rules_.end()) return DrawFrom(it->second);
  return std::nullopt;
}

nlohmann::json FaultPlan::ToJson() const {
  std::lock_guard lock(mu_);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [op, rules] : rules_) {
    for (const auto& r : rules) {
      out[op].push_back({{"kind", FaultKindName(r.kind)},
                         {"count", r.count},
                         {"probability", r.probability},
                         {"status", r.status},
                         {"delayMs", r.delay.count()}});
    }
  }
  return out;
}

}  // namespace sandbox::amazon

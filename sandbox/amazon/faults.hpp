#pragma once
// Faults injected per operation by configuration (issue 3 "Faults and scenarios"). A rule applies
// to the next `count` calls of its operation ("*" = every operation), each with `probability`.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sandbox::amazon {

enum class FaultKind {
  kThrottle,            // 429 QuotaExceeded whatever the bucket holds (a 429 storm)
  kServerError,         // `status` (500 or 503) with Amazon's error body
  kSlowResponse,        // answers normally after `delay` of real time
  kTimeout,             // never answers: holds the request until the client gives up
  kDropConnection,      // sends headers, then closes the connection mid-body
  kMalformedBody,       // 200 with a truncated JSON body
  kUnknownOrderStatus,  // orders carry a fulfillmentStatus outside the model's enum
};

struct FaultRule {
  FaultKind kind = FaultKind::kServerError;
  int count = -1;  // calls left to affect; -1 = until cleared
  double probability = 1.0;
  int status = 500;
  std::chrono::milliseconds delay{0};
  std::string order_status = "AWAITING_PICKUP";
};

std::optional<FaultKind> ParseFaultKind(const std::string& name);
std::string FaultKindName(FaultKind kind);
// {"kind":"timeout","count":3,"probability":1,"status":503,"delayMs":500,"orderStatus":"X"}
std::optional<FaultRule> FaultRuleFromJson(const nlohmann::json& j, std::string* error);

class FaultPlan {
 public:
  explicit FaultPlan(unsigned seed) : rng_(seed) {}

  void Add(const std::string& operation, FaultRule rule);
  void Clear();
  // The fault that hits this call of `operation`, if any; consumes one use of the rule.
  std::optional<FaultRule> Draw(const std::string& operation);
  nlohmann::json ToJson() const;

 private:
  std::optional<FaultRule> DrawFrom(std::vector<FaultRule>& rules);

  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  std::map<std::string, std::vector<FaultRule>> rules_;
};

}  // namespace sandbox::amazon

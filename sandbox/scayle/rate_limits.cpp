#include "sandbox/scayle/rate_limits.hpp"

namespace sandbox::scayle {

namespace {

int64_t MinuteOf(SimTime t) {
  return std::chrono::floor<std::chrono::minutes>(t.time_since_epoch()).count();
}

}  // namespace

std::map<std::string, int> DefaultScopeLimits() {
  return {{"stocksRead", 2500},  {"stocksWrite", 2500}, {"reservationsWrite", 2500},
          {"productRead", 1000}, {"productWrite", 300}, {"globalRead", 1000},
          {"ordersRead", 1000},  {"ordersWrite", 300},  {"fulfillmentWrite", 300},
          {"pricesRead", 2500},  {"pricesWrite", 300},  {"globalWrite", 300}};
}

RateLimiter::RateLimiter(const SimClock& clock, std::map<std::string, int> limits)
    : clock_(clock), limits_(std::move(limits)) {}

RateDecision RateLimiter::DecisionLocked(const std::string& scope, const Window& w, int64_t minute,
                                         SimTime now) const {
  auto it = limits_.find(scope);
  int limit = it == limits_.end() ? 1000 : it->second;
  int used = w.minute == minute ? w.used : 0;
  auto window_end = SimTime(std::chrono::minutes(minute + 1));
  auto reset = std::chrono::ceil<std::chrono::seconds>(window_end - now).count();
  return {scope, limit, std::max(0, limit - used), static_cast<int>(reset), used <= limit};
}

RateDecision RateLimiter::Take(const std::string& scope) {
  std::lock_guard lock(mu_);
  auto now = clock_.Now();
  int64_t minute = MinuteOf(now);
  Window& w = windows_[scope];
  if (w.minute != minute) w = Window{minute, 0};
  ++counters_[scope].calls;
  auto limit_it = limits_.find(scope);
  int limit = limit_it == limits_.end() ? 1000 : limit_it->second;
  if (w.used >= limit) {
    ++counters_[scope].rate_limited;
    RateDecision d = DecisionLocked(scope, w, minute, now);
    d.allowed = false;
    return d;
  }
  ++w.used;
  return DecisionLocked(scope, w, minute, now);
}

RateDecision RateLimiter::Peek(const std::string& scope) const {
  std::lock_guard lock(mu_);
  auto now = clock_.Now();
  int64_t minute = MinuteOf(now);
  auto it = windows_.find(scope);
  return DecisionLocked(scope, it == windows_.end() ? Window{} : it->second, minute, now);
}

void RateLimiter::CountInjectedLimit(const std::string& scope) {
  std::lock_guard lock(mu_);
  ++counters_[scope].calls;
  ++counters_[scope].rate_limited;
}

void RateLimiter::SetLimit(const std::string& scope, int per_minute) {
  std::lock_guard lock(mu_);
  limits_[scope] = per_minute;
}

std::map<std::string, ScopeCounters> RateLimiter::Counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

void RateLimiter::CountOperation(const std::string& route, bool rate_limited) {
  std::lock_guard lock(mu_);
  auto& c = operations_[route];
  ++c.calls;
  if (rate_limited) ++c.rate_limited;
}

std::map<std::string, ScopeCounters> RateLimiter::OperationCounters() const {
  std::lock_guard lock(mu_);
  return operations_;
}

}  // namespace sandbox::scayle

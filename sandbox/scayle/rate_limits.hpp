#pragma once
// SCAYLE's per-scope, per-minute rate limits (ADMIN_API.md §1, published defaults; tenant-specific
// upstream, configurable here). Fixed one-minute windows on the sandbox clock.

#include <map>
#include <mutex>
#include <string>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::scayle {

std::map<std::string, int> DefaultScopeLimits();

struct RateDecision {
  std::string scope;
  int limit = 0;
  int remaining = 0;
  int reset_seconds = 0;  // until the window restarts
  bool allowed = true;
};

struct ScopeCounters {
  int64_t calls = 0;
  int64_t rate_limited = 0;
};

class RateLimiter {
 public:
  RateLimiter(const SimClock& clock, std::map<std::string, int> limits = DefaultScopeLimits());

  // Takes one call from the scope's window.
  RateDecision Take(const std::string& scope);
  // The window's state without taking a call (for responses that are not counted, e.g. 401).
  RateDecision Peek(const std::string& scope) const;
  // Counts a 429 that a fault injected, so the counters show every rate-limited call.
  void CountInjectedLimit(const std::string& scope);
  void SetLimit(const std::string& scope, int per_minute);
  std::map<std::string, ScopeCounters> Counters() const;
  // The same per operation ("GET /variants/{v}/stocks"), for the run report's calls and 429s.
  void CountOperation(const std::string& route, bool rate_limited);
  std::map<std::string, ScopeCounters> OperationCounters() const;

 private:
  struct Window {
    int64_t minute = -1;
    int used = 0;
  };
  RateDecision DecisionLocked(const std::string& scope, const Window& w, int64_t minute,
                              SimTime now) const;

  const SimClock& clock_;
  mutable std::mutex mu_;
  std::map<std::string, int> limits_;
  std::map<std::string, Window> windows_;
  std::map<std::string, ScopeCounters> counters_;
  std::map<std::string, ScopeCounters> operations_;
};

}  // namespace sandbox::scayle

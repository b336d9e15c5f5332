#pragma once
// SP-API usage plans: one token bucket per seller and operation, refilled at the documented rate up
// to the documented burst, on the sandbox clock (SPAPI.md §3). The table lives in rate_limits.cpp.

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::amazon {

struct OperationLimit {
  std::string_view operation;  // "<api>.<operationId>", e.g. "orders.searchOrders"
  std::string_view method;
  std::string_view path;
  std::string_view
      rate;  // requests per second exactly as the model writes it (x-amzn-RateLimit-Limit)
  int burst;
};

const std::vector<OperationLimit>& OperationLimits();
const OperationLimit* FindOperationLimit(std::string_view operation);

class TokenBucket {
 public:
  TokenBucket(double rate, int burst, SimTime now);
  bool TryTake(SimTime now);
  double tokens() const { return tokens_; }

 private:
  double rate_;
  double burst_;
  double tokens_;
  SimTime last_;
};

// Thread-safe. Buckets appear full on first use, as a fresh seller-app pair's do.
class RateLimiter {
 public:
  // JSON_LISTINGS_FEED: at most 5 createFeed per 5 minutes per region (changelog 6 May 2025).
  static constexpr int kListingsFeedsPerWindow = 5;
  static constexpr std::chrono::minutes kListingsFeedWindow{5};

  bool TryAcquire(const std::string& seller_id, std::string_view operation, SimTime now);
  bool TryAcquireListingsFeed(const std::string& seller_id, std::string_view region, SimTime now);

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, TokenBucket, std::less<>> buckets_;
  std::map<std::pair<std::string, std::string>, std::deque<SimTime>> feed_windows_;
};

}  // namespace sandbox::amazon

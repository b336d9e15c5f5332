#pragma once
// Client-side SP-API quota: one token bucket per (seller, region, operation), seeded from the
// documented default usage plans (SPAPI.md §3, one table in rate_governor.cpp), corrected from what
// Amazon says (`x-amzn-RateLimit-Limit`, 429s). Sending only when a token is there is what keeps a
// flash sale from turning into a 429 storm.
//
// Priorities: a caller yields to any waiting caller of a more urgent priority, and bulk callers
// leave a quarter of the burst untouched, so an urgent stock push finds a token even while the
// catalogue is being pushed. A bulk caller that has waited longer than `bulk_patience` is no
// longer outranked by normal callers (urgent ones still go first): otherwise a stock loop that
// submits a feed whenever createFeed has a token starves the catalogue's feed for ever.

#include <array>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "metrics/registry.hpp"
#include "ports/amazon_api.hpp"
#include "ports/http_client.hpp"

namespace mb::amazon {

struct RateLimit {
  double rate = 1.0;  // tokens per second
  int burst = 1;      // bucket size
};

// The documented default for an SP-API operation (its model operationId, e.g.
// "patchListingsItem"), or the per-feed-type limit "createFeed:JSON_LISTINGS_FEED".
std::optional<RateLimit> DocumentedRateLimit(std::string_view operation);
// The bucket that limits submissions of one feed type, e.g. "createFeed:JSON_LISTINGS_FEED".
std::string FeedTypeQuota(std::string_view feed_type);

struct QuotaKey {
  std::string seller;
  std::string region;
  std::string operation;
  friend auto operator<=>(const QuotaKey&, const QuotaKey&) = default;
};

struct OperationStats {
  uint64_t calls = 0;
  uint64_t throttled = 0;
};

class RateGovernor {
 public:
  // `registry` is optional; with one, calls, 429s and the current rate are exported per operation.
  explicit RateGovernor(const Clock& clock, metrics::Registry* registry = nullptr);
  // How long a waiting bulk caller is outranked by normal callers (clock time).
  static constexpr Duration kBulkPatience = std::chrono::minutes(5);
  ~RateGovernor();
  RateGovernor(const RateGovernor&) = delete;
  RateGovernor& operator=(const RateGovernor&) = delete;

  // Takes a token if one is there for this priority: returns 0. Otherwise takes nothing and
  // returns how long (clock time) until one may be.
  Duration TryAcquire(const QuotaKey& key, CallPriority priority);
  // Waits (through the Clock, so an accelerated clock waits less) until a token is taken. Fails
  // with kThrottled when the wait would exceed `max_wait`, and kUnavailable after Stop().
  Status Acquire(const QuotaKey& key, CallPriority priority,
                 std::optional<Duration> max_wait = std::nullopt);
  // How long until TryAcquire would succeed; takes nothing.
  Duration TimeUntilAvailable(const QuotaKey& key, CallPriority priority);

  // Every SP-API response (status 0 for a transport failure) for the key it spent a token of:
  // counts the call, adopts `x-amzn-RateLimit-Limit`, and on 429 empties the bucket and backs off.
  void OnResponse(const QuotaKey& key, int status, const HttpHeaders& headers);

  // Overrides the documented default (a seller with a raised plan, tests).
  void SetLimit(const QuotaKey& key, RateLimit limit);
  RateLimit CurrentLimit(const QuotaKey& key);
  std::map<std::string, OperationStats> Stats() const;

  // Acquire callers of `priority` waiting on the key's bucket (tests wait on this).
  int Waiting(const QuotaKey& key, CallPriority priority);

  // Wakes every waiting Acquire, which then fails; later ones fail at once.
  void Stop();

 private:
  struct Bucket {
    RateLimit limit;
    double tokens = 0;
    TimePoint refilled_at{};
    TimePoint blocked_until{};  // after a 429: nothing goes out before this
    int consecutive_throttles = 0;
    // Acquire callers waiting, by priority: since when each waits.
    std::array<std::multiset<TimePoint>, 3> waiting;
  };

  Bucket& BucketFor(const QuotaKey& key);  // needs mu_
  // needs mu_; `since`: when this caller started waiting (none for a caller that does not wait)
  Duration WaitFor(Bucket& bucket, CallPriority priority, TimePoint now,
                   std::optional<TimePoint> since = std::nullopt);
  void Export(const QuotaKey& key, const Bucket& bucket);

  const Clock& clock_;
  metrics::CounterFamily* calls_metric_ = nullptr;
  metrics::CounterFamily* throttled_metric_ = nullptr;
  metrics::GaugeFamily* rate_metric_ = nullptr;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
  std::map<QuotaKey, Bucket> buckets_;
  std::map<std::string, OperationStats> stats_;
};

}  // namespace mb::amazon

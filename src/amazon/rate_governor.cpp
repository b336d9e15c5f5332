#include "amazon/rate_governor.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace mb::amazon {

namespace {

struct DocumentedLimit {
  std::string_view operation;
  RateLimit limit;
};

// Default usage plans, verbatim from the model descriptions (SPAPI.md §3). Amazon may raise them
// per seller; `x-amzn-RateLimit-Limit` then corrects the rate.
constexpr std::array kDocumentedLimits = {
    // Orders v0 (reads deprecated, kept so an accidental use is still governed)
    DocumentedLimit{"getOrders", {0.0167, 20}},
    DocumentedLimit{"getOrderV0", {0.5, 30}},
    DocumentedLimit{"getOrderItems", {0.5, 30}},
    DocumentedLimit{"getOrderBuyerInfo", {0.5, 30}},
    DocumentedLimit{"getOrderAddress", {0.5, 30}},
    DocumentedLimit{"getOrderItemsBuyerInfo", {0.5, 30}},
    DocumentedLimit{"confirmShipment", {2, 10}},
    DocumentedLimit{"updateShipmentStatus", {5, 15}},
    // Orders 2026-01-01
    DocumentedLimit{"searchOrders", {0.0056, 20}},
    DocumentedLimit{"getOrder", {0.5, 30}},
    // Listings Items 2021-08-01
    DocumentedLimit{"getListingsItem", {5, 10}},
    DocumentedLimit{"putListingsItem", {5, 10}},
    DocumentedLimit{"patchListingsItem", {5, 5}},
    DocumentedLimit{"deleteListingsItem", {5, 5}},
    DocumentedLimit{"searchListingsItems", {5, 5}},
    // Feeds 2021-06-30
    DocumentedLimit{"createFeedDocument", {0.5, 15}},
    DocumentedLimit{"createFeed", {0.0083, 15}},
    DocumentedLimit{"getFeed", {2, 15}},
    DocumentedLimit{"cancelFeed", {2, 15}},
    DocumentedLimit{"getFeeds", {0.0222, 10}},
    DocumentedLimit{"getFeedDocument", {0.0222, 10}},
    // Per feed type, on top of createFeed: 5 submissions per 5 minutes per region (May 2025).
    DocumentedLimit{"createFeed:JSON_LISTINGS_FEED", {5.0 / 300.0, 5}},
    // Reports 2021-06-30
    DocumentedLimit{"createReport", {0.0167, 15}},
    DocumentedLimit{"getReports", {0.0222, 10}},
    DocumentedLimit{"getReport", {2, 15}},
    DocumentedLimit{"cancelReport", {0.0222, 10}},
    DocumentedLimit{"getReportSchedules", {0.0222, 10}},
    DocumentedLimit{"createReportSchedule", {0.0222, 10}},
    DocumentedLimit{"getReportSchedule", {0.0222, 10}},
    DocumentedLimit{"cancelReportSchedule", {0.0222, 10}},
    DocumentedLimit{"getReportDocument", {0.0167, 15}},
    // Product Type Definitions 2020-09-01
    DocumentedLimit{"searchDefinitionsProductTypes", {5, 10}},
    DocumentedLimit{"getDefinitionsProductType", {5, 10}},
    // Tokens 2021-03-01
    DocumentedLimit{"createRestrictedDataToken", {1, 10}},
    // Notifications v1 (all ten operations)
    DocumentedLimit{"getSubscription", {1, 5}},
    DocumentedLimit{"createSubscription", {1, 5}},
    DocumentedLimit{"getSubscriptionById", {1, 5}},
    DocumentedLimit{"deleteSubscriptionById", {1, 5}},
    DocumentedLimit{"getDestinations", {1, 5}},
    DocumentedLimit{"createDestination", {1, 5}},
    DocumentedLimit{"getDestination", {1, 5}},
    DocumentedLimit{"deleteDestination", {1, 5}},
    DocumentedLimit{"testNotification", {1, 5}},
    // Finances
    DocumentedLimit{"listFinancialEventGroups", {0.5, 30}},
    DocumentedLimit{"listFinancialEvents", {0.5, 30}},
    DocumentedLimit{"listTransactions", {0.5, 10}},
    // FBA Inventory, Catalog Items
    DocumentedLimit{"getInventorySummaries", {2, 2}},
    DocumentedLimit{"searchCatalogItems", {2, 2}},
    DocumentedLimit{"getCatalogItem", {2, 2}},
};

// An operation missing from the table gets the most conservative plan there is (searchOrders'
// rate) rather than none: a call we forgot to list must not hammer Amazon.
constexpr RateLimit kUnknownOperation{0.0056, 1};

constexpr size_t Index(CallPriority priority) { return static_cast<size_t>(priority); }

// Tokens a priority leaves in the bucket for more urgent callers.
double Reserve(CallPriority priority, const RateLimit& limit) {
  return priority == CallPriority::kBulk ? std::floor(limit.burst * 0.25) : 0.0;
}

Duration SecondsToDuration(double seconds) {
  return Duration(static_cast<int64_t>(std::ceil(seconds * 1000.0)));
}

std::optional<double> ParseRate(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !(value > 0) ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<RateLimit> DocumentedRateLimit(std::string_view operation) {
  for (const auto& entry : kDocumentedLimits) {
    if (entry.operation == operation) return entry.limit;
  }
  return std::nullopt;
}

std::string FeedTypeQuota(std::string_view feed_type) {
  return "createFeed:" + std::string(feed_type);
}

RateGovernor::RateGovernor(const Clock& clock, metrics::Registry* registry) : clock_(clock) {
  if (registry == nullptr) return;
  calls_metric_ = &registry->AddCounter(
      "mb_amazon_calls_total", "SP-API calls answered (any status), by operation.", {"operation"});
  throttled_metric_ = &registry->AddCounter(
      "mb_amazon_throttled_total", "SP-API calls answered 429 QuotaExceeded.", {"operation"});
  rate_metric_ =
      &registry->AddGauge("mb_amazon_rate_limit_per_second",
                          "Current token refill rate of the operation's bucket.", {"operation"});
}

RateGovernor::~RateGovernor() { Stop(); }

RateGovernor::Bucket& RateGovernor::BucketFor(const QuotaKey& key) {
  auto it = buckets_.find(key);
  if (it != buckets_.end()) return it->second;
  Bucket bucket;
  bucket.limit = DocumentedRateLimit(key.operation).value_or(kUnknownOperation);
  // A fresh bucket is full, as Amazon's is for a seller that has not called for a while.
  bucket.tokens = bucket.limit.burst;
  bucket.refilled_at = clock_.Now();
  auto& stored = buckets_.emplace(key, bucket).first->second;
  Export(key, stored);
  return stored;
}

Duration RateGovernor::WaitFor(Bucket& bucket, CallPriority priority, TimePoint now,
                               std::optional<TimePoint> since) {
  if (now > bucket.refilled_at) {
    const double elapsed = std::chrono::duration<double>(now - bucket.refilled_at).count();
    bucket.tokens =
        std::min<double>(bucket.limit.burst, bucket.tokens + elapsed * bucket.limit.rate);
    bucket.refilled_at = now;
  }
  auto patient = [&](TimePoint t) { return now - t >= kBulkPatience; };
  // A bulk caller out of patience competes as a normal one, without keeping the reserve.
  const bool aged = priority == CallPriority::kBulk && since && patient(*since);
  const CallPriority rank = aged ? CallPriority::kNormal : priority;
  // More urgent callers already waiting go first: count their tokens as spoken for. So do bulk
  // callers out of patience, for a normal caller (they have waited longer).
  double ahead = 0;
  for (size_t p = 0; p < Index(rank); ++p) ahead += static_cast<double>(bucket.waiting[p].size());
  if (rank == CallPriority::kNormal) {
    const auto& bulk = bucket.waiting[Index(CallPriority::kBulk)];
    for (auto t = bulk.begin(); t != bulk.end() && patient(*t); ++t) {
      if (!aged || *t < *since) ++ahead;
    }
  }
  const double needed = 1.0 + (aged ? 0.0 : Reserve(priority, bucket.limit)) + ahead;
  Duration wait{0};
  if (bucket.tokens < needed) {
    wait = SecondsToDuration((needed - bucket.tokens) / bucket.limit.rate);
  }
  if (bucket.blocked_until > now) wait = std::max(wait, Duration(bucket.blocked_until - now));
  return wait;
}

Duration RateGovernor::TryAcquire(const QuotaKey& key, CallPriority priority) {
  std::lock_guard lock(mu_);
  Bucket& bucket = BucketFor(key);
  const Duration wait = WaitFor(bucket, priority, clock_.Now());
  if (wait == Duration(0)) bucket.tokens -= 1.0;
  return wait;
}

Duration RateGovernor::TimeUntilAvailable(const QuotaKey& key, CallPriority priority) {
  std::lock_guard lock(mu_);
  return WaitFor(BucketFor(key), priority, clock_.Now());
}

Status RateGovernor::Acquire(const QuotaKey& key, CallPriority priority,
                             std::optional<Duration> max_wait) {
  std::unique_lock lock(mu_);
  const TimePoint start = clock_.Now();
  std::optional<std::multiset<TimePoint>::iterator> registered;
  auto unregister = [&] {
    if (registered) BucketFor(key).waiting[Index(priority)].erase(*registered);
    registered.reset();
  };
  while (true) {
    if (stopped_) {
      unregister();
      return Fail(ErrorCode::kUnavailable,
                  "amazon: quota wait for " + key.operation + " cancelled (shutting down)");
    }
    const TimePoint now = clock_.Now();
    // Our own registration must not count against us.
    unregister();
    Bucket& bucket = BucketFor(key);
    const Duration wait = WaitFor(bucket, priority, now, start);
    if (wait == Duration(0)) {
      bucket.tokens -= 1.0;
      cv_.notify_all();
      return {};
    }
    if (max_wait && (now - start) + wait > *max_wait) {
      return Fail(
          ErrorCode::kThrottled,
          "amazon: quota for " + key.operation + " exhausted; next call possible in " +
              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(wait).count()) +
              " s");
    }
    registered = bucket.waiting[Index(priority)].insert(start);
    // A fake clock waits no real time; poll it gently instead of spinning. Real waits are cut
    // into slices so a corrected rate or a Stop() is noticed.
    auto real = clock_.RealDuration(wait);
    real = std::clamp<std::chrono::nanoseconds>(real, std::chrono::milliseconds(1),
                                                std::chrono::seconds(1));
    cv_.wait_for(lock, real);
  }
}

void RateGovernor::OnResponse(const QuotaKey& key, int status, const HttpHeaders& headers) {
  std::lock_guard lock(mu_);
  Bucket& bucket = BucketFor(key);
  auto& stats = stats_[key.operation];
  ++stats.calls;
  if (calls_metric_) calls_metric_->WithLabels({key.operation}).Inc();
  if (auto header = headers.Find("x-amzn-RateLimit-Limit")) {
    if (auto rate = ParseRate(*header); rate && std::abs(*rate - bucket.limit.rate) > 1e-9) {
      bucket.limit.rate = *rate;
      Export(key, bucket);
    }
  }
  if (status == 429) {
    ++stats.throttled;
    if (throttled_metric_) throttled_metric_->WithLabels({key.operation}).Inc();
    // Amazon's bucket is empty, whatever ours believed: start from nothing, and back off longer
    // on each consecutive 429 (double the refill time of one token, capped).
    bucket.tokens = 0;
    bucket.refilled_at = clock_.Now();
    ++bucket.consecutive_throttles;
    const double one_token = 1.0 / bucket.limit.rate;
    const double cap = std::max(60.0, 4 * one_token);
    const double backoff =
        std::min(cap, one_token * std::pow(2.0, std::min(bucket.consecutive_throttles - 1, 16)));
    bucket.blocked_until = clock_.Now() + SecondsToDuration(backoff);
  } else if (status >= 200 && status < 500) {
    bucket.consecutive_throttles = 0;
  }
  cv_.notify_all();
}

void RateGovernor::SetLimit(const QuotaKey& key, RateLimit limit) {
  std::lock_guard lock(mu_);
  Bucket& bucket = BucketFor(key);
  bucket.limit = limit;
  bucket.tokens = std::min<double>(bucket.tokens, limit.burst);
  Export(key, bucket);
  cv_.notify_all();
}

RateLimit RateGovernor::CurrentLimit(const QuotaKey& key) {
  std::lock_guard lock(mu_);
  return BucketFor(key).limit;
}

int RateGovernor::Waiting(const QuotaKey& key, CallPriority priority) {
  std::lock_guard lock(mu_);
  return static_cast<int>(BucketFor(key).waiting[Index(priority)].size());
}

std::map<std::string, OperationStats> RateGovernor::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void RateGovernor::Stop() {
  std::lock_guard lock(mu_);
  stopped_ = true;
  cv_.notify_all();
}

void RateGovernor::Export(const QuotaKey& key, const Bucket& bucket) {
  if (rate_metric_) rate_metric_->WithLabels({key.operation}).Set(bucket.limit.rate);
}

}  // namespace mb::amazon

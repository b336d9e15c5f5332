#include "amazon/rate_governor.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "core/timestamp.hpp"

namespace mb::amazon {
namespace {

using namespace std::chrono_literals;

QuotaKey Key(std::string operation) { return {"A2SELLER", "eu", std::move(operation)}; }

// Waits (real time, bounded) until `condition` holds.
template <typename Condition>
bool WaitUntil(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

class GovernorTest : public ::testing::Test {
 protected:
  FakeClock clock_{MakeTime(2026, 11, 28, 9, 0, 0)};
  metrics::Registry registry_;
  RateGovernor governor_{clock_, &registry_};
};

TEST(DocumentedLimits, ComeFromTheModelTable) {
  auto patch = DocumentedRateLimit("patchListingsItem");
  ASSERT_TRUE(patch);
  EXPECT_DOUBLE_EQ(patch->rate, 5);
  EXPECT_EQ(patch->burst, 5);
  auto search = DocumentedRateLimit("searchOrders");
  ASSERT_TRUE(search);
  EXPECT_DOUBLE_EQ(search->rate, 0.0056);
  EXPECT_EQ(search->burst, 20);
  auto feed = DocumentedRateLimit(FeedTypeQuota("JSON_LISTINGS_FEED"));
  ASSERT_TRUE(feed);
  EXPECT_DOUBLE_EQ(feed->rate * 300, 5);
  EXPECT_EQ(feed->burst, 5);
  EXPECT_FALSE(DocumentedRateLimit("noSuchOperation"));
}

TEST_F(GovernorTest, BurstThenRate) {
  const auto key = Key("patchListingsItem");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 0ms) << i;
  EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 200ms);
  clock_.Advance(199ms);
  EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 1ms);
  clock_.Advance(1ms);
  EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 0ms);
  // Refill never exceeds the burst.
  clock_.Advance(1h);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 0ms);
  EXPECT_GT(governor_.TryAcquire(key, CallPriority::kNormal), 0ms);
}

TEST_F(GovernorTest, BucketsAreSeparatePerSellerRegionAndOperation) {
  for (int i = 0; i < 5; ++i) governor_.TryAcquire(Key("patchListingsItem"), CallPriority::kNormal);
  EXPECT_GT(governor_.TryAcquire(Key("patchListingsItem"), CallPriority::kNormal), 0ms);
  EXPECT_EQ(governor_.TryAcquire(Key("getListingsItem"), CallPriority::kNormal), 0ms);
  EXPECT_EQ(governor_.TryAcquire({"A2SELLER", "na", "patchListingsItem"}, CallPriority::kNormal),
            0ms);
  EXPECT_EQ(governor_.TryAcquire({"OTHER", "eu", "patchListingsItem"}, CallPriority::kNormal), 0ms);
}

TEST_F(GovernorTest, JsonListingsFeedAllowsFivePerFiveMinutes) {
  const auto key = Key(FeedTypeQuota("JSON_LISTINGS_FEED"));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 0ms);
  EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 60s);
}

TEST_F(GovernorTest, BulkLeavesAReserveForUrgentCallers) {
  const auto key = Key("patchListingsItem");  // burst 5: bulk keeps 1 back
  for (int i = 0; i < 4; ++i) EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kBulk), 0ms);
  EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kBulk), 200ms);
  EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kUrgent), 0ms);
  EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kUrgent), 200ms);
}

TEST_F(GovernorTest, WaitingUrgentCallerIsServedBeforeNormalOnes) {
  const auto key = Key("patchListingsItem");
  for (int i = 0; i < 5; ++i) governor_.TryAcquire(key, CallPriority::kNormal);
  auto urgent =
      std::async(std::launch::async, [&] { return governor_.Acquire(key, CallPriority::kUrgent); });
  ASSERT_TRUE(WaitUntil([&] { return governor_.Waiting(key, CallPriority::kUrgent) == 1; }));
  // One token's worth of time: it belongs to the urgent caller, whether it has woken yet or not.
  clock_.Advance(200ms);
  EXPECT_GT(governor_.TryAcquire(key, CallPriority::kNormal), 0ms);
  ASSERT_EQ(urgent.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(urgent.get());
  EXPECT_EQ(governor_.Waiting(key, CallPriority::kUrgent), 0);
}

TEST_F(GovernorTest, BulkCallerOutOfPatienceIsNoLongerOutrankedByNormalOnes) {
  // The stock loop takes every createFeed token as it refills; the catalogue's bulk feed waits.
  const auto key = Key("createFeed");  // one token per 2 minutes, burst 15
  for (int i = 0; i < 15; ++i) ASSERT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 0ms);
  auto bulk = std::async(std::launch::async, [&] {
    return governor_.Acquire(key, CallPriority::kBulk, std::chrono::minutes(30));
  });
  ASSERT_TRUE(WaitUntil([&] { return governor_.Waiting(key, CallPriority::kBulk) == 1; }));
  for (int i = 0; i < 2; ++i) {  // within its patience, normal callers go first
    clock_.Advance(121s);
    EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 0ms);
    EXPECT_EQ(bulk.wait_for(20ms), std::future_status::timeout);
  }
  clock_.Advance(121s);  // 363 s waited: beyond the 5 minutes of patience
  EXPECT_GT(governor_.TryAcquire(key, CallPriority::kNormal), 0ms);
  ASSERT_EQ(bulk.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(bulk.get());
  EXPECT_EQ(governor_.Waiting(key, CallPriority::kBulk), 0);
}

TEST_F(GovernorTest, AcquireFailsFastWhenTheWaitExceedsTheLimit) {
  const auto key = Key("searchOrders");
  governor_.SetLimit(key, {0.0056, 1});
  ASSERT_TRUE(governor_.Acquire(key, CallPriority::kNormal));
  auto second = governor_.Acquire(key, CallPriority::kNormal, 10s);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kThrottled);
  EXPECT_NE(second.error().message.find("searchOrders"), std::string::npos);
}

TEST_F(GovernorTest, StopWakesWaitingCallers) {
  const auto key = Key("searchOrders");
  governor_.SetLimit(key, {0.0056, 1});
  ASSERT_TRUE(governor_.Acquire(key, CallPriority::kNormal));
  auto waiting =
      std::async(std::launch::async, [&] { return governor_.Acquire(key, CallPriority::kNormal); });
  ASSERT_TRUE(WaitUntil([&] { return governor_.Waiting(key, CallPriority::kNormal) == 1; }));
  governor_.Stop();
  ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready);
  auto outcome = waiting.get();
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnavailable);
}

TEST_F(GovernorTest, RateLimitHeaderCorrectsTheRate) {
  const auto key = Key("getListingsItem");
  governor_.OnResponse(key, 200, HttpHeaders{{"x-amzn-RateLimit-Limit", "0.5"}});
  EXPECT_DOUBLE_EQ(governor_.CurrentLimit(key).rate, 0.5);
  for (int i = 0; i < 10; ++i) governor_.TryAcquire(key, CallPriority::kNormal);
  EXPECT_EQ(governor_.TryAcquire(key, CallPriority::kNormal), 2s);
  // Nonsense is ignored.
  governor_.OnResponse(key, 200, HttpHeaders{{"x-amzn-RateLimit-Limit", "fast"}});
  governor_.OnResponse(key, 200, HttpHeaders{{"x-amzn-RateLimit-Limit", "0"}});
  EXPECT_DOUBLE_EQ(governor_.CurrentLimit(key).rate, 0.5);
  EXPECT_NE(
      registry_.Expose().find("mb_amazon_rate_limit_per_second{operation=\"getListingsItem\"} 0.5"),
      std::string::npos);
}

TEST_F(GovernorTest, A429EmptiesTheBucketAndBacksOffLongerEachTime) {
  const auto key = Key("patchListingsItem");
  governor_.OnResponse(key, 429, {});
  // Bucket was full (5 tokens): now empty, one token's time before the next call.
  EXPECT_EQ(governor_.TimeUntilAvailable(key, CallPriority::kNormal), 200ms);
  clock_.Advance(200ms);
  governor_.OnResponse(key, 429, {});
  EXPECT_EQ(governor_.TimeUntilAvailable(key, CallPriority::kNormal), 400ms);
  clock_.Advance(400ms);
  governor_.OnResponse(key, 429, {});
  EXPECT_EQ(governor_.TimeUntilAvailable(key, CallPriority::kNormal), 800ms);
  clock_.Advance(800ms);
  governor_.OnResponse(key, 200, {});
  governor_.OnResponse(key, 429, {});
  EXPECT_EQ(governor_.TimeUntilAvailable(key, CallPriority::kNormal), 200ms);

  const auto stats = governor_.Stats();
  EXPECT_EQ(stats.at("patchListingsItem").calls, 5u);
  EXPECT_EQ(stats.at("patchListingsItem").throttled, 4u);
  const auto text = registry_.Expose();
  EXPECT_NE(text.find("mb_amazon_throttled_total{operation=\"patchListingsItem\"} 4"),
            std::string::npos);
  EXPECT_NE(text.find("mb_amazon_calls_total{operation=\"patchListingsItem\"} 5"),
            std::string::npos);
}

}  // namespace
}  // namespace mb::amazon

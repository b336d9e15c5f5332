#include "sandbox/amazon/rate_limits.hpp"

#include <gtest/gtest.h>

namespace sandbox::amazon {
namespace {

using namespace std::chrono_literals;

TEST(RateLimits, TableHoldsTheDocumentedPlans) {
  const OperationLimit* search = FindOperationLimit("orders.searchOrders");
  ASSERT_NE(search, nullptr);
  EXPECT_EQ(search->rate, "0.0056");
  EXPECT_EQ(search->burst, 20);
  EXPECT_EQ(FindOperationLimit("listings.patchListingsItem")->burst, 5);
  EXPECT_EQ(FindOperationLimit("ordersV0.confirmShipment")->rate, "2");
  EXPECT_EQ(FindOperationLimit("nope"), nullptr);
}

TEST(RateLimits, BucketAllowsBurstThenRefillsAtRate) {
  RateLimiter limiter;
  SimTime t0(1000h);
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(limiter.TryAcquire("S1", "ordersV0.confirmShipment", t0)) << i;
  EXPECT_FALSE(limiter.TryAcquire("S1", "ordersV0.confirmShipment", t0));
  // Another seller has its own bucket.
  EXPECT_TRUE(limiter.TryAcquire("S2", "ordersV0.confirmShipment", t0));
  // Rate 2/s: one token per 500 ms.
  EXPECT_FALSE(limiter.TryAcquire("S1", "ordersV0.confirmShipment", t0 + 499ms));
  EXPECT_TRUE(limiter.TryAcquire("S1", "ordersV0.confirmShipment", t0 + 500ms));
  EXPECT_FALSE(limiter.TryAcquire("S1", "ordersV0.confirmShipment", t0 + 500ms));
}

TEST(RateLimits, ListingsFeedWindowIsFivePerFiveMinutesPerRegion) {
  RateLimiter limiter;
  SimTime t0(1000h);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.TryAcquireListingsFeed("S1", "EU", t0 + i * 1s));
  EXPECT_FALSE(limiter.TryAcquireListingsFeed("S1", "EU", t0 + 299s));
  EXPECT_TRUE(limiter.TryAcquireListingsFeed("S1", "NA", t0 + 299s));
  EXPECT_TRUE(limiter.TryAcquireListingsFeed("S1", "EU", t0 + 300s));
}

}  // namespace
}  // namespace sandbox::amazon

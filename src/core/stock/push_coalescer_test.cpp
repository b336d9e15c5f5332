#include "core/stock/push_coalescer.hpp"

#include <gtest/gtest.h>

namespace mb::stock {
namespace {

PushKey Key(const std::string& sku, PushKind kind = PushKind::kQuantity) {
  return PushKey{sku, "EU", kind};
}

PushIntent Quantity(const std::string& sku, int64_t value, Version version) {
  PushIntent intent;
  intent.key = Key(sku);
  intent.value = value;
  intent.version = version;
  return intent;
}

TEST(ClassifyQuantityTest, ZeroAndLargeDropsAreUrgent) {
  CoalescerOptions options;  // 10 units or 50 %
  EXPECT_EQ(ClassifyQuantity(5, 0, options), Lane::kUrgent);
  EXPECT_EQ(ClassifyQuantity(100, 90, options), Lane::kUrgent);
  EXPECT_EQ(ClassifyQuantity(8, 4, options), Lane::kUrgent);
  EXPECT_EQ(ClassifyQuantity(8, 5, options), Lane::kNormal);
  EXPECT_EQ(ClassifyQuantity(5, 9, options), Lane::kNormal);
  EXPECT_EQ(ClassifyQuantity(0, 0, options), Lane::kNormal);
  EXPECT_EQ(ClassifyQuantity(std::nullopt, 0, options), Lane::kUrgent);
  EXPECT_EQ(ClassifyQuantity(std::nullopt, 3, options), Lane::kNormal);
  // The last units: any drop to 3 or fewer is urgent.
  EXPECT_EQ(ClassifyQuantity(4, 3, options), Lane::kUrgent);
  EXPECT_EQ(ClassifyQuantity(30, 25, options), Lane::kNormal);
  options.urgent_at_or_below = 0;
  EXPECT_EQ(ClassifyQuantity(4, 3, options), Lane::kNormal);
}

TEST(PushCoalescerTest, NewestValueWinsWhilePending) {
  PushCoalescer coalescer;
  EXPECT_EQ(coalescer.Offer(Quantity("S", 5, 1)), OfferResult::kQueued);
  EXPECT_EQ(coalescer.Offer(Quantity("S", 6, 3)), OfferResult::kReplaced);
  EXPECT_EQ(coalescer.Offer(Quantity("S", 7, 2)), OfferResult::kOlder);
  EXPECT_EQ(coalescer.PendingTotal(), 1u);
  auto taken = coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].value, 6);
  EXPECT_EQ(taken[0].version, 3u);
  EXPECT_EQ(coalescer.PendingTotal(), 0u);
}

TEST(PushCoalescerTest, OlderValueIsNeverSentAfterANewerOne) {
  PushCoalescer coalescer;
  coalescer.Offer(Quantity("S", 5, 4));
  auto taken = coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(coalescer.Offer(Quantity("S", 3, 2)), OfferResult::kOlder);  // in flight is newer
  EXPECT_EQ(coalescer.Complete(Key("S"), 4, true), CompleteResult::kDone);
  EXPECT_EQ(coalescer.Offer(Quantity("S", 3, 3)), OfferResult::kOlder);  // done is newer
  EXPECT_EQ(coalescer.PendingTotal(), 0u);
}

TEST(PushCoalescerTest, UnchangedValuesAreNotPushed) {
  PushCoalescer coalescer;
  coalescer.Offer(Quantity("S", 5, 1));
  coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  coalescer.Complete(Key("S"), 1, true);
  EXPECT_EQ(coalescer.Offer(Quantity("S", 5, 2)), OfferResult::kUnchanged);
  // The unchanged offer still moved the reference: version 2 is now the newest known.
  EXPECT_EQ(coalescer.Offer(Quantity("S", 9, 2)), OfferResult::kOlder);
  // A pending change that goes back to the listed value is withdrawn.
  EXPECT_EQ(coalescer.Offer(Quantity("S", 7, 3)), OfferResult::kQueued);
  EXPECT_EQ(coalescer.Offer(Quantity("S", 5, 4)), OfferResult::kUnchanged);
  EXPECT_EQ(coalescer.PendingTotal(), 0u);
}

TEST(PushCoalescerTest, ZeroCrossingGoesToTheUrgentLaneAndIsTakenFirst) {
  PushCoalescer coalescer;
  coalescer.RestoreDone(Quantity("A", 5, 1));
  coalescer.RestoreDone(Quantity("B", 5, 1));
  coalescer.Offer(Quantity("A", 6, 2));
  coalescer.Offer(Quantity("B", 0, 3));
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 1u);
  EXPECT_EQ(coalescer.Pending(Lane::kNormal), 1u);
  auto urgent = coalescer.Take(Lane::kUrgent, 10, Via::kItem);
  ASSERT_EQ(urgent.size(), 1u);
  EXPECT_EQ(urgent[0].key.sku, "B");
  EXPECT_EQ(urgent[0].lane, Lane::kUrgent);
}

TEST(PushCoalescerTest, LaneFollowsTheNewestValueAgainstWhatIsListed) {
  PushCoalescer coalescer;
  coalescer.RestoreDone(Quantity("S", 5, 1));
  coalescer.Offer(Quantity("S", 0, 2));
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 1u);
  coalescer.Offer(Quantity("S", 4, 3));  // restocked before it went out: a small drop from 5
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 0u);
  EXPECT_EQ(coalescer.Pending(Lane::kNormal), 1u);
  EXPECT_TRUE(coalescer.Take(Lane::kUrgent, 10, Via::kItem).empty());
  EXPECT_EQ(coalescer.Take(Lane::kNormal, 10, Via::kFeed).at(0).value, 4);
}

TEST(PushCoalescerTest, CallerMayAskForTheUrgentLaneForASmallDrop) {
  PushCoalescer coalescer;
  coalescer.RestoreDone(Quantity("S", 20, 1));
  auto intent = Quantity("S", 19, 2);
  intent.lane = Lane::kUrgent;
  coalescer.Offer(intent);
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 1u);
  auto rise = Quantity("S", 25, 3);
  rise.lane = Lane::kUrgent;  // a rise is never urgent
  coalescer.Offer(rise);
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 0u);
  EXPECT_EQ(coalescer.Pending(Lane::kNormal), 1u);
}

TEST(PushCoalescerTest, OneSubmissionPerKeyAtATime) {
  PushCoalescer coalescer;
  coalescer.Offer(Quantity("S", 5, 1));
  ASSERT_EQ(coalescer.Take(Lane::kNormal, 10, Via::kFeed).size(), 1u);
  coalescer.Offer(Quantity("S", 6, 2));
  EXPECT_TRUE(coalescer.Take(Lane::kNormal, 10, Via::kFeed).empty());  // 5 still in its feed
  EXPECT_EQ(coalescer.Complete(Key("S"), 1, true), CompleteResult::kDone);
  auto taken = coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].value, 6);
}

TEST(PushCoalescerTest, UrgentOvertakesAFeedAndTheNewestIsRepushedIfTheFeedLandsLast) {
  PushCoalescer coalescer;
  coalescer.RestoreDone(Quantity("S", 8, 1));
  coalescer.Offer(Quantity("S", 7, 2));
  ASSERT_EQ(coalescer.Take(Lane::kNormal, 10, Via::kFeed).size(), 1u);
  coalescer.Offer(Quantity("S", 0, 3));  // sold out while 7 travels in a feed
  auto urgent = coalescer.Take(Lane::kUrgent, 10, Via::kItem);
  ASSERT_EQ(urgent.size(), 1u);
  EXPECT_EQ(urgent[0].value, 0);
  EXPECT_EQ(coalescer.InFlight(), 2u);
  EXPECT_EQ(coalescer.Complete(Key("S"), 3, true), CompleteResult::kDone);
  // The feed reports afterwards that it applied 7: Amazon may now show 7, so 0 goes again, and
  // first: from 7 to 0 is a zero-crossing.
  EXPECT_EQ(coalescer.Complete(Key("S"), 2, true), CompleteResult::kRepush);
  EXPECT_EQ(coalescer.Pending(Lane::kNormal), 0u);
  auto again = coalescer.Take(Lane::kUrgent, 10, Via::kItem);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].value, 0);
  EXPECT_EQ(again[0].version, 3u);
  // Should that resend be dropped (e.g. computed before a newer order), an offer of the same 0
  // is still a change: Amazon shows 7.
  EXPECT_EQ(coalescer.Complete(Key("S"), 3, false), CompleteResult::kRetry);
  EXPECT_EQ(coalescer.Offer(Quantity("S", 0, 4)), OfferResult::kReplaced);
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 1u);
}

TEST(PushCoalescerTest, ARiseRepushedAfterAnOlderFeedValueIsOrdinary) {
  PushCoalescer coalescer;
  coalescer.RestoreDone(Quantity("S", 8, 1));
  coalescer.Offer(Quantity("S", 2, 2));  // urgent, but sent in a feed (spilled)
  ASSERT_EQ(coalescer.Take(Lane::kUrgent, 10, Via::kFeed).size(), 1u);
  coalescer.Offer(Quantity("S", 0, 3));
  ASSERT_EQ(coalescer.Take(Lane::kUrgent, 10, Via::kItem).size(), 1u);
  EXPECT_EQ(coalescer.Complete(Key("S"), 3, true), CompleteResult::kDone);
  coalescer.Offer(Quantity("S", 6, 4));  // restocked
  ASSERT_EQ(coalescer.Take(Lane::kNormal, 10, Via::kItem).size(), 1u);
  EXPECT_EQ(coalescer.Complete(Key("S"), 4, true), CompleteResult::kDone);
  EXPECT_EQ(coalescer.Complete(Key("S"), 2, true), CompleteResult::kRepush);  // 2 landed last
  EXPECT_EQ(coalescer.Pending(Lane::kNormal), 1u);                            // 2 -> 6 is a rise
}

TEST(PushCoalescerTest, UrgentDoesNotOvertakeAnotherPerItemPush) {
  PushCoalescer coalescer;
  coalescer.RestoreDone(Quantity("S", 20, 1));
  coalescer.Offer(Quantity("S", 5, 2));
  ASSERT_EQ(coalescer.Take(Lane::kUrgent, 10, Via::kItem).size(), 1u);
  coalescer.Offer(Quantity("S", 0, 3));
  EXPECT_TRUE(coalescer.Take(Lane::kUrgent, 10, Via::kItem).empty());
  coalescer.Complete(Key("S"), 2, true);
  EXPECT_EQ(coalescer.Take(Lane::kUrgent, 10, Via::kItem).at(0).value, 0);
}

TEST(PushCoalescerTest, FailedPushIsRetriedUnlessSomethingNewerExists) {
  PushCoalescer coalescer;
  coalescer.Offer(Quantity("S", 5, 1));
  coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  EXPECT_EQ(coalescer.Complete(Key("S"), 1, false), CompleteResult::kRetry);
  auto retry = coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].attempts, 1);
  coalescer.Offer(Quantity("S", 4, 2));
  EXPECT_EQ(coalescer.Complete(Key("S"), 1, false), CompleteResult::kSuperseded);
  auto newer = coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  ASSERT_EQ(newer.size(), 1u);
  EXPECT_EQ(newer[0].value, 4);
  EXPECT_EQ(newer[0].attempts, 0);
}

TEST(PushCoalescerTest, EscalateMovesAPendingValueToTheUrgentLane) {
  PushCoalescer coalescer;
  coalescer.Offer(Quantity("S", 5, 1));
  coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  coalescer.Complete(Key("S"), 1, false);  // not applied: pending again, normal lane
  EXPECT_TRUE(coalescer.Escalate(Key("S")));
  EXPECT_FALSE(coalescer.Escalate(Key("S")));
  EXPECT_EQ(coalescer.Pending(Lane::kNormal), 0u);
  auto urgent = coalescer.Take(Lane::kUrgent, 10, Via::kItem);
  ASSERT_EQ(urgent.size(), 1u);
  EXPECT_EQ(urgent[0].value, 5);
  EXPECT_TRUE(coalescer.Take(Lane::kNormal, 10, Via::kFeed).empty());
}

TEST(PushCoalescerTest, ResendRepeatsWhatWasLastToldOnce) {
  PushCoalescer coalescer;
  EXPECT_FALSE(coalescer.Resend(Key("S"), Lane::kUrgent));  // nothing sent yet
  coalescer.Offer(Quantity("S", 5, 1));
  EXPECT_FALSE(coalescer.Resend(Key("S"), Lane::kUrgent));  // pending will set it right
  coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  coalescer.Complete(Key("S"), 1, true);
  EXPECT_TRUE(coalescer.Resend(Key("S"), Lane::kUrgent));
  auto again = coalescer.Take(Lane::kUrgent, 10, Via::kItem);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].value, 5);
  EXPECT_EQ(coalescer.Complete(Key("S"), 1, true), CompleteResult::kDone);
  EXPECT_EQ(coalescer.PendingTotal(), 0u);
}

TEST(PushCoalescerTest, CompletingSomethingNotInFlightIsHarmless) {
  PushCoalescer coalescer;
  EXPECT_EQ(coalescer.Complete(Key("S"), 1, true), CompleteResult::kSuperseded);
  coalescer.Offer(Quantity("S", 5, 1));
  coalescer.Take(Lane::kNormal, 10, Via::kFeed);
  EXPECT_EQ(coalescer.Complete(Key("S"), 7, true), CompleteResult::kSuperseded);
  EXPECT_EQ(coalescer.InFlight(), 1u);
}

TEST(PushCoalescerTest, TakeRespectsTheBatchLimitAndOrder) {
  PushCoalescer coalescer;
  for (int i = 0; i < 5; ++i) coalescer.Offer(Quantity("S" + std::to_string(i), 5, 1 + i));
  auto first = coalescer.Take(Lane::kNormal, 3, Via::kFeed);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].key.sku, "S0");
  EXPECT_EQ(first[2].key.sku, "S2");
  EXPECT_EQ(coalescer.Take(Lane::kNormal, 3, Via::kFeed).size(), 2u);
}

TEST(PushCoalescerTest, PricesAndQuantitiesOfOneSkuAreSeparateKeys) {
  PushCoalescer coalescer;
  PushIntent price;
  price.key = Key("S", PushKind::kPrice);
  price.value = 1999;
  price.currency = "EUR";
  price.version = 1;
  EXPECT_EQ(coalescer.Offer(price), OfferResult::kQueued);
  EXPECT_EQ(coalescer.Offer(Quantity("S", 0, 1)), OfferResult::kQueued);
  EXPECT_EQ(coalescer.Pending(Lane::kNormal), 1u);
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 1u);
  EXPECT_EQ(coalescer.Target(Key("S", PushKind::kPrice)), 1999);
}

TEST(PushCoalescerTest, UrgentLaneSendsZeroCrossingsFirstThenTheFewestUnitsLeft) {
  PushCoalescer coalescer;
  // Queued in this order: a large drop to 40, a last-unit drop to 2, two zero-crossings, a drop
  // to 1.
  const std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> offers = {
      {"LARGE", {100, 40}},
      {"LAST2", {3, 2}},
      {"ZERO1", {4, 0}},
      {"ONE", {5, 1}},
      {"ZERO2", {1, 0}}};
  Version version = 1;
  for (const auto& [sku, change] : offers) coalescer.RestoreDone(Quantity(sku, change.first, 1));
  for (const auto& [sku, change] : offers) coalescer.Offer(Quantity(sku, change.second, ++version));
  ASSERT_EQ(coalescer.Pending(Lane::kUrgent), 5u);
  std::vector<std::string> order;
  for (const auto& intent : coalescer.Take(Lane::kUrgent, 10, Via::kItem))
    order.push_back(intent.key.sku);
  EXPECT_EQ(order, (std::vector<std::string>{"ZERO1", "ZERO2", "ONE", "LAST2", "LARGE"}));
}

TEST(PushCoalescerTest, ANewerValueTakesItsNewPlaceInTheUrgentLane) {
  PushCoalescer coalescer;
  coalescer.RestoreDone(Quantity("A", 5, 1));
  coalescer.RestoreDone(Quantity("B", 5, 1));
  coalescer.Offer(Quantity("A", 2, 2));
  coalescer.Offer(Quantity("B", 1, 3));
  coalescer.Offer(Quantity("A", 0, 4));  // A sold out meanwhile: now it goes first
  auto taken = coalescer.Take(Lane::kUrgent, 1, Via::kItem);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].key.sku, "A");
  EXPECT_EQ(taken[0].value, 0);
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 1u);
}

TEST(PushCoalescerTest, OverflowTakesTheLeastUrgentBeyondWhatIsKept) {
  PushCoalescer coalescer;
  for (int i = 0; i < 6; ++i) coalescer.RestoreDone(Quantity("S" + std::to_string(i), 50, 1));
  // S0 -> 0, S1 -> 1, ... S5 -> 5: all urgent (last units or large drops).
  for (int i = 0; i < 6; ++i) coalescer.Offer(Quantity("S" + std::to_string(i), i, 2 + i));
  auto overflow = coalescer.TakeOverflow(Lane::kUrgent, 4, 10, Via::kFeed);
  ASSERT_EQ(overflow.size(), 2u);
  EXPECT_EQ(overflow[0].key.sku, "S5");
  EXPECT_EQ(overflow[1].key.sku, "S4");
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 4u);
  EXPECT_TRUE(coalescer.TakeOverflow(Lane::kUrgent, 4, 10, Via::kFeed).empty());
  // The kept ones still go first and per item.
  EXPECT_EQ(coalescer.Take(Lane::kUrgent, 1, Via::kItem).at(0).key.sku, "S0");
  // A newer value of a spilled SKU may still overtake the feed per item.
  coalescer.Offer(Quantity("S5", 0, 20));
  auto again = coalescer.Take(Lane::kUrgent, 1, Via::kItem);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].key.sku, "S5");
}

TEST(PushCoalescerTest, DropsFromAmazonOrdersMayAskToBeVerifiedFirst) {
  PushCoalescer coalescer;
  coalescer.RestoreDone(Quantity("S", 3, 1));
  auto drop = Quantity("S", 2, 2);
  drop.lane = Lane::kVerify;
  coalescer.Offer(drop);
  EXPECT_EQ(coalescer.Pending(Lane::kVerify), 1u);
  EXPECT_EQ(coalescer.Pending(Lane::kUrgent), 0u);
  auto rise = Quantity("S", 4, 3);
  rise.lane = Lane::kVerify;  // only a drop can have been made by Amazon
  coalescer.Offer(rise);
  EXPECT_EQ(coalescer.Pending(Lane::kVerify), 0u);
  EXPECT_EQ(coalescer.Pending(Lane::kNormal), 1u);
  drop = Quantity("S", 1, 4);
  drop.lane = Lane::kVerify;
  coalescer.Offer(drop);
  auto taken = coalescer.Take(Lane::kVerify, 20, Via::kItem);
  ASSERT_EQ(taken.size(), 1u);
  // Amazon shows more than the value: the push is needed after all, first.
  EXPECT_EQ(coalescer.Complete(Key("S"), 4, false), CompleteResult::kRetry);
  EXPECT_TRUE(coalescer.Escalate(Key("S")));
  EXPECT_EQ(coalescer.Take(Lane::kUrgent, 1, Via::kItem).at(0).value, 1);
  EXPECT_EQ(LaneName(Lane::kVerify), "verify");
}

}  // namespace
}  // namespace mb::stock

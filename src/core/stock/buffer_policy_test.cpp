#include "core/stock/buffer_policy.hpp"

#include <gtest/gtest.h>

namespace mb::stock {
namespace {

TEST(ApplyBufferTest, NoRuleListsEverything) {
  auto out = ApplyBuffer(BufferRule{}, 7);
  EXPECT_EQ(out.listed, 7);
  EXPECT_EQ(out.buffer_units, 0);
  EXPECT_EQ(out.reason, "no buffer");
}

TEST(ApplyBufferTest, NegativeOrZeroAvailableListsZero) {
  EXPECT_EQ(ApplyBuffer(BufferRule{}, 0).listed, 0);
  EXPECT_EQ(ApplyBuffer(BufferRule{}, -3).listed, 0);
  EXPECT_EQ(ApplyBuffer(BufferRule{}, -3).buffer_units, 0);
}

TEST(ApplyBufferTest, FixedUnitsAreHeldBackAndClampAtZero) {
  BufferRule rule;
  rule.fixed_units = 2;
  EXPECT_EQ(ApplyBuffer(rule, 10).listed, 8);
  EXPECT_EQ(ApplyBuffer(rule, 2).listed, 0);
  EXPECT_EQ(ApplyBuffer(rule, 1).listed, 0);
  EXPECT_EQ(ApplyBuffer(rule, 1).buffer_units, 1);
}

TEST(ApplyBufferTest, PercentRoundsTheHeldBackPartUp) {
  BufferRule rule;
  rule.percent = 10;
  EXPECT_EQ(ApplyBuffer(rule, 100).listed, 90);
  EXPECT_EQ(ApplyBuffer(rule, 5).listed, 4);  // 10 % of 5 holds 1, not 0
  EXPECT_EQ(ApplyBuffer(rule, 5).reason, "10% (1)");
}

TEST(ApplyBufferTest, FixedAndPercentAdd) {
  BufferRule rule;
  rule.fixed_units = 1;
  rule.percent = 20;
  auto out = ApplyBuffer(rule, 10);
  EXPECT_EQ(out.listed, 7);
  EXPECT_EQ(out.buffer_units, 3);
  EXPECT_EQ(out.reason, "fixed 1 + 20% (2)");
}

TEST(ApplyBufferTest, CapLimitsTheListedQuantity) {
  BufferRule rule;
  rule.max_listed = 20;
  EXPECT_EQ(ApplyBuffer(rule, 500).listed, 20);
  EXPECT_EQ(ApplyBuffer(rule, 500).buffer_units, 480);
  EXPECT_EQ(ApplyBuffer(rule, 12).listed, 12);
}

TEST(ApplyBufferTest, ZeroBelowListsNothingForTheLastUnits) {
  BufferRule rule;
  rule.zero_below = 3;
  EXPECT_EQ(ApplyBuffer(rule, 2).listed, 0);
  EXPECT_EQ(ApplyBuffer(rule, 2).reason, "zero below 3");
  EXPECT_EQ(ApplyBuffer(rule, 3).listed, 3);
}

TEST(ApplyBufferTest, ZeroBelowAppliesAfterTheOtherParts) {
  BufferRule rule;
  rule.fixed_units = 2;
  rule.zero_below = 3;
  EXPECT_EQ(ApplyBuffer(rule, 4).listed, 0);  // 4 - 2 = 2 < 3
  EXPECT_EQ(ApplyBuffer(rule, 5).listed, 3);
}

TEST(ApplyBufferTest, ListedQuantityAgreesWithApplyBuffer) {
  for (int fixed : {0, 1, 3})
    for (int percent : {0, 10, 33})
      for (int64_t cap : {-1, 0, 5})
        for (int zero_below : {0, 2, 6})
          for (int64_t available = -2; available < 40; ++available) {
            BufferRule rule{fixed, percent, std::nullopt, zero_below};
            if (cap >= 0) rule.max_listed = cap;
            EXPECT_EQ(ListedQuantity(rule, available), ApplyBuffer(rule, available).listed);
          }
}

TEST(BufferPoliciesTest, MostSpecificRuleWins) {
  BufferPolicies policies;
  policies.SetDefault(BufferRule{1, 0, std::nullopt, 0});
  policies.Set(RuleScope::kCategory, "Fashion/Men", BufferRule{2, 0, std::nullopt, 0});
  policies.Set(RuleScope::kCategory, "Fashion/Men/Shirts", BufferRule{3, 0, std::nullopt, 0});
  policies.Set(RuleScope::kProduct, "P-1", BufferRule{4, 0, std::nullopt, 0});
  policies.Set(RuleScope::kSku, "SKU-1", BufferRule{5, 0, std::nullopt, 0});

  SkuPlacement placement{"SKU-1", "P-1", {"Fashion/Men/Shirts"}};
  auto resolved = policies.Resolve(placement);
  EXPECT_EQ(resolved.scope, RuleScope::kSku);
  EXPECT_EQ(resolved.rule.fixed_units, 5);

  placement.sku = "SKU-2";
  resolved = policies.Resolve(placement);
  EXPECT_EQ(resolved.scope, RuleScope::kProduct);
  EXPECT_EQ(resolved.key, "P-1");

  placement.product = "P-2";
  resolved = policies.Resolve(placement);
  EXPECT_EQ(resolved.scope, RuleScope::kCategory);
  EXPECT_EQ(resolved.key, "Fashion/Men/Shirts");
  EXPECT_EQ(resolved.rule.fixed_units, 3);

  placement.categories = {"Fashion/Men/Trousers"};  // inherits from the parent category
  resolved = policies.Resolve(placement);
  EXPECT_EQ(resolved.key, "Fashion/Men");
  EXPECT_EQ(resolved.rule.fixed_units, 2);

  placement.categories = {"Home/Kitchen"};
  resolved = policies.Resolve(placement);
  EXPECT_EQ(resolved.scope, RuleScope::kDefault);
  EXPECT_EQ(resolved.rule.fixed_units, 1);
}

TEST(BufferPoliciesTest, DeepestCategoryAcrossSeveralPathsWins) {
  BufferPolicies policies;
  policies.Set(RuleScope::kCategory, "Sale", BufferRule{1, 0, std::nullopt, 0});
  policies.Set(RuleScope::kCategory, "Fashion/Men/Shirts", BufferRule{3, 0, std::nullopt, 0});
  auto resolved = policies.Resolve(SkuPlacement{"S", "", {"Sale/Winter", "Fashion/Men/Shirts"}});
  EXPECT_EQ(resolved.key, "Fashion/Men/Shirts");
}

TEST(BufferPoliciesTest, RulesAreNotMergedFieldByField) {
  BufferPolicies policies;
  BufferRule category;
  category.max_listed = 10;
  policies.Set(RuleScope::kCategory, "A", category);
  policies.Set(RuleScope::kSku, "S", BufferRule{1, 0, std::nullopt, 0});
  auto resolved = policies.Resolve(SkuPlacement{"S", "", {"A"}});
  EXPECT_FALSE(resolved.rule.max_listed.has_value());
  EXPECT_EQ(ApplyBuffer(resolved.rule, 100).listed, 99);
}

}  // namespace
}  // namespace mb::stock

#include "core/catalogue/sku_index.hpp"

#include <gtest/gtest.h>

namespace mb::catalogue {
namespace {

TEST(CatalogueSkuIndex, ExactlyOneVariantResolves) {
  SkuIndex index;
  index.Add(Sku("A-M"), {"A", "A-blue", 1});
  index.Add(Sku("A-L"), {"A", "A-blue", 2});
  index.Add(Sku("A-L"), {"B", "B-red", 9});
  auto one = index.Resolve(Sku("A-M"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->variant_id, 1);
  auto none = index.Resolve(Sku("Z"));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kUnmapped);
  auto two = index.Resolve(Sku("A-L"));
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, ErrorCode::kConflict);
  EXPECT_EQ(two.error().message,
            "A-L is the referenceKey of 2 SCAYLE variants (product A-blue variant 2, product "
            "B-red variant 9)");
}

TEST(CatalogueSkuIndex, DriftBothWaysIgnoresOurParents) {
  SkuIndex index;
  index.Add(Sku("A-M"), {"A", "A-blue", 1});
  index.Add(Sku("A-L"), {"A", "A-blue", 2});
  index.AddParent(Sku("P-A"), "A");
  auto drift = FindCatalogueDrift({Sku("A-M"), Sku("P-A"), Sku("OLD-1")},
                                  {Sku("A-M"), Sku("A-L"), Sku("P-A")}, index);
  ASSERT_EQ(drift.amazon_only.size(), 1u);
  EXPECT_EQ(drift.amazon_only[0], Sku("OLD-1"));
  ASSERT_EQ(drift.scayle_unlisted.size(), 1u);
  EXPECT_EQ(drift.scayle_unlisted[0], Sku("A-L"));
}

}  // namespace
}  // namespace mb::catalogue

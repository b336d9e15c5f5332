#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <type_traits>
#include <unordered_set>

namespace mb {
namespace {

TEST(Ids, AreDistinctTypes) {
  static_assert(!std::is_convertible_v<Sku, AmazonOrderId>);
  static_assert(!std::is_convertible_v<std::string, Sku>);  // explicit construction only
  Sku a("SKU-1"), b("SKU-1"), c("SKU-2");
  EXPECT_EQ(a, b);
  EXPECT_LT(a, c);
  std::unordered_set<Sku> set{a, b, c};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(a.value(), "SKU-1");
  EXPECT_TRUE(Sku().empty());
}

}  // namespace
}  // namespace mb

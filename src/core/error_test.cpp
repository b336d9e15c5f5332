#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>

namespace mb {
namespace {

TEST(ErrorCodes, NamesAreUniqueAndRetryabilityIsDeclared) {
  std::set<std::string_view> names;
#define MB_CHECK(id, name, retryable)                         \
  EXPECT_TRUE(names.insert(ErrorName(ErrorCode::id)).second); \
  EXPECT_EQ(IsRetryable(ErrorCode::id), retryable);
  MB_ERROR_CODES(MB_CHECK)
#undef MB_CHECK
  EXPECT_TRUE(IsRetryable(ErrorCode::kThrottled));
  EXPECT_FALSE(IsRetryable(ErrorCode::kRejected));
  EXPECT_EQ(MetricLabel(ErrorCode::kTimeout), "timeout");
}

TEST(ErrorCodes, FailBuildsAnUnexpectedValue) {
  Result<int> r = Fail(ErrorCode::kNotFound, "scayle: variant SKU-1 not found");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().ToString(), "not_found: scayle: variant SKU-1 not found");
  EXPECT_FALSE(r.error().Retryable());
}

}  // namespace
}  // namespace mb

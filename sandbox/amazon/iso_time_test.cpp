#include "sandbox/amazon/iso_time.hpp"

#include <gtest/gtest.h>

namespace sandbox::amazon {
namespace {

TEST(IsoTime, RoundTripsAndAcceptsOffsets) {
  auto t = ParseIso("2026-08-20T09:30:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatIso(*t), "2026-08-20T09:30:00Z");
  EXPECT_EQ(ParseIso("2026-08-20T11:30:00+02:00"), t);
  EXPECT_EQ(FormatIso(*ParseIso("2022-02-11T01:00:00.250Z")), "2022-02-11T01:00:00.250Z");
  EXPECT_EQ(FormatIso(*ParseIso("2026-08-20")), "2026-08-20T00:00:00Z");
}

TEST(IsoTime, RejectsWhatAmazonRejects) {
  EXPECT_FALSE(ParseIso("02/21/2022"));  // the confirmShipment 400 sandbox case
  EXPECT_FALSE(ParseIso("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseIso("2026-08-20T09:30:00"));  // no zone
  EXPECT_FALSE(ParseIso(""));
}

}  // namespace
}  // namespace sandbox::amazon

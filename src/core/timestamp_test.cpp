#include "core/timestamp.hpp"

#include <gtest/gtest.h>

namespace mb {
namespace {

TimePoint Parse(std::string_view s, bool date_only = false) {
  auto t = ParseTimestamp(s, date_only);
  EXPECT_TRUE(t.has_value()) << s << ": " << (t ? "" : t.error().message);
  return t ? *t : TimePoint{};
}

TEST(Timestamp, ParsesRfc3339Variants) {
  const TimePoint expected = MakeTime(2026, 8, 20, 9, 30, 0);
  EXPECT_EQ(Parse("2026-08-20T09:30:00Z"), expected);
  EXPECT_EQ(Parse("2026-08-20t09:30:00z"), expected);
  EXPECT_EQ(Parse("2026-08-20 09:30:00Z"), expected);
  EXPECT_EQ(Parse("2026-08-20T11:30:00+02:00"), expected);
  EXPECT_EQ(Parse("2026-08-20T11:30:00+0200"), expected);
  EXPECT_EQ(Parse("2026-08-20T04:30:00-05"), expected);
  EXPECT_EQ(Parse("2026-08-20T09:30Z"), expected);
  EXPECT_EQ(Parse("2026-08-20T09:30:00.000Z"), expected);
  EXPECT_EQ(Parse("2026-08-20T09:30:00.1239999Z"), expected + std::chrono::milliseconds(123));
  EXPECT_EQ(Parse("2026-08-20T09:30:00.5Z"), expected + std::chrono::milliseconds(500));
  EXPECT_EQ(Parse("2026-08-20", true), MakeTime(2026, 8, 20));
}

TEST(Timestamp, CrossesDayBoundariesWithOffsets) {
  EXPECT_EQ(Parse("2026-01-01T00:30:00+01:00"), MakeTime(2025, 12, 31, 23, 30, 0));
  EXPECT_EQ(Parse("2024-02-29T12:00:00Z"), MakeTime(2024, 2, 29, 12, 0, 0));
}

TEST(Timestamp, RejectsMalformed) {
  for (const char* bad :
       {"", "2026-08-20", "2026-8-20T09:30:00Z", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-08-20T24:00:00Z", "2026-08-20T09:60:00Z", "2026-08-20T09:30:00",
        "2026-08-20T09:30:00+2", "2026-08-20T09:30:00Zjunk", "2026-08-20T09:30:00.Z",
        "20260820T093000Z", "yesterday", "2026-13-01T00:00:00Z"}) {
    auto t = ParseTimestamp(bad);
    EXPECT_FALSE(t.has_value()) << bad;
    if (!t) {
      EXPECT_EQ(t.error().code, ErrorCode::kParseError);
    }
  }
  EXPECT_FALSE(ParseTimestamp("2026-08-20x", true).has_value());
}

TEST(Timestamp, FormatsUtc) {
  EXPECT_EQ(FormatTimestamp(MakeTime(2026, 8, 20, 9, 30, 0)), "2026-08-20T09:30:00Z");
  EXPECT_EQ(FormatTimestamp(MakeTime(2026, 8, 20, 9, 30, 0) + std::chrono::milliseconds(7)),
            "2026-08-20T09:30:00.007Z");
  EXPECT_EQ(FormatDate(MakeTime(1999, 12, 31, 23, 59, 59)), "1999-12-31");
}

TEST(Timestamp, RoundTrips) {
  TimePoint t = MakeTime(2026, 3, 29, 1, 2, 3) + std::chrono::milliseconds(456);
  EXPECT_EQ(Parse(FormatTimestamp(t)), t);
}

}  // namespace
}  // namespace mb

#include "core/settlement/settlement_date.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"

namespace mb::settlement {
namespace {

TimePoint Parse(std::string_view s, SlashDateOrder order = SlashDateOrder::kUnknown) {
  TimePoint t{};
  std::string why;
  EXPECT_TRUE(ParseSettlementDate(s, order, t, why)) << s << ": " << why;
  return t;
}

std::string Why(std::string_view s, SlashDateOrder order = SlashDateOrder::kUnknown) {
  TimePoint t{};
  std::string why;
  EXPECT_FALSE(ParseSettlementDate(s, order, t, why)) << s;
  return why;
}

TEST(SettlementDate, AmazonShapes) {
  EXPECT_EQ(Parse("2026-08-20T09:30:00+00:00"), MakeTime(2026, 8, 20, 9, 30));
  EXPECT_EQ(Parse("2026-08-20T11:30:00+02:00"), MakeTime(2026, 8, 20, 9, 30));
  EXPECT_EQ(Parse("2026-08-20 09:30:00 UTC"), MakeTime(2026, 8, 20, 9, 30));
  EXPECT_EQ(Parse("2026-08-20 01:30:00 PST"), MakeTime(2026, 8, 20, 9, 30));
  EXPECT_EQ(Parse("2026-08-20T09:30:00Z"), MakeTime(2026, 8, 20, 9, 30));
  EXPECT_EQ(Parse("20.08.2026"), MakeTime(2026, 8, 20));
  EXPECT_EQ(Parse("20.08.2026 09:30:00 UTC"), MakeTime(2026, 8, 20, 9, 30));
  EXPECT_EQ(Parse("2026-08-20"), MakeTime(2026, 8, 20));
  EXPECT_EQ(Parse("2026/08/20"), MakeTime(2026, 8, 20));
  EXPECT_EQ(Parse("08/20/2026"), MakeTime(2026, 8, 20));  // 20 can only be the day
  EXPECT_EQ(Parse("20/08/2026"), MakeTime(2026, 8, 20));
  EXPECT_EQ(Parse("05/06/2026", SlashDateOrder::kMonthFirst), MakeTime(2026, 5, 6));
  EXPECT_EQ(Parse("05/06/2026", SlashDateOrder::kDayFirst), MakeTime(2026, 6, 5));
  EXPECT_EQ(Parse("05/05/2026"), MakeTime(2026, 5, 5));
}

TEST(SettlementDate, RejectsWhatItCannotKnow) {
  EXPECT_NE(Why("05/06/2026").find("ambiguous"), std::string::npos);
  EXPECT_NE(Why("2026-08-20 09:30:00").find("time zone"), std::string::npos);
  EXPECT_NE(Why("2026-08-20 09:30:00 XYZ").find("unknown time zone"), std::string::npos);
  EXPECT_NE(Why("31.02.2026").find("calendar"), std::string::npos);
  EXPECT_NE(Why("garbage").find("not a date"), std::string::npos);
  EXPECT_NE(Why("2026-08-20X").find("unexpected"), std::string::npos);
}

}  // namespace
}  // namespace mb::settlement

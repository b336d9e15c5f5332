#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/timestamp.hpp"

namespace mb {
namespace {

using namespace std::chrono_literals;

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(MakeTime(2026, 1, 1));
  EXPECT_EQ(clock.Now(), MakeTime(2026, 1, 1));
  clock.Advance(90s);
  EXPECT_EQ(clock.Now(), MakeTime(2026, 1, 1, 0, 1, 30));
  clock.Set(MakeTime(2027, 1, 1));
  EXPECT_EQ(clock.Now(), MakeTime(2027, 1, 1));
  EXPECT_EQ(clock.RealDuration(1h), 0ns);
}

TEST(ScaledClock, RunsFasterAndScalesWaits) {
  ScaledClock clock(MakeTime(2026, 1, 1), 600.0);
  EXPECT_EQ(clock.RealDuration(60s), 100ms);
  auto before = clock.Now();
  std::this_thread::sleep_for(20ms);
  auto elapsed = clock.Now() - before;
  // 20 ms real at 600x is at least 12 s of simulated time.
  EXPECT_GE(elapsed, 12s);
  EXPECT_THROW(ScaledClock(MakeTime(2026, 1, 1), 0.0), std::invalid_argument);
}

TEST(SystemClock, IsCloseToTheSystemTime) {
  SystemClock clock;
  auto diff = std::chrono::system_clock::now() - clock.Now();
  EXPECT_LT(std::chrono::abs(diff), 5s);
  EXPECT_EQ(clock.RealDuration(3s), 3s);
}

}  // namespace
}  // namespace mb

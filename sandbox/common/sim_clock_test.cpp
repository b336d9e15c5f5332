#include "sandbox/common/sim_clock.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace sandbox {
namespace {

using namespace std::chrono_literals;

TEST(SimClock, FrozenClockMovesOnlyByAdvance) {
  SimClock clock(SimTime(1000h), 0.0);
  auto t0 = clock.Now();
  std::this_thread::sleep_for(5ms);
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(90s);
  EXPECT_EQ(clock.Now(), t0 + 90s);
}

TEST(SimClock, ScaledClockRunsFaster) {
  SimClock clock(SimTime(1000h), 1000.0);
  auto t0 = clock.Now();
  std::this_thread::sleep_for(10ms);
  EXPECT_GE(clock.Now() - t0, 10s);
}

}  // namespace
}  // namespace sandbox

#pragma once
// The sandbox's own clock. Simulated time runs `factor` times faster than real time so a trading
// day replays in minutes; every rate limit and delay in the sandbox is measured on this clock.

#include <chrono>
#include <cstdint>
#include <mutex>

namespace sandbox {

using SimTime = std::chrono::sys_time<std::chrono::milliseconds>;

class SimClock {
 public:
  // factor 0 freezes the clock: time moves only through Advance() (deterministic tests).
  SimClock(SimTime start, double factor);

  SimTime Now() const;
  void Advance(std::chrono::milliseconds d);
  double factor() const { return factor_; }

 private:
  mutable std::mutex mu_;
  SimTime start_;
  std::chrono::steady_clock::time_point real_start_;
  double factor_;
  std::chrono::milliseconds manual_offset_{0};
};

}  // namespace sandbox

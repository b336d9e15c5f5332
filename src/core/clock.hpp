#pragma once
// Time is read through an injected Clock, never from the system directly: tests use FakeClock,
// simulations use ScaledClock to replay a trading day in minutes.

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mb {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;
using Duration = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // The wall-clock time that `d` of this clock's time takes. Waits (back-off, periodic tasks) are
  // converted with this so an accelerated clock accelerates them too.
  virtual std::chrono::nanoseconds RealDuration(Duration d) const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  std::chrono::nanoseconds RealDuration(Duration d) const override { return d; }
};

// Starts at a given instant and moves only when told to. Waits take no real time.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override;
  std::chrono::nanoseconds RealDuration(Duration) const override {
    return std::chrono::nanoseconds(0);
  }
  void Advance(Duration d);
  void Set(TimePoint t);

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

// Runs `factor` times faster than real time from `start`: after one real second, Now() has moved
// `factor` seconds.
class ScaledClock final : public Clock {
 public:
  ScaledClock(TimePoint start, double factor);
  TimePoint Now() const override;
  std::chrono::nanoseconds RealDuration(Duration d) const override;
  double factor() const { return factor_; }

 private:
  TimePoint start_;
  std::chrono::steady_clock::time_point real_start_;
  double factor_;
};

}  // namespace mb

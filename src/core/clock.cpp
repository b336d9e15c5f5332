#include "core/clock.hpp"

#include <stdexcept>

namespace mb {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void FakeClock::Advance(Duration d) {
  std::lock_guard lock(mu_);
  now_ += d;
}

void FakeClock::Set(TimePoint t) {
  std::lock_guard lock(mu_);
  now_ = t;
}

ScaledClock::ScaledClock(TimePoint start, double factor)
    : start_(start), real_start_(std::chrono::steady_clock::now()), factor_(factor) {
  if (!(factor > 0)) throw std::invalid_argument("ScaledClock factor must be positive");
}

TimePoint ScaledClock::Now() const {
  auto real = std::chrono::steady_clock::now() - real_start_;
  auto scaled = std::chrono::duration<double, std::milli>(real) * factor_;
  return start_ + Duration(static_cast<int64_t>(scaled.count()));
}

std::chrono::nanoseconds ScaledClock::RealDuration(Duration d) const {
  return std::chrono::nanoseconds(
      static_cast<int64_t>(std::chrono::nanoseconds(d).count() / factor_));
}

}  // namespace mb

#include "sandbox/common/sim_clock.hpp"

namespace sandbox {

SimClock::SimClock(SimTime start, double factor)
    : start_(start), real_start_(std::chrono::steady_clock::now()), factor_(factor) {}

SimTime SimClock::Now() const {
  std::lock_guard lock(mu_);
  auto real = std::chrono::steady_clock::now() - real_start_;
  auto scaled = std::chrono::duration<double, std::milli>(real) * factor_;
  return start_ + manual_offset_ + std::chrono::milliseconds(static_cast<int64_t>(scaled.count()));
}

void SimClock::Advance(std::chrono::milliseconds d) {
  std::lock_guard lock(mu_);
  manual_offset_ += d;
}

}  // namespace sandbox

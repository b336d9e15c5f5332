#include "sync/periodic_task.hpp"

#include <exception>
#include <stdexcept>

#include "log/log.hpp"

namespace mb::sync {
namespace {

// Log the 1st, 2nd, 4th, 8th ... failure of a streak: an upstream that is down for hours must
// not flood the log, yet the streak stays visible (the failures counter has every one).
bool ShouldLogFailure(int consecutive) { return (consecutive & (consecutive - 1)) == 0; }

}  // namespace

PeriodicTask::PeriodicTask(std::string name, Settings settings, Step step, const Clock& clock,
                           metrics::Registry* registry)
    : PeriodicTask(std::move(name), settings,
                   StoppableStep([step = std::move(step)](std::stop_token) { return step(); }),
                   clock, registry) {}

PeriodicTask::PeriodicTask(std::string name, Settings settings, StoppableStep step,
                           const Clock& clock, metrics::Registry* registry)
    : name_(std::move(name)),
      settings_(settings),
      step_(std::move(step)),
      clock_(clock),
      logger_(log::Get("sync")),
      random_(std::random_device{}()) {
  if (settings_.period <= Duration::zero()) {
    throw std::invalid_argument("periodic task " + name_ + ": period must be positive");
  }
  if (settings_.jitter < 0 || settings_.jitter >= 1) {
    throw std::invalid_argument("periodic task " + name_ + ": jitter must be in [0, 1)");
  }
  if (registry != nullptr) {
    steps_ = &registry
                  ->AddCounter("mb_periodic_task_steps_total",
                               "Steps run by each periodic task, failed ones included.", {"task"})
                  .WithLabels({name_});
    failures_ = &registry
                     ->AddCounter("mb_periodic_task_failures_total",
                                  "Steps that returned an error or threw.", {"task"})
                     .WithLabels({name_});
    last_success_ =
        &registry
             ->AddGauge("mb_periodic_task_last_success_timestamp_seconds",
                        "Clock time (Unix seconds) at which the last successful step ended.",
                        {"task"})
             .WithLabels({name_});
  }
}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  std::lock_guard lifecycle(lifecycle_mu_);
  std::lock_guard lock(mu_);
  if (running_) throw std::logic_error("periodic task " + name_ + " started twice");
  running_ = true;
  stop_requested_ = false;
  run_now_ = settings_.run_on_start;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicTask::RequestStop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stop_requested_ = true;
    stop_source_.request_stop();
  }
  wake_.notify_all();
}

void PeriodicTask::Stop() {
  std::lock_guard lifecycle(lifecycle_mu_);
  RequestStop();
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
  }
  thread_.join();
  std::lock_guard lock(mu_);
  running_ = false;
  stop_source_ = std::stop_source();
}

bool PeriodicTask::IsRunning() const {
  std::lock_guard lock(mu_);
  return running_;
}

void PeriodicTask::RunNow() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    run_now_ = true;
  }
  wake_.notify_all();
}

Status PeriodicTask::RunOneStep() {
  std::stop_token token;
  {
    std::lock_guard lock(mu_);
    token = stop_source_.get_token();
  }
  std::lock_guard step_lock(step_mu_);
  Status result;
  // The top of the step is where failures stop: an exception here is a bug in the step or an
  // unexpected library error, and it must not kill the loop.
  try {
    result = step_(token);
  } catch (const std::exception& e) {
    result = Fail(ErrorCode::kInternal, std::string("step threw: ") + e.what());
  }
  if (steps_ != nullptr) steps_->Inc();
  if (result) {
    if (consecutive_failures_ > 0) {
      logger_->info("periodic task {}: recovered after {} failed steps", name_,
                    consecutive_failures_);
    }
    consecutive_failures_ = 0;
    if (last_success_ != nullptr) {
      auto now = clock_.Now().time_since_epoch();
      last_success_->Set(std::chrono::duration<double>(now).count());
    }
  } else {
    ++consecutive_failures_;
    if (failures_ != nullptr) failures_->Inc();
    if (ShouldLogFailure(consecutive_failures_)) {
      logger_->warn("periodic task {}: step failed ({} in a row): {}", name_, consecutive_failures_,
                    result.error().ToString());
    }
  }
  return result;
}

Duration PeriodicTask::NextDelay(bool failed) {
  Duration base = failed ? settings_.error_backoff.value_or(settings_.period) : settings_.period;
  if (settings_.jitter == 0) return base;
  std::lock_guard step_lock(step_mu_);
  std::uniform_real_distribution<double> factor(1 - settings_.jitter, 1 + settings_.jitter);
  return Duration(static_cast<Duration::rep>(static_cast<double>(base.count()) * factor(random_)));
}

void PeriodicTask::Loop() {
  // With run_on_start, run_now_ is already set and the first wait ends at once.
  Duration delay = NextDelay(false);
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait_for(lock, clock_.RealDuration(delay), [&] { return stop_requested_ || run_now_; });
    if (stop_requested_) return;
    run_now_ = false;
    lock.unlock();
    bool failed = !RunOneStep();
    delay = NextDelay(failed);
    lock.lock();
  }
}

}  // namespace mb::sync

#pragma once
// A job that runs a step every `period`, in the shape of userver's PeriodicTask: jitter spreads
// instances that start together, a failed step is retried after `error_backoff` instead of the
// full period, RunNow() wakes it (a webhook saying "something changed"), RunOneStep() runs one step
// synchronously for tests, and Stop() (also in the destructor) returns promptly.
//
// Stop() cannot interrupt a step, only wait for it: a long step (a paged read of 20,000 listings)
// takes a std::stop_token and returns early between pages once it is stopped. RequestStop() only
// asks, so an owner of several tasks asks them all first and then waits for each.
//
// All waits go through the injected Clock: a ScaledClock speeds the schedule up, a FakeClock
// makes every wait zero (the task then runs step after step until stopped).

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "metrics/registry.hpp"

namespace spdlog {
class logger;
}

namespace mb::sync {

class PeriodicTask {
 public:
  // A step reports expected failures as a Status; an exception is treated as a failure too.
  using Step = std::function<Status()>;
  // A long step: checks the token between pages (or other units of work) and, when stop is
  // requested, returns what it finished without starting the next one.
  using StoppableStep = std::function<Status(std::stop_token)>;

  struct Settings {
    Duration period{std::chrono::seconds(60)};
    // Each wait is drawn uniformly from period * [1 - jitter, 1 + jitter]; 0 = exact.
    double jitter = 0.0;
    // Wait after a failed step; the period when unset.
    std::optional<Duration> error_backoff;
    // Run the first step as soon as the task starts (userver's kNow), else after one period.
    bool run_on_start = true;
  };

  // `registry` is optional; when given, the task counts steps and failures and records the time
  // of its last success, labelled with its name.
  PeriodicTask(std::string name, Settings settings, Step step, const Clock& clock,
               metrics::Registry* registry = nullptr);
  PeriodicTask(std::string name, Settings settings, StoppableStep step, const Clock& clock,
               metrics::Registry* registry = nullptr);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Starts the background thread. Starting a running task is a bug (throws std::logic_error).
  void Start();
  // Asks the task to stop and returns at once: the wait ends, no further step starts, and the
  // stop token of a step in progress is set. Stop() still has to be called to join the thread.
  void RequestStop();
  // RequestStop(), then waits for a step in progress to end; the thread is joined on return.
  // Must not be called from inside the step. The owner declares the task after whatever the step
  // uses, so the destructor stops it first. The task can be started again.
  void Stop();
  bool IsRunning() const;

  // Runs the next step now instead of at its scheduled time; a no-op when not running.
  void RunNow();
  // Runs one step on the calling thread (never concurrently with the background one) and
  // returns its outcome. Needs no Start().
  Status RunOneStep();

  // The simulated wait before the next step, after a step that succeeded or failed.
  Duration NextDelay(bool failed);

  const std::string& name() const { return name_; }

 private:
  void Loop();

  const std::string name_;
  const Settings settings_;
  const StoppableStep step_;
  const Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;

  metrics::Counter* steps_ = nullptr;
  metrics::Counter* failures_ = nullptr;
  metrics::Gauge* last_success_ = nullptr;

  std::mutex step_mu_;  // serialises steps between RunOneStep() and the thread
  int consecutive_failures_ = 0;
  std::mt19937_64 random_;  // guarded by step_mu_

  std::mutex lifecycle_mu_;  // one Start()/Stop() at a time, so the thread is joined once
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool running_ = false;
  bool stop_requested_ = false;
  std::stop_source stop_source_;  // a fresh one per run: a stopped source cannot be reset
  bool run_now_ = false;
  std::thread thread_;
};

}  // namespace mb::sync

#include "sync/periodic_task.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/timestamp.hpp"

namespace mb::sync {
namespace {

using namespace std::chrono_literals;

// Records when (in the task's clock) each step ran, and lets the test wait for the n-th step.
class StepLog {
 public:
  explicit StepLog(const Clock& clock) : clock_(clock) {}

  void Record() {
    std::lock_guard lock(mu_);
    times_.push_back(clock_.Now());
    cv_.notify_all();
  }
  // True if `n` steps ran before the real-time deadline.
  bool WaitFor(std::size_t n, std::chrono::milliseconds deadline = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, deadline, [&] { return times_.size() >= n; });
  }
  std::vector<TimePoint> Times() {
    std::lock_guard lock(mu_);
    return times_;
  }

 private:
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<TimePoint> times_;
};

// A step that only records that it ran.
PeriodicTask::Step Recording(StepLog& log) {
  return [&log] {
    log.Record();
    return Status{};
  };
}

PeriodicTask::Settings Every(Duration period) {
  PeriodicTask::Settings s;
  s.period = period;
  return s;
}

TEST(PeriodicTask, RunOneStepCountsSuccessesAndFailuresWithoutAThread) {
  FakeClock clock(MakeTime(2026, 3, 1, 12, 0, 0));
  metrics::Registry registry;
  int calls = 0;
  PeriodicTask task(
      "orders", Every(1min),
      [&]() -> Status {
        ++calls;
        if (calls == 2) return Fail(ErrorCode::kThrottled, "amazon: searchOrders returned 429");
        if (calls == 3) throw std::runtime_error("boom");
        return {};
      },
      clock, &registry);

  EXPECT_TRUE(task.RunOneStep());
  clock.Advance(1min);
  auto throttled = task.RunOneStep();
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().code, ErrorCode::kThrottled);
  auto thrown = task.RunOneStep();
  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
  EXPECT_EQ(thrown.error().message, "step threw: boom");
  EXPECT_FALSE(task.IsRunning());

  // The last success is the first step, at 12:00:00 UTC.
  EXPECT_EQ(registry.Expose(),
            "# HELP mb_periodic_task_failures_total Steps that returned an error or threw.\n"
            "# TYPE mb_periodic_task_failures_total counter\n"
            "mb_periodic_task_failures_total{task=\"orders\"} 2\n"
            "# HELP mb_periodic_task_last_success_timestamp_seconds Clock time (Unix seconds) at "
            "which the last successful step ended.\n"
            "# TYPE mb_periodic_task_last_success_timestamp_seconds gauge\n"
            "mb_periodic_task_last_success_timestamp_seconds{task=\"orders\"} 1772366400\n"
            "# HELP mb_periodic_task_steps_total Steps run by each periodic task, failed ones "
            "included.\n"
            "# TYPE mb_periodic_task_steps_total counter\n"
            "mb_periodic_task_steps_total{task=\"orders\"} 3\n");
}

TEST(PeriodicTask, NextDelayUsesPeriodBackoffAndJitter) {
  FakeClock clock(MakeTime(2026, 1, 1));
  auto settings = Every(10s);
  PeriodicTask plain(
      "plain", settings, [] { return Status{}; }, clock);
  EXPECT_EQ(plain.NextDelay(false), 10s);
  EXPECT_EQ(plain.NextDelay(true), 10s);  // no back-off set: the period

  settings.error_backoff = 2s;
  settings.jitter = 0.25;
  PeriodicTask jittered(
      "jittered", settings, [] { return Status{}; }, clock);
  Duration min = 1h;
  Duration max = 0s;
  for (int i = 0; i < 1000; ++i) {
    auto d = jittered.NextDelay(false);
    min = std::min(min, d);
    max = std::max(max, d);
    auto b = jittered.NextDelay(true);
    EXPECT_GE(b, 1500ms);
    EXPECT_LE(b, 2500ms);
  }
  EXPECT_GE(min, 7500ms);
  EXPECT_LE(max, 12500ms);
  // 1000 draws spread over most of the range.
  EXPECT_LT(min, 8500ms);
  EXPECT_GT(max, 11500ms);
}

TEST(PeriodicTask, RejectsNonsenseSettings) {
  FakeClock clock(MakeTime(2026, 1, 1));
  auto step = [] { return Status{}; };
  EXPECT_THROW(PeriodicTask("zero", Every(0s), step, clock), std::invalid_argument);
  auto settings = Every(1s);
  settings.jitter = 1.0;
  EXPECT_THROW(PeriodicTask("jitter", settings, step, clock), std::invalid_argument);
}

TEST(PeriodicTask, RunsOnScheduleOnAScaledClock) {
  // 100x: a 10 s period takes 100 ms of real time.
  ScaledClock clock(MakeTime(2026, 1, 1), 100.0);
  StepLog log(clock);
  auto start = clock.Now();
  PeriodicTask task("stock", Every(10s), Recording(log), clock);
  task.Start();
  ASSERT_TRUE(log.WaitFor(4));
  task.Stop();

  auto times = log.Times();
  // run_on_start: the first step does not wait a period.
  EXPECT_LT(times[0] - start, 10s);
  for (std::size_t i = 1; i < times.size(); ++i) {
    // ScaledClock reads whole milliseconds, so allow for the truncation.
    EXPECT_GE(times[i] - times[i - 1], 9990ms) << "between steps " << i - 1 << " and " << i;
  }
}

TEST(PeriodicTask, FakeClockMakesWaitsZero) {
  FakeClock clock(MakeTime(2026, 1, 1));
  StepLog log(clock);
  PeriodicTask task("catalogue", Every(24h), Recording(log), clock);
  task.Start();
  EXPECT_TRUE(log.WaitFor(20));
}

TEST(PeriodicTask, BacksOffAfterFailedSteps) {
  // Period 1 h (3.6 s real), back-off 1 s (1 ms real): failing steps repeat on the back-off.
  ScaledClock clock(MakeTime(2026, 1, 1), 1000.0);
  StepLog log(clock);
  auto settings = Every(1h);
  settings.error_backoff = 1s;
  PeriodicTask task(
      "shipments", settings,
      [&]() -> Status {
        log.Record();
        return Fail(ErrorCode::kUnavailable, "scayle: GET /shipments returned 503");
      },
      clock);
  task.Start();
  ASSERT_TRUE(log.WaitFor(3, 3s));
  task.Stop();
  auto times = log.Times();
  EXPECT_GE(times[2] - times[1], 990ms);
  EXPECT_LT(times[2] - times[1], 1h);
}

TEST(PeriodicTask, ThrowingStepDoesNotKillTheLoop) {
  ScaledClock clock(MakeTime(2026, 1, 1), 1000.0);
  StepLog log(clock);
  auto settings = Every(1h);
  settings.error_backoff = 1s;
  PeriodicTask task(
      "settlement", settings,
      [&]() -> Status {
        log.Record();
        throw std::runtime_error("bug");
      },
      clock);
  task.Start();
  EXPECT_TRUE(log.WaitFor(2, 3s));
}

TEST(PeriodicTask, RunNowWakesASleepingTask) {
  SystemClock clock;
  StepLog log(clock);
  auto settings = Every(1h);
  settings.run_on_start = false;
  PeriodicTask task("webhook-driven", settings, Recording(log), clock);
  task.RunNow();  // not running: ignored
  task.Start();
  task.RunNow();
  ASSERT_TRUE(log.WaitFor(1));
  task.RunNow();
  ASSERT_TRUE(log.WaitFor(2));
  task.Stop();
  EXPECT_EQ(log.Times().size(), 2u);
}

TEST(PeriodicTask, StopIsPromptAndTheDestructorStops) {
  SystemClock clock;
  StepLog log(clock);
  auto begin = std::chrono::steady_clock::now();
  {
    PeriodicTask task("drift-audit", Every(1h), Recording(log), clock);
    task.Start();
    ASSERT_TRUE(log.WaitFor(1));
    EXPECT_TRUE(task.IsRunning());
    task.Stop();
    EXPECT_FALSE(task.IsRunning());
    task.Start();  // restartable; the destructor stops it again
    ASSERT_TRUE(log.WaitFor(2));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
}

// One page of a paged read (a SCAYLE snapshot page, a searchOrders page): the time the call takes.
constexpr auto kPageTime = 5ms;

// A long step's pages: reads them, counts them and lets the test wait for the n-th one.
class PageCounter {
 public:
  // Reads up to `pages` pages, returning early when `stop` is requested before the next one (a
  // default token never is: a step that ignores it).
  Status Read(int pages, std::stop_token stop = {}) {
    for (int i = 0; i < pages; ++i) {
      if (stop.stop_requested()) {
        stopped_early_ = true;
        return {};
      }
      std::this_thread::sleep_for(kPageTime);
      Page();
    }
    return {};
  }
  void Page() {
    std::lock_guard lock(mu_);
    ++pages_;
    cv_.notify_all();
  }
  bool stopped_early() const { return stopped_early_; }
  bool WaitFor(int n, std::chrono::milliseconds deadline = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, deadline, [&] { return pages_ >= n; });
  }
  int pages() {
    std::lock_guard lock(mu_);
    return pages_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int pages_ = 0;
  std::atomic<bool> stopped_early_{false};
};

std::chrono::milliseconds TimeToStop(PeriodicTask& task) {
  auto begin = std::chrono::steady_clock::now();
  task.Stop();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               begin);
}

TEST(PeriodicTask, StopWaitsForAStepThatIgnoresTheToken) {
  // The behaviour before steps were cooperative: Stop() waits out the rest of the step.
  SystemClock clock;
  PageCounter counter;
  constexpr int kPages = 100;  // 0.5 s of pages
  PeriodicTask task(
      "snapshot-unaware", Every(1h), [&]() -> Status { return counter.Read(kPages); }, clock);
  task.Start();
  ASSERT_TRUE(counter.WaitFor(5));
  auto latency = TimeToStop(task);
  std::cout << "[ measure  ] Stop() with a step that ignores the token: " << latency.count()
            << " ms (" << kPages << " pages of " << kPageTime.count() << " ms)\n";
  EXPECT_EQ(counter.pages(), kPages);  // the step ran to its end
  EXPECT_GE(latency, (kPages - 5) * kPageTime / 2);
}

TEST(PeriodicTask, StopEndsALongStepBetweenPages) {
  SystemClock clock;
  PageCounter counter;
  constexpr int kPages = 20000;  // 100 s of pages: only a stop ends it in time
  PeriodicTask task(
      "snapshot", Every(1h),
      [&](std::stop_token stop) -> Status { return counter.Read(kPages, stop); }, clock);
  task.Start();
  ASSERT_TRUE(counter.WaitFor(5));
  auto latency = TimeToStop(task);
  std::cout << "[ measure  ] Stop() with a step that checks the token between pages: "
            << latency.count() << " ms\n";
  EXPECT_TRUE(counter.stopped_early());
  EXPECT_LT(counter.pages(), kPages);
  EXPECT_LT(latency, 1s);  // one page (5 ms) plus scheduling, far below the 100 s step
  EXPECT_FALSE(task.IsRunning());
}

TEST(PeriodicTask, RequestStopLetsAnOwnerStopSeveralTasksAtOnce) {
  SystemClock clock;
  PageCounter a_pages;
  PageCounter b_pages;
  auto paged = [](PageCounter& counter) {
    return [&counter](std::stop_token stop) { return counter.Read(1000000, stop); };
  };
  PeriodicTask a("a", Every(1h), PeriodicTask::StoppableStep(paged(a_pages)), clock);
  PeriodicTask b("b", Every(1h), PeriodicTask::StoppableStep(paged(b_pages)), clock);
  a.Start();
  b.Start();
  ASSERT_TRUE(a_pages.WaitFor(2));
  ASSERT_TRUE(b_pages.WaitFor(2));
  a.RequestStop();
  b.RequestStop();
  EXPECT_TRUE(a.IsRunning());  // asked, not yet joined
  a.Stop();
  b.Stop();
  EXPECT_FALSE(b.IsRunning());
  // After Stop() the next run gets a fresh token, else every later step would return at once.
  auto later = Every(1h);
  later.run_on_start = false;
  std::atomic<bool> stopped_at_start{true};
  PeriodicTask c(
      "c", later,
      [&](std::stop_token stop) -> Status {
        stopped_at_start = stop.stop_requested();
        return {};
      },
      clock);
  c.Start();
  c.Stop();
  EXPECT_TRUE(c.RunOneStep());
  EXPECT_FALSE(stopped_at_start);
}

}  // namespace
}  // namespace mb::sync

#include "metrics/registry.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace mb::metrics {
namespace {

TEST(Registry, ExposesCountersAndGaugesSortedWithLabels) {
  Registry registry;
  auto& pushes = registry.AddCounter("mb_stock_pushes_total", "Stock values pushed to Amazon.",
                                     {"lane", "region"});
  auto& depth = registry.AddGauge("mb_outbox_depth", "Effects recorded but not yet done.");
  pushes.WithLabels({"patch", "eu"}).Inc();
  pushes.WithLabels({"feed", "eu"}).Inc(41);
  pushes.WithLabels({"patch", "eu"}).Inc(2);
  depth.Get().Set(7);
  depth.Get().Dec();

  EXPECT_EQ(registry.Expose(),
            "# HELP mb_outbox_depth Effects recorded but not yet done.\n"
            "# TYPE mb_outbox_depth gauge\n"
            "mb_outbox_depth 6\n"
            "# HELP mb_stock_pushes_total Stock values pushed to Amazon.\n"
            "# TYPE mb_stock_pushes_total counter\n"
            "mb_stock_pushes_total{lane=\"feed\",region=\"eu\"} 41\n"
            "mb_stock_pushes_total{lane=\"patch\",region=\"eu\"} 3\n");
}

TEST(Registry, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  auto& latency = registry.AddHistogram("mb_call_seconds", "Call latency.", {"op"}, {0.1, 0.5, 1});
  auto& h = latency.WithLabels({"getOrders"});
  h.Observe(0.05);
  h.Observe(0.1);  // le is inclusive
  h.Observe(0.75);
  h.Observe(3);

  EXPECT_EQ(registry.Expose(),
            "# HELP mb_call_seconds Call latency.\n"
            "# TYPE mb_call_seconds histogram\n"
            "mb_call_seconds_bucket{op=\"getOrders\",le=\"0.1\"} 2\n"
            "mb_call_seconds_bucket{op=\"getOrders\",le=\"0.5\"} 2\n"
            "mb_call_seconds_bucket{op=\"getOrders\",le=\"1\"} 3\n"
            "mb_call_seconds_bucket{op=\"getOrders\",le=\"+Inf\"} 4\n"
            "mb_call_seconds_sum{op=\"getOrders\"} 3.9\n"
            "mb_call_seconds_count{op=\"getOrders\"} 4\n");
}

TEST(Registry, HistogramWithoutLabelsShowsZeroesFromTheStart) {
  Registry registry;
  registry.AddHistogram("mb_batch_size", "Items per feed.", {}, {10, 100});
  EXPECT_EQ(registry.Expose(),
            "# HELP mb_batch_size Items per feed.\n"
            "# TYPE mb_batch_size histogram\n"
            "mb_batch_size_bucket{le=\"10\"} 0\n"
            "mb_batch_size_bucket{le=\"100\"} 0\n"
            "mb_batch_size_bucket{le=\"+Inf\"} 0\n"
            "mb_batch_size_sum 0\n"
            "mb_batch_size_count 0\n");
}

TEST(Registry, EscapesLabelValuesAndHelp) {
  Registry registry;
  auto& errors = registry.AddCounter("mb_errors_total", "Errors by cause.\nSee C:\\docs.", {"why"});
  errors.WithLabels({"say \"hi\"\nback\\slash"}).Inc();
  EXPECT_EQ(registry.Expose(),
            "# HELP mb_errors_total Errors by cause.\\nSee C:\\\\docs.\n"
            "# TYPE mb_errors_total counter\n"
            "mb_errors_total{why=\"say \\\"hi\\\"\\nback\\\\slash\"} 1\n");
}

TEST(Registry, LabeledFamilyWithoutChildrenIsNotShown) {
  Registry registry;
  registry.AddCounter("mb_unused_total", "Nothing yet.", {"x"});
  EXPECT_EQ(registry.Expose(), "");
}

TEST(Registry, GaugeValuesUseShortestForm) {
  Registry registry;
  auto& g = registry.AddGauge("mb_values", "Values.", {"k"});
  g.WithLabels({"frac"}).Set(0.25);
  g.WithLabels({"big"}).Set(1.7e9);
  g.WithLabels({"neg"}).Set(-3);
  EXPECT_EQ(registry.Expose(),
            "# HELP mb_values Values.\n"
            "# TYPE mb_values gauge\n"
            "mb_values{k=\"big\"} 1700000000\n"
            "mb_values{k=\"frac\"} 0.25\n"
            "mb_values{k=\"neg\"} -3\n");
}

TEST(Registry, SameRegistrationTwiceReturnsTheSameFamily) {
  Registry registry;
  auto& a = registry.AddCounter("mb_steps_total", "Steps.", {"task"});
  auto& b = registry.AddCounter("mb_steps_total", "Steps.", {"task"});
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(&a.WithLabels({"t"}), &b.WithLabels({"t"}));
}

TEST(Registry, ConflictingRegistrationIsABug) {
  Registry registry;
  registry.AddCounter("mb_x_total", "X.", {"a"});
  EXPECT_THROW(registry.AddGauge("mb_x_total", "X.", {"a"}), std::logic_error);
  EXPECT_THROW(registry.AddCounter("mb_x_total", "X.", {"b"}), std::logic_error);
  registry.AddHistogram("mb_h", "H.", {}, {1, 2});
  EXPECT_THROW(registry.AddHistogram("mb_h", "H.", {}, {1, 3}), std::logic_error);
}

TEST(Registry, RejectsInvalidNamesLabelsAndBuckets) {
  Registry registry;
  EXPECT_THROW(registry.AddCounter("1abc", "h"), std::logic_error);
  EXPECT_THROW(registry.AddCounter("a-b", "h"), std::logic_error);
  EXPECT_THROW(registry.AddCounter("", "h"), std::logic_error);
  EXPECT_NO_THROW(registry.AddCounter("ns:sub_name_2", "h"));
  EXPECT_THROW(registry.AddCounter("mb_a", "h", {"bad:label"}), std::logic_error);
  EXPECT_THROW(registry.AddCounter("mb_b", "h", {"__reserved"}), std::logic_error);
  EXPECT_THROW(registry.AddHistogram("mb_c", "h", {"le"}, {1}), std::logic_error);
  EXPECT_THROW(registry.AddHistogram("mb_d", "h", {}, {2, 1}), std::logic_error);
  EXPECT_THROW(registry.AddHistogram("mb_e", "h", {}, {1, 1}), std::logic_error);
  auto& f = registry.AddCounter("mb_f", "h", {"a", "b"});
  EXPECT_THROW(f.WithLabels({"only-one"}), std::logic_error);
}

TEST(Registry, ConcurrentIncrementsAreNotLost) {
  Registry registry;
  auto& family = registry.AddCounter("mb_hits_total", "Hits.", {"t"});
  auto& hist = registry.AddHistogram("mb_lat", "L.", {}, {1});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto& c = family.WithLabels({"same"});
      for (int i = 0; i < kPerThread; ++i) {
        c.Inc();
        hist.Get().Observe(0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(family.WithLabels({"same"}).Value(), std::uint64_t{kThreads * kPerThread});
  EXPECT_EQ(hist.Get().Read().count, std::uint64_t{kThreads * kPerThread});
  EXPECT_DOUBLE_EQ(hist.Get().Read().sum, 0.5 * kThreads * kPerThread);
}

}  // namespace
}  // namespace mb::metrics

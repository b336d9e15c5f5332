#pragma once
// A small Prometheus-style metrics registry: counters, gauges and histograms grouped in families
// (name, help, label names), one child per combination of label values, exposed in the text
// format 0.0.4. Obtaining a child takes a lock and a map lookup; updating a child is lock-free, so
// hot paths keep the reference they got once.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace mb::metrics {

// Only ever goes up (resets when the process restarts).
class Counter {
 public:
  void Inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down, or is set (queue depth, last success time).
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  void Inc() { Add(1.0); }
  void Dec() { Add(-1.0); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Observations counted into fixed buckets (upper bounds, +Inf implied) plus their sum.
class Histogram {
 public:
  explicit Histogram(const std::vector<double>& bounds);
  void Observe(double v);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double>& bounds_;
  // Per-bucket (not cumulative) counts, so an observation touches one bucket only.
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<double> sum_{0.0};
};

enum class MetricType { kCounter, kGauge, kHistogram };

// Shared part of every family: identity and the exposition of its children.
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names, std::vector<double> bounds);
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bounds() const { return bounds_; }

  // Appends HELP, TYPE and one line per sample; nothing if the family has no children yet.
  void Expose(std::string& out) const;

 protected:
  void CheckLabelCount(const std::vector<std::string>& values) const;
  virtual bool Empty() const = 0;
  virtual void ExposeSamples(std::string& out) const = 0;

  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;  // histograms only
};

namespace detail {
// One child's sample lines; overloaded per metric type.
void AppendChild(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                 const Counter& c);
void AppendChild(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                 const Gauge& g);
void AppendChild(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                 const Histogram& h);
}  // namespace detail

template <typename Metric>
class Family final : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;

  // The child for these label values (in label-name order), created on first use. The reference
  // stays valid as long as the registry lives.
  Metric& WithLabels(const std::vector<std::string>& values) {
    CheckLabelCount(values);
    {
      std::shared_lock lock(mu_);
      if (auto it = children_.find(values); it != children_.end()) return *it->second;
    }
    std::unique_lock lock(mu_);
    auto& slot = children_[values];
    if (!slot) slot = MakeChild();
    return *slot;
  }
  // The only child of a family without labels.
  Metric& Get() { return WithLabels({}); }

 private:
  std::unique_ptr<Metric> MakeChild() const {
    // Histogram children read the bounds owned by their family, which outlives them.
    if constexpr (std::is_same_v<Metric, Histogram>) {
      return std::make_unique<Histogram>(bounds_);
    } else {
      return std::make_unique<Metric>();
    }
  }
  bool Empty() const override {
    std::shared_lock lock(mu_);
    return children_.empty();
  }
  void ExposeSamples(std::string& out) const override {
    std::shared_lock lock(mu_);
    for (const auto& [values, child] : children_) detail::AppendChild(out, *this, values, *child);
  }

  mutable std::shared_mutex mu_;
  // Ordered by label values so the exposition is stable.
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  // Registering the same name again with the same type, labels (and buckets) returns the existing
  // family, so independent components can share one. Anything else is a programming error and
  // throws std::logic_error, as do invalid names and bucket bounds.
  CounterFamily& AddCounter(const std::string& name, const std::string& help,
                            const std::vector<std::string>& label_names = {});
  GaugeFamily& AddGauge(const std::string& name, const std::string& help,
                        const std::vector<std::string>& label_names = {});
  // `bounds`: strictly increasing finite upper bounds; the +Inf bucket is added.
  HistogramFamily& AddHistogram(const std::string& name, const std::string& help,
                                const std::vector<std::string>& label_names,
                                std::vector<double> bounds);

  // Every family in the Prometheus text format 0.0.4, sorted by name.
  std::string Expose() const;

 private:
  FamilyBase& Add(std::unique_ptr<FamilyBase> family);
  template <typename Metric>
  Family<Metric>& AddFamily(const std::string& name, const std::string& help, MetricType type,
                            const std::vector<std::string>& label_names,
                            std::vector<double> bounds);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<FamilyBase>> families_;
};

// Latency buckets in seconds, from 5 ms to 10 s (the usual Prometheus defaults).
const std::vector<double>& DefaultLatencyBuckets();

bool IsValidMetricName(const std::string& name);
bool IsValidLabelName(const std::string& name);

}  // namespace mb::metrics

#include "metrics/registry.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace mb::metrics {
namespace {

// Any float syntax Go's ParseFloat accepts is valid. Whole numbers (timestamps, counts kept in
// gauges) are written out in full for people reading the page; the rest in the shortest form that
// reads back exactly.
void AppendNumber(std::string& out, double v) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::trunc(v) && std::fabs(v) < kExactIntegers) {
    out += std::to_string(static_cast<std::int64_t>(v));
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, end);
  }
}

void AppendNumber(std::string& out, std::uint64_t v) { out += std::to_string(v); }

// HELP text escapes backslash and newline; label values also escape the double quote.
void AppendEscaped(std::string& out, const std::string& s, bool quote) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// `{a="x",b="y"}` (or nothing without labels); `le` is the extra histogram bucket label.
void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, const std::string* le = nullptr) {
  if (names.empty() && le == nullptr) return;
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    AppendEscaped(out, values[i], true);
    out += '"';
  }
  if (le != nullptr) {
    if (!names.empty()) out += ',';
    out += "le=\"";
    out += *le;
    out += '"';
  }
  out += '}';
}

template <typename V>
void AppendSample(std::string& out, const std::string& name, const char* suffix,
                  const std::vector<std::string>& names, const std::vector<std::string>& values,
                  V value, const std::string* le = nullptr) {
  out += name;
  out += suffix;
  AppendLabels(out, names, values, le);
  out += ' ';
  AppendNumber(out, value);
  out += '\n';
}

const char* TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

bool IsNameChar(char c, bool first, bool allow_colon) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (alpha || (allow_colon && c == ':')) return true;
  return !first && c >= '0' && c <= '9';
}

bool IsValidName(const std::string& name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0, allow_colon)) return false;
  }
  return true;
}

}  // namespace

bool IsValidMetricName(const std::string& name) { return IsValidName(name, true); }

// Names starting with `__` are reserved for Prometheus itself.
bool IsValidLabelName(const std::string& name) {
  return IsValidName(name, false) && name.rfind("__", 0) != 0;
}

const std::vector<double>& DefaultLatencyBuckets() {
  static const std::vector<double> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                               0.5,   1,    2.5,   5,    10};
  return kBuckets;
}

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  // Bucket counts are `le` (less or equal): v lands in the first bound >= v, else +Inf.
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.cumulative.reserve(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    s.count += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(s.count);
  }
  // _count is the +Inf bucket by construction, so the two always agree in one scrape.
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

void FamilyBase::CheckLabelCount(const std::vector<std::string>& values) const {
  if (values.size() != label_names_.size()) {
    throw std::logic_error("metrics: " + name_ + " takes " + std::to_string(label_names_.size()) +
                           " label values, got " + std::to_string(values.size()));
  }
}

void FamilyBase::Expose(std::string& out) const {
  if (Empty()) return;
  out += "# HELP ";
  out += name_;
  out += ' ';
  AppendEscaped(out, help_, false);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += TypeName(type_);
  out += '\n';
  ExposeSamples(out);
}

namespace detail {

void AppendChild(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                 const Counter& c) {
  AppendSample(out, family.name(), "", family.label_names(), values, c.Value());
}

void AppendChild(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                 const Gauge& g) {
  AppendSample(out, family.name(), "", family.label_names(), values, g.Value());
}

void AppendChild(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                 const Histogram& h) {
  auto snap = h.Read();
  const auto& bounds = family.bounds();
  std::string le;
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    le.clear();
    if (i < bounds.size()) {
      AppendNumber(le, bounds[i]);
    } else {
      le = "+Inf";
    }
    AppendSample(out, family.name(), "_bucket", family.label_names(), values, snap.cumulative[i],
                 &le);
  }
  AppendSample(out, family.name(), "_sum", family.label_names(), values, snap.sum);
  AppendSample(out, family.name(), "_count", family.label_names(), values, snap.count);
}

}  // namespace detail

FamilyBase& Registry::Add(std::unique_ptr<FamilyBase> family) {
  const std::string& name = family->name();
  if (!IsValidMetricName(name))
    throw std::logic_error("metrics: invalid metric name '" + name + "'");
  for (const auto& label : family->label_names()) {
    if (!IsValidLabelName(label) || (family->type() == MetricType::kHistogram && label == "le")) {
      throw std::logic_error("metrics: invalid label name '" + label + "' for " + name);
    }
  }
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    return *families_.emplace(name, std::move(family)).first->second;
  }
  const FamilyBase& existing = *it->second;
  if (existing.type() != family->type() || existing.label_names() != family->label_names() ||
      existing.bounds() != family->bounds()) {
    throw std::logic_error("metrics: " + name +
                           " is already registered with another type, labels or buckets");
  }
  return *it->second;
}

template <typename Metric>
Family<Metric>& Registry::AddFamily(const std::string& name, const std::string& help,
                                    MetricType type, const std::vector<std::string>& label_names,
                                    std::vector<double> bounds) {
  // Add() has checked that an existing family of this name has the same type.
  auto& family = static_cast<Family<Metric>&>(
      Add(std::make_unique<Family<Metric>>(name, help, type, label_names, std::move(bounds))));
  // A family without labels has exactly one child: show it (as 0) from the start.
  if (label_names.empty()) family.Get();
  return family;
}

CounterFamily& Registry::AddCounter(const std::string& name, const std::string& help,
                                    const std::vector<std::string>& label_names) {
  return AddFamily<Counter>(name, help, MetricType::kCounter, label_names, {});
}

GaugeFamily& Registry::AddGauge(const std::string& name, const std::string& help,
                                const std::vector<std::string>& label_names) {
  return AddFamily<Gauge>(name, help, MetricType::kGauge, label_names, {});
}

HistogramFamily& Registry::AddHistogram(const std::string& name, const std::string& help,
                                        const std::vector<std::string>& label_names,
                                        std::vector<double> bounds) {
  if (!bounds.empty() && std::isinf(bounds.back()) && bounds.back() > 0) bounds.pop_back();
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      throw std::logic_error("metrics: bucket bounds of " + name +
                             " must be finite and strictly increasing");
    }
  }
  return AddFamily<Histogram>(name, help, MetricType::kHistogram, label_names, std::move(bounds));
}

std::string Registry::Expose() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) family->Expose(out);
  return out;
}

}  // namespace mb::metrics

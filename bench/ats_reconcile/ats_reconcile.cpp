// ATS reconcile micro-benchmark: after a full SCAYLE snapshot, recompute the available-to-sell of
// every SKU and find the ones whose listed quantity must change. A plain timed main (one long
// pass measures what the loop does once per snapshot; Google Benchmark's repetitions add nothing).
//
//   bench_ats_reconcile [skus=1000000] [warehouses_per_sku=2]
//
// Prints the load time, the reconcile CPU time and the peak RSS of the process.

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "core/stock/ats_ledger.hpp"
#include "core/stock/buffer_policy.hpp"

namespace {

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

long PeakRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mb::stock;
  const int64_t skus = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const int warehouses = argc > 2 ? std::atoi(argv[2]) : 2;

  BufferPolicies policies;
  policies.SetDefault(BufferRule{1, 0, std::nullopt, 0});
  policies.Set(RuleScope::kCategory, "Fashion/Shoes", BufferRule{0, 10, 50, 2});
  std::vector<RegionConfig> regions{{"EU", {"wh-0", "wh-1"}}};
  AtsLedger ledger(regions, policies);

  const mb::TimePoint t0{};
  double load_start = CpuSeconds();
  std::vector<std::string> warehouse_names;
  for (int w = 0; w < warehouses; ++w) warehouse_names.push_back("wh-" + std::to_string(w));
  for (int64_t i = 0; i < skus; ++i) {
    std::string sku = "SKU-" + std::to_string(i);
    for (int w = 0; w < warehouses; ++w)
      ledger.ApplyStock(sku, warehouse_names[w], (i * 7 + w * 3) % 40, t0);
    if (i % 10 == 0)
      ledger.SetPlacement(
          SkuPlacement{sku, "P-" + std::to_string(i / 5), {"Fashion/Shoes/Sneakers"}});
    if (i % 50 == 0) (void)ledger.ApplyAmazonOrder("EU", sku, "ORDER-" + std::to_string(i), 1, t0);
  }
  // What Amazon was last told: the quantities before a snapshot moved 1 in 20 SKUs.
  std::vector<int64_t> listed;
  listed.reserve(static_cast<size_t>(skus));
  (void)ledger.ForEachQuantity(
      "EU", [&](const std::string&, int64_t quantity) { listed.push_back(quantity); });
  for (int64_t i = 0; i < skus; i += 20)
    ledger.ApplyStock("SKU-" + std::to_string(i), "wh-0", 0, t0 + std::chrono::seconds(1));
  double load_cpu = CpuSeconds() - load_start;

  double start = CpuSeconds();
  size_t index = 0;
  int64_t changed = 0;
  int64_t zero_crossings = 0;
  int64_t total_listed = 0;
  auto status = ledger.ForEachQuantity("EU", [&](const std::string&, int64_t quantity) {
    int64_t before = listed[index++];
    total_listed += quantity;
    if (quantity != before) {
      ++changed;
      if (quantity == 0) ++zero_crossings;
    }
  });
  double reconcile_cpu = CpuSeconds() - start;
  if (!status) {
    std::fprintf(stderr, "%s\n", status.error().message.c_str());
    return 1;
  }
  std::printf("skus=%lld warehouses_per_sku=%d\n", static_cast<long long>(skus), warehouses);
  std::printf("load_cpu_s=%.3f\n", load_cpu);
  std::printf("reconcile_cpu_s=%.3f changed=%lld zero_crossings=%lld listed_units=%lld\n",
              reconcile_cpu, static_cast<long long>(changed),
              static_cast<long long>(zero_crossings), static_cast<long long>(total_listed));
  std::printf("peak_rss_mib=%.1f\n", static_cast<double>(PeakRssKiB()) / 1024.0);
  return 0;
}

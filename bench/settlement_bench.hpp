#pragma once
// The settlement throughput benchmark (issue 6): generates ~100 MB of V2 settlement files (a US
// dot-decimal and a DE comma-decimal settlement), times decode + parse + compile (best of N), runs
// the Python csv-module baseline on the same files in the same invocation, and reports MB/s,
// the ratio and peak RSS. `marketbridge bench settlement --report FILE.json` calls
// RunSettlementBench.

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace mb::bench {

struct SettlementBenchOptions {
  int64_t target_bytes = 100'000'000;  // MB = 10^6 bytes throughout
  int runs = 5;                        // best of
  int baseline_runs = 3;               // best of, like ours: both sides get the quietest run
  std::string work_dir;                // default: $TMPDIR or /tmp, "/marketbridge-settlement-bench"
  std::string baseline_script;         // default: <source>/bench/settlement_baseline.py
  std::string python = "python3";
  uint64_t seed = 20260820;
  bool keep_files = false;
  bool run_baseline = true;  // off only for profiling the engine side
};

struct SettlementBenchReport {
  int64_t bytes = 0;
  int64_t rows = 0;
  int files = 0;
  int runs = 0;
  double best_seconds = 0;  // wall clock
  double mb_per_s = 0;
  double cold_mb_per_s = 0;  // the first run alone (fresh process memory, nothing reused)
  double cpu_seconds = 0;    // CPU time of the best run: what the machine's load cannot inflate
  double cpu_mb_per_s = 0;
  double baseline_seconds = 0;
  double baseline_mb_per_s = 0;
  double baseline_cpu_seconds = 0;
  double baseline_cpu_mb_per_s = 0;
  double ratio = 0;  // mb_per_s / baseline_mb_per_s (wall clock, the headline)
  double cpu_ratio = 0;
  double peak_rss_mb = 0;           // this process (generator, buffers, parsed reports)
  double baseline_peak_rss_mb = 0;  // the Python child
  bool baseline_matches = false;    // Python's sums per key equal ours to the cent
  bool all_postable = false;        // every generated settlement balanced and mapped

  std::string ToJson() const;
  std::string ToText() const;
};

Result<SettlementBenchReport> RunSettlementBench(const SettlementBenchOptions& options);

}  // namespace mb::bench

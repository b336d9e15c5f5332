// bench/settlement_bench [--report FILE.json] [--mb N] [--runs N] [--keep-files]
// Standalone entry to the settlement benchmark; `marketbridge bench settlement` runs the same.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "settlement_bench.hpp"

int main(int argc, char** argv) {
  mb::bench::SettlementBenchOptions options;
  std::string report_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--report") {
      report_path = value();
    } else if (arg == "--mb") {
      options.target_bytes = std::stoll(value()) * 1'000'000;
    } else if (arg == "--runs") {
      options.runs = std::stoi(value());
    } else if (arg == "--baseline-runs") {
      options.baseline_runs = std::stoi(value());
    } else if (arg == "--work-dir") {
      options.work_dir = value();
    } else if (arg == "--no-baseline") {
      options.run_baseline = false;
    } else if (arg == "--keep-files") {
      options.keep_files = true;
    } else {
      std::fprintf(stderr,
                   "usage: settlement_bench [--report FILE.json] [--mb N] [--runs N] "
                   "[--baseline-runs N] [--work-dir DIR] [--keep-files] [--no-baseline]\n");
      return 2;
    }
  }
  auto report = mb::bench::RunSettlementBench(options);
  if (!report) {
    std::fprintf(stderr, "%s\n", report.error().message.c_str());
    return 1;
  }
  std::fputs(report->ToText().c_str(), stdout);
  if (!report_path.empty()) {
    std::ofstream(report_path) << report->ToJson();
    std::printf("report written to %s\n", report_path.c_str());
  }
  return 0;
}

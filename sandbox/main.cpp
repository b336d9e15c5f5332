// marketbridge-sandbox: the simulated Amazon SP-API, SCAYLE Admin API and market (docs/sandbox.md).
// Starts each emulated service on loopback, prints one "<name> <url>" line per bound port, and runs
// until SIGINT or SIGTERM.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <optional>
#include <string>

#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"
#include "sandbox/common/sim_clock.hpp"

namespace {

struct Options {
  int amazon_port = 0;
  unsigned seed = 1;
  double time_scale = 1.0;
  std::string start;
};

sandbox::SimTime StartTime(const Options& options) {
  if (options.start.empty()) {
    return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
  auto parsed = sandbox::amazon::ParseIso(options.start);
  if (!parsed) throw CLI::ValidationError("--start", "not an ISO 8601 date-time: " + options.start);
  return *parsed;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"marketbridge-sandbox: the simulated Amazon SP-API, SCAYLE Admin API and market."};
  app.add_option("--amazon-port", options.amazon_port,
                 "Amazon SP-API port on 127.0.0.1 (0 = ephemeral)");
  app.add_option("--seed", options.seed, "Random seed; runs are deterministic for a given seed");
  app.add_option("--time-scale", options.time_scale,
                 "Simulated seconds per real second (0 = frozen)");
  app.add_option("--start", options.start, "Simulated start time, ISO 8601 (default: now)");
  CLI11_PARSE(app, argc, argv);

  // Signals are taken synchronously by sigwait below; the server threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    sandbox::SimClock clock(StartTime(options), options.time_scale);

    sandbox::amazon::AmazonConfig amazon_config;
    amazon_config.seed = options.seed;
    sandbox::amazon::AmazonWorld amazon_world(clock, amazon_config);
    sandbox::amazon::AmazonServerOptions amazon_options;
    amazon_options.port = options.amazon_port;
    sandbox::amazon::AmazonServer amazon(amazon_world, amazon_options);
    amazon.Start();
    std::printf("amazon-spapi %s\n", amazon.base_url().c_str());
    std::fflush(stdout);

    int received = 0;
    sigwait(&signals, &received);
    std::fprintf(stderr, "marketbridge-sandbox: signal %d, shutting down\n", received);
    amazon.Stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "marketbridge-sandbox: %s\n", e.what());
    return 1;
  }
  return 0;
}

// marketbridge-sandbox: the simulated Amazon SP-API, SCAYLE Admin API, SQS and market
// (docs/sandbox.md). Starts each emulated service on loopback, prints one "<name> <url>" line per
// bound port, a "clock" line with the simulated time and one line of sandbox-only credentials
// (always last), and runs until SIGINT or SIGTERM or the scenario's end. `--static` serves Amazon's
// static x-amzn-api-sandbox cases instead.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>

#include "sandbox/amazon/iso_time.hpp"
#include "sandbox/conformance/static_sandbox_server.hpp"
#include "sandbox/market/scenario.hpp"

namespace {

struct Options {
  int amazon_port = 0;
  int scayle_port = 0;
  int sqs_port = 0;
  std::optional<uint64_t> seed;
  std::optional<double> time_scale;
  std::optional<size_t> skus;
  std::string start;
  std::string scenario;
  std::string report;
  bool static_mode = false;
};

// The signal (SIGINT, SIGTERM, SIGUSR1) that arrived within `wait`, or 0.
int SignalWithin(const sigset_t& signals, std::chrono::milliseconds wait) {
  timespec ts{static_cast<time_t>(wait.count() / 1000),
              static_cast<long>((wait.count() % 1000) * 1000000)};
  const int got = sigtimedwait(&signals, nullptr, &ts);
  if (got == SIGUSR1) {
    std::fprintf(stderr, "marketbridge-sandbox: SIGUSR1, the market stops trading\n");
  } else if (got > 0) {
    std::fprintf(stderr, "marketbridge-sandbox: signal %d, shutting down\n", got);
  }
  return got > 0 ? got : 0;
}

int RunStatic(const Options& options, const sigset_t& signals) {
  sandbox::conformance::StaticSandboxServer server(std::string(MB_SHARED_DIR) +
                                                   "/reference/amazon/models");
  server.Start(options.amazon_port);
  std::printf("amazon-spapi-static http://127.0.0.1:%d\n", server.port());
  std::fflush(stdout);
  for (int sig = 0; sig == 0 || sig == SIGUSR1;) {
    sig = SignalWithin(signals, std::chrono::milliseconds(1000));
  }
  server.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "marketbridge-sandbox: the simulated Amazon SP-API, SCAYLE Admin API, SQS and market."};
  app.add_option("--amazon-port", options.amazon_port,
                 "Amazon SP-API port on 127.0.0.1 (0 = ephemeral)");
  app.add_option("--scayle-port", options.scayle_port, "SCAYLE Admin API port (0 = ephemeral)");
  app.add_option("--sqs-port", options.sqs_port, "SQS port (0 = ephemeral)");
  app.add_option("--seed", options.seed, "Random seed (overrides the scenario's)");
  app.add_option("--time-scale", options.time_scale,
                 "Simulated seconds per real second, 0 = frozen (overrides the scenario's)");
  app.add_option("--start", options.start, "Simulated start time, ISO 8601 (default: now)");
  app.add_option("--skus", options.skus, "Catalogue size in SKUs (overrides the scenario's)");
  app.add_option("--scenario", options.scenario, "Scenario file (JSON, docs/sandbox.md)");
  app.add_option("--report", options.report, "Write the run's JSON report here at the end");
  app.add_flag("--static", options.static_mode,
               "Serve Amazon's static x-amzn-api-sandbox cases instead of the dynamic sandbox");
  CLI11_PARSE(app, argc, argv);

  // Signals are taken synchronously (sigtimedwait); the server threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // SIGUSR1 stops the market (no more buyers, shipments or settlements) while every server keeps
  // answering: a client can wind down before SIGTERM writes the report (marketbridge demo does).
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    if (options.static_mode) return RunStatic(options, signals);
    sandbox::market::Scenario scenario;
    if (!options.scenario.empty()) scenario = sandbox::market::LoadScenarioFile(options.scenario);
    if (options.seed) scenario.seed = scenario.market.seed = *options.seed;
    if (options.time_scale) scenario.time_scale = *options.time_scale;
    if (options.skus) scenario.market.catalogue_skus = *options.skus;
    if (!options.start.empty()) {
      scenario.start = sandbox::amazon::ParseIso(options.start);
      if (!scenario.start) throw CLI::ValidationError("--start", "not ISO 8601: " + options.start);
    }
    sandbox::market::ScenarioRunner runner(
        scenario, {options.amazon_port, options.scayle_port, options.sqs_port});
    runner.Start();
    const auto creds = runner.Credentials();
    std::printf("amazon-spapi %s\n", runner.amazon_url().c_str());
    std::printf("scayle-admin %s\n", runner.scayle_url().c_str());
    std::printf("sqs %s queue %s\n", runner.sqs_url().c_str(), runner.sqs_queue_url().c_str());
    std::printf("control %s\n", runner.control_url().c_str());
    // The simulated time now, so a client can run its own clock on it (marketbridge demo does).
    const auto sim_now = runner.clock().Now();
    std::printf("clock %s epoch-ms %lld scale %g\n", sandbox::amazon::FormatIso(sim_now).c_str(),
                static_cast<long long>(sim_now.time_since_epoch().count()),
                runner.clock().factor());
    std::printf(
        "credentials lwa-client-id=%s lwa-client-secret=%s refresh-token=%s seller-id=%s "
        "scayle-token=%s aws-access-key-id=%s aws-secret-access-key=%s\n",
        creds.lwa_client_id.c_str(), creds.lwa_client_secret.c_str(), creds.refresh_token.c_str(),
        creds.seller_id.c_str(), creds.scayle_token.c_str(), creds.aws_access_key_id.c_str(),
        creds.aws_secret_access_key.c_str());
    std::fflush(stdout);

    for (bool trading = true;;) {
      if (trading) runner.Tick();
      if (runner.Done()) {
        std::fprintf(stderr, "marketbridge-sandbox: scenario %s finished\n", scenario.name.c_str());
        break;
      }
      const int sig = SignalWithin(signals, std::chrono::milliseconds(20));
      if (sig == SIGUSR1) {
        trading = false;
      } else if (sig != 0) {
        break;
      }
    }
    if (!options.report.empty()) {
      std::ofstream out(options.report);
      out << runner.Report().dump(2) << "\n";
      if (!out) throw std::runtime_error("cannot write the report to " + options.report);
    }
    runner.Stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "marketbridge-sandbox: %s\n", e.what());
    return 1;
  }
  return 0;
}

// `marketbridge demo` as a user runs it: the real binaries, the engine against marketbridge-sandbox
// over loopback HTTP for a few simulated hours, and what came out of it (the demo's summary and the
// sandbox's report). The sandbox child must be gone when the demo has exited.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <regex>

#include "app/cli_test_support.hpp"

namespace {

int64_t Number(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return -1;
  return std::stoll(m[1]);
}

TEST(DemoTest, TradesAgainstTheSandboxAndLeavesNoChildBehind) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("mb-demo-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  // 25 s at 480x: over three simulated hours, so orders are paid, held, created, shipped, confirmed
  // and settled.
  auto run = mb::app::testing::RunMarketbridge(
      std::string("demo --duration 25 --time-scale 480 --skus 400") +
      " --port 0 --log-level warn --sandbox " + MB_SANDBOX_BINARY + " --dir " + dir.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;

  // The summary's engine line.
  EXPECT_GT(Number(run.output, R"((\d+) SKUs with stock pushed to Amazon)"), 0) << run.output;
  EXPECT_GT(Number(run.output, R"((\d+) Amazon orders seen)"), 0) << run.output;
  EXPECT_GT(Number(run.output, R"((\d+) created in SCAYLE)"), 0) << run.output;
  EXPECT_GT(Number(run.output, R"((\d+) shipments confirmed)"), 0) << run.output;
  EXPECT_NE(run.output.find("dashboard was http://127.0.0.1:"), std::string::npos) << run.output;

  // The sandbox's report, written when the demo stopped it.
  std::ifstream in(dir / "sandbox-report.json");
  ASSERT_TRUE(in) << run.output;
  auto report = nlohmann::json::parse(in);
  EXPECT_GT(report["market"]["amazonOrders"].get<int64_t>(), 0);
  EXPECT_GT(report["orderLatency"]["scayleOrders"].get<int64_t>(), 0);
  EXPECT_GT(report["shipmentConfirmation"]["confirmations"].get<int64_t>(), 0);
  EXPECT_GT(report["calls"]["amazon lwa.token"]["calls"].get<int64_t>(), 0);

  // The child was stopped and reaped: its pid no longer exists.
  const int64_t pid = Number(run.output, R"(marketbridge-sandbox \(pid (\d+)\))");
  ASSERT_GT(pid, 0) << run.output;
  EXPECT_EQ(::kill(static_cast<pid_t>(pid), 0), -1);
  EXPECT_EQ(errno, ESRCH);
  std::filesystem::remove_all(dir);
}

}  // namespace

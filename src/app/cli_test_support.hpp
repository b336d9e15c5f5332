#pragma once
// Test helper: runs the marketbridge binary (MB_BINARY) through the shell, as an operator would.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace mb::app::testing {

struct CliRun {
  int exit_code;
  std::string output;
};

// `arguments` follow the binary; `prefix` goes before it (environment variables), `redirect`
// after the arguments (default: standard error into the output as well).
inline CliRun RunMarketbridge(const std::string& arguments, const std::string& prefix = "",
                              const std::string& redirect = "2>&1") {
  const std::string cmd = prefix + MB_BINARY + " " + arguments + " " + redirect;
  FILE* pipe = popen(cmd.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << cmd;
  if (pipe == nullptr) return {-1, ""};
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace mb::app::testing

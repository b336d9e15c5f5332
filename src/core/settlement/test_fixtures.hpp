#pragma once
// Test helper: reads the settlement golden files in tests/fixtures/settlement/.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mb::settlement::testing {

inline std::string FixturePath(const std::string& name) {
  return std::string(MB_SOURCE_DIR) + "/tests/fixtures/settlement/" + name;
}

inline std::string ReadFixture(const std::string& name) {
  std::ifstream in(FixturePath(name), std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + FixturePath(name));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace mb::settlement::testing

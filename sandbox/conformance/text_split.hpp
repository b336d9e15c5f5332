#pragma once
// Splitting on one separator, keeping empty fields ("a,,b" -> {"a", "", "b"}).

#include <string>
#include <vector>

namespace sandbox::conformance {

inline std::vector<std::string> SplitKeepEmpty(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

}  // namespace sandbox::conformance

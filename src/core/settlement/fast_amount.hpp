#pragma once
// The common shape of a settlement amount (`-1234.56`, `1,234.56`, `-1.234,56`, `95,00`) read
// without allocation. Anything else (parentheses, trailing minus, spaces as separators, Unicode,
// extra zeros) returns false and the caller falls back to mb::Money::Parse, the one authority on
// amounts; fast_amount_test.cpp checks both agree on every input the fast path accepts.

#include <cstdint>
#include <string_view>

#include "core/money.hpp"

namespace mb::settlement {

inline bool ParseAmountFast(std::string_view s, DecimalStyle style, int minor_digits,
                            int64_t& out) {
  if (style == DecimalStyle::kDetect || s.empty() || s.size() > 20) return false;
  const char decimal = style == DecimalStyle::kCommaDecimal ? ',' : '.';
  const char group = style == DecimalStyle::kCommaDecimal ? '.' : ',';
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    i = 1;
  }
  int64_t units = 0;
  int run = 0;           // digits since the start or the last group separator
  bool grouped = false;  // a group separator was seen
  size_t digits = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      units = units * 10 + (c - '0');
      ++run;
      ++digits;
    } else if (c == group) {
      if (run == 0 || run > 3 || (grouped && run != 3)) return false;
      grouped = true;
      run = 0;
    } else {
      break;
    }
  }
  if (digits == 0 || digits > 15 || (grouped && run != 3)) return false;
  int64_t frac = 0;
  if (i < s.size()) {
    if (s[i] != decimal || s.size() - i - 1 != size_t(minor_digits) || minor_digits == 0) {
      return false;
    }
    for (++i; i < s.size(); ++i) {
      char c = s[i];
      if (c < '0' || c > '9') return false;
      frac = frac * 10 + (c - '0');
    }
  }
  int64_t scale = 1;
  for (int d = 0; d < minor_digits; ++d) scale *= 10;
  out = units * scale + frac;
  if (negative) out = -out;
  return true;
}

}  // namespace mb::settlement

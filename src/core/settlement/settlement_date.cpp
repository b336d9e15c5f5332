#include "core/settlement/settlement_date.hpp"

#include <chrono>

namespace mb::settlement {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max_digits digits.
bool ReadNumber(std::string_view s, size_t& pos, size_t max_digits, int& out) {
  size_t start = pos;
  int v = 0;
  while (pos < s.size() && IsDigit(s[pos]) && pos - start < max_digits) {
    v = v * 10 + (s[pos] - '0');
    ++pos;
  }
  out = v;
  return pos > start;
}

struct DateParts {
  int a = 0, b = 0, c = 0;
  char sep = 0;
  size_t a_len = 0;
};

bool ReadDateParts(std::string_view s, size_t& pos, DateParts& d) {
  size_t start = pos;
  if (!ReadNumber(s, pos, 4, d.a)) return false;
  d.a_len = pos - start;
  if (pos >= s.size() || (s[pos] != '-' && s[pos] != '.' && s[pos] != '/')) return false;
  d.sep = s[pos++];
  if (!ReadNumber(s, pos, 2, d.b)) return false;
  if (pos >= s.size() || s[pos] != d.sep) return false;
  ++pos;
  size_t c_start = pos;
  if (!ReadNumber(s, pos, 4, d.c)) return false;
  // Exactly one of the outer numbers is a four-digit year.
  return (d.a_len == 4) != (pos - c_start == 4);
}

struct Zone {
  std::string_view name;
  int offset_minutes;
};
constexpr Zone kZones[] = {{"UTC", 0},       {"GMT", 0},       {"Z", 0},
                           {"PST", -8 * 60}, {"PDT", -7 * 60}, {"CET", 60},
                           {"CEST", 120},    {"BST", 60},      {"JST", 9 * 60}};

}  // namespace

SlashDateOrder SlashDateEvidence(std::string_view text) {
  size_t pos = 0;
  DateParts d;
  if (!ReadDateParts(text, pos, d) || d.sep != '/' || d.a_len == 4) return SlashDateOrder::kUnknown;
  if (d.a > 12 && d.b <= 12) return SlashDateOrder::kDayFirst;
  if (d.b > 12 && d.a <= 12) return SlashDateOrder::kMonthFirst;
  return SlashDateOrder::kUnknown;
}

bool ParseSettlementDate(std::string_view s, SlashDateOrder order, TimePoint& out,
                         std::string& why) {
  using namespace std::chrono;
  size_t pos = 0;
  DateParts d;
  if (!ReadDateParts(s, pos, d)) {
    why = "not a date (expected e.g. 2026-08-20, 20.08.2026 or 08/20/2026)";
    return false;
  }
  int year, month, day;
  if (d.a_len == 4) {
    year = d.a;
    month = d.b;
    day = d.c;
    if (d.sep == '.') {
      why = "year-first date with dots";
      return false;
    }
  } else {
    year = d.c;
    if (d.sep == '-') {
      why = "day-first date with dashes";
      return false;
    }
    if (d.sep == '.') {
      day = d.a;
      month = d.b;
    } else {
      SlashDateOrder o = order;
      if (o == SlashDateOrder::kUnknown) o = SlashDateEvidence(s);
      if (o == SlashDateOrder::kUnknown && d.a != d.b) {
        why = "ambiguous date: day and month order unknown for this marketplace";
        return false;
      }
      day = o == SlashDateOrder::kMonthFirst ? d.b : d.a;
      month = o == SlashDateOrder::kMonthFirst ? d.a : d.b;
    }
  }
  year_month_day ymd{std::chrono::year(year), std::chrono::month(unsigned(month)),
                     std::chrono::day(unsigned(day))};
  if (!ymd.ok()) {
    why = "no such calendar date";
    return false;
  }
  TimePoint t = time_point_cast<milliseconds>(sys_days{ymd});
  if (pos == s.size()) {
    out = t;
    return true;
  }
  if (s[pos] != 'T' && s[pos] != ' ') {
    why = "unexpected character after the date";
    return false;
  }
  ++pos;
  int hour, minute, second = 0;
  size_t h_start = pos;
  if (!ReadNumber(s, pos, 2, hour) || pos - h_start != 2 || pos >= s.size() || s[pos] != ':' ||
      !ReadNumber(s, ++pos, 2, minute)) {
    why = "expected hh:mm after the date";
    return false;
  }
  if (pos < s.size() && s[pos] == ':' && !ReadNumber(s, ++pos, 2, second)) {
    why = "expected seconds";
    return false;
  }
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && IsDigit(s[pos])) {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  if (hour > 23 || minute > 59 || second > 60) {
    why = "time of day out of range";
    return false;
  }
  int offset = 0;
  bool zoned = false;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    size_t oh_start = pos;
    if (!ReadNumber(s, pos, 2, oh) || pos - oh_start != 2) {
      why = "bad UTC offset";
      return false;
    }
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (pos < s.size() && !ReadNumber(s, pos, 2, om)) {
      why = "bad UTC offset";
      return false;
    }
    offset = sign * (oh * 60 + om);
    zoned = true;
  } else {
    if (pos < s.size() && s[pos] == ' ') ++pos;
    std::string_view name = s.substr(pos);
    for (const auto& z : kZones) {
      if (name == z.name) {
        offset = z.offset_minutes;
        zoned = true;
        pos = s.size();
        break;
      }
    }
    if (!zoned) {
      why = name.empty() ? "time without a time zone" : "unknown time zone";
      return false;
    }
  }
  if (pos != s.size()) {
    why = "trailing characters after the time";
    return false;
  }
  out =
      t + hours(hour) + minutes(minute) + seconds(second) + milliseconds(millis) - minutes(offset);
  return true;
}

}  // namespace mb::settlement

#include "core/timestamp.hpp"

#include <cstdio>
#include <stdexcept>

namespace mb {

namespace {

bool ReadDigits(std::string_view s, size_t& pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += count;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

Result<TimePoint> ParseTimestamp(std::string_view text, bool allow_date_only) {
  using namespace std::chrono;
  auto fail = [&](const char* why) {
    return Fail(ErrorCode::kParseError, "timestamp '" + std::string(text) + "': " + why);
  };
  std::string_view s = text;
  size_t pos = 0;
  int year, month, day;
  if (!ReadDigits(s, pos, 4, year) || !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, month) ||
      !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, day)) {
    return fail("expected YYYY-MM-DD");
  }
  year_month_day ymd{std::chrono::year(year), std::chrono::month(unsigned(month)),
                     std::chrono::day(unsigned(day))};
  if (!ymd.ok()) return fail("no such calendar date");
  sys_days date{ymd};
  if (pos == s.size()) {
    if (!allow_date_only) return fail("time of day missing");
    return TimePoint(date);
  }
  if (!(s[pos] == 'T' || s[pos] == 't' || s[pos] == ' '))
    return fail("expected 'T' after the date");
  ++pos;
  int hour, minute, second = 0;
  if (!ReadDigits(s, pos, 2, hour) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, minute)) {
    return fail("expected hh:mm");
  }
  if (Expect(s, pos, ':') && !ReadDigits(s, pos, 2, second)) return fail("expected seconds");
  // 60 is a leap second; it is folded into the next second.
  if (hour > 23 || minute > 59 || second > 60) return fail("time of day out of range");
  int64_t millis = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return fail("expected digits after the decimal point");
    for (int d = digits; d < 3; ++d) millis *= 10;
  }
  int offset_minutes = 0;
  if (pos >= s.size()) return fail("time zone missing (Z or +hh:mm)");
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om = 0;
    if (!ReadDigits(s, pos, 2, oh)) return fail("bad UTC offset");
    if (pos < s.size()) {
      Expect(s, pos, ':');
      if (!ReadDigits(s, pos, 2, om)) return fail("bad UTC offset");
    }
    if (oh > 23 || om > 59) return fail("UTC offset out of range");
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return fail("unexpected character after the time");
  }
  if (pos != s.size()) return fail("trailing characters");
  auto t = date + hours(hour) + minutes(minute) + seconds(second) + milliseconds(millis) -
           minutes(offset_minutes);
  return time_point_cast<milliseconds>(t);
}

std::string FormatTimestamp(TimePoint t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> tod{t - day};
  char buf[40];
  int ms = int(tod.subseconds().count());
  if (ms != 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(tod.hours().count()),
                  int(tod.minutes().count()), int(tod.seconds().count()), ms);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(tod.hours().count()),
                  int(tod.minutes().count()), int(tod.seconds().count()));
  }
  return buf;
}

std::string FormatDate(TimePoint t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

TimePoint MakeTime(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                   unsigned second) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59)
    throw std::invalid_argument("MakeTime: invalid date");
  return time_point_cast<milliseconds>(sys_days{ymd} + hours(hour) + minutes(minute) +
                                       seconds(second));
}

}  // namespace mb

#include "core/money.hpp"

#include <cstdlib>
#include <optional>
#include <stdexcept>

namespace mb {

Result<Currency> Currency::Parse(std::string_view code) {
  if (code.size() != 3) {
    return Fail(ErrorCode::kParseError,
                "currency '" + std::string(code) + "' is not a 3-letter ISO 4217 code");
  }
  Currency c;
  for (size_t i = 0; i < 3; ++i) {
    if (code[i] < 'A' || code[i] > 'Z') {
      return Fail(ErrorCode::kParseError,
                  "currency '" + std::string(code) + "' is not a 3-letter ISO 4217 code");
    }
    c.code_[i] = code[i];
  }
  return c;
}

Currency Currency::Of(std::string_view code) {
  auto c = Parse(code);
  if (!c) throw std::invalid_argument(c.error().message);
  return *c;
}

int Currency::minor_digits() const {
  // ISO 4217 exponents that differ from 2; every other currency Amazon settles in uses 2.
  static constexpr std::string_view kZero[] = {"JPY", "KRW", "CLP", "VND", "ISK",
                                               "PYG", "UGX", "XAF", "XOF"};
  static constexpr std::string_view kThree[] = {"BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"};
  for (auto z : kZero) {
    if (z == code()) return 0;
  }
  for (auto t : kThree) {
    if (t == code()) return 3;
  }
  return 2;
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// Replaces the multi-byte space characters used as thousands separators (NBSP, narrow NBSP) and the
// Unicode minus sign with ASCII so the parser below only deals with single bytes.
std::string NormaliseUnicode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto rest = s.substr(i);
    if (rest.starts_with("\xC2\xA0")) {  // U+00A0
      out += ' ';
      i += 1;
    } else if (rest.starts_with("\xE2\x80\xAF") ||
               rest.starts_with("\xE2\x80\x89")) {  // U+202F, U+2009
      out += ' ';
      i += 2;
    } else if (rest.starts_with("\xE2\x88\x92")) {  // U+2212 minus
      out += '-';
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Parses unsigned digits with `decimal` as the decimal separator and `group` characters as
// thousands separators. Returns nullopt when the text does not fit this style; sets `why`.
std::optional<int64_t> ParseUnsigned(std::string_view s, char decimal, std::string_view groups,
                                     int minor_digits, std::string& why) {
  size_t dec_pos = s.find(decimal);
  if (dec_pos != std::string_view::npos && s.find(decimal, dec_pos + 1) != std::string_view::npos) {
    why = "more than one decimal separator";
    return std::nullopt;
  }
  std::string_view int_part = dec_pos == std::string_view::npos ? s : s.substr(0, dec_pos);
  std::string_view frac_part =
      dec_pos == std::string_view::npos ? std::string_view{} : s.substr(dec_pos + 1);
  if (int_part.empty() && frac_part.empty()) {
    why = "no digits";
    return std::nullopt;
  }
  if (dec_pos != std::string_view::npos && frac_part.empty()) {
    why = "decimal separator without digits after it";
    return std::nullopt;
  }

  // Integer part: either plain digits, or groups of three after a first group of 1-3 digits, all
  // separated by the same group character.
  int64_t units = 0;
  char group_char = 0;
  size_t group_len = 0;
  bool grouped = false;
  for (char c : int_part) {
    if (IsDigit(c)) {
      if (units > (INT64_MAX - 9) / 10) {
        why = "amount too large";
        return std::nullopt;
      }
      units = units * 10 + (c - '0');
      ++group_len;
    } else if (groups.find(c) != std::string_view::npos) {
      if (group_char != 0 && c != group_char) {
        why = "mixed thousands separators";
        return std::nullopt;
      }
      if (!grouped) {
        if (group_len == 0 || group_len > 3) {
          why = "misplaced thousands separator";
          return std::nullopt;
        }
      } else if (group_len != 3) {
        why = "thousands groups must have three digits";
        return std::nullopt;
      }
      grouped = true;
      group_char = c;
      group_len = 0;
    } else {
      why = std::string("unexpected character '") + c + "'";
      return std::nullopt;
    }
  }
  if (grouped && group_len != 3) {
    why = "thousands groups must have three digits";
    return std::nullopt;
  }

  int64_t frac = 0;
  int digits = 0;
  for (char c : frac_part) {
    if (!IsDigit(c)) {
      why = std::string("unexpected character '") + c + "' after the decimal separator";
      return std::nullopt;
    }
    if (digits < minor_digits) {
      frac = frac * 10 + (c - '0');
      ++digits;
    } else if (c != '0') {
      why = "more decimal places than the currency has";
      return std::nullopt;
    }
  }
  for (; digits < minor_digits; ++digits) frac *= 10;

  int64_t scale = 1;
  for (int i = 0; i < minor_digits; ++i) scale *= 10;
  int64_t minor = 0;
  if (__builtin_mul_overflow(units, scale, &minor) || __builtin_add_overflow(minor, frac, &minor)) {
    why = "amount too large";
    return std::nullopt;
  }
  return minor;
}

}  // namespace

Result<Money> Money::Parse(std::string_view text, Currency currency, DecimalStyle style) {
  const std::string normalised = NormaliseUnicode(Trim(text));
  std::string_view s = Trim(normalised);
  auto fail = [&](const std::string& why) {
    return Fail(ErrorCode::kParseError, "amount '" + std::string(text) + "' (" +
                                            std::string(currency.code()) + "): " + why);
  };
  if (s.empty()) return fail("empty");

  bool negative = false;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    negative = true;
    s = Trim(s.substr(1, s.size() - 2));
  }
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    if (negative) return fail("two signs");
    negative = s.front() == '-';
    s = Trim(s.substr(1));
  } else if (!s.empty() && s.back() == '-') {
    if (negative) return fail("two signs");
    negative = true;
    s = Trim(s.substr(0, s.size() - 1));
  }
  if (s.empty()) return fail("no digits");

  const int digits = currency.minor_digits();
  std::string why_dot, why_comma;
  std::optional<int64_t> dot, comma;
  if (style != DecimalStyle::kCommaDecimal) dot = ParseUnsigned(s, '.', ", '", digits, why_dot);
  if (style != DecimalStyle::kDotDecimal) comma = ParseUnsigned(s, ',', ". '", digits, why_comma);

  std::optional<int64_t> value;
  if (style == DecimalStyle::kDotDecimal) {
    if (!dot) return fail(why_dot);
    value = dot;
  } else if (style == DecimalStyle::kCommaDecimal) {
    if (!comma) return fail(why_comma);
    value = comma;
  } else {
    if (dot && comma && *dot != *comma) {
      return fail("ambiguous: could be " + Money(*dot, currency).ToDecimalString() + " or " +
                  Money(*comma, currency).ToDecimalString() +
                  "; the marketplace's decimal style is needed");
    }
    value = dot ? dot : comma;
    if (!value) return fail(why_dot);
  }
  return Money(negative ? -*value : *value, currency);
}

std::string Money::ToDecimalString(char decimal_separator) const {
  const int digits = currency_.minor_digits();
  // Work in unsigned so INT64_MIN formats correctly.
  const bool negative = minor_ < 0;
  uint64_t abs = negative ? uint64_t(0) - uint64_t(minor_) : uint64_t(minor_);
  uint64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string out = negative ? "-" : "";
  out += std::to_string(abs / scale);
  if (digits > 0) {
    std::string frac = std::to_string(abs % scale);
    out += decimal_separator;
    out += std::string(size_t(digits) - frac.size(), '0') + frac;
  }
  return out;
}

std::string Money::ToString() const {
  return ToDecimalString() + " " + std::string(currency_.code());
}

namespace {
void RequireSameCurrency(const Money& a, const Money& b) {
  if (!(a.currency() == b.currency())) {
    throw std::invalid_argument("money arithmetic across currencies: " + a.ToString() + " and " +
                                b.ToString());
  }
}
}  // namespace

Money Money::operator+(const Money& other) const {
  RequireSameCurrency(*this, other);
  int64_t r;
  if (__builtin_add_overflow(minor_, other.minor_, &r))
    throw std::overflow_error("money overflow in +");
  return Money(r, currency_);
}

Money Money::operator-(const Money& other) const {
  RequireSameCurrency(*this, other);
  int64_t r;
  if (__builtin_sub_overflow(minor_, other.minor_, &r))
    throw std::overflow_error("money overflow in -");
  return Money(r, currency_);
}

Money Money::operator-() const {
  if (minor_ == INT64_MIN) throw std::overflow_error("money overflow in negation");
  return Money(-minor_, currency_);
}

Money Money::operator*(int64_t quantity) const {
  int64_t r;
  if (__builtin_mul_overflow(minor_, quantity, &r))
    throw std::overflow_error("money overflow in *");
  return Money(r, currency_);
}

}  // namespace mb

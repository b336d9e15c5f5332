#pragma once
// Money as integer minor units plus an ISO 4217 currency. Never floating point: a settlement must
// tie to the bank deposit to the cent.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mb {

class Currency {
 public:
  // Upper-case three-letter code; anything else is a parse error.
  static Result<Currency> Parse(std::string_view code);
  // For literals known to be valid (tests, defaults). Throws std::invalid_argument otherwise.
  static Currency Of(std::string_view code);

  std::string_view code() const { return {code_.data(), code_.size()}; }
  // Number of digits after the decimal point (EUR 2, JPY 0, KWD 3).
  int minor_digits() const;

  friend bool operator==(const Currency&, const Currency&) = default;

 private:
  std::array<char, 3> code_{};
};

// How a marketplace writes decimals: `1,234.56` (UK, US, JP) or `1.234,56` (DE, FR, IT, ES).
enum class DecimalStyle {
  kDotDecimal,
  kCommaDecimal,
  // Decide from the text; ambiguous inputs such as `1,234` are rejected rather than guessed.
  kDetect,
};

class Money {
 public:
  Money(int64_t minor_units, Currency currency) : minor_(minor_units), currency_(currency) {}
  static Money Zero(Currency currency) { return Money(0, currency); }

  // Parses an amount as Amazon writes it: `1234.56`, `1,234.56`, `1.234,56`, `1234,56`,
  // `-12,00`, `1 234,56`, `(12.34)`. Rejects more decimals than the currency has (unless they are
  // zeros), malformed digit grouping, overflow and stray characters.
  static Result<Money> Parse(std::string_view text, Currency currency,
                             DecimalStyle style = DecimalStyle::kDetect);

  int64_t minor_units() const { return minor_; }
  Currency currency() const { return currency_; }
  bool is_zero() const { return minor_ == 0; }
  bool is_negative() const { return minor_ < 0; }

  // Plain decimal text: `-1234.56` (or `-1234,56` with a comma separator). No grouping.
  std::string ToDecimalString(char decimal_separator = '.') const;
  // `-1234.56 EUR`, for messages and logs.
  std::string ToString() const;

  // Arithmetic across currencies is a bug (std::invalid_argument); overflow throws
  // std::overflow_error rather than wrapping silently.
  Money operator+(const Money& other) const;
  Money operator-(const Money& other) const;
  Money operator-() const;
  Money operator*(int64_t quantity) const;
  Money& operator+=(const Money& other) { return *this = *this + other; }
  Money& operator-=(const Money& other) { return *this = *this - other; }

  friend bool operator==(const Money&, const Money&) = default;

 private:
  int64_t minor_;
  Currency currency_;
};

}  // namespace mb

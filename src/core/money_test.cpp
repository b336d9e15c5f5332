#include "core/money.hpp"

#include <gtest/gtest.h>

namespace mb {
namespace {

const Currency kEur = Currency::Of("EUR");
const Currency kJpy = Currency::Of("JPY");
const Currency kKwd = Currency::Of("KWD");

int64_t Minor(std::string_view text, DecimalStyle style = DecimalStyle::kDetect,
              Currency c = kEur) {
  auto m = Money::Parse(text, c, style);
  EXPECT_TRUE(m.has_value()) << text << ": " << (m ? "" : m.error().message);
  return m ? m->minor_units() : INT64_MIN;
}

void ExpectRejected(std::string_view text, DecimalStyle style = DecimalStyle::kDetect,
                    Currency c = kEur) {
  auto m = Money::Parse(text, c, style);
  EXPECT_FALSE(m.has_value()) << "'" << text << "' parsed as " << (m ? m->ToString() : "");
  if (!m) {
    EXPECT_EQ(m.error().code, ErrorCode::kParseError);
    EXPECT_NE(m.error().message.find(std::string(text.empty() ? "" : text.substr(0, 1))),
              std::string::npos);
  }
}

TEST(MoneyParse, EveryMarketplaceSpelling) {
  EXPECT_EQ(Minor("1234.56"), 123456);
  EXPECT_EQ(Minor("1,234.56"), 123456);
  EXPECT_EQ(Minor("1.234,56"), 123456);
  EXPECT_EQ(Minor("1234,56"), 123456);
  EXPECT_EQ(Minor("-1.234,56"), -123456);
  EXPECT_EQ(Minor("-1,234.56"), -123456);
  EXPECT_EQ(Minor("95,00"), 9500);
  EXPECT_EQ(Minor("0.5"), 50);
  EXPECT_EQ(Minor(",5"), 50);
  EXPECT_EQ(Minor("12"), 1200);
  EXPECT_EQ(Minor("1,234,567.89"), 123456789);
  EXPECT_EQ(Minor("1.234.567,89"), 123456789);
}

TEST(MoneyParse, SignsSpacesAndUnicode) {
  EXPECT_EQ(Minor("  -3.10 "), -310);
  EXPECT_EQ(Minor("+3.10"), 310);
  EXPECT_EQ(Minor("3.10-"), -310);
  EXPECT_EQ(Minor("(3.10)"), -310);
  EXPECT_EQ(Minor("\xE2\x88\x92"
                  "3,10"),
            -310);  // U+2212 minus
  EXPECT_EQ(Minor("1\xC2\xA0"
                  "234,56"),
            123456);  // NBSP grouping (fr-FR)
  EXPECT_EQ(Minor("1\xE2\x80\xAF"
                  "234,56"),
            123456);  // narrow NBSP grouping
  EXPECT_EQ(Minor("1 234,56"), 123456);
  EXPECT_EQ(Minor("1'234.56"), 123456);  // de-CH
  EXPECT_EQ(Minor("-0,00"), 0);
}

TEST(MoneyParse, ExplicitStyleResolvesAmbiguity) {
  ExpectRejected("1,234", DecimalStyle::kDetect,
                 kKwd);      // 1234.000 or 1.234? Only the marketplace knows.
  ExpectRejected("12.340");  // 12.34 or 12340.00?
  EXPECT_EQ(Minor("1,234"),
            123400);  // for EUR "1.234" would need three decimals, so only one reading
  EXPECT_EQ(Minor("1,234", DecimalStyle::kDotDecimal), 123400);
  EXPECT_EQ(Minor("1.234", DecimalStyle::kCommaDecimal), 123400);
  ExpectRejected("1,234", DecimalStyle::kCommaDecimal);  // three decimals for EUR
  EXPECT_EQ(Minor("1,234", DecimalStyle::kCommaDecimal, kKwd), 1234);
  EXPECT_EQ(Minor("1.50", DecimalStyle::kDotDecimal), 150);
  ExpectRejected("1.50", DecimalStyle::kCommaDecimal);  // "1.50" is no valid grouping
}

TEST(MoneyParse, CurrencyExponents) {
  EXPECT_EQ(Minor("1,234", DecimalStyle::kDotDecimal, kJpy), 1234);
  EXPECT_EQ(Minor("1234", DecimalStyle::kDetect, kJpy), 1234);
  ExpectRejected("12.5", DecimalStyle::kDotDecimal, kJpy);
  EXPECT_EQ(Minor("12.000", DecimalStyle::kDotDecimal, kJpy),
            12);  // zeros beyond the exponent are harmless
  EXPECT_EQ(Minor("1.5", DecimalStyle::kDotDecimal, kKwd), 1500);
  EXPECT_EQ(Minor("12.340", DecimalStyle::kDotDecimal), 1234);
}

TEST(MoneyParse, NastyInputsAreRejectedWithTheText) {
  for (const char* bad : {"",           " ",         "-",
                          "+-1",        "--1",       "1.2.3,4",
                          "12,34,56.7", "1,23.45",   "1.23,4.5",
                          "1e5",        "0x10",      "12.3456",
                          "abc",        "1,,234.56", "1,234.",
                          ".",          ",",         "()",
                          "(-1)",       "12 €",      "NaN",
                          "inf",        "1_000",     "12.3.4",
                          "1,234 .56",  "١٢٣",       "99999999999999999999"}) {
    ExpectRejected(bad);
  }
}

TEST(MoneyParse, OverflowIsAnErrorNotAWrap) {
  EXPECT_EQ(Minor("92233720368547758.07", DecimalStyle::kDotDecimal), INT64_MAX);
  ExpectRejected("92233720368547758.08", DecimalStyle::kDotDecimal);
  ExpectRejected("922337203685477580800", DecimalStyle::kDotDecimal);
}

TEST(Money, ArithmeticIsExact) {
  Money a = *Money::Parse("0.10", kEur);
  Money sum = Money::Zero(kEur);
  for (int i = 0; i < 10; ++i) sum += a;
  EXPECT_EQ(sum, Money(100, kEur));
  EXPECT_EQ((a * 3).minor_units(), 30);
  EXPECT_EQ((-a).minor_units(), -10);
  EXPECT_EQ((sum - a * 10), Money::Zero(kEur));
}

TEST(Money, MixingCurrenciesOrOverflowingThrows) {
  EXPECT_THROW((void)(Money(1, kEur) + Money(1, kJpy)), std::invalid_argument);
  EXPECT_THROW((void)(Money(INT64_MAX, kEur) + Money(1, kEur)), std::overflow_error);
  EXPECT_THROW((void)(Money(INT64_MAX / 2 + 1, kEur) * 2), std::overflow_error);
  EXPECT_THROW((void)(-Money(INT64_MIN, kEur)), std::overflow_error);
}

TEST(Money, Formatting) {
  EXPECT_EQ(Money(-123456, kEur).ToDecimalString(), "-1234.56");
  EXPECT_EQ(Money(5, kEur).ToDecimalString(','), "0,05");
  EXPECT_EQ(Money(-5, kEur).ToDecimalString(), "-0.05");
  EXPECT_EQ(Money(1234, kJpy).ToDecimalString(), "1234");
  EXPECT_EQ(Money(1234, kKwd).ToString(), "1.234 KWD");
  EXPECT_EQ(Money(INT64_MIN, kEur).ToDecimalString(), "-92233720368547758.08");
}

TEST(Money, RoundTripsThroughText) {
  for (int64_t v : {0LL, 1LL, -1LL, 99LL, 100LL, -12345678LL, 4'000'000'000'000LL}) {
    Money m(v, kEur);
    EXPECT_EQ(*Money::Parse(m.ToDecimalString(), kEur, DecimalStyle::kDotDecimal), m);
    EXPECT_EQ(*Money::Parse(m.ToDecimalString(','), kEur, DecimalStyle::kCommaDecimal), m);
  }
}

TEST(Currency, Validation) {
  EXPECT_TRUE(Currency::Parse("GBP"));
  EXPECT_FALSE(Currency::Parse("gbp"));
  EXPECT_FALSE(Currency::Parse("EURO"));
  EXPECT_FALSE(Currency::Parse(""));
  EXPECT_EQ(kEur.minor_digits(), 2);
  EXPECT_EQ(kJpy.minor_digits(), 0);
  EXPECT_EQ(kKwd.minor_digits(), 3);
}

}  // namespace
}  // namespace mb

#include "core/settlement/fast_amount.hpp"

#include <gtest/gtest.h>

#include <random>

namespace mb::settlement {
namespace {

// Every string the fast path accepts must read exactly as mb::Money::Parse reads it.
void ExpectAgrees(std::string_view s, DecimalStyle style, Currency currency) {
  int64_t fast = 0;
  if (!ParseAmountFast(s, style, currency.minor_digits(), fast)) return;
  auto slow = Money::Parse(s, currency, style);
  ASSERT_TRUE(slow) << s << " accepted by the fast path but not by Money::Parse";
  EXPECT_EQ(fast, slow->minor_units()) << s;
}

TEST(SettlementFastAmount, CommonShapes) {
  int64_t v = 0;
  ASSERT_TRUE(ParseAmountFast("-1.234,56", DecimalStyle::kCommaDecimal, 2, v));
  EXPECT_EQ(v, -123456);
  ASSERT_TRUE(ParseAmountFast("1,234.56", DecimalStyle::kDotDecimal, 2, v));
  EXPECT_EQ(v, 123456);
  ASSERT_TRUE(ParseAmountFast("95,00", DecimalStyle::kCommaDecimal, 2, v));
  EXPECT_EQ(v, 9500);
  ASSERT_TRUE(ParseAmountFast("1500", DecimalStyle::kDotDecimal, 0, v));
  EXPECT_EQ(v, 1500);
  // Left to Money::Parse: the fast path declines instead of deciding.
  EXPECT_FALSE(ParseAmountFast("12.50", DecimalStyle::kCommaDecimal, 2, v));
  EXPECT_FALSE(ParseAmountFast("(12.50)", DecimalStyle::kDotDecimal, 2, v));
  EXPECT_FALSE(ParseAmountFast("12.5", DecimalStyle::kDotDecimal, 2, v));
  EXPECT_FALSE(ParseAmountFast("1,23.45", DecimalStyle::kDotDecimal, 2, v));
  EXPECT_FALSE(ParseAmountFast("1 234,56", DecimalStyle::kCommaDecimal, 2, v));
  EXPECT_FALSE(ParseAmountFast("", DecimalStyle::kDotDecimal, 2, v));
  EXPECT_FALSE(ParseAmountFast("-", DecimalStyle::kDotDecimal, 2, v));
  EXPECT_FALSE(ParseAmountFast("1.00", DecimalStyle::kDetect, 2, v));
}

TEST(SettlementFastAmount, AgreesWithMoneyParseOnRandomInput) {
  std::mt19937 rng(7);
  const std::string alphabet = "0123456789.,-";
  const Currency eur = Currency::Of("EUR"), jpy = Currency::Of("JPY"), kwd = Currency::Of("KWD");
  for (int n = 0; n < 200000; ++n) {
    std::string s;
    size_t len = 1 + rng() % 12;
    for (size_t i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
    for (auto style : {DecimalStyle::kDotDecimal, DecimalStyle::kCommaDecimal}) {
      for (auto currency : {eur, jpy, kwd}) ExpectAgrees(s, style, currency);
    }
  }
}

}  // namespace
}  // namespace mb::settlement

#include "core/stock/price_selection.hpp"

#include <gtest/gtest.h>

#include "core/timestamp.hpp"

namespace mb::stock {
namespace {

const Currency kEur = Currency::Of("EUR");

PriceCandidate Price(std::string key, int64_t amount, std::optional<TimePoint> from = std::nullopt,
                     std::optional<TimePoint> to = std::nullopt) {
  PriceCandidate c;
  c.key = std::move(key);
  c.amount_minor = amount;
  c.currency = "EUR";
  c.country = "DE";
  c.valid_from = from;
  c.valid_to = to;
  return c;
}

TEST(SelectPriceTest, PicksThePriceForTheCountryAndCurrency) {
  auto fr = Price("fr", 2100);
  fr.country = "FR";
  auto chf = Price("chf", 2500);
  chf.currency = "CHF";
  auto now = MakeTime(2026, 11, 27, 12);
  auto d = SelectPrice({fr, chf, Price("de", 1999)}, "DE", kEur, now, {});
  ASSERT_TRUE(d.price.has_value());
  EXPECT_EQ(d.price->minor_units(), 1999);
  EXPECT_EQ(d.source_key, "de");
}

TEST(SelectPriceTest, OnlyPricesValidNowAndTheLatestStartedWins) {
  auto now = MakeTime(2026, 11, 27, 12);
  auto base = Price("base", 2000, MakeTime(2026, 1, 1));
  auto promo = Price("promo", 1500, MakeTime(2026, 11, 27, 0), MakeTime(2026, 11, 28));
  promo.promotion_key = "black-friday";
  auto future = Price("future", 1000, MakeTime(2026, 12, 1));
  auto expired = Price("expired", 900, MakeTime(2026, 11, 1), MakeTime(2026, 11, 27, 12));
  auto d = SelectPrice({base, promo, future, expired}, "DE", kEur, now, {});
  ASSERT_TRUE(d.price.has_value());
  EXPECT_EQ(d.price->minor_units(), 1500);
  EXPECT_EQ(d.valid_until, MakeTime(2026, 11, 28));
  EXPECT_NE(d.reason.find("black-friday"), std::string::npos);
  // After the promotion ends, the base price applies again.
  auto later = SelectPrice({base, promo, future, expired}, "DE", kEur, MakeTime(2026, 11, 28), {});
  EXPECT_EQ(later.price->minor_units(), 2000);
}

TEST(SelectPriceTest, CustomerGroupPricesNeverApply) {
  auto group = Price("vip", 100);
  group.group_key = "vip";
  auto d = SelectPrice({group, Price("de", 1999)}, "DE", kEur, MakeTime(2026, 11, 27), {});
  EXPECT_EQ(d.price->minor_units(), 1999);
}

TEST(SelectPriceTest, NoValidPriceIsExplained) {
  auto d = SelectPrice({Price("de", 1999)}, "FR", kEur, MakeTime(2026, 11, 27), {});
  EXPECT_FALSE(d.price.has_value());
  EXPECT_EQ(d.reason, "no SCAYLE price valid now for FR/EUR");
}

TEST(SelectPriceTest, PricesOutsideFloorAndCeilingAreHeldNotClamped) {
  PriceBounds bounds{1000, 5000};
  auto low = SelectPrice({Price("de", 19)}, "DE", kEur, MakeTime(2026, 11, 27), bounds);
  EXPECT_FALSE(low.price.has_value());
  EXPECT_EQ(low.reason, "held: 0.19 EUR is below the floor 10.00 EUR");
  auto high = SelectPrice({Price("de", 199900)}, "DE", kEur, MakeTime(2026, 11, 27), bounds);
  EXPECT_FALSE(high.price.has_value());
  EXPECT_EQ(high.reason, "held: 1999.00 EUR is above the ceiling 50.00 EUR");
  auto ok = SelectPrice({Price("de", 1000)}, "DE", kEur, MakeTime(2026, 11, 27), bounds);
  EXPECT_EQ(ok.price->minor_units(), 1000);
}

TEST(SelectPriceTest, NonPositivePriceIsHeld) {
  auto d = SelectPrice({Price("de", 0)}, "DE", kEur, MakeTime(2026, 11, 27), {});
  EXPECT_FALSE(d.price.has_value());
}

}  // namespace
}  // namespace mb::stock

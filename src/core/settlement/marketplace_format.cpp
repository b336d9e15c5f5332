#include "core/settlement/marketplace_format.hpp"

#include <array>

namespace mb::settlement {

namespace {

constexpr auto kDot = DecimalStyle::kDotDecimal;
constexpr auto kComma = DecimalStyle::kCommaDecimal;
constexpr auto kMdy = SlashDateOrder::kMonthFirst;
constexpr auto kDmy = SlashDateOrder::kDayFirst;
constexpr auto kUnknownOrder = SlashDateOrder::kUnknown;

constexpr std::array kMarketplaces = {
    MarketplaceFormat{"Amazon.com", kDot, kMdy},
    // Canada mixes both date orders in the wild; only the file itself can tell.
    MarketplaceFormat{"Amazon.ca", kDot, kUnknownOrder},
    MarketplaceFormat{"Amazon.com.mx", kDot, kDmy},
    MarketplaceFormat{"Amazon.com.br", kComma, kDmy},
    MarketplaceFormat{"Amazon.co.uk", kDot, kDmy},
    MarketplaceFormat{"Amazon.ie", kDot, kDmy},
    MarketplaceFormat{"Amazon.de", kComma, kDmy},
    MarketplaceFormat{"Amazon.fr", kComma, kDmy},
    MarketplaceFormat{"Amazon.it", kComma, kDmy},
    MarketplaceFormat{"Amazon.es", kComma, kDmy},
    MarketplaceFormat{"Amazon.nl", kComma, kDmy},
    MarketplaceFormat{"Amazon.se", kComma, kDmy},
    MarketplaceFormat{"Amazon.pl", kComma, kDmy},
    MarketplaceFormat{"Amazon.com.be", kComma, kDmy},
    MarketplaceFormat{"Amazon.com.tr", kComma, kDmy},
    MarketplaceFormat{"Amazon.co.jp", kDot, kUnknownOrder},
    MarketplaceFormat{"Amazon.com.au", kDot, kDmy},
    MarketplaceFormat{"Amazon.in", kDot, kDmy},
    MarketplaceFormat{"Amazon.sg", kDot, kDmy},
    MarketplaceFormat{"Amazon.ae", kDot, kDmy},
    MarketplaceFormat{"Amazon.sa", kDot, kDmy},
    MarketplaceFormat{"Amazon.eg", kDot, kDmy},
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::optional<MarketplaceFormat> FormatForMarketplace(std::string_view marketplace_name) {
  for (const auto& m : kMarketplaces) {
    if (EqualsIgnoreCase(m.name, marketplace_name)) return m;
  }
  return std::nullopt;
}

std::optional<DecimalStyle> DecimalStyleForCurrency(std::string_view currency) {
  static constexpr std::string_view kDotCurrencies[] = {"USD", "GBP", "CAD", "MXN", "JPY", "AUD",
                                                        "INR", "SGD", "AED", "SAR", "EGP"};
  static constexpr std::string_view kCommaCurrencies[] = {"SEK", "PLN", "TRY", "BRL"};
  for (auto c : kDotCurrencies) {
    if (c == currency) return kDot;
  }
  for (auto c : kCommaCurrencies) {
    if (c == currency) return kComma;
  }
  return std::nullopt;
}

std::string_view DecimalStyleName(DecimalStyle style) {
  switch (style) {
    case DecimalStyle::kDotDecimal:
      return "dot decimals (1,234.56)";
    case DecimalStyle::kCommaDecimal:
      return "comma decimals (1.234,56)";
    case DecimalStyle::kDetect:
      return "detect";
  }
  return "?";
}

}  // namespace mb::settlement

#pragma once
// How each Amazon marketplace writes numbers and dates in its settlement reports. Amazon's
// changelog says amounts use "the marketplace's local number format" (`95,00` in the EU) without
// listing them, so the table below is the one place that knowledge lives.

#include <optional>
#include <string_view>

#include "core/money.hpp"

namespace mb::settlement {

// Order of day and month in dates written with slashes (`08/20/2026` in the US, `20/08/2026` in
// the UK). Year-first slash dates (`2026/08/20`, Japan) are unambiguous and need no order.
enum class SlashDateOrder { kUnknown, kMonthFirst, kDayFirst };

struct MarketplaceFormat {
  std::string_view name;  // as in the marketplace-name column, e.g. "Amazon.de"
  DecimalStyle decimal_style;
  SlashDateOrder slash_dates;
};

// nullopt for names the table does not know ("Non-Amazon", test marketplaces ...).
std::optional<MarketplaceFormat> FormatForMarketplace(std::string_view marketplace_name);

// Only currencies that are written one way in every marketplace that settles in them. EUR is not
// one of them (Amazon.ie writes `1,234.56`, Amazon.de `1.234,56`), so it returns nullopt.
std::optional<DecimalStyle> DecimalStyleForCurrency(std::string_view currency);

std::string_view DecimalStyleName(DecimalStyle style);

}  // namespace mb::settlement

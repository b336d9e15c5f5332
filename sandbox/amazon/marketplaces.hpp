#pragma once
// The marketplaces the sandbox sells in. Europe is one unified account: a seller's listing (and its
// quantity) is shared by every EU marketplace, as in Seller Central's "unified account".

#include <string_view>
#include <vector>

namespace sandbox::amazon {

enum class Region { kEurope, kNorthAmerica };

struct Marketplace {
  std::string_view id;
  std::string_view country_code;
  std::string_view name;  // as in Orders 2026-01-01 salesChannel.marketplaceName
  std::string_view currency;
  std::string_view language_tag;
  Region region;
};

const std::vector<Marketplace>& Marketplaces();
const Marketplace* FindMarketplace(std::string_view id);
std::string_view RegionName(Region region);

}  // namespace sandbox::amazon

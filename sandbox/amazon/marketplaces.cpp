#include "sandbox/amazon/marketplaces.hpp"

namespace sandbox::amazon {

const std::vector<Marketplace>& Marketplaces() {
  static const std::vector<Marketplace> kMarketplaces = {
      {"A1F83G8C2ARO7P", "GB", "Amazon.co.uk", "GBP", "en_GB", Region::kEurope},
      {"A1PA6795UKMFR9", "DE", "Amazon.de", "EUR", "de_DE", Region::kEurope},
      {"A13V1IB3VIYZZH", "FR", "Amazon.fr", "EUR", "fr_FR", Region::kEurope},
      {"APJ6JRA9NG5V4", "IT", "Amazon.it", "EUR", "it_IT", Region::kEurope},
      {"A1RKKUPIHCS9HS", "ES", "Amazon.es", "EUR", "es_ES", Region::kEurope},
      {"ATVPDKIKX0DER", "US", "Amazon.com", "USD", "en_US", Region::kNorthAmerica},
  };
  return kMarketplaces;
}

const Marketplace* FindMarketplace(std::string_view id) {
  for (const auto& m : Marketplaces()) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

std::string_view RegionName(Region region) { return region == Region::kEurope ? "EU" : "NA"; }

}  // namespace sandbox::amazon

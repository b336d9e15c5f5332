#pragma once
// Test helper: a SCAYLE shirt family in the sandbox's SCAYLE world, shaped the way
// config/catalogue-mapping.example.toml reads it (end-to-end and CLI tests of the catalogue loop).

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/scayle/scayle_world.hpp"

namespace mb::catalogue::testing {

inline sandbox::scayle::Attribute ScayleAttr(std::string name, std::string type,
                                             nlohmann::json value) {
  return {std::move(name), std::move(type), std::move(value)};
}

// Master M100 in Fashion > Men > Shirts, and per colour a product M100-<colour> with one variant
// M100-<colour>-<size> per size, priced in DE (39.95 EUR) and US (45.00 USD) from a day before
// `now`. EANs are 40000000 + colour number (1, 2 ...) + size number (0001, 0002 ...).
inline void SeedShirtFamily(
    sandbox::scayle::ScayleWorld& world, sandbox::SimTime now,
    const std::vector<std::pair<std::string, std::vector<std::string>>>& colours) {
  using nlohmann::json;
  namespace sbx = sandbox::scayle;
  sbx::Master master;
  master.reference_key = "M100";
  master.category_paths = {{"Fashion", "Men", "Shirts"}};
  master.attributes = {
      ScayleAttr("brand", "localizedString", {{"de_DE", "Acme"}, {"en_GB", "Acme"}}),
      ScayleAttr("gender", "simple", "men"),
      ScayleAttr("description", "localizedString",
                 {{"de_DE", "Klassisches Oxford-Hemd."}, {"en_GB", "Classic oxford shirt."}}),
      ScayleAttr("bullet_points", "localizedStringList",
                 json::array({{{"de_DE", "100 % Baumwolle"}, {"en_GB", "100% cotton"}}})),
      ScayleAttr("material", "advancedList",
                 json::array({{{"name", "cotton"}, {"percentage", 100}}})),
  };
  world.AddMasterCategory({"Fashion", "Men", "Shirts"});
  world.AddMaster(master);
  for (size_t c = 0; c < colours.size(); ++c) {
    const auto& [colour, sizes] = colours[c];
    sbx::Product p;
    p.reference_key = "M100-" + colour;
    p.master_key = "M100";
    p.name = {{"de_DE", "Oxford Hemd"}, {"en_GB", "Oxford Shirt"}};
    p.attributes = {ScayleAttr("color", "simple", colour)};
    p.images = {{0, "images/m100-" + colour + ".jpg", "image/jpeg", 0, {}}};
    std::vector<sbx::Variant> variants;
    for (size_t s = 0; s < sizes.size(); ++s) {
      sbx::Variant v;
      v.reference_key = p.reference_key + "-" + sizes[s];
      v.ean = "40000000" + std::to_string(c + 1) + "000" + std::to_string(s + 1);
      v.attributes = {ScayleAttr("size", "simple", sizes[s])};
      for (auto [country, currency, amount] :
           {std::tuple{"DE", "EUR", 3995}, std::tuple{"US", "USD", 4500}}) {
        sbx::Price price;
        price.key = std::string(country) + "-" + currency;
        price.price = amount;
        price.country_code = country;
        price.currency_code = currency;
        price.valid_from = now - std::chrono::hours(24);
        v.prices.push_back(price);
      }
      variants.push_back(v);
    }
    world.AddProduct(p, variants);
  }
}

}  // namespace mb::catalogue::testing

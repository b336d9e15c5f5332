#pragma once
// Test-only: a small SCAYLE catalogue (a shirt family in two colours, a shoe family, a single
// variant product) and the example mapping, shared by the catalogue unit and end-to-end tests.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalogue/mapping_file.hpp"
#include "ports/scayle_api.hpp"

namespace mb::catalogue::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string ExampleMappingPath() {
  return std::string(MB_SOURCE_DIR) + "/config/catalogue-mapping.example.toml";
}

inline std::string SandboxSchemaPath(const std::string& type, const std::string& marketplace) {
  return std::string(MB_SOURCE_DIR) + "/sandbox/catalogue/product-types/" + type + "." +
         marketplace + ".json";
}

inline std::string RealSchemaPath(const std::string& file) {
  return std::string(MB_SHARED_DIR) + "/reference/amazon/product-types/" + file;
}

inline ScayleAttribute Attr(std::string name, std::string type, const nlohmann::json& value,
                            const nlohmann::json& overrides = nullptr) {
  return ScayleAttribute{std::move(name), std::move(type), value.dump(),
                         overrides.is_null() ? "" : overrides.dump()};
}

inline ScaylePrice Price(int64_t minor, const char* currency, const char* country) {
  ScaylePrice p;
  p.key = std::string(country) + "-" + currency;
  p.price = Money(minor, Currency::Of(currency));
  p.country_code = country;
  return p;
}

inline ScayleVariant Variant(int64_t id, std::string sku, std::string ean,
                             std::vector<ScayleAttribute> attributes) {
  ScayleVariant v;
  v.ref = ScayleVariantRef{id, Sku(std::move(sku))};
  v.ean = std::move(ean);
  v.attributes = std::move(attributes);
  v.prices = {Price(3995, "EUR", "DE"), Price(4500, "USD", "US")};
  return v;
}

inline std::vector<ScayleAttribute> ShirtMasterAttributes() {
  return {
      Attr("brand", "localizedString", {{"de_DE", "Acme"}, {"en_GB", "Acme"}}),
      Attr("gender", "simple", "men"),
      Attr("description", "localizedString",
           {{"de_DE", "Klassisches Oxford-Hemd aus Baumwolle."},
            {"en_GB", "Classic cotton oxford shirt."}}),
      Attr("bullet_points", "localizedStringList",
           nlohmann::json::array({{{"de_DE", "100 % Baumwolle"}, {"en_GB", "100% cotton"}},
                                  {{"de_DE", "Regular Fit"}, {"en_GB", "Regular fit"}}})),
      Attr("material", "advancedList",
           nlohmann::json::array({{{"name", "cotton"}, {"percentage", 100}}})),
  };
}

inline ScayleProduct ShirtProduct(int64_t id, const std::string& color,
                                  const std::vector<std::string>& sizes, int64_t first_variant) {
  ScayleProduct p;
  p.id = id;
  p.reference_key = "M100-" + color;
  p.state = "live";
  p.name = {{"de_DE", "Oxford Hemd"}, {"en_GB", "Oxford Shirt"}};
  p.master_reference_key = "M100";
  p.category_paths = {{"Fashion", "Men", "Shirts"}};
  p.master_attributes = ShirtMasterAttributes();
  p.attributes = {Attr("color", "simple", color)};
  p.images = {ScayleImage{"images/m100-" + color + "-back.jpg", 1},
              ScayleImage{"images/m100-" + color + ".jpg", 0}};
  int64_t n = first_variant;
  for (const auto& size : sizes) {
    p.variants.push_back(Variant(n, "M100-" + color + "-" + size,
                                 "40000000" + std::to_string(10000 + n),
                                 {Attr("size", "simple", size)}));
    ++n;
  }
  return p;
}

inline ScayleProduct ShoeProduct() {
  ScayleProduct p;
  p.id = 20;
  p.reference_key = "S200-white";
  p.state = "live";
  p.name = {{"de_DE", "Court Sneaker"}, {"en_GB", "Court Sneaker"}};
  p.master_reference_key = "S200";
  p.category_paths = {{"Fashion", "Shoes", "Sneakers"}};
  p.master_attributes = {
      Attr("brand", "localizedString", {{"de_DE", "Acme"}, {"en_GB", "Acme"}}),
      Attr("gender", "simple", "unisex"),
      Attr("description", "localizedString",
           {{"de_DE", "Leichter Sneaker aus Leder."}, {"en_GB", "Light leather sneaker."}}),
      Attr("bullet_points", "localizedStringList",
           nlohmann::json::array({{{"de_DE", "Leder"}, {"en_GB", "Leather"}}})),
      Attr("material", "advancedList",
           nlohmann::json::array({{{"name", "leather"}, {"percentage", 80}},
                                  {{"name", "cotton"}, {"percentage", 20}}})),
  };
  p.attributes = {Attr("color", "localizedString", {{"de_DE", "weiß"}, {"en_GB", "white"}})};
  p.images = {ScayleImage{"images/s200.jpg", 0}};
  // SCAYLE holds EU sizes; the US shop country overrides with US sizes.
  auto shoe = [](const char* eu, const char* us) {
    return Attr("shoe_size", "simple", eu,
                nlohmann::json::array({{{"shopKey", "ms"}, {"countryCode", "US"}, {"value", us}}}));
  };
  p.variants = {Variant(201, "S200-white-42", "4000000020001", {shoe("42", "9")}),
                Variant(202, "S200-white-43", "4000000020002", {shoe("43", "10")})};
  return p;
}

// The shirt family M100 (blue M/L, black M) and the shoe family S200 (white 42/43).
inline std::vector<ScayleProduct> FashionCatalogue() {
  return {ShirtProduct(10, "blue", {"M", "L"}, 101), ShirtProduct(11, "black", {"M"}, 111),
          ShoeProduct()};
}

}  // namespace mb::catalogue::testing

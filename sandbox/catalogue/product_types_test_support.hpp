#pragma once
// Test helpers for the sandbox's product types: the catalogue loaded once, and a SHIRT child
// listing that passes its schema in both marketplaces.

#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/catalogue/product_types.hpp"

namespace sandbox::catalogue::testing {

inline constexpr const char* kDe = "A1PA6795UKMFR9";
inline constexpr const char* kUs = "ATVPDKIKX0DER";

inline const ProductTypeCatalogue& Catalogue() {
  static const ProductTypeCatalogue catalogue;
  return catalogue;
}

inline nlohmann::json ValidShirtChild(const std::string& mp, const std::string& lang) {
  using nlohmann::json;
  auto text = [&](const std::string& v) {
    return json::array({{{"value", v}, {"language_tag", lang}, {"marketplace_id", mp}}});
  };
  auto plain = [&](const json& v) { return json::array({{{"value", v}, {"marketplace_id", mp}}}); };
  json a = {
      {"brand", text("Acme")},
      {"item_name", text("Acme Oxford Shirt Blue")},
      {"bullet_point", text("Cotton")},
      {"product_description", text("A shirt.")},
      {"country_of_origin", plain("PT")},
      {"supplier_declared_dg_hz_regulation", plain("not_applicable")},
      {"department", text("Mens")},
      {"target_gender", plain("male")},
      {"color", text("Blue")},
      {"parentage_level", plain("child")},
      {"child_parent_sku_relationship", json::array({{{"child_relationship_type", "variation"},
                                                      {"marketplace_id", mp},
                                                      {"parent_sku", "P-M100"}}})},
      {"variation_theme",
       json::array({{{"name", mp == kDe ? "SIZE/COLOR" : "SIZE_NAME/COLOR_NAME"}}})},
      {"shirt_size", json::array({{{"size_system", "as4"},
                                   {"size_class", "alpha"},
                                   {"size", "m"},
                                   {"body_type", "regular"},
                                   {"height_type", "regular"},
                                   {"marketplace_id", mp}}})},
      {"externally_assigned_product_identifier",
       json::array({{{"type", "ean"}, {"value", "4000000010101"}, {"marketplace_id", mp}}})},
  };
  if (mp == kDe) {
    a["recommended_browse_nodes"] = plain("1981663031");
  } else {
    a["item_type_keyword"] = plain("dress-shirts");
  }
  return a;
}

}  // namespace sandbox::catalogue::testing

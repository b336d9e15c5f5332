#include "core/catalogue/mapping.hpp"

#include <gtest/gtest.h>

namespace mb::catalogue {
namespace {

TEST(CatalogueMapping, NormaliseKeyFoldsCaseAndSpaces) {
  EXPECT_EQ(NormaliseKey("  Dark   Blue "), "dark blue");
  EXPECT_EQ(NormaliseKey("Weiß"), "weiß");
}

TEST(CatalogueMapping, ValueMapPrefersLanguageThenStar) {
  ValueMap colors;
  colors.by_language["de_DE"]["black"] = "Schwarz";
  colors.by_language["*"]["black"] = "Black";
  colors.by_language["*"]["navy"] = "Navy";
  EXPECT_EQ(LookUp(colors, "de_DE", "BLACK"), "Schwarz");
  EXPECT_EQ(LookUp(colors, "en_US", "black"), "Black");
  EXPECT_EQ(LookUp(colors, "de_DE", "navy"), "Navy");
  EXPECT_EQ(LookUp(colors, "de_DE", "mauve"), std::nullopt);
}

TEST(CatalogueMapping, FirstMatchingRuleWins) {
  Mapping mapping;
  auto make_rule = [](std::string name, std::vector<std::string> category, std::string type) {
    ProductTypeRule r;
    r.name = std::move(name);
    r.category_prefix = std::move(category);
    r.product_type = std::move(type);
    return r;
  };
  ProductTypeRule womens = make_rule("women shirts", {"Fashion", "Women", "Shirts"}, "SHIRT");
  womens.attribute_equals = {{"fit", "slim"}};
  womens.per_marketplace = {{"US", "SHIRT_US"}};
  mapping.product_types = {make_rule("shoes", {"Fashion", "Shoes"}, "SHOES"), womens,
                           make_rule("shirts", {"fashion", "men"}, "SHIRT")};

  MasterFacts facts{{{"Fashion", "Men", "Shirts"}}, {}};
  ASSERT_NE(FindProductTypeRule(mapping, facts), nullptr);
  EXPECT_EQ(FindProductTypeRule(mapping, facts)->name, "shirts");

  MasterFacts slim{{{"Fashion", "Women", "Shirts", "Blouses"}}, {{"fit", "Slim"}}};
  ASSERT_NE(FindProductTypeRule(mapping, slim), nullptr);
  const auto& rule = *FindProductTypeRule(mapping, slim);
  EXPECT_EQ(rule.name, "women shirts");
  MarketplaceSpec us;
  us.alias = "US";
  MarketplaceSpec de;
  de.alias = "DE";
  EXPECT_EQ(ProductTypeFor(rule, us), "SHIRT_US");
  EXPECT_EQ(ProductTypeFor(rule, de), "SHIRT");

  MasterFacts other{{{"Fashion", "Women", "Shirts"}}, {{"fit", "loose"}}};
  EXPECT_EQ(FindProductTypeRule(mapping, other), nullptr);
}

TEST(CatalogueMapping, VariationThemeIsTheFirstAllowedPreference) {
  EXPECT_EQ(ChooseVariationTheme({"SIZE/COLOR", "COLOR_NAME/SIZE_NAME"},
                                 {"COLOR", "COLOR_NAME/SIZE_NAME"}),
            "COLOR_NAME/SIZE_NAME");
  EXPECT_EQ(ChooseVariationTheme({"SIZE/COLOR"}, {"COLOR"}), "");
}

}  // namespace
}  // namespace mb::catalogue

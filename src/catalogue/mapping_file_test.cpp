#include "catalogue/mapping_file.hpp"

#include <gtest/gtest.h>

#include "catalogue/catalogue_test_support.hpp"

namespace mb::catalogue {
namespace {

constexpr const char* kMarketplaces = R"(
[marketplaces.DE]
id = "A1PA6795UKMFR9"
language_tag = "de_DE"
country = "DE"
currency = "EUR"
)";

Result<Mapping> Parse(const std::string& rest) {
  return ParseMapping(std::string(kMarketplaces) + rest, "mapping.toml");
}

TEST(CatalogueMappingFile, TheExampleFileParses) {
  auto mapping = LoadMappingFile(testing::ExampleMappingPath());
  ASSERT_TRUE(mapping) << mapping.error().message;
  EXPECT_EQ(mapping->marketplaces.size(), 2u);
  const auto* de = mapping->FindMarketplaceAlias("DE");
  ASSERT_NE(de, nullptr);
  EXPECT_EQ(de->id, MarketplaceId("A1PA6795UKMFR9"));
  EXPECT_EQ(de->fallback_locales, std::vector<std::string>{"en_GB"});
  EXPECT_EQ(mapping->product_types.size(), 3u);
  EXPECT_EQ(mapping->product_types[0].product_type, "SHOES");
  EXPECT_EQ(LookUp(mapping->value_maps.at("color"), "de_DE", "Black"), "Schwarz");
  const AttributeRule* size = nullptr;
  for (const auto& a : mapping->attributes) {
    if (a.amazon == "shirt_size") size = &a;
  }
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(size->fields.size(), 5u);
  EXPECT_EQ(size->level, Level::kChild);
  EXPECT_EQ(size->product_types, std::vector<std::string>{"SHIRT"});
}

TEST(CatalogueMappingFile, ShorthandFieldIsValueAndConstantsKeepTheirType) {
  auto mapping = Parse(R"(
[[product_type]]
name = "shirts"
category = ["Fashion"]
amazon = "SHIRT"

[[attribute]]
amazon = "supplier_declared_has_product_identifier_exemption"
constant = false

[[attribute]]
amazon = "item_name"
localized = true
template = "{brand} {@name}"
)");
  ASSERT_TRUE(mapping) << mapping.error().message;
  ASSERT_EQ(mapping->attributes.size(), 2u);
  const auto& exemption = mapping->attributes[0];
  ASSERT_EQ(exemption.fields.size(), 1u);
  EXPECT_EQ(exemption.fields[0].name, "value");
  EXPECT_EQ(std::get<bool>(*exemption.fields[0].constant), false);
  EXPECT_TRUE(mapping->attributes[1].localized);
  EXPECT_EQ(mapping->attributes[1].fields[0].template_text, "{brand} {@name}");
  EXPECT_EQ(mapping->attributes[1].at.ToString(), "mapping.toml:17");
}

TEST(CatalogueMappingFile, EveryMistakeIsReportedWithItsLine) {
  auto mapping = Parse(R"(
[[product_type]]
name = "shirts"
category = ["Fashion"]
amazon = "SHIRT"
colour = "x"

[[attribute]]
amazon = "color"
from = "color"
value_map = "colours"

[[attribute]]
amazon = "item_name"
template = "{brand} {@nmae}"

[[attribute]]
amazon = "size"
per_marketplace = { FR = "M" }

[[attribute]]
amazon = "brand"
)");
  ASSERT_FALSE(mapping);
  EXPECT_EQ(mapping.error().code, ErrorCode::kConfigError);
  const std::string& m = mapping.error().message;
  EXPECT_NE(m.find("mapping.toml:12: unknown key 'colour' in [[product_type]]"), std::string::npos)
      << m;
  EXPECT_NE(m.find("mapping.toml:14: attribute 'color' uses value map 'colours', which is not "
                   "defined under [value_maps]"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("mapping.toml:19: template of 'item_name' uses unknown built-in '@nmae'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("mapping.toml:23: attribute 'size' names unknown marketplace 'FR'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("mapping.toml:27: attribute 'brand' needs a source"), std::string::npos) << m;
}

TEST(CatalogueMappingFile, TomlSyntaxErrorsHaveALine) {
  auto mapping = Parse("\n[[product_type]\nname = 1\n");
  ASSERT_FALSE(mapping);
  EXPECT_EQ(mapping.error().message.rfind("mapping.toml:8: ", 0), 0u) << mapping.error().message;
}

TEST(CatalogueMappingFile, DuplicateValueMapKeysAndBadTemplatesAreRejected) {
  auto mapping = Parse(R"(
[[product_type]]
name = "shirts"
category = ["Fashion"]
amazon = "SHIRT"

[[attribute]]
amazon = "item_name"
template = "{brand"

[value_maps.color."*"]
Black = "Black"
" black" = "Black"
)");
  ASSERT_FALSE(mapping);
  EXPECT_NE(mapping.error().message.find("unclosed '{' at column 1 of template"), std::string::npos)
      << mapping.error().message;
  EXPECT_NE(mapping.error().message.find("appears twice in value_maps.color.*"), std::string::npos)
      << mapping.error().message;
}

}  // namespace
}  // namespace mb::catalogue

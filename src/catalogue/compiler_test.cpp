#include "catalogue/compiler.hpp"

#include <gtest/gtest.h>

#include "catalogue/catalogue_test_support.hpp"
#include "scayle/scayle_json.hpp"

namespace mb::catalogue {
namespace {

using nlohmann::json;
using testing::Attr;

const TimePoint kNow = TimePoint(std::chrono::milliseconds(1'790'000'000'000));

class CatalogueCompilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadMappingFile(testing::ExampleMappingPath());
    ASSERT_TRUE(loaded) << loaded.error().message;
    mapping_ = *loaded;
    facts_.live_variation_themes = {"COLOR", "SIZE/COLOR", "COLOR/SIZE"};
  }

  CatalogueCompiler Compiler() {
    return CatalogueCompiler(mapping_,
                             [this](const std::string&, const MarketplaceId&) { return &facts_; });
  }
  const MarketplaceSpec& De() { return *mapping_.FindMarketplaceAlias("DE"); }
  const MarketplaceSpec& Us() { return *mapping_.FindMarketplaceAlias("US"); }

  static const CompiledListing& Find(const std::vector<CompiledListing>& listings,
                                     const std::string& sku) {
    for (const auto& l : listings) {
      if (l.sku.value() == sku) return l;
    }
    throw std::runtime_error("no listing " + sku);
  }

  static std::string Problems(const CompiledListing& l) {
    std::string out;
    for (const auto& p : l.problems) out += p.ToString() + "\n";
    return out;
  }

  Mapping mapping_;
  ProductTypeFacts facts_;
};

TEST_F(CatalogueCompilerTest, ShirtFamilyBecomesParentAndChildren) {
  ScayleCatalogue catalogue(testing::FashionCatalogue(), mapping_.parent_sku_prefix);
  auto listings = Compiler().CompileFamily(catalogue, *catalogue.FamilyOf("M100"), De(), kNow);
  ASSERT_EQ(listings.size(), 4u);  // parent + blue M, blue L, black M

  const auto& parent = listings[0];
  EXPECT_EQ(parent.sku, Sku("P-M100"));
  EXPECT_EQ(parent.role, ListingRole::kParent);
  EXPECT_EQ(parent.product_type, "SHIRT");
  EXPECT_TRUE(parent.ok()) << Problems(parent);
  const json& pa = parent.attributes;
  EXPECT_EQ(pa["parentage_level"][0]["value"], "parent");
  EXPECT_FALSE(pa["child_parent_sku_relationship"][0].contains("parent_sku"));
  EXPECT_EQ(pa["variation_theme"], json::parse(R"([{"name":"SIZE/COLOR"}])"));
  EXPECT_EQ(pa["item_name"][0]["value"], "Acme Oxford Hemd");
  EXPECT_FALSE(pa.contains("color"));
  EXPECT_FALSE(pa.contains("externally_assigned_product_identifier"));

  const auto& child = Find(listings, "M100-black-M");
  EXPECT_TRUE(child.ok()) << Problems(child);
  EXPECT_EQ(child.role, ListingRole::kChild);
  EXPECT_EQ(child.parent_sku, Sku("P-M100"));
  const json& a = child.attributes;
  EXPECT_EQ(a["item_name"], json::parse(R"([{"value":"Acme Oxford Hemd Schwarz",
      "language_tag":"de_DE","marketplace_id":"A1PA6795UKMFR9"}])"));
  EXPECT_EQ(a["color"][0]["value"], "Schwarz");
  EXPECT_EQ(a["parentage_level"][0]["value"], "child");
  EXPECT_EQ(a["child_parent_sku_relationship"],
            json::parse(R"([{"child_relationship_type":"variation",
                "marketplace_id":"A1PA6795UKMFR9","parent_sku":"P-M100"}])"));
  EXPECT_EQ(a["shirt_size"], json::parse(R"([{"size_system":"as4","size_class":"alpha","size":"m",
      "body_type":"regular","height_type":"regular","marketplace_id":"A1PA6795UKMFR9"}])"));
  EXPECT_EQ(a["externally_assigned_product_identifier"][0]["type"], "ean");
  EXPECT_EQ(a["externally_assigned_product_identifier"][0]["value"], "4000000010111");
  EXPECT_EQ(a["purchasable_offer"], json::parse(R"([{"currency":"EUR",
      "our_price":[{"schedule":[{"value_with_tax":39.95}]}],"marketplace_id":"A1PA6795UKMFR9"}])"));
  EXPECT_EQ(a["bullet_point"].size(), 2u);
  EXPECT_EQ(a["bullet_point"][1]["value"], "Regular Fit");
  EXPECT_EQ(a["material"][0]["value"], "Baumwolle");
  EXPECT_EQ(a["department"][0]["value"], "Herren");
  EXPECT_EQ(a["target_gender"][0]["value"], "male");
  EXPECT_EQ(a["recommended_browse_nodes"][0]["value"], "1981663031");
  EXPECT_FALSE(a.contains("item_type_keyword"));
  // Images are ordered by SCAYLE position, not by their order in the list.
  EXPECT_EQ(a["main_product_image_locator"][0]["media_location"],
            "https://cdn.example.com/images/m100-black.jpg");
}

TEST_F(CatalogueCompilerTest, UsMarketplaceUsesItsLanguageSizeSystemAndPrice) {
  ScayleCatalogue catalogue(testing::FashionCatalogue(), mapping_.parent_sku_prefix);
  auto l = Compiler().CompileSku(catalogue, Sku("M100-blue-L"), Us(), kNow);
  ASSERT_TRUE(l.ok()) << Problems(l);
  EXPECT_EQ(l.attributes["item_name"][0]["value"], "Acme Oxford Shirt Blue");
  EXPECT_EQ(l.attributes["item_name"][0]["language_tag"], "en_US");
  EXPECT_EQ(l.attributes["shirt_size"][0]["size_system"], "as1");
  EXPECT_EQ(l.attributes["shirt_size"][0]["size"], "l");
  EXPECT_EQ(l.attributes["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"],
            45.0);
  EXPECT_EQ(l.attributes["item_type_keyword"][0]["value"], "dress-shirts");
  EXPECT_FALSE(l.attributes.contains("recommended_browse_nodes"));
}

TEST_F(CatalogueCompilerTest, ShopCountryOverridesAndLocalisedColours) {
  ScayleCatalogue catalogue(testing::FashionCatalogue(), mapping_.parent_sku_prefix);
  auto de = Compiler().CompileSku(catalogue, Sku("S200-white-42"), De(), kNow);
  auto us = Compiler().CompileSku(catalogue, Sku("S200-white-42"), Us(), kNow);
  ASSERT_TRUE(de.ok()) << Problems(de);
  ASSERT_TRUE(us.ok()) << Problems(us);
  EXPECT_EQ(de.product_type, "SHOES");
  EXPECT_EQ(de.attributes["footwear_size"][0]["size"], "numeric_42");
  EXPECT_EQ(de.attributes["footwear_size"][0]["size_system"], "eu_footwear_size_system");
  EXPECT_EQ(us.attributes["footwear_size"][0]["size"], "numeric_9");
  EXPECT_EQ(de.attributes["color"][0]["value"], "Weiß");
  EXPECT_EQ(us.attributes["color"][0]["value"], "White");
  ASSERT_EQ(de.attributes["material"].size(), 2u);
  EXPECT_EQ(de.attributes["material"][1]["value"], "Baumwolle");
}

TEST_F(CatalogueCompilerTest, UnmappedColourIsAProblemNamingValueMapAndLanguage) {
  auto products = testing::FashionCatalogue();
  products[1].attributes = {Attr("color", "simple", "mauve")};
  ScayleCatalogue catalogue(std::move(products), mapping_.parent_sku_prefix);
  auto l = Compiler().CompileSku(catalogue, Sku("M100-black-M"), De(), kNow);
  ASSERT_FALSE(l.ok());
  ASSERT_FALSE(l.problems.empty());
  EXPECT_EQ(l.problems[0].kind, ProblemKind::kUnmappedValue);
  EXPECT_EQ(l.problems[0].attribute, "item_name");
  bool colour = false;
  for (const auto& p : l.problems) {
    if (p.attribute == "color") {
      colour = true;
      EXPECT_EQ(
          p.message.rfind("SCAYLE attribute 'color' has 'mauve', which value map 'color' does "
                          "not translate for de_DE (",
                          0),
          0u)
          << p.message;
    }
  }
  EXPECT_TRUE(colour) << Problems(l);
}

TEST_F(CatalogueCompilerTest, SkuWithoutExactlyOneVariantIsRefused) {
  auto products = testing::FashionCatalogue();
  products[2].variants[1].ref.sku = Sku("M100-blue-M");  // a shoe variant reusing a shirt SKU
  ScayleCatalogue catalogue(std::move(products), mapping_.parent_sku_prefix);
  auto none = Compiler().CompileSku(catalogue, Sku("NOPE-1"), De(), kNow);
  ASSERT_EQ(none.problems.size(), 1u);
  EXPECT_EQ(none.problems[0].kind, ProblemKind::kNoScayleVariant);
  EXPECT_TRUE(none.attributes.empty());
  auto twice = Compiler().CompileSku(catalogue, Sku("M100-blue-M"), De(), kNow);
  ASSERT_EQ(twice.problems.size(), 1u);
  EXPECT_EQ(twice.problems[0].kind, ProblemKind::kDuplicateSku);
  EXPECT_NE(twice.problems[0].message.find("2 SCAYLE variants"), std::string::npos);
  // Inside a family compile the duplicate is refused too, the rest of the family is not.
  auto family = Compiler().CompileFamily(catalogue, *catalogue.FamilyOf("M100"), De(), kNow);
  EXPECT_FALSE(Find(family, "M100-blue-M").ok());
  EXPECT_TRUE(Find(family, "M100-blue-L").ok());
}

TEST_F(CatalogueCompilerTest, NoAllowedThemeAndNoRuleAreProblems) {
  facts_.live_variation_themes = {"COLOR"};
  auto products = testing::FashionCatalogue();
  products[2].category_paths = {{"Home", "Kitchen"}};
  ScayleCatalogue catalogue(std::move(products), mapping_.parent_sku_prefix);
  auto shirt = Compiler().CompileSku(catalogue, Sku("M100-blue-M"), De(), kNow);
  ASSERT_FALSE(shirt.ok());
  EXPECT_EQ(shirt.problems.back().kind, ProblemKind::kNoVariationTheme);
  auto shoe = Compiler().CompileSku(catalogue, Sku("S200-white-42"), De(), kNow);
  ASSERT_EQ(shoe.problems.size(), 1u);
  EXPECT_EQ(shoe.problems[0].kind, ProblemKind::kNoProductType);
  EXPECT_NE(shoe.problems[0].message.find("Home > Kitchen"), std::string::npos);
  // CompileAll leaves out what no rule selects: it is not meant for Amazon.
  auto all = Compiler().CompileAll(catalogue, De(), kNow);
  EXPECT_EQ(all.size(), 4u);
}

TEST_F(CatalogueCompilerTest, ForEachFamilyGivesCompileAllsListingsOneFamilyAtATime) {
  ScayleCatalogue catalogue(testing::FashionCatalogue(), mapping_.parent_sku_prefix);
  std::vector<std::string> each;
  std::vector<std::string> first_of_family;
  Compiler().ForEachFamily(catalogue, De(), kNow, [&](std::vector<CompiledListing>& family) {
    ASSERT_FALSE(family.empty());
    first_of_family.push_back(family[0].sku.value());
    for (const auto& l : family) each.push_back(l.sku.value() + " " + l.attributes.dump());
  });
  std::vector<std::string> all;
  for (const auto& l : Compiler().CompileAll(catalogue, De(), kNow)) {
    all.push_back(l.sku.value() + " " + l.attributes.dump());
  }
  EXPECT_EQ(each, all);
  EXPECT_EQ(first_of_family, (std::vector<std::string>{"P-M100", "P-S200"}));
}

TEST_F(CatalogueCompilerTest, AttributeNamesCoverEveryCompiledAttribute) {
  ScayleCatalogue catalogue(testing::FashionCatalogue(), mapping_.parent_sku_prefix);
  auto names = Compiler().AttributeNames();
  EXPECT_EQ(names.count("variation_theme"), 1u);
  EXPECT_EQ(names.count("parentage_level"), 1u);
  EXPECT_EQ(names.count("child_parent_sku_relationship"), 1u);
  EXPECT_EQ(names.count("color"), 1u);
  size_t checked = 0;
  for (const auto* m : {&De(), &Us()}) {
    for (const auto& l : Compiler().CompileAll(catalogue, *m, kNow)) {
      for (const auto& [name, _] : l.attributes.items()) {
        EXPECT_EQ(names.count(name), 1u) << name;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST_F(CatalogueCompilerTest, SingleVariantMasterIsAStandaloneListing) {
  ScayleCatalogue catalogue({testing::ShirtProduct(30, "red", {"XL"}, 301)}, "P-");
  auto l = Compiler().CompileSku(catalogue, Sku("M100-red-XL"), De(), kNow);
  ASSERT_TRUE(l.ok()) << Problems(l);
  EXPECT_EQ(l.role, ListingRole::kStandalone);
  EXPECT_FALSE(l.attributes.contains("parentage_level"));
  EXPECT_FALSE(l.attributes.contains("variation_theme"));
  EXPECT_EQ(l.attributes["color"][0]["value"], "Rot");
}

TEST_F(CatalogueCompilerTest, MissingRequiredScayleValueNamesTheAttribute) {
  auto products = testing::FashionCatalogue();
  products[0].variants[0].attributes.clear();  // no size
  ScayleCatalogue catalogue(std::move(products), "P-");
  auto l = Compiler().CompileSku(catalogue, Sku("M100-blue-M"), De(), kNow);
  ASSERT_FALSE(l.ok());
  ASSERT_EQ(l.problems.size(), 1u);
  EXPECT_EQ(l.problems[0].kind, ProblemKind::kMissingValue);
  EXPECT_EQ(l.problems[0].attribute, "shirt_size");
  EXPECT_NE(l.problems[0].message.find("no value in SCAYLE for 'size' (de_DE)"), std::string::npos)
      << l.problems[0].message;
}

// The SCAYLE SDK's own product fixture: all six attribute types read through the mapping.
TEST_F(CatalogueCompilerTest, ReadsAllSixAttributeTypesOfTheScayleFixture) {
  json fixture = json::parse(testing::ReadFile(
      std::string(MB_SHARED_DIR) + "/reference/scayle/fixtures/ProductGetResponse.json"));
  auto product = scayle::ParseProduct(fixture);
  ASSERT_TRUE(product) << product.error().message;
  const auto& de = De();
  const ScayleVariant* variant = &product->variants.at(0);
  auto values = [&](const std::string& name, const std::string& member = "") {
    const ScayleAttribute* a = FindAttribute(name, variant, *product);
    EXPECT_NE(a, nullptr) << name;
    return a ? AttributeValues(*a, de, member) : std::vector<json>{};
  };
  EXPECT_EQ(values("size"), std::vector<json>{"M"});                     // simple
  EXPECT_EQ(values("season"), (std::vector<json>{"autumn", "winter"}));  // simpleList
  EXPECT_EQ(values("collection"), std::vector<json>{"einzigartig"});     // localizedString
  EXPECT_EQ(values("color"), (std::vector<json>{"weiß", "schwarz"}));    // localizedStringList
  EXPECT_EQ(values("dimensions", "unit"), std::vector<json>{"cm"});      // advanced
  EXPECT_EQ(values("material", "name"), (std::vector<json>{"wool", "cotton"}));  // advancedList
  EXPECT_EQ(product->category_paths.at(0).back(), "Shirts");
}

}  // namespace
}  // namespace mb::catalogue

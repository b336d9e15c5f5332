#include "catalogue/schema_validator.hpp"

#include <gtest/gtest.h>

#include <map>

#include "catalogue/catalogue_test_support.hpp"

namespace mb::catalogue {
namespace {

using nlohmann::json;
using testing::Attr;

const TimePoint kNow = TimePoint(std::chrono::milliseconds(1'790'000'000'000));
const MarketplaceId kDe("A1PA6795UKMFR9");
const MarketplaceId kUs("ATVPDKIKX0DER");

// Parsing the 1.3 MB schemas takes a moment: once per test binary.
const ProductTypeSchema& Schema(const std::string& file) {
  static std::map<std::string, std::shared_ptr<const ProductTypeSchema>> cache;
  auto& slot = cache[file];
  if (!slot) {
    std::string path = file.find('/') == std::string::npos ? testing::RealSchemaPath(file) : file;
    std::string name = path.substr(path.rfind('/') + 1);
    auto parsed =
        ProductTypeSchema::Parse(testing::ReadFile(path), name.substr(0, name.size() - 5));
    if (!parsed) throw std::runtime_error(parsed.error().message);
    slot = *parsed;
  }
  return *slot;
}

const ProductTypeSchema& Sandbox(const std::string& type, const MarketplaceId& m) {
  return Schema(testing::SandboxSchemaPath(type, m.value()));
}

std::string Describe(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += std::string(InfoFor(p.kind).key) + ": " + p.ToString() + "\n";
  return out;
}

const Problem* FindKind(const std::vector<Problem>& problems, ProblemKind kind) {
  for (const auto& p : problems) {
    if (p.kind == kind) return &p;
  }
  return nullptr;
}

TEST(CatalogueSchemaValidator, VocabularyIsTheMetaSchemasProperties) {
  json meta = json::parse(testing::ReadFile(
      testing::RealSchemaPath("amazon-product-type-definition-meta-schema-v1.json")));
  std::vector<std::string> keys;
  for (const auto& [key, _] : meta["properties"].items()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  auto ours = AmazonVocabularyKeywords();
  std::sort(ours.begin(), ours.end());
  EXPECT_EQ(ours, keys);
  EXPECT_EQ(meta["$id"], std::string(kAmazonMetaSchemaId));
}

TEST(CatalogueSchemaValidator, RejectsDocumentsThatAreNotProductTypeSchemas) {
  EXPECT_EQ(ProductTypeSchema::Parse("{", "x").error().code, ErrorCode::kParseError);
  auto other =
      ProductTypeSchema::Parse(R"({"$schema":"http://json-schema.org/draft-07/schema#"})", "x");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("meta-schema"), std::string::npos);
}

TEST(CatalogueSchemaValidator, LiveVariationThemesLeaveOutDeprecatedOnes) {
  const auto& bracelet = Schema("BRACELET.ATVPDKIKX0DER.json").facts().live_variation_themes;
  EXPECT_EQ(bracelet.size(), 383u - 196u);
  EXPECT_EQ(std::count(bracelet.begin(), bracelet.end(), "COLOR/SIZE"), 0);
  EXPECT_EQ(std::count(bracelet.begin(), bracelet.end(), "COLOR"), 1);
  const auto& home = Schema("HOME.A1PA6795UKMFR9.json").facts().live_variation_themes;
  EXPECT_EQ(home.size(), 166u - 141u);
  EXPECT_EQ(std::count(home.begin(), home.end(), "SIZE/COLOR"), 1);
  const auto& shirt_us = Sandbox("SHIRT", kUs).facts().live_variation_themes;
  EXPECT_EQ(std::count(shirt_us.begin(), shirt_us.end(), "SIZE/COLOR"), 0);
  EXPECT_EQ(std::count(shirt_us.begin(), shirt_us.end(), "SIZE_NAME/COLOR_NAME"), 1);
}

// Compiles a catalogue with `mapping_path` and validates every listing against its schema.
class CompileAndValidate : public ::testing::Test {
 protected:
  void Load(const std::string& mapping_path) {
    auto loaded = LoadMappingFile(mapping_path);
    ASSERT_TRUE(loaded) << loaded.error().message;
    mapping_ = *loaded;
  }

  std::vector<CompiledListing> Run(
      std::vector<ScayleProduct> products, const std::string& alias,
      const std::function<const ProductTypeSchema&(const std::string&, const MarketplaceId&)>&
          schema_of) {
    ScayleCatalogue catalogue(std::move(products), mapping_.parent_sku_prefix);
    CatalogueCompiler compiler(mapping_, [&](const std::string& type, const MarketplaceId& m) {
      return &schema_of(type, m).facts();
    });
    const MarketplaceSpec& m = *mapping_.FindMarketplaceAlias(alias);
    auto listings = compiler.CompileAll(catalogue, m, kNow);
    for (auto& l : listings) ValidateListing(schema_of(l.product_type, m.id), l);
    return listings;
  }

  Mapping mapping_;
};

class FashionTypes : public CompileAndValidate, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override { Load(testing::ExampleMappingPath()); }
  std::vector<CompiledListing> Run(std::vector<ScayleProduct> products) {
    return CompileAndValidate::Run(std::move(products), GetParam(), Sandbox);
  }
};

TEST_P(FashionTypes, ValidFamiliesPass) {
  auto listings = Run(testing::FashionCatalogue());
  ASSERT_EQ(listings.size(), 7u);  // shirt parent + 3, shoe parent + 2
  for (const auto& l : listings) EXPECT_TRUE(l.ok()) << l.sku << "\n" << Describe(l.problems);
}

TEST_P(FashionTypes, MissingRequiredAttributeIsCaught) {
  // The mapping would refuse a missing description first (required = true); the schema's own check
  // is shown by leaving the attribute out of an otherwise compiled listing.
  auto listings = Run(testing::FashionCatalogue());
  auto& l = listings[1];
  l.attributes.erase("product_description");
  l.problems.clear();
  ValidateListing(Sandbox(l.product_type, l.marketplace_id), l);
  const Problem* p = FindKind(l.problems, ProblemKind::kMissingRequired);
  ASSERT_NE(p, nullptr) << Describe(l.problems);
  EXPECT_EQ(p->attribute, "product_description");
  EXPECT_EQ(p->source, ProblemSource::kSchema);
  EXPECT_NE(p->message.find("'product_description' is required by SHIRT."), std::string::npos)
      << p->message;
}

TEST_P(FashionTypes, ValueOutsideTheEnumIsCaught) {
  mapping_.value_maps["apparel_size"].by_language["*"]["m"] = "medium";  // not Amazon's token
  auto listings = Run(testing::FashionCatalogue());
  bool caught = false;
  for (const auto& l : listings) {
    if (l.sku != Sku("M100-blue-M")) continue;
    const Problem* p = FindKind(l.problems, ProblemKind::kValueNotAllowed);
    ASSERT_NE(p, nullptr) << Describe(l.problems);
    EXPECT_EQ(p->attribute, "shirt_size");
    EXPECT_EQ(p->message,
              "shirt_size.size 'medium' is not one of the values the product type allows");
    caught = true;
  }
  EXPECT_TRUE(caught);
}

TEST_P(FashionTypes, TitleTooLongInBytesIsCaught) {
  auto products = testing::FashionCatalogue();
  // 100 characters, 200 bytes in UTF-8; with brand and colour the title passes the character
  // limit and fails the byte limit in both marketplaces.
  std::string long_name;
  for (int i = 0; i < 100; ++i) long_name += "\xC3\xBC";  // ü
  products[0].name = {{"de_DE", long_name}, {"en_GB", long_name}};
  auto listings = Run(std::move(products));
  const CompiledListing* l = nullptr;
  for (const auto& x : listings) {
    if (x.sku == Sku("M100-blue-L")) l = &x;
  }
  ASSERT_NE(l, nullptr);
  const Problem* p = FindKind(l->problems, ProblemKind::kTooLong);
  ASSERT_NE(p, nullptr) << Describe(l->problems);
  EXPECT_EQ(p->attribute, "item_name");
  EXPECT_NE(p->message.find("UTF-8 bytes"), std::string::npos) << p->message;
  EXPECT_NE(p->message.find("at most 200"), std::string::npos) << p->message;
}

TEST_P(FashionTypes, UnmappedColourIsCaughtBeforeTheSchema) {
  auto products = testing::FashionCatalogue();
  products[2].attributes = {Attr("color", "simple", "mauve")};
  auto listings = Run(std::move(products));
  int refused = 0;
  for (const auto& l : listings) {
    if (l.master_key != "S200" || l.role == ListingRole::kParent) continue;
    ++refused;
    const Problem* p = FindKind(l.problems, ProblemKind::kUnmappedValue);
    ASSERT_NE(p, nullptr) << Describe(l.problems);
    EXPECT_NE(p->message.find("'mauve', which value map 'color' does not translate"),
              std::string::npos);
    EXPECT_FALSE(l.ok());
  }
  EXPECT_EQ(refused, 2);
}

INSTANTIATE_TEST_SUITE_P(Marketplaces, FashionTypes, ::testing::Values("DE", "US"));

TEST(CatalogueSchemaValidator, AmazonVocabularyKeywords) {
  const auto& schema = Sandbox("SHIRT", kDe);
  json listing = json::parse(R"({
    "brand": [{"value":"Acme","language_tag":"de_DE","marketplace_id":"A1PA6795UKMFR9"},
              {"value":"Acme2","language_tag":"de_DE","marketplace_id":"A1PA6795UKMFR9"}],
    "child_parent_sku_relationship": [{"child_relationship_type":"variation",
       "marketplace_id":"A1PA6795UKMFR9","parent_sku":""}]
  })");
  auto problems = schema.Validate(Sku("X"), kDe, listing);
  // selectors [marketplace_id, language_tag] + maxUniqueItems 1: two brands for one language.
  const Problem* many = FindKind(problems, ProblemKind::kTooManyValues);
  ASSERT_NE(many, nullptr) << Describe(problems);
  EXPECT_EQ(many->attribute, "brand");
  EXPECT_NE(many->message.find("brand has 2 values for marketplace_id=\"A1PA6795UKMFR9\" "
                               "language_tag=\"de_DE\"; the product type allows 1"),
            std::string::npos)
      << many->message;
  // minUtf8ByteLength 1 on parent_sku.
  bool too_short = false;
  for (const auto& p : problems) {
    too_short |= p.kind == ProblemKind::kTooShort &&
                 p.message.find("is too short: at least 1 UTF-8 bytes, has 0") != std::string::npos;
  }
  EXPECT_TRUE(too_short) << Describe(problems);

  // Different language tags are different unique items.
  json two_languages = json::parse(R"({"brand": [
      {"value":"Acme","language_tag":"de_DE","marketplace_id":"A1PA6795UKMFR9"},
      {"value":"Acme","language_tag":"en_GB","marketplace_id":"A1PA6795UKMFR9"}]})");
  EXPECT_EQ(FindKind(schema.Validate(Sku("X"), kDe, two_languages), ProblemKind::kTooManyValues),
            nullptr);
}

TEST(CatalogueSchemaValidator, EditableFalseValuesMustNotChange) {
  const auto& schema = Sandbox("SHIRT", kDe);
  json mine = json::parse(R"({"brand":[{"value":"Acme Labs","language_tag":"de_DE",
      "marketplace_id":"A1PA6795UKMFR9"}], "color":[{"value":"Blau","language_tag":"de_DE",
      "marketplace_id":"A1PA6795UKMFR9"}]})");
  json theirs = json::parse(R"({"brand":[{"value":"Acme","language_tag":"de_DE",
      "marketplace_id":"A1PA6795UKMFR9"}], "color":[{"value":"Rot","language_tag":"de_DE",
      "marketplace_id":"A1PA6795UKMFR9"}]})");
  auto problems = schema.Validate(Sku("X"), kDe, mine, &theirs);
  std::vector<const Problem*> frozen;
  for (const auto& p : problems) {
    if (p.kind == ProblemKind::kNotEditable) frozen.push_back(&p);
  }
  ASSERT_EQ(frozen.size(), 1u) << Describe(problems);  // brand is frozen, colour is not
  EXPECT_EQ(frozen[0]->attribute, "brand");
  EXPECT_EQ(frozen[0]->message,
            "brand.value cannot change once listed (Amazon has 'Acme', SCAYLE gives 'Acme Labs')");
}

// Amazon's real schemas, through the same compile-and-validate path.
class RealTypes : public CompileAndValidate {
 protected:
  void SetUp() override {
    Load(std::string(MB_SOURCE_DIR) + "/src/catalogue/testdata/real-types-mapping.toml");
  }

  static const ProductTypeSchema& Real(const std::string& type, const MarketplaceId& m) {
    return Schema(type + "." + m.value() + ".json");
  }

  static ScayleProduct Product(int64_t id, std::string key, std::string master,
                               std::vector<std::string> category, std::string color,
                               std::vector<std::string> skus) {
    ScayleProduct p;
    p.id = id;
    p.reference_key = key;
    p.master_reference_key = std::move(master);
    p.name = {{"en_GB", "Charm Bracelet"}, {"de_DE", "Kerzenhalter"}};
    p.category_paths = {std::move(category)};
    p.master_attributes = {
        Attr("brand", "localizedString", {{"en_GB", "Acme"}, {"de_DE", "Acme"}}),
        Attr("description", "localizedString", {{"en_GB", "Handmade."}, {"de_DE", "Handarbeit."}}),
        Attr("material", "advancedList", json::array({{{"name", "silver"}}}))};
    p.attributes = {Attr("color", "simple", color)};
    int64_t n = id * 10;
    for (const auto& sku : skus) {
      ++n;
      p.variants.push_back(testing::Variant(n, sku, "400000000" + std::to_string(1000 + n),
                                            {Attr("size", "simple", "Medium")}));
    }
    return p;
  }

  std::vector<CompiledListing> Run(std::vector<ScayleProduct> products, const std::string& alias) {
    return CompileAndValidate::Run(std::move(products), alias, Real);
  }
};

TEST_F(RealTypes, BraceletFamilyAndProductPassOnAmazonCom) {
  auto listings =
      Run({Product(1, "B1-silver", "B1", {"Fashion", "Jewelry"}, "silver", {"B1-silver-M"}),
           Product(2, "B1-gold", "B1", {"Fashion", "Jewelry"}, "gold", {"B1-gold-M"}),
           Product(3, "X1-blue", "X1", {"Misc"}, "blue", {"X1-blue"})},
          "US");
  ASSERT_EQ(listings.size(), 4u);
  for (const auto& l : listings) EXPECT_TRUE(l.ok()) << l.sku << "\n" << Describe(l.problems);
  EXPECT_EQ(listings[0].product_type, "BRACELET");
  EXPECT_EQ(listings[0].attributes["variation_theme"][0]["name"], "COLOR");
  EXPECT_EQ(listings[3].product_type, "PRODUCT");
}

TEST_F(RealTypes, HomeFamilyPassesOnAmazonDe) {
  auto listings = Run({Product(1, "H1-white", "H1", {"Home"}, "white", {"H1-white"}),
                       Product(2, "H1-blue", "H1", {"Home"}, "blue", {"H1-blue"})},
                      "DE");
  ASSERT_EQ(listings.size(), 3u);
  for (const auto& l : listings) EXPECT_TRUE(l.ok()) << l.sku << "\n" << Describe(l.problems);
  EXPECT_EQ(listings[0].attributes["variation_theme"][0]["name"], "SIZE/COLOR");
  EXPECT_EQ(listings[2].attributes["color"][0]["value"], "Blau");
}

TEST_F(RealTypes, DefectsAreCaughtOnEveryRealType) {
  struct Case {
    std::vector<std::string> category;
    std::string alias;
    std::string type;
  };
  for (const auto& c : {Case{{"Fashion", "Jewelry"}, "US", "BRACELET"},
                        Case{{"Misc"}, "US", "PRODUCT"}, Case{{"Home"}, "DE", "HOME"}}) {
    SCOPED_TRACE(c.type);
    auto ok = Run({Product(1, "A-blue", "A", c.category, "blue", {"A-1"})}, c.alias);
    ASSERT_EQ(ok.size(), 1u);
    ASSERT_TRUE(ok[0].ok()) << Describe(ok[0].problems);
    const auto& schema = Real(c.type, ok[0].marketplace_id);

    json missing = ok[0].attributes;
    missing.erase("brand");
    auto p = schema.Validate(ok[0].sku, ok[0].marketplace_id, missing);
    ASSERT_NE(FindKind(p, ProblemKind::kMissingRequired), nullptr) << Describe(p);
    EXPECT_EQ(FindKind(p, ProblemKind::kMissingRequired)->attribute, "brand");

    json bad_enum = ok[0].attributes;
    bad_enum["condition_type"][0]["value"] = "brand_new";
    p = schema.Validate(ok[0].sku, ok[0].marketplace_id, bad_enum);
    ASSERT_NE(FindKind(p, ProblemKind::kValueNotAllowed), nullptr) << Describe(p);
    EXPECT_EQ(FindKind(p, ProblemKind::kValueNotAllowed)->message,
              "condition_type.value 'brand_new' is not one of the values the product type allows");

    json long_title = ok[0].attributes;
    std::string title;
    // Amazon's real types limit item_name in characters only (66654 US, 200 DE).
    for (int i = 0; i < 70000; ++i) title += "\xC3\xBC";
    long_title["item_name"][0]["value"] = title;
    p = schema.Validate(ok[0].sku, ok[0].marketplace_id, long_title);
    ASSERT_NE(FindKind(p, ProblemKind::kTooLong), nullptr) << Describe(p);
    EXPECT_NE(FindKind(p, ProblemKind::kTooLong)->message.find("characters, has 70000"),
              std::string::npos)
        << Describe(p);

    auto unmapped = Run({Product(1, "A-mauve", "A", c.category, "mauve", {"A-1"})}, c.alias);
    ASSERT_NE(FindKind(unmapped[0].problems, ProblemKind::kUnmappedValue), nullptr);
  }
}

}  // namespace
}  // namespace mb::catalogue

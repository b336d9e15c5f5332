#include "catalogue/definitions_cache.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "catalogue/catalogue_test_support.hpp"
#include "catalogue/stub_amazon_api.hpp"

namespace mb::catalogue {
namespace {

class DefinitionsAmazon : public testing::StubAmazonApi {
 public:
  Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest& request) override {
    ++definition_calls;
    if (!available) return Fail(ErrorCode::kUnavailable, "amazon: 503");
    last = request;
    ProductTypeDefinition d;
    d.product_type = request.product_type;
    d.marketplace_ids = {request.marketplace_id};
    d.schema_url = "https://selling-partner-definitions.example/" + request.product_type;
    d.schema_checksum = SchemaChecksum(schema);
    return d;
  }
  Result<std::string> DownloadSchema(const std::string& url) override {
    urls.push_back(url);
    return corrupt ? schema + " " : schema;
  }

  std::string schema = testing::ReadFile(testing::SandboxSchemaPath("SHIRT", "A1PA6795UKMFR9"));
  bool available = true;
  bool corrupt = false;
  int definition_calls = 0;
  GetProductTypeDefinitionRequest last;
  std::vector<std::string> urls;
};

TEST(CatalogueDefinitionsCache, ChecksumIsBase64Md5) {
  EXPECT_EQ(SchemaChecksum(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ(SchemaChecksum("The quick brown fox jumps over the lazy dog"),
            "nhB9nTcrtoJr2B01QqQZ1g==");
}

TEST(CatalogueDefinitionsCache, DownloadsOnceAndReusesByChecksum) {
  DefinitionsAmazon amazon;
  FakeClock clock(TimePoint(std::chrono::hours(1000)));
  auto dir = std::filesystem::temp_directory_path() /
             ("mb-defs-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
              std::to_string(reinterpret_cast<uintptr_t>(&amazon)));
  std::filesystem::remove_all(dir);
  {
    DefinitionsCache cache(amazon, dir.string(), clock, std::chrono::hours(24));
    EXPECT_EQ(cache.Facts("SHIRT", MarketplaceId("A1PA6795UKMFR9")), nullptr);
    auto first = cache.Get("SHIRT", MarketplaceId("A1PA6795UKMFR9"));
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(amazon.last.requirements, "LISTING");
    EXPECT_EQ(amazon.urls.size(), 1u);
    ASSERT_NE(cache.Facts("SHIRT", MarketplaceId("A1PA6795UKMFR9")), nullptr);
    // Within the refresh period nothing is asked again.
    ASSERT_TRUE(cache.Get("SHIRT", MarketplaceId("A1PA6795UKMFR9")));
    EXPECT_EQ(amazon.definition_calls, 1);
    // After it, the definition is asked again but the unchanged checksum skips the download.
    clock.Advance(std::chrono::hours(25));
    auto again = cache.Get("SHIRT", MarketplaceId("A1PA6795UKMFR9"));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->get(), first->get());
    EXPECT_EQ(amazon.definition_calls, 2);
    EXPECT_EQ(cache.downloads(), 1);
    // Amazon down: the schema already held is used.
    clock.Advance(std::chrono::hours(25));
    amazon.available = false;
    EXPECT_TRUE(cache.Get("SHIRT", MarketplaceId("A1PA6795UKMFR9")));
    EXPECT_FALSE(cache.Get("SHOES", MarketplaceId("A1PA6795UKMFR9")));
    amazon.available = true;
  }
  // A new process finds the schema on disk under its checksum: no download.
  DefinitionsCache restarted(amazon, dir.string(), clock, std::chrono::hours(24));
  ASSERT_TRUE(restarted.Get("SHIRT", MarketplaceId("A1PA6795UKMFR9")));
  EXPECT_EQ(restarted.downloads(), 0);
  EXPECT_EQ(amazon.urls.size(), 1u);
  std::filesystem::remove_all(dir);
}

TEST(CatalogueDefinitionsCache, CorruptDownloadIsRejected) {
  DefinitionsAmazon amazon;
  amazon.corrupt = true;
  FakeClock clock(TimePoint(std::chrono::hours(1000)));
  DefinitionsCache cache(amazon, "", clock, std::chrono::hours(24));
  auto schema = cache.Get("SHIRT", MarketplaceId("A1PA6795UKMFR9"));
  ASSERT_FALSE(schema);
  EXPECT_EQ(schema.error().code, ErrorCode::kMalformedResponse);
  EXPECT_NE(schema.error().message.find("does not match its checksum"), std::string::npos);
}

}  // namespace
}  // namespace mb::catalogue

// Catalogue alignment end to end: the engine's SP-API and SCAYLE clients against the sandbox's
// emulated Amazon (Listings, Feeds), SCAYLE (catalogue) and Product Type Definitions API, with the
// example mapping. A valid family is listed; a SKU without a SCAYLE variant is refused; a deleted
// SCAYLE variant is delisted; drift is found both ways.
#include <gtest/gtest.h>

#include <memory>

#include "amazon/lwa_token_provider.hpp"
#include "amazon/rate_governor.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_client.hpp"
#include "catalogue/catalogue_test_support.hpp"
#include "catalogue/scayle_seed_test_support.hpp"
#include "http/curl_http_client.hpp"
#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"
#include "sandbox/catalogue/definitions_api.hpp"
#include "sandbox/scayle/api_router.hpp"
#include "sandbox/scayle/scayle_server.hpp"
#include "scayle/scayle_admin_api.hpp"
#include "scayle/scayle_client.hpp"
#include "store/sqlite_catalogue_store.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"
#include "sync/catalogue_sync.hpp"

namespace mb {
namespace {

using nlohmann::json;
namespace sbx_amazon = sandbox::amazon;
namespace sbx_scayle = sandbox::scayle;

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";
constexpr const char* kUs = "ATVPDKIKX0DER";

// The engine's SP-API stack against one base URL (the emulated SP-API, or the definitions API).
struct SpApi {
  SpApi(HttpClient& http, const Clock& clock, const std::string& lwa_endpoint,
        const sbx_amazon::LwaApplication& app, const std::string& refresh_token,
        const std::string& endpoint)
      : lwa(http, clock, {lwa_endpoint, app.client_id, app.client_secret, refresh_token}),
        governor(clock),
        client(http, lwa, governor, clock, Settings(endpoint)),
        api(client, governor, "eu") {}
  static amazon::SpApiSettings Settings(const std::string& endpoint) {
    amazon::SpApiSettings s;
    s.endpoint = endpoint;
    s.seller_id = kSeller;
    s.timeout = std::chrono::seconds(10);
    return s;
  }
  amazon::LwaTokenProvider lwa;
  amazon::RateGovernor governor;
  amazon::SpApiClient client;
  amazon::SpApiAmazonApi api;
};

class CatalogueE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SeedScayle();
    amazon_server_ = std::make_unique<sbx_amazon::AmazonServer>(amazon_world_,
                                                                sbx_amazon::AmazonServerOptions{});
    amazon_server_->Start();
    scayle_server_ = std::make_unique<sbx_scayle::ScayleServer>(scayle_world_);
    ASSERT_TRUE(scayle_server_->Start());
    definitions_server_ = std::make_unique<sandbox::catalogue::DefinitionsServer>(product_types_);
    definitions_server_->Start();

    std::string lwa = amazon_server_->base_url() + "/auth/o2/token";
    const auto& app = amazon_server_->lwa_application();
    std::string refresh = amazon_world_.config().sellers.front().refresh_token;
    listings_ =
        std::make_unique<SpApi>(*http_, clock_, lwa, app, refresh, amazon_server_->base_url());
    definitions_api_ =
        std::make_unique<SpApi>(*http_, clock_, lwa, app, refresh, definitions_server_->base_url());
    scayle::ScayleSettings scayle_settings;
    scayle_settings.endpoint =
        "http://127.0.0.1:" + std::to_string(scayle_server_->port()) + sbx_scayle::kApiBase;
    scayle_settings.access_token = scayle_server_->config().access_token;
    scayle_ = std::make_unique<scayle::ScayleClient>(*http_, scayle_settings);
    scayle_api_ = std::make_unique<scayle::ScayleAdminApi>(*scayle_);

    auto mapping = catalogue::LoadMappingFile(catalogue::testing::ExampleMappingPath());
    ASSERT_TRUE(mapping) << mapping.error().message;
    mapping_ = *mapping;
    db_ = std::make_shared<store::SqliteDatabase>(":memory:");
    ASSERT_TRUE(db_->Migrate(store::AllSqliteMigrations(), clock_.Now()));
    state_ = std::make_unique<store::SqliteStateStore>(db_);
    catalogue_store_ = std::make_unique<store::SqliteCatalogueStore>(db_);
    exceptions_ = std::make_unique<ExceptionRegistry>(*state_, clock_, nullptr);
    definitions_ = std::make_unique<catalogue::DefinitionsCache>(definitions_api_->api, "", clock_,
                                                                 std::chrono::hours(24));
    sync::CatalogueSyncSettings settings;
    settings.seller_id = kSeller;
    settings.issue_locale = "en_US";
    sync_ = std::make_unique<sync::CatalogueSync>(mapping_, listings_->api, *scayle_api_,
                                                  *definitions_, *catalogue_store_, *state_,
                                                  exceptions_.get(), clock_, settings);
  }

  void TearDown() override {
    // Close the engine's pooled keep-alive connections first: a server waits for them on Stop().
    sync_.reset();
    definitions_.reset();
    scayle_api_.reset();
    scayle_.reset();
    definitions_api_.reset();
    listings_.reset();
    http_.reset();
    definitions_server_->Stop();
    scayle_server_->Stop();
    amazon_server_->Stop();
  }

  void SeedScayle() {
    catalogue::testing::SeedShirtFamily(scayle_world_, clock_start_,
                                        {{"blue", {"M", "L"}}, {"black", {"M", "L"}}});
  }

  std::vector<RaisedException> Open(ExceptionType type) {
    ExceptionFilter f;
    f.open_only = true;
    f.type = type;
    return *exceptions_->List(f);
  }
  sync::CatalogueRunReport Run() {
    auto report = sync_->Run({});
    EXPECT_TRUE(report) << report.error().message;
    if (!report) return {};
    for (const auto& e : report->errors) ADD_FAILURE() << e;
    return *report;
  }
  std::optional<sbx_amazon::Listing> OnAmazon(const std::string& sku, const char* marketplace) {
    return amazon_world_.GetListing(kSeller,
                                    std::string(marketplace) == kDe
                                        ? sbx_amazon::Region::kEurope
                                        : sbx_amazon::Region::kNorthAmerica,
                                    sku);
  }

  sandbox::SimTime clock_start_ = *sbx_amazon::ParseIso("2026-11-20T10:00:00Z");
  // Real-time clocks on both sides: the rate limiters' buckets refill as on the real services.
  sandbox::SimClock sim_clock_{clock_start_, 1.0};
  sbx_amazon::AmazonWorld amazon_world_{sim_clock_, {}};
  sbx_scayle::ScayleWorld scayle_world_{sim_clock_};
  sandbox::catalogue::ProductTypeCatalogue product_types_;
  std::unique_ptr<sbx_amazon::AmazonServer> amazon_server_;
  std::unique_ptr<sbx_scayle::ScayleServer> scayle_server_;
  std::unique_ptr<sandbox::catalogue::DefinitionsServer> definitions_server_;

  SystemClock clock_;
  std::unique_ptr<http::CurlHttpClient> http_ = std::make_unique<http::CurlHttpClient>();
  std::unique_ptr<SpApi> listings_;
  std::unique_ptr<SpApi> definitions_api_;
  std::unique_ptr<scayle::ScayleClient> scayle_;
  std::unique_ptr<scayle::ScayleAdminApi> scayle_api_;
  catalogue::Mapping mapping_;
  std::shared_ptr<store::SqliteDatabase> db_;
  std::unique_ptr<store::SqliteStateStore> state_;
  std::unique_ptr<store::SqliteCatalogueStore> catalogue_store_;
  std::unique_ptr<ExceptionRegistry> exceptions_;
  std::unique_ptr<catalogue::DefinitionsCache> definitions_;
  std::unique_ptr<sync::CatalogueSync> sync_;
};

TEST_F(CatalogueE2eTest, ValidFamilyIsListedInBothMarketplaces) {
  auto report = Run();
  EXPECT_EQ(report.families, 1);
  EXPECT_EQ(report.listings, 10);  // parent + 4 children, DE and US
  EXPECT_EQ(report.refused, 0) << report.problems.size();
  for (const auto& p : report.problems) ADD_FAILURE() << p.ToString();
  EXPECT_EQ(report.submitted, 10);
  auto parent = OnAmazon("P-M100", kDe);
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->product_type, "SHIRT");
  EXPECT_EQ(parent->attributes["parentage_level"][0]["value"], "parent");
  EXPECT_EQ(parent->attributes["variation_theme"][0]["name"], "SIZE/COLOR");
  auto child = OnAmazon("M100-black-L", kDe);
  ASSERT_TRUE(child);
  EXPECT_EQ(child->attributes["child_parent_sku_relationship"][0]["parent_sku"], "P-M100");
  EXPECT_EQ(child->attributes["color"][0]["value"], "Schwarz");
  auto us_child = OnAmazon("M100-black-L", kUs);
  ASSERT_TRUE(us_child);
  // amazon.com retires SIZE/COLOR in the sandbox's SHIRT: the mapping's second choice is used.
  EXPECT_EQ(us_child->attributes["variation_theme"][0]["name"], "SIZE_NAME/COLOR_NAME");
  EXPECT_EQ(us_child->attributes["shirt_size"][0]["size_system"], "as1");
  // One schema download per product type and marketplace, none on the next run.
  int downloads = definitions_server_->requests();
  auto again = Run();
  EXPECT_EQ(again.submitted, 0);
  EXPECT_EQ(again.unchanged, 10);
  EXPECT_EQ(definitions_server_->requests(), downloads);
  EXPECT_EQ(definitions_->downloads(), 2);
}

TEST_F(CatalogueE2eTest, SkuWithoutAScayleVariantIsRefused) {
  auto preview = sync_->Preview(Sku("M100-green-M"), MarketplaceId(kDe));
  ASSERT_TRUE(preview) << preview.error().message;
  EXPECT_FALSE(preview->ok());
  ASSERT_EQ(preview->problems.size(), 1u);
  EXPECT_EQ(preview->problems[0].kind, catalogue::ProblemKind::kNoScayleVariant);
  EXPECT_TRUE(preview->attributes.empty());
  Run();
  EXPECT_FALSE(OnAmazon("M100-green-M", kDe));
}

TEST_F(CatalogueE2eTest, DeletedScayleVariantIsDelisted) {
  Run();
  ASSERT_TRUE(OnAmazon("M100-blue-L", kDe));
  ASSERT_TRUE(OnAmazon("M100-black-M", kDe));
  // Webhook path: SCAYLE deletes the variant and says so.
  auto blue_l = scayle_world_.FindVariant(*sbx_scayle::ParseIdentifier("key=M100-blue-L"));
  ASSERT_TRUE(blue_l);
  ASSERT_TRUE(scayle_world_.DeleteVariant(*sbx_scayle::ParseIdentifier("key=M100-blue-L")));
  ScayleWebhookEvent event;
  event.key = "evt-delete-1";
  event.name = "product-variant-deleted";
  event.variant = ScayleVariantRef{blue_l->id, Sku("M100-blue-L")};
  auto follow = sync_->OnScayleEvent(event);
  ASSERT_TRUE(follow) << follow.error().message;
  EXPECT_FALSE(OnAmazon("M100-blue-L", kDe));
  EXPECT_FALSE(OnAmazon("M100-blue-L", kUs));
  // Full-read path: a deletion whose webhook never arrived.
  ASSERT_TRUE(scayle_world_.DeleteVariant(*sbx_scayle::ParseIdentifier("key=M100-black-M")));
  auto report = Run();
  EXPECT_EQ(report.delisted, 2);
  EXPECT_FALSE(OnAmazon("M100-black-M", kDe));
  EXPECT_TRUE(report.amazon_only.empty());
  EXPECT_TRUE(OnAmazon("M100-black-L", kDe));
}

TEST_F(CatalogueE2eTest, DriftIsDetectedBothWays) {
  Run();
  // Amazon side: a listing SCAYLE does not have, and an attribute edited in Seller Central.
  json stray = {
      {"productType", "SHIRT"},
      {"requirements", "LISTING_OFFER_ONLY"},
      {"attributes",
       {{"purchasable_offer",
         json::array(
             {{{"marketplace_id", kDe},
               {"currency", "EUR"},
               {"our_price",
                json::array({{{"schedule", json::array({{{"value_with_tax", 9.99}}})}}})}}})}}}};
  ASSERT_TRUE(amazon_world_.PutListing(kSeller, kDe, "OLD-SHIRT-1", stray, false));
  json patch = {{"productType", "SHIRT"},
                {"patches", json::array({{{"op", "replace"},
                                          {"path", "/attributes/color"},
                                          {"value", json::array({{{"value", "Rot"},
                                                                  {"language_tag", "de_DE"},
                                                                  {"marketplace_id", kDe}}})}}})}};
  ASSERT_TRUE(amazon_world_.PatchListing(kSeller, kDe, "M100-blue-M", patch, false));
  // SCAYLE side: a new variant for Amazon that cannot be listed (no value-map entry for its size).
  sbx_scayle::Product p;
  p.reference_key = "M100-white";
  p.master_key = "M100";
  p.name = {{"de_DE", "Oxford Hemd"}, {"en_GB", "Oxford Shirt"}};
  p.attributes = {catalogue::testing::ScayleAttr("color", "simple", "white")};
  sbx_scayle::Variant v;
  v.reference_key = "M100-white-5XL";
  v.ean = "4000000030001";
  v.attributes = {catalogue::testing::ScayleAttr("size", "simple", "5XL")};
  scayle_world_.AddProduct(p, {v});

  auto report = Run();
  ASSERT_EQ(report.amazon_only.size(), 1u);
  EXPECT_EQ(report.amazon_only[0], Sku("OLD-SHIRT-1"));
  ASSERT_EQ(Open(ExceptionType::kUnmappedSku).size(), 1u);
  EXPECT_EQ(Open(ExceptionType::kUnmappedSku)[0].dedup_key, "OLD-SHIRT-1");
  std::set<Sku> unlisted(report.scayle_unlisted.begin(), report.scayle_unlisted.end());
  EXPECT_TRUE(unlisted.count(Sku("M100-white-5XL")));
  EXPECT_FALSE(OnAmazon("M100-white-5XL", kDe));
  bool size_problem = false;
  for (const auto& e : Open(ExceptionType::kListingInvalid)) {
    size_problem |= e.dedup_key == "M100-white-5XL@A1PA6795UKMFR9" &&
                    e.message.find("'5XL'") != std::string::npos;
  }
  EXPECT_TRUE(size_problem);
  ASSERT_EQ(report.attribute_drift.size(), 1u);
  EXPECT_EQ(report.attribute_drift[0].sku, Sku("M100-blue-M"));
  EXPECT_EQ(report.attribute_drift[0].attributes, std::vector<std::string>{"color"});
  // SCAYLE is the master: Amazon shows SCAYLE's colour again.
  EXPECT_EQ(OnAmazon("M100-blue-M", kDe)->attributes["color"][0]["value"], "Blau");
}

}  // namespace
}  // namespace mb

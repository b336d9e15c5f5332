// `marketbridge catalogue preview | check | push --dry-run` as the ecommerce team runs them: the
// binary, configured like production, against the sandbox's Amazon (Listings, and the Product
// Type Definitions API on the same host) and SCAYLE on loopback, with the example mapping.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/cli_test_support.hpp"
#include "catalogue/scayle_seed_test_support.hpp"
#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"
#include "sandbox/catalogue/product_types.hpp"
#include "sandbox/scayle/api_router.hpp"
#include "sandbox/scayle/scayle_server.hpp"

namespace mb::app {
namespace {

using nlohmann::json;
namespace sbx_amazon = sandbox::amazon;
namespace sbx_scayle = sandbox::scayle;

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";

using testing::CliRun;

class CatalogueCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mb-catalogue-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    SeedScayle();
    sbx_amazon::AmazonServerOptions options;
    options.product_types = &product_types_;
    amazon_ = std::make_unique<sbx_amazon::AmazonServer>(amazon_world_, options);
    amazon_->Start();
    scayle_ = std::make_unique<sbx_scayle::ScayleServer>(scayle_world_);
    ASSERT_TRUE(scayle_->Start());

    // Secrets come from the environment, as in production (docs/config.md).
    const auto& app = amazon_->lwa_application();
    env_ = "MB_TEST_LWA_SECRET='" + app.client_secret + "' MB_TEST_LWA_REFRESH='" +
           amazon_world_.config().sellers.front().refresh_token + "' MB_TEST_SCAYLE_TOKEN='" +
           scayle_->config().access_token + "' ";
    config_ = (dir_ / "mb.toml").string();
    std::ofstream(config_) << "[store]\nsqlite_path = \"" << (dir_ / "mb.db").string() << "\"\n"
                           << "[amazon]\nendpoint = \"" << amazon_->base_url() << "\"\n"
                           << "lwa_endpoint = \"" << amazon_->base_url() << "/auth/o2/token\"\n"
                           << "lwa_client_id = \"" << app.client_id << "\"\n"
                           << "lwa_client_secret = \"env:MB_TEST_LWA_SECRET\"\n"
                           << "lwa_refresh_token = \"env:MB_TEST_LWA_REFRESH\"\n"
                           << "seller_id = \"" << kSeller << "\"\n"
                           << "[scayle]\nendpoint = \"http://127.0.0.1:" << scayle_->port()
                           << sbx_scayle::kApiBase
                           << "\"\naccess_token = \"env:MB_TEST_SCAYLE_TOKEN\"\n"
                           << "[catalogue]\nmapping_file = \"" << MB_SOURCE_DIR
                           << "/config/catalogue-mapping.example.toml\"\n"
                           << "definitions_cache_dir = \"" << (dir_ / "definitions").string()
                           << "\"\n"
                           << "issue_locale = \"en_US\"\n";
  }

  void TearDown() override {
    scayle_->Stop();
    amazon_->Stop();
    std::filesystem::remove_all(dir_);
  }

  // SCAYLE: shirt M100 in blue M and L, and in white 5XL, a size the mapping's size map lacks.
  void SeedScayle() {
    catalogue::testing::SeedShirtFamily(scayle_world_, clock_start_,
                                        {{"blue", {"M", "L"}}, {"white", {"5XL"}}});
  }

  // `json_output`: standard output only (the logs go to standard error).
  CliRun Marketbridge(const std::string& args, bool json_output = false) {
    return testing::RunMarketbridge("-c " + config_ + " " + args, env_,
                                    json_output ? "2>/dev/null" : "2>&1");
  }

  // The command's JSON (its standard output); a failure naming the output when it is not JSON.
  static json Parse(const CliRun& run) {
    json j = json::parse(run.output, nullptr, false);
    if (j.is_discarded()) ADD_FAILURE() << "not JSON:\n" << run.output;
    return j;
  }

  std::optional<sbx_amazon::Listing> OnAmazon(const std::string& sku) {
    return amazon_world_.GetListing(kSeller, sbx_amazon::Region::kEurope, sku);
  }

  std::filesystem::path dir_;
  std::string config_;
  std::string env_;
  sandbox::SimTime clock_start_ = *sbx_amazon::ParseIso("2026-11-20T10:00:00Z");
  sandbox::SimClock sim_clock_{clock_start_, 1.0};
  sbx_amazon::AmazonWorld amazon_world_{sim_clock_, {}};
  sbx_scayle::ScayleWorld scayle_world_{sim_clock_};
  sandbox::catalogue::ProductTypeCatalogue product_types_;
  std::unique_ptr<sbx_amazon::AmazonServer> amazon_;
  std::unique_ptr<sbx_scayle::ScayleServer> scayle_;
};

TEST_F(CatalogueCliTest, PreviewShowsTheCompiledListingOrWhyItCannotBeListed) {
  auto valid = Marketbridge("catalogue preview M100-blue-M --marketplace DE --json", true);
  ASSERT_EQ(valid.exit_code, 0) << valid.output;
  json listing = Parse(valid);
  EXPECT_EQ(listing["sku"], "M100-blue-M");
  EXPECT_EQ(listing["marketplace"], kDe);
  EXPECT_EQ(listing["product_type"], "SHIRT");
  EXPECT_EQ(listing["role"], "child");
  EXPECT_EQ(listing["parent_sku"], "P-M100");
  EXPECT_TRUE(listing["valid"]);
  EXPECT_EQ(listing["problems"], json::array());
  EXPECT_EQ(listing["attributes"]["color"][0]["value"], "Blau");
  EXPECT_EQ(listing["attributes"]["shirt_size"][0]["size"], "m");

  auto text = Marketbridge("catalogue preview M100-blue-M -m DE");
  EXPECT_EQ(text.exit_code, 0) << text.output;
  EXPECT_EQ(text.output.rfind("M100-blue-M [A1PA6795UKMFR9] SHIRT child: VALID\n", 0), 0u)
      << text.output;

  auto unmapped = Marketbridge("catalogue preview M100-white-5XL -m DE");
  EXPECT_EQ(unmapped.exit_code, 1) << unmapped.output;
  EXPECT_NE(unmapped.output.find("SHIRT child: NOT LISTABLE"), std::string::npos)
      << unmapped.output;
  EXPECT_NE(unmapped.output.find("unmapped_value"), std::string::npos) << unmapped.output;
  EXPECT_NE(unmapped.output.find("'5XL'"), std::string::npos) << unmapped.output;
  EXPECT_NE(unmapped.output.find("fix: "), std::string::npos) << unmapped.output;

  auto unknown = Marketbridge("catalogue preview NOPE-1 -m DE");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("no_scayle_variant"), std::string::npos) << unknown.output;
  auto bad_marketplace = Marketbridge("catalogue preview M100-blue-M -m JP");
  EXPECT_EQ(bad_marketplace.exit_code, 2) << bad_marketplace.output;
  EXPECT_NE(bad_marketplace.output.find("marketplace 'JP' is not in"), std::string::npos)
      << bad_marketplace.output;
  EXPECT_FALSE(OnAmazon("M100-blue-M"));  // preview writes nothing to Amazon
}

TEST_F(CatalogueCliTest, CheckCountsProblemsAndDriftWithoutWriting) {
  auto check = Marketbridge("catalogue check --json", true);
  EXPECT_EQ(check.exit_code, 1) << check.output;  // one variant cannot be listed
  json report = Parse(check);
  EXPECT_EQ(report["families"], 1);
  EXPECT_EQ(report["listings"], 8);  // parent + 3 children, DE and US
  EXPECT_EQ(report["refused"], 2);   // M100-white-5XL in both marketplaces
  EXPECT_EQ(report["problems_by_kind"]["unmapped_value"], 2);
  EXPECT_EQ(report["submitted"], 6);  // would be: check is a dry run
  EXPECT_EQ(report["amazon_only"], json::array());
  EXPECT_EQ(report["errors"], json::array());

  auto text = Marketbridge("catalogue check");
  EXPECT_NE(text.output.find("1 SCAYLE families for Amazon, 8 listings: 6 valid, 2 refused; 6 "
                             "would be submitted"),
            std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("problems by kind:\n  unmapped_value: 2\n"), std::string::npos)
      << text.output;
  EXPECT_FALSE(OnAmazon("P-M100"));
  EXPECT_FALSE(OnAmazon("M100-blue-M"));
}

TEST_F(CatalogueCliTest, PushDryRunSubmitsNothingAndPushDoes) {
  auto dry = Marketbridge("catalogue push --dry-run");
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("6 would be submitted, 0 unchanged, 0 would be delisted"),
            std::string::npos)
      << dry.output;
  EXPECT_FALSE(OnAmazon("P-M100"));
  EXPECT_FALSE(OnAmazon("M100-blue-L"));
  // A dry run raises nothing either.
  auto exceptions = Marketbridge("exceptions --team ecommerce --open");
  EXPECT_EQ(exceptions.output.find("listing_invalid"), std::string::npos) << exceptions.output;

  auto push = Marketbridge("catalogue push --json", true);
  EXPECT_EQ(push.exit_code, 0) << push.output;
  EXPECT_EQ(Parse(push)["submitted"], 6);
  // The sandbox's Listings API checked them against the same SHIRT schema and took them.
  auto parent = OnAmazon("P-M100");
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->attributes["parentage_level"][0]["value"], "parent");
  ASSERT_TRUE(OnAmazon("M100-blue-L"));
  EXPECT_FALSE(OnAmazon("M100-white-5XL"));
  auto raised = Marketbridge("exceptions --team ecommerce --open");
  EXPECT_NE(raised.output.find("listing_invalid"), std::string::npos) << raised.output;

  auto again = Marketbridge("catalogue push --dry-run");
  EXPECT_NE(again.output.find("0 would be submitted, 6 unchanged"), std::string::npos)
      << again.output;
}

}  // namespace
}  // namespace mb::app

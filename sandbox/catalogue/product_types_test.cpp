#include "sandbox/catalogue/product_types.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include "sandbox/catalogue/definitions_api.hpp"
#include "sandbox/catalogue/product_types_test_support.hpp"

namespace sandbox::catalogue {
namespace {

using nlohmann::json;

using testing::Catalogue;
using testing::kDe;
using testing::kUs;
using testing::ValidShirtChild;

TEST(SandboxProductTypes, ServesShirtAndShoesInTwoMarketplaces) {
  for (const char* type : {"SHIRT", "SHOES"}) {
    for (const char* mp : {kDe, kUs}) {
      EXPECT_TRUE(Catalogue().Has(type, mp)) << type << " " << mp;
      json schema = json::parse(Catalogue().SchemaText(type, mp));
      EXPECT_EQ(schema["$schema"],
                "https://schemas.amazon.com/selling-partners/definitions/product-types/"
                "meta-schema/v1");
      EXPECT_EQ(schema["$defs"]["marketplace_id"]["default"], mp);
    }
  }
  EXPECT_FALSE(Catalogue().Has("LUGGAGE", kDe));
}

TEST(SandboxProductTypes, DefinitionFollowsTheModel) {
  json d = Catalogue().Definition("SHIRT", kDe, "http://127.0.0.1:1", "LISTING", "DEFAULT");
  EXPECT_EQ(d["productType"], "SHIRT");
  EXPECT_EQ(d["marketplaceIds"], json::array({kDe}));
  EXPECT_EQ(d["schema"]["link"]["resource"],
            "http://127.0.0.1:1/_sandbox/catalogue/schemas/SHIRT.A1PA6795UKMFR9.json");
  EXPECT_EQ(d["schema"]["checksum"], Catalogue().Checksum("SHIRT", kDe));
  EXPECT_EQ(d["schema"]["checksum"].get<std::string>().size(), 24u);  // base64 of 16 bytes
  EXPECT_TRUE(d["productTypeVersion"]["latest"]);
  auto offer = d["propertyGroups"]["offer"]["propertyNames"];
  EXPECT_NE(std::find(offer.begin(), offer.end(), "purchasable_offer"), offer.end());
  EXPECT_EQ(Catalogue().Search({"shi"}, kUs)["productTypes"][0]["name"], "SHIRT");
}

TEST(SandboxProductTypes, ValidChildPassesInBothMarketplaces) {
  EXPECT_EQ(Catalogue().Check("SHIRT", kDe, ValidShirtChild(kDe, "de_DE"), "LISTING", ""),
            json::array());
  json us = ValidShirtChild(kUs, "en_US");
  us["shirt_size"][0]["size_system"] = "as1";
  EXPECT_EQ(Catalogue().Check("SHIRT", kUs, us, "LISTING", "en_US"), json::array());
}

TEST(SandboxProductTypes, IssuesAreLocalisedButCodesAreNot) {
  json listing = ValidShirtChild(kDe, "de_DE");
  listing.erase("color");
  json de = Catalogue().Check("SHIRT", kDe, listing, "LISTING", "");
  ASSERT_EQ(de.size(), 1u) << de.dump();
  EXPECT_EQ(de[0]["code"], "90220");
  EXPECT_EQ(de[0]["message"], "'color' ist erforderlich, wurde aber nicht angegeben.");
  EXPECT_EQ(de[0]["attributeNames"], json::array({"color"}));
  json en = Catalogue().Check("SHIRT", kDe, listing, "LISTING", "en_US");
  EXPECT_EQ(en[0]["code"], "90220");
  EXPECT_EQ(en[0]["message"], "'color' is required but not supplied.");
}

TEST(SandboxProductTypes, AmazonVocabularyAndEnumsAreChecked) {
  json listing = ValidShirtChild(kDe, "de_DE");
  std::string title;
  for (int i = 0; i < 120; ++i) title += "\xC3\xA4";  // 120 characters, 240 bytes
  listing["item_name"][0]["value"] = title;
  listing["target_gender"][0]["value"] = "men";
  listing["brand"].push_back(listing["brand"][0]);
  json issues = Catalogue().Check("SHIRT", kDe, listing, "LISTING", "en_US");
  std::set<std::string> attributes;
  for (const auto& i : issues) attributes.insert(i["attributeNames"][0]);
  EXPECT_EQ(attributes, (std::set<std::string>{"item_name", "target_gender", "brand"}))
      << issues.dump();
}

TEST(SandboxProductTypes, OfferOnlySubmissionsCheckOnlyTheOffer) {
  json offer = {
      {"purchasable_offer",
       json::array(
           {{{"marketplace_id", kDe},
             {"currency", "EUR"},
             {"our_price",
              json::array({{{"schedule", json::array({{{"value_with_tax", 24.95}}})}}})}}})}};
  EXPECT_EQ(Catalogue().Check("SHIRT", kDe, offer, "LISTING_OFFER_ONLY", ""), json::array());
  EXPECT_NE(Catalogue().Check("SHIRT", kDe, offer, "LISTING", ""), json::array());
}

TEST(SandboxProductTypes, DefinitionsServerServesDefinitionAndSchemaLink) {
  DefinitionsServer server(Catalogue());
  server.Start();
  httplib::Client client("127.0.0.1", std::stoi(server.base_url().substr(17)));
  client.set_read_timeout(5, 0);
  auto denied =
      client.Get("/definitions/2020-09-01/productTypes/SHIRT?marketplaceIds=" + std::string(kDe));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
  httplib::Headers auth = {{"x-amz-access-token", "Atza|sandbox"}};
  auto res = client.Get(
      ("/definitions/2020-09-01/productTypes/SHOES?marketplaceIds=" + std::string(kUs)).c_str(),
      auth);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json d = json::parse(res->body);
  std::string link = d["schema"]["link"]["resource"];
  auto schema = client.Get(link.substr(server.base_url().size()).c_str());
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->status, 200);
  EXPECT_EQ(schema->body, Catalogue().SchemaText("SHOES", kUs));
  auto missing = client.Get("/definitions/2020-09-01/productTypes/LUGGAGE?marketplaceIds=X", auth);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  server.Stop();
}

}  // namespace
}  // namespace sandbox::catalogue

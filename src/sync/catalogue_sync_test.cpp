#include "sync/catalogue_sync.hpp"

#include <gtest/gtest.h>

#include "catalogue/catalogue_test_support.hpp"
#include "catalogue/stub_amazon_api.hpp"
#include "store/sqlite_catalogue_store.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_state_store.hpp"

namespace mb::sync {
namespace {

using nlohmann::json;
namespace ct = catalogue::testing;

// Amazon with an in-memory listing table per marketplace, the sandbox's product types, and a
// JSON_LISTINGS_FEED that finishes at once.
class FakeAmazon : public ct::StubAmazonApi {
 public:
  struct Stored {
    std::string product_type;
    json attributes;
  };
  std::map<std::pair<std::string, std::string>, Stored> listings;  // (marketplace, sku)
  std::vector<std::string> calls;
  std::set<std::string> reject;  // SKUs Amazon answers INVALID for (in German)
  std::vector<std::string> feed_documents;

  Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest& r) override {
    ProductTypeDefinition d;
    d.product_type = r.product_type;
    d.schema_url = ct::SandboxSchemaPath(r.product_type, r.marketplace_id.value());
    d.schema_checksum = catalogue::SchemaChecksum(ct::ReadFile(d.schema_url));
    return d;
  }
  Result<std::string> DownloadSchema(const std::string& url) override { return ct::ReadFile(url); }

  Result<ListingsSubmission> PutListingsItem(const PutListingsItemRequest& r) override {
    calls.push_back("put " + r.sku.value());
    ListingsSubmission s{r.sku, "ACCEPTED", "sub-" + r.sku.value(), {}};
    if (reject.count(r.sku.value())) {
      s.status = "INVALID";
      s.issues.push_back({"8541",
                          "Die EAN ist einem anderen Produkt zugeordnet.",
                          "ERROR",
                          {"externally_assigned_product_identifier"},
                          {"INVALID_ATTRIBUTE"}});
      return s;
    }
    listings[{r.marketplace_id.value(), r.sku.value()}] = {r.product_type,
                                                           json::parse(r.attributes_json)};
    return s;
  }
  Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest& r) override {
    calls.push_back("patch " + r.sku.value());
    auto& stored = listings.at({r.marketplace_ids[0].value(), r.sku.value()});
    for (const auto& p : r.patches)
      stored.attributes[p.path.substr(12)] = json::parse(p.value_json);
    return ListingsSubmission{r.sku, "ACCEPTED", "patch-" + r.sku.value(), {}};
  }
  Result<ListingsSubmission> DeleteListingsItem(const DeleteListingsItemRequest& r) override {
    calls.push_back("delete " + r.sku.value());
    listings.erase({r.marketplace_id.value(), r.sku.value()});
    return ListingsSubmission{r.sku, "ACCEPTED", "del", {}};
  }
  Result<ListingsItemsPage> SearchListingsItems(const SearchListingsItemsRequest& r) override {
    // Two per page, to walk the pages.
    std::vector<ListingsItem> all;
    for (const auto& [key, stored] : listings) {
      if (key.first != r.marketplace_ids[0].value()) continue;
      ListingsItem item;
      item.sku = Sku(key.second);
      item.attributes_json = stored.attributes.dump();
      all.push_back(item);
    }
    size_t start = r.page_token.empty() ? 0 : std::stoul(r.page_token);
    ListingsItemsPage page;
    page.number_of_results = static_cast<int64_t>(all.size());
    for (size_t i = start; i < std::min(all.size(), start + 2); ++i) page.items.push_back(all[i]);
    if (start + 2 < all.size()) page.next_token = std::to_string(start + 2);
    return page;
  }
  bool feeds_throttled = false;
  Result<FeedId> SubmitFeed(const CreateFeedRequest& r, std::string_view,
                            std::string_view content) override {
    if (feeds_throttled) {
      return Fail(ErrorCode::kThrottled,
                  "amazon: quota for createFeed exhausted; next call possible in 450 s");
    }
    feed_documents.emplace_back(content);
    json doc = json::parse(content);
    for (const auto& m : doc["messages"]) {
      if (m["messageId"] == 2) continue;  // rejected in the processing report below
      listings[{r.marketplace_ids[0].value(), m["sku"]}] = {m["productType"], m["attributes"]};
    }
    return FeedId("F" + std::to_string(feed_documents.size()));
  }
  Result<AmazonFeed> GetFeed(const FeedId& id, CallPriority) override {
    AmazonFeed f;
    f.feed_id = id;
    f.processing_status = "DONE";
    f.result_feed_document_id = "R-" + id.value();
    return f;
  }
  Result<ListingsFeedReport> GetListingsFeedReport(const std::string&, CallPriority) override {
    ListingsFeedReport report;
    report.issues.push_back({2, Sku(), "90220", "ERROR", "'color' ist erforderlich.", "color"});
    return report;
  }
};

class FakeScayle : public ScayleApi {
 public:
  std::vector<ScayleProduct> products = ct::FashionCatalogue();
  Status ForEachProduct(
      const std::function<Status(const std::vector<ScayleProduct>&)>& page) override {
    return page(products);
  }
  Result<std::vector<ScayleStock>> GetVariantStocks(const ScayleVariantRef&) override { return {}; }
  Result<std::vector<ScaylePrice>> GetVariantPrices(const ScayleVariantRef&) override { return {}; }
  Result<std::vector<ScayleReservationOutcome>> CreateReservations(
      const std::vector<ScayleReservationRequest>&) override {
    return {};
  }
  Status DeleteReservationByKey(const std::string&) override { return {}; }
  Status DeleteReservationById(int64_t) override { return {}; }
  Result<ScayleOrder> CreateOrder(const ScayleNewOrder&) override { return ScayleOrder{}; }
  Result<ScayleOrder> GetOrderById(const std::string&, const std::string&, int64_t) override {
    return ScayleOrder{};
  }
  Result<ScayleOrder> GetOrderByReferenceKey(const std::string&, const std::string&,
                                             const std::string&) override {
    return ScayleOrder{};
  }
  Status ForEachOrder(const std::string&, const std::string&,
                      const std::function<Status(const std::vector<ScayleOrder>&)>&) override {
    return {};
  }
  Result<std::vector<ScayleCarrier>> ListCarriers() override { return {}; }
  Result<ScayleWebhookSubscription> CreateWebhookSubscription(
      const ScayleWebhookSubscription& s) override {
    return s;
  }
  Result<std::vector<ScayleWebhookSubscription>> ListWebhookSubscriptions() override { return {}; }
};

class CatalogueSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = catalogue::LoadMappingFile(ct::ExampleMappingPath());
    ASSERT_TRUE(loaded) << loaded.error().message;
    mapping_ = *loaded;
    db_ = std::make_shared<store::SqliteDatabase>(":memory:");
    ASSERT_TRUE(db_->Migrate(store::AllSqliteMigrations(), clock_.Now()));
    state_ = std::make_unique<store::SqliteStateStore>(db_);
    catalogue_store_ = std::make_unique<store::SqliteCatalogueStore>(db_);
    exceptions_ = std::make_unique<ExceptionRegistry>(*state_, clock_, nullptr);
    definitions_ =
        std::make_unique<catalogue::DefinitionsCache>(amazon_, "", clock_, std::chrono::hours(24));
    settings_.seller_id = "A2SELLER";
    Make();
  }
  void Make() {
    sync_ = std::make_unique<CatalogueSync>(mapping_, amazon_, scayle_, *definitions_,
                                            *catalogue_store_, *state_, exceptions_.get(), clock_,
                                            settings_);
  }
  std::vector<RaisedException> Open(ExceptionType type) {
    ExceptionFilter f;
    f.open_only = true;
    f.type = type;
    return *exceptions_->List(f);
  }
  CatalogueRunReport Run(bool dry_run = false) {
    auto report = sync_->Run({dry_run, true, {}});
    EXPECT_TRUE(report) << report.error().message;
    for (const auto& e : report->errors) ADD_FAILURE() << e;
    return *report;
  }

  FakeClock clock_{TimePoint(std::chrono::milliseconds(1'790'000'000'000))};
  catalogue::Mapping mapping_;
  FakeAmazon amazon_;
  FakeScayle scayle_;
  std::shared_ptr<store::SqliteDatabase> db_;
  std::unique_ptr<store::SqliteStateStore> state_;
  std::unique_ptr<store::SqliteCatalogueStore> catalogue_store_;
  std::unique_ptr<ExceptionRegistry> exceptions_;
  std::unique_ptr<catalogue::DefinitionsCache> definitions_;
  CatalogueSyncSettings settings_;
  std::unique_ptr<CatalogueSync> sync_;
};

TEST_F(CatalogueSyncTest, ValidFamiliesAreListedParentsFirstAndOnlyOnce) {
  auto report = Run();
  EXPECT_EQ(report.families, 2);
  EXPECT_EQ(report.listings, 14);  // 7 per marketplace
  EXPECT_EQ(report.valid, 14);
  EXPECT_EQ(report.submitted, 14);
  EXPECT_EQ(amazon_.calls.front(), "put P-M100");
  EXPECT_EQ(amazon_.listings.size(), 14u);
  EXPECT_EQ(amazon_.listings.at({"A1PA6795UKMFR9", "M100-black-M"}).product_type, "SHIRT");
  // Nothing changed: the second run submits nothing and sees no drift.
  amazon_.calls.clear();
  auto again = Run();
  EXPECT_TRUE(amazon_.calls.empty());
  EXPECT_EQ(again.unchanged, 14);
  EXPECT_TRUE(again.attribute_drift.empty());
  EXPECT_TRUE(again.amazon_only.empty());
  auto record = catalogue_store_->GetListing(Sku("M100-black-M"), MarketplaceId("ATVPDKIKX0DER"));
  ASSERT_TRUE(record && *record);
  EXPECT_EQ((*record)->state, ListingState::kListed);
}

TEST_F(CatalogueSyncTest, InvalidListingsAreRefusedAndRaisedForEcommerce) {
  scayle_.products[1].attributes = {ct::Attr("color", "simple", "mauve")};
  auto report = Run();
  EXPECT_EQ(report.refused, 2);  // M100-black-M in both marketplaces
  EXPECT_EQ(amazon_.listings.count({"A1PA6795UKMFR9", "M100-black-M"}), 0u);
  EXPECT_EQ(amazon_.listings.count({"A1PA6795UKMFR9", "M100-blue-M"}), 1u);
  EXPECT_EQ(report.problems_by_kind["unmapped_value"], 4);  // item_name + color, DE and US
  auto open = Open(ExceptionType::kListingInvalid);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_NE(open[0].message.find("mauve"), std::string::npos) << open[0].message;
  EXPECT_NE(open[0].details.find("unmapped_value"), std::string::npos);
  // Fixed in SCAYLE: the next run lists it and closes the exception.
  scayle_.products[1].attributes = {ct::Attr("color", "simple", "navy")};
  Run();
  EXPECT_EQ(amazon_.listings.count({"A1PA6795UKMFR9", "M100-black-M"}), 1u);
  Run();
  EXPECT_TRUE(Open(ExceptionType::kListingInvalid).empty());
}

TEST_F(CatalogueSyncTest, AmazonRejectionsAreNormalisedWhateverTheLanguage) {
  amazon_.reject = {"S200-white-43"};
  auto report = Run();
  EXPECT_EQ(report.problems_by_kind["duplicate_listing"], 2);
  auto open = Open(ExceptionType::kListingInvalid);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_NE(open[0].details.find("Die EAN ist einem anderen Produkt"), std::string::npos);
  EXPECT_NE(open[0].message.find("Amazon matched the listing to another product"),
            std::string::npos)
      << open[0].message;
}

TEST_F(CatalogueSyncTest, DriftBothWaysAndAttributeDrift) {
  Run();
  // Someone lists an SKU SCAYLE does not know, and edits a colour in Seller Central.
  amazon_.listings[{"A1PA6795UKMFR9", "OLD-SKU-1"}] = {"SHIRT", json::object()};
  amazon_.listings.at({"A1PA6795UKMFR9", "M100-blue-M"}).attributes["color"][0]["value"] = "Rot";
  // A SCAYLE variant for Amazon that cannot be listed.
  scayle_.products[2].variants[0].attributes.clear();
  amazon_.listings.erase({"A1PA6795UKMFR9", "S200-white-42"});
  amazon_.calls.clear();
  auto report = Run();
  ASSERT_EQ(report.amazon_only.size(), 1u);
  EXPECT_EQ(report.amazon_only[0], Sku("OLD-SKU-1"));
  EXPECT_EQ(Open(ExceptionType::kUnmappedSku).size(), 1u);
  bool unlisted = false;
  for (const auto& s : report.scayle_unlisted) unlisted |= s == Sku("S200-white-42");
  EXPECT_TRUE(unlisted);
  ASSERT_EQ(report.attribute_drift.size(), 1u);
  EXPECT_EQ(report.attribute_drift[0].sku, Sku("M100-blue-M"));
  EXPECT_EQ(report.attribute_drift[0].attributes, std::vector<std::string>{"color"});
  EXPECT_EQ(Open(ExceptionType::kListingDrift).size(), 1u);
  // SCAYLE is the master: the colour is set back.
  EXPECT_EQ(amazon_.listings.at({"A1PA6795UKMFR9", "M100-blue-M"}).attributes["color"][0]["value"],
            "Blau");
  Run();
  EXPECT_TRUE(Open(ExceptionType::kListingDrift).empty());
}

TEST_F(CatalogueSyncTest, DeletedVariantIsDelistedByWebhookAndByFullRead) {
  Run();
  ScayleWebhookEvent event;
  event.key = "evt-1";
  event.name = "product-variant-deleted";
  event.variant = ScayleVariantRef{102, Sku("M100-blue-L")};
  scayle_.products[0].variants.pop_back();
  auto follow = sync_->OnScayleEvent(event);
  ASSERT_TRUE(follow);
  EXPECT_TRUE(*follow);
  EXPECT_EQ(amazon_.listings.count({"A1PA6795UKMFR9", "M100-blue-L"}), 0u);
  EXPECT_EQ(amazon_.listings.count({"ATVPDKIKX0DER", "M100-blue-L"}), 0u);
  // The same delivery again deletes nothing twice.
  amazon_.calls.clear();
  ASSERT_TRUE(sync_->OnScayleEvent(event));
  EXPECT_TRUE(amazon_.calls.empty());
  // A missed webhook: the full read finds the variant gone.
  scayle_.products[2].variants.pop_back();  // S200-white-43
  auto report = Run();
  // S200-white-43 and, its family now a single variant, the parent P-S200; both marketplaces.
  EXPECT_EQ(report.delisted, 4);
  EXPECT_EQ(amazon_.listings.count({"A1PA6795UKMFR9", "S200-white-43"}), 0u);
  EXPECT_EQ(amazon_.listings.count({"ATVPDKIKX0DER", "P-S200"}), 0u);
  EXPECT_EQ(amazon_.listings.count({"A1PA6795UKMFR9", "S200-white-42"}), 1u);
  EXPECT_TRUE(report.amazon_only.empty());
}

TEST_F(CatalogueSyncTest, ManyChangesGoAsOneJsonListingsFeed) {
  settings_.feed_threshold = 3;
  Make();
  auto report = Run();
  EXPECT_EQ(report.feeds, 2);  // one per marketplace
  ASSERT_EQ(amazon_.feed_documents.size(), 2u);
  json doc = json::parse(amazon_.feed_documents[0]);
  EXPECT_EQ(doc["header"]["sellerId"], "A2SELLER");
  EXPECT_EQ(doc["header"]["version"], "2.0");
  EXPECT_EQ(doc["messages"][0]["operationType"], "UPDATE");
  EXPECT_EQ(doc["messages"][0]["sku"], "P-M100");
  EXPECT_EQ(doc["messages"].size(), 7u);
  // Built as text, the document has the bytes of the same document dumped as one JSON object.
  EXPECT_EQ(amazon_.feed_documents[0], doc.dump());
  // The next run reads the processing reports: message 2 was rejected (German text).
  Run();
  auto open = Open(ExceptionType::kListingInvalid);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_NE(open[0].message.find("requires an attribute"), std::string::npos) << open[0].message;
}

TEST_F(CatalogueSyncTest, DriftInAFeedIsAPartialUpdateOfTheDifferingAttributesOnly) {
  settings_.feed_threshold = 0;
  settings_.issue_locale = "de_DE";
  Make();
  Run();
  auto& shirt = amazon_.listings.at({"A1PA6795UKMFR9", "M100-blue-M"}).attributes;
  shirt["color"][0]["value"] = "Rot";
  shirt["purchasable_offer_of_someone_else"] = json::array({{{"value", 1}}});  // not compiled
  amazon_.feed_documents.clear();
  auto report = Run();
  ASSERT_EQ(report.attribute_drift.size(), 1u);
  EXPECT_EQ(report.attribute_drift[0].attributes, std::vector<std::string>{"color"});
  ASSERT_FALSE(amazon_.feed_documents.empty());
  const std::string& text = amazon_.feed_documents[0];
  json doc = json::parse(text);
  EXPECT_EQ(text, doc.dump());
  EXPECT_EQ(doc["header"]["issueLocale"], "de_DE");
  json patch;
  for (const auto& m : doc["messages"]) {
    if (m["sku"] == "M100-blue-M") patch = m;
  }
  ASSERT_TRUE(patch.is_object()) << text;
  EXPECT_EQ(patch["operationType"], "PARTIAL_UPDATE");
  EXPECT_FALSE(patch.contains("requirements"));
  ASSERT_EQ(patch["attributes"].size(), 1u);
  EXPECT_EQ(patch["attributes"]["color"][0]["value"], "Blau");
}

TEST_F(CatalogueSyncTest, ListingsAcceptedAndDelistedArePublishedForTheStockLoop) {
  ListingEvents events;
  std::vector<ListingChange> seen;
  events.Subscribe([&](const ListingChange& change) { seen.push_back(change); });
  sync_->PublishListingChanges(&events);
  Run();
  auto count = [&](const std::string& sku, bool listed) {
    return std::count_if(seen.begin(), seen.end(), [&](const ListingChange& c) {
      return c.sku.value() == sku && c.marketplace_id.value() == "A1PA6795UKMFR9" &&
             c.listed == listed;
    });
  };
  EXPECT_EQ(seen.size(), 14u);  // every listing Amazon accepted, both marketplaces
  EXPECT_EQ(count("M100-blue-L", true), 1);
  ScayleWebhookEvent event;
  event.key = "evt-1";
  event.name = "product-variant-deleted";
  event.variant = ScayleVariantRef{102, Sku("M100-blue-L")};
  scayle_.products[0].variants.pop_back();
  ASSERT_TRUE(sync_->OnScayleEvent(event));
  EXPECT_EQ(count("M100-blue-L", false), 1);
  // Feeds: published when the processing report says Amazon accepted the listing.
  seen.clear();
  settings_.feed_threshold = 0;  // the changed listing goes in a feed per marketplace
  Make();
  sync_->PublishListingChanges(&events);
  scayle_.products[1].attributes = {ct::Attr("color", "simple", "navy")};
  Run();
  EXPECT_TRUE(seen.empty());  // submitted, not yet processed
  Run();
  EXPECT_FALSE(seen.empty());
  EXPECT_TRUE(
      std::all_of(seen.begin(), seen.end(), [](const ListingChange& c) { return c.listed; }));
}

TEST_F(CatalogueSyncTest, AFeedTheQuotaKeepsBackIsRaisedForThePlatformTeam) {
  settings_.feed_threshold = 3;
  Make();
  amazon_.feeds_throttled = true;
  auto report = sync_->Run({false, true, {}});
  ASSERT_TRUE(report);
  EXPECT_EQ(report->submitted, 0);
  ASSERT_EQ(report->errors.size(), 2u);  // one per marketplace
  auto open = Open(ExceptionType::kQuotaExhausted);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_NE(open[0].message.find("7 listings"), std::string::npos) << open[0].message;
  EXPECT_NE(open[0].message.find("createFeed"), std::string::npos) << open[0].message;
  amazon_.feeds_throttled = false;
  Run();
  EXPECT_TRUE(Open(ExceptionType::kQuotaExhausted).empty());
}

TEST_F(CatalogueSyncTest, AStoppingEngineEndsTheRunBeforeSubmittingAnything) {
  std::stop_source stopping;
  stopping.request_stop();
  CatalogueRunOptions options;
  options.stop = stopping.get_token();
  auto report = sync_->Run(options);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(amazon_.calls.empty());
  EXPECT_TRUE(amazon_.listings.empty());
}

TEST_F(CatalogueSyncTest, DryRunSubmitsNothing) {
  auto report = Run(true);
  EXPECT_EQ(report.submitted, 14);
  EXPECT_TRUE(amazon_.calls.empty());
  EXPECT_TRUE(amazon_.listings.empty());
}

TEST(CatalogueSyncHelpers, FeedMessageTextIsTheDumpOfTheMessageObject) {
  json attributes = {{"item_name", {{{"value", "Hemd \"Öko\" – blau"}, {"language_tag", "de_DE"}}}},
                     {"list_price", {{{"value", 19.99}, {"currency", "EUR"}}}},
                     {"batteries_required", {{{"value", false}}}}};
  json put = {{"messageId", 12},        {"sku", "M100-blue-M"},      {"operationType", "UPDATE"},
              {"productType", "SHIRT"}, {"requirements", "LISTING"}, {"attributes", attributes}};
  EXPECT_EQ(ListingsFeedMessage(12, Sku("M100-blue-M"), "UPDATE", "SHIRT", true, attributes.dump()),
            put.dump());
  json patch = {{"messageId", 3},
                {"sku", "P-M100"},
                {"operationType", "PARTIAL_UPDATE"},
                {"productType", "SHIRT"},
                {"attributes", json::object()}};
  EXPECT_EQ(ListingsFeedMessage(3, Sku("P-M100"), "PARTIAL_UPDATE", "SHIRT", false, "{}"),
            patch.dump());
}

TEST(CatalogueSyncHelpers, DifferingAttributesIgnoreAmazonOnlyOnes) {
  json mine = {{"a", 1}, {"b", 2}};
  json theirs = {{"a", 1}, {"b", 3}, {"c", 4}};
  EXPECT_EQ(DifferingAttributes(mine, theirs), std::vector<std::string>{"b"});
  EXPECT_EQ(ListingHash("SHIRT", "{}"), ListingHash("SHIRT", "{}"));
  EXPECT_NE(ListingHash("SHIRT", "{}"), ListingHash("SHOES", "{}"));
}

}  // namespace
}  // namespace mb::sync

#include "sandbox/amazon/amazon_test_support.hpp"
#include "sandbox/amazon/gzip.hpp"
#include "sandbox/catalogue/product_types_test_support.hpp"

namespace sandbox::amazon::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

json QuantityMessage(int id, const std::string& sku, int quantity) {
  return {{"messageId", id},
          {"sku", sku},
          {"operationType", "PATCH"},
          {"productType", "SHIRT"},
          {"patches",
           {{{"op", "merge"},
             {"path", "/attributes/fulfillment_availability"},
             {"value", {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", quantity}}}}}}}};
}

class FeedsApiTest : public AmazonHttpTest {
 protected:
  explicit FeedsApiTest(AmazonConfig config = {}) : AmazonHttpTest(std::move(config)) {}

  // createFeedDocument → PUT to the URL → createFeed; returns the feedId.
  std::string Submit(const json& document) {
    auto doc =
        Post("/feeds/2021-06-30/documents", {{"contentType", "application/json; charset=UTF-8"}});
    EXPECT_EQ(doc->status, 201);
    const std::string url = Json(doc)["url"];
    const std::string path = url.substr(url.find("/_documents/"));
    auto upload = client_->Put(path.c_str(), document.dump(), "application/json; charset=UTF-8");
    EXPECT_EQ(upload->status, 200);
    auto feed =
        Post("/feeds/2021-06-30/feeds", {{"feedType", "JSON_LISTINGS_FEED"},
                                         {"marketplaceIds", {kDe}},
                                         {"inputFeedDocumentId", Json(doc)["feedDocumentId"]}});
    EXPECT_EQ(feed->status, 202);
    return Json(feed)["feedId"];
  }
  json Feed(const std::string& id) { return Json(Get("/feeds/2021-06-30/feeds/" + id)); }
  // Downloads and, when flagged, gunzips the feed's processing report.
  json ProcessingReport(const json& feed) {
    auto doc =
        Json(Get("/feeds/2021-06-30/documents/" + feed["resultFeedDocumentId"].get<std::string>()));
    const std::string url = doc["url"];
    auto res = client_->Get(url.substr(url.find("/_documents/")).c_str());
    EXPECT_EQ(res->status, 200);
    std::string bytes = res->body;
    if (doc.value("compressionAlgorithm", "") == "GZIP") bytes = *GzipDecompress(bytes);
    return json::parse(bytes);
  }
  json Document(std::vector<json> messages) {
    return {{"header", {{"sellerId", kSeller}, {"version", "2.0"}}}, {"messages", messages}};
  }
};

TEST_F(FeedsApiTest, LifecycleFromQueueToDoneWithGzippedProcessingReport) {
  SeedShirt("SKU-1", 5);
  SeedShirt("SKU-2", 5);
  json bad_message = QuantityMessage(3, "SKU-3", 1);
  bad_message.erase("patches");
  const std::string id = Submit(
      Document({QuantityMessage(1, "SKU-1", 9), QuantityMessage(2, "SKU-2", 0), bad_message}));
  json feed = Feed(id);
  EXPECT_EQ(feed["processingStatus"], "IN_QUEUE");
  EXPECT_EQ(feed["feedType"], "JSON_LISTINGS_FEED");
  clock_.Advance(45s);
  EXPECT_EQ(Feed(id)["processingStatus"], "IN_PROGRESS");
  EXPECT_EQ(ListedQuantity(*world_.GetListing(kSeller, Region::kEurope, "SKU-1")),
            5);  // not yet applied
  clock_.Advance(91s);
  feed = Feed(id);
  ASSERT_EQ(feed["processingStatus"], "DONE");
  EXPECT_TRUE(feed.contains("processingEndTime"));
  auto listing = world_.GetListing(kSeller, Region::kEurope, "SKU-1");
  EXPECT_EQ(ListedQuantity(*listing), 9);
  EXPECT_EQ(listing->attributes["fulfillment_availability"][0]["lead_time_to_ship_max_days"],
            2);  // merge kept it
  EXPECT_EQ(ListedQuantity(*world_.GetListing(kSeller, Region::kEurope, "SKU-2")), 0);

  auto doc =
      Json(Get("/feeds/2021-06-30/documents/" + feed["resultFeedDocumentId"].get<std::string>()));
  EXPECT_EQ(doc["compressionAlgorithm"], "GZIP");
  json report = ProcessingReport(feed);
  EXPECT_EQ(report["header"], json({{"sellerId", kSeller}, {"version", "2.0"}, {"feedId", id}}));
  EXPECT_EQ(report["summary"]["messagesProcessed"], 3);
  EXPECT_EQ(report["summary"]["messagesAccepted"], 2);
  EXPECT_EQ(report["summary"]["messagesInvalid"], 1);
  ASSERT_EQ(report["issues"].size(), 1u);
  EXPECT_EQ(report["issues"][0]["messageId"], 3);
  EXPECT_EQ(report["issues"][0]["sku"], "SKU-3");
}

TEST_F(FeedsApiTest, BrokenDocumentsEndFatal) {
  json wrong_seller = Document({QuantityMessage(1, "SKU-1", 1)});
  wrong_seller["header"]["sellerId"] = "SOMEONEELSE";
  const std::string a = Submit(wrong_seller);
  const std::string b =
      Submit(Document({QuantityMessage(1, "SKU-1", 1), QuantityMessage(1, "SKU-2", 1)}));
  const std::string c = Submit(
      {{"header", {{"sellerId", kSeller}, {"version", "1.0"}}}, {"messages", json::array()}});
  clock_.Advance(10min);
  EXPECT_EQ(Feed(a)["processingStatus"], "FATAL");
  EXPECT_EQ(Feed(c)["processingStatus"], "FATAL");
  json dup = Feed(b);
  EXPECT_EQ(dup["processingStatus"], "DONE");
  json issues = ProcessingReport(dup)["issues"];
  // SKU-1 has no listing: its patch is accepted and applies nothing, without an issue (as on
  // Amazon); the second messageId 1 is a duplicate.
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0]["message"].get<std::string>().find("not unique"), std::string::npos);
  EXPECT_EQ(ProcessingReport(dup)["summary"]["messagesAccepted"], 1);
  EXPECT_EQ(Post("/feeds/2021-06-30/feeds", {{"feedType", "JSON_LISTINGS_FEED"},
                                             {"marketplaceIds", {kDe}},
                                             {"inputFeedDocumentId", "nope"}})
                ->status,
            400);
}

TEST_F(FeedsApiTest, UploadUrlExpiresAfterFiveMinutes) {
  auto doc = Json(
      Post("/feeds/2021-06-30/documents", {{"contentType", "application/json; charset=UTF-8"}}));
  const std::string url = doc["url"];
  clock_.Advance(301s);
  auto upload =
      client_->Put(url.substr(url.find("/_documents/")).c_str(), "{}", "application/json");
  EXPECT_EQ(upload->status, 403);
}

class SilentlyDroppingFeedsTest : public FeedsApiTest {
 protected:
  static AmazonConfig Config() {
    AmazonConfig config;
    config.feed_silently_dropped_skus = {"SKU-2"};
    config.gzip_feed_results = false;
    return config;
  }
  SilentlyDroppingFeedsTest() : FeedsApiTest(Config()) {}
};

TEST_F(SilentlyDroppingFeedsTest, FeedFinishesDoneWhileSomeSkusAreNotApplied) {
  SeedShirt("SKU-1", 5);
  SeedShirt("SKU-2", 5);
  const std::string id =
      Submit(Document({QuantityMessage(1, "SKU-1", 0), QuantityMessage(2, "SKU-2", 0)}));
  clock_.Advance(10min);
  json feed = Feed(id);
  ASSERT_EQ(feed["processingStatus"], "DONE");
  auto doc =
      Json(Get("/feeds/2021-06-30/documents/" + feed["resultFeedDocumentId"].get<std::string>()));
  EXPECT_FALSE(doc.contains("compressionAlgorithm"));
  json report = ProcessingReport(feed);
  EXPECT_EQ(report["summary"]["messagesAccepted"], 2);
  EXPECT_TRUE(report["issues"].empty());
  EXPECT_EQ(ListedQuantity(*world_.GetListing(kSeller, Region::kEurope, "SKU-1")), 0);
  EXPECT_EQ(ListedQuantity(*world_.GetListing(kSeller, Region::kEurope, "SKU-2")),
            5);  // silently kept
  EXPECT_EQ(world_.Counters().feed_messages_silently_dropped, 1);
}

// JSON_LISTINGS_FEED UPDATE messages are checked against the sandbox's product types like
// putListingsItem.
class CheckedFeedsApiTest : public FeedsApiTest {
 protected:
  CheckedFeedsApiTest() { product_types_ = &catalogue::testing::Catalogue(); }
};

TEST_F(CheckedFeedsApiTest, UpdateMessagesAreCheckedAgainstTheProductType) {
  json valid = catalogue::testing::ValidShirtChild(kDe, "de_DE");
  json invalid = valid;
  invalid.erase("brand");
  auto update = [](int id, const std::string& sku, const json& attributes) {
    return json{{"messageId", id},           {"sku", sku},
                {"operationType", "UPDATE"}, {"productType", "SHIRT"},
                {"requirements", "LISTING"}, {"attributes", attributes}};
  };
  const std::string id =
      Submit(Document({update(1, "M100-blue-M", valid), update(2, "M100-blue-L", invalid)}));
  clock_.Advance(200s);
  json feed = Feed(id);
  ASSERT_EQ(feed["processingStatus"], "DONE");
  json report = ProcessingReport(feed);
  EXPECT_EQ(report["summary"]["messagesAccepted"], 1);
  EXPECT_EQ(report["summary"]["messagesInvalid"], 1);
  ASSERT_EQ(report["issues"].size(), 1u) << report.dump();
  EXPECT_EQ(report["issues"][0]["messageId"], 2);
  EXPECT_EQ(report["issues"][0]["code"], "90220");
  EXPECT_EQ(report["issues"][0]["attributeName"], "brand");
  EXPECT_TRUE(world_.GetListing(kSeller, Region::kEurope, "M100-blue-M"));
  EXPECT_FALSE(world_.GetListing(kSeller, Region::kEurope, "M100-blue-L"));
}

}  // namespace
}  // namespace sandbox::amazon::testing

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "amazon/gzip_test_support.hpp"
#include "amazon/model_check.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_test_support.hpp"

namespace mb::amazon {
namespace {

using nlohmann::json;
using testing::ExpectBodyMatchesDefinition;
using testing::Gzip;
using testing::SandboxCases;
using testing::SpApiFixture;

constexpr char kModel[] = "feeds_2021-06-30.json";
constexpr char kUploadUrl[] =
    "https://tortuga-prod-eu.s3-eu-west-1.amazonaws.com/doc?X-Amz-Signature=abc";

std::string ReportExample() {
  std::ifstream in(
      std::string(MB_SHARED_DIR) +
      "/reference/amazon/models/listings-feed-processing-report-schema-v2.example.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class FeedsApiTest : public testing::AmazonApiTest {};

TEST_F(FeedsApiTest, SubmitFeedCreatesUploadsAndCreates) {
  fixture_.http().PushResponse(
      201, R"({"feedDocumentId":"doc-1","url":")" + std::string(kUploadUrl) + R"("})");
  fixture_.http().PushResponse(200, "");
  fixture_.http().PushResponse(202, R"({"feedId":"3485934"})");
  const std::string feed = R"({"header":{"sellerId":"A2SELLER","version":"2.0"},"messages":[]})";
  CreateFeedRequest request;
  request.marketplace_ids = {MarketplaceId("A1PA6795UKMFR9")};
  auto feed_id = api_.SubmitFeed(request, "application/json; charset=UTF-8", feed);
  ASSERT_TRUE(feed_id) << feed_id.error().ToString();
  EXPECT_EQ(*feed_id, FeedId("3485934"));

  const auto sent = fixture_.http().requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].url, "https://sp.test/feeds/2021-06-30/documents");
  ExpectBodyMatchesDefinition(kModel, "CreateFeedDocumentSpecification", sent[0].body);
  // The upload is a plain PUT to the presigned URL: no SP-API token travels to S3.
  EXPECT_EQ(sent[1].method, HttpMethod::kPut);
  EXPECT_EQ(sent[1].url, kUploadUrl);
  EXPECT_FALSE(sent[1].headers.Has("x-amz-access-token"));
  EXPECT_EQ(sent[1].headers.Find("Content-Type").value_or(""), "application/json; charset=UTF-8");
  EXPECT_EQ(sent[1].body, feed);
  EXPECT_EQ(sent[2].url, "https://sp.test/feeds/2021-06-30/feeds");
  ExpectBodyMatchesDefinition(kModel, "CreateFeedSpecification", sent[2].body);
  EXPECT_EQ(json::parse(sent[2].body)["inputFeedDocumentId"], "doc-1");
  EXPECT_EQ(json::parse(sent[2].body)["feedType"], "JSON_LISTINGS_FEED");
}

TEST_F(FeedsApiTest, CreateFeedSpendsTheListingsFeedQuota) {
  for (int i = 0; i < 5; ++i) fixture_.http().PushResponse(202, R"({"feedId":"f"})");
  CreateFeedRequest request;
  request.marketplace_ids = {MarketplaceId("A1PA6795UKMFR9")};
  request.input_feed_document_id = "doc";
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(api_.CreateFeed(request));
  // Five per five minutes: the sixth would wait a minute.
  EXPECT_EQ(api_.QuotaWait(FeedTypeQuota("JSON_LISTINGS_FEED"), CallPriority::kNormal),
            std::chrono::minutes(1));
}

TEST_F(FeedsApiTest, GetFeedParsesTheSandboxExampleAndDoneFeeds) {
  for (const auto& c : SandboxCases(kModel, "getFeed", "200")) {
    fixture_.http().PushResponse(200, c.response.dump());
    auto feed = api_.GetFeed(FeedId("feedId1"), CallPriority::kNormal);
    ASSERT_TRUE(feed) << feed.error().ToString();
    EXPECT_EQ(feed->processing_status, "CANCELLED");
  }
  fixture_.http().PushResponse(
      200, R"({"feedId":"F2","feedType":"JSON_LISTINGS_FEED","marketplaceIds":["A1PA6795UKMFR9"],
    "createdTime":"2026-11-28T09:00:00Z","processingStatus":"DONE","resultFeedDocumentId":"res-1"})");
  auto done = api_.GetFeed(FeedId("F2"), CallPriority::kNormal);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->result_feed_document_id, "res-1");
  EXPECT_EQ(fixture_.last().url, "https://sp.test/feeds/2021-06-30/feeds/F2");
}

TEST_F(FeedsApiTest, ReadsAGzippedProcessingReport) {
  fixture_.http().PushResponse(
      200,
      R"({"feedDocumentId":"res-1","url":"https://s3.test/res-1","compressionAlgorithm":"GZIP"})");
  fixture_.http().PushResponse(200, Gzip(ReportExample()));
  auto report = api_.GetListingsFeedReport("res-1", CallPriority::kNormal);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->feed_id, FeedId("1234567890"));
  EXPECT_EQ(report->errors, 3);
  EXPECT_EQ(report->messages_processed, 4);
  EXPECT_EQ(report->messages_accepted, 2);
  EXPECT_EQ(report->messages_invalid, 2);
  ASSERT_EQ(report->issues.size(), 3u);
  EXPECT_EQ(report->issues[2].sku, Sku("My-SKU-C"));
  EXPECT_EQ(report->issues[2].attribute_name, "purchasable_offer.our_price");
  EXPECT_EQ(fixture_.http().requests()[1].url, "https://s3.test/res-1");
}

TEST_F(FeedsApiTest, AnUnknownCompressionIsRefused) {
  fixture_.http().PushResponse(
      200, R"({"feedDocumentId":"d","url":"https://s3.test/d","compressionAlgorithm":"ZSTD"})");
  fixture_.http().PushResponse(200, "xx");
  auto text = api_.GetFeedDocument("d", CallPriority::kNormal);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kMalformedResponse);
}

}  // namespace
}  // namespace mb::amazon

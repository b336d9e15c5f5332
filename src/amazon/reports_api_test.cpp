#include <gtest/gtest.h>

#include "amazon/gzip_test_support.hpp"
#include "amazon/model_check.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_test_support.hpp"

namespace mb::amazon {
namespace {

using nlohmann::json;
using testing::ExpectBodyMatchesDefinition;
using testing::ExpectQueryMatchesModel;
using testing::Gzip;
using testing::SandboxCases;
using testing::SpApiFixture;

class ReportsApiTest : public testing::AmazonApiTest {};

TEST_F(ReportsApiTest, DiscoversSettlementReportsPageByPage) {
  const auto cases = SandboxCases("reports_2021-06-30.json", "getReports", "200");
  ASSERT_EQ(cases.size(), 1u);
  fixture_.http().PushResponse(200, cases[0].response.dump());
  GetReportsRequest request;
  request.report_types = {"GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"};
  request.created_since = MakeTime(2026, 9, 1);
  auto page = api_.GetReports(request);
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_FALSE(page->reports.empty());
  EXPECT_FALSE(page->next_token.empty());
  EXPECT_EQ(fixture_.last().url,
            "https://sp.test/reports/2021-06-30/"
            "reports?reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
            "&pageSize=100&createdSince=2026-09-01T00%3A00%3A00Z");
  ExpectQueryMatchesModel("reports_2021-06-30.json", "getReports", fixture_.last().url);

  // The next page carries only the token.
  fixture_.http().PushResponse(200, R"({"reports":[]})");
  request.next_token = page->next_token;
  ASSERT_TRUE(api_.GetReports(request));
  EXPECT_EQ(fixture_.last().url.find("reportTypes"), std::string::npos);
  EXPECT_EQ(api_.GetReports({}).error().code, ErrorCode::kInvalidInput);
}

TEST_F(ReportsApiTest, GetsAReportAndItsGzippedDocument) {
  fixture_.http().PushResponse(
      200, SandboxCases("reports_2021-06-30.json", "getReport", "200")[0].response.dump());
  auto report = api_.GetReport(ReportId("ID323"), CallPriority::kBulk);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->report_type, "FEE_DISCOUNTS_REPORT");
  EXPECT_EQ(report->processing_status, "IN_PROGRESS");

  const std::string flat = "settlement-id\tsettlement-start-date\n12345\t2026-11-01\n";
  fixture_.http().PushResponse(
      200, R"({"reportDocumentId":"d1","url":"https://s3.test/d1","compressionAlgorithm":"GZIP"})");
  fixture_.http().PushResponse(200, Gzip(flat));
  auto document = api_.GetReportDocument("d1", CallPriority::kBulk);
  ASSERT_TRUE(document) << document.error().ToString();
  EXPECT_EQ(*document, flat);
}

TEST_F(ReportsApiTest, ProductTypeDefinitionAndSchemaDownload) {
  const auto cases =
      SandboxCases("definitionsProductTypes_2020-09-01.json", "getDefinitionsProductType", "200");
  ASSERT_EQ(cases.size(), 1u);
  fixture_.http().PushResponse(200, cases[0].response.dump());
  GetProductTypeDefinitionRequest request;
  request.product_type = "SHIRT";
  request.marketplace_id = MarketplaceId("A1PA6795UKMFR9");
  auto definition = api_.GetDefinitionsProductType(request);
  ASSERT_TRUE(definition) << definition.error().ToString();
  EXPECT_EQ(definition->schema_url, "https://schema-url");
  EXPECT_EQ(definition->meta_schema_url, "https://meta-schema-url");
  EXPECT_EQ(definition->schema_checksum, "c7af9479ca7261645cea9db56c5f720d");
  EXPECT_FALSE(definition->property_groups.empty());
  EXPECT_EQ(
      fixture_.last().url,
      "https://sp.test/definitions/2020-09-01/productTypes/SHIRT?marketplaceIds=A1PA6795UKMFR9"
      "&sellerId=A2SELLER&productTypeVersion=LATEST&requirements=LISTING"
      "&requirementsEnforced=ENFORCED&locale=DEFAULT");
  ExpectQueryMatchesModel("definitionsProductTypes_2020-09-01.json", "getDefinitionsProductType",
                          fixture_.last().url);

  fixture_.http().PushResponse(200, R"({"$schema":"https://meta-schema-url"})");
  auto schema = api_.DownloadSchema(definition->schema_url);
  ASSERT_TRUE(schema);
  EXPECT_EQ(*schema, R"({"$schema":"https://meta-schema-url"})");
  EXPECT_FALSE(fixture_.last().headers.Has("x-amz-access-token"));
}

TEST_F(ReportsApiTest, NotificationsDestinationIsGrantlessAndSubscriptionFiltersOrders) {
  fixture_.http().PushResponse(
      200, SandboxCases("notifications.json", "createDestination", "200")[0].response.dump());
  auto destination =
      api_.CreateDestination({"SQSDestination", "arn:aws:sqs:us-east-2:444455556666:queue1"});
  ASSERT_TRUE(destination) << destination.error().ToString();
  EXPECT_EQ(destination->destination_id, "TEST_CASE_200_DESTINATION_ID");
  EXPECT_EQ(destination->sqs_arn, "arn:aws:sqs:us-east-2:444455556666:queue1");
  ExpectBodyMatchesDefinition("notifications.json", "CreateDestinationRequest",
                              fixture_.last().body);
  // Grantless: the token came from a client_credentials exchange.
  EXPECT_NE(fixture_.lwa_http().requests().back().body.find("grant_type=client_credentials"),
            std::string::npos);

  fixture_.http().PushResponse(
      200, SandboxCases("notifications.json", "createSubscription", "200")[0].response.dump());
  CreateSubscriptionRequest request;
  request.destination_id = "TEST_CASE_200_DESTINATION_ID";
  request.marketplace_ids = {MarketplaceId("A1PA6795UKMFR9")};
  request.order_change_types = {"OrderStatusChange"};
  auto subscription = api_.CreateSubscription(request);
  ASSERT_TRUE(subscription) << subscription.error().ToString();
  EXPECT_EQ(subscription->subscription_id, "TEST_CASE_200_SUBSCRIPTION_ID");
  EXPECT_EQ(fixture_.last().url, "https://sp.test/notifications/v1/subscriptions/ORDER_CHANGE");
  const auto body = json::parse(fixture_.last().body);
  EXPECT_EQ(body["processingDirective"]["eventFilter"]["eventFilterType"], "ORDER_CHANGE");
  EXPECT_EQ(body["processingDirective"]["eventFilter"]["orderChangeTypes"][0], "OrderStatusChange");
  EXPECT_EQ(body["processingDirective"]["eventFilter"]["marketplaceIds"][0], "A1PA6795UKMFR9");
}

}  // namespace
}  // namespace mb::amazon

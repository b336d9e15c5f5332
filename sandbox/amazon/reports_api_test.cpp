#include "sandbox/amazon/amazon_test_support.hpp"
#include "sandbox/amazon/gzip.hpp"

namespace sandbox::amazon::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kSettlement = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2";

class ReportsApiTest : public AmazonHttpTest {};

TEST_F(ReportsApiTest, SettlementReportsCannotBeRequested) {
  auto res =
      Post("/reports/2021-06-30/reports", {{"reportType", kSettlement}, {"marketplaceIds", {kDe}}});
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(
      Json(res),
      json::parse(
          R"({"errors":[{"code":"InvalidInput","message":"Request for report type 1118 is not allowed at this time","details":""}]})"));
  EXPECT_EQ(res->get_header_value("x-amzn-RateLimit-Limit"), "0.0167");
}

TEST_F(ReportsApiTest, PublishedSettlementsAreListedAndDownloadedGzipped) {
  const std::string content =
      "settlement-id\tsettlement-start-date\n12345\t2026-11-01T00:00:00+00:00\n";
  for (int i = 0; i < 3; ++i) {
    world_.AddReport(kSeller, kSettlement, kDe, content + std::to_string(i),
                     clock_.Now() - std::chrono::hours(24 * (3 - i)));
  }
  world_.AddReport(kSeller, "GET_FLAT_FILE_OPEN_LISTINGS_DATA", kDe, "x", clock_.Now());
  auto list = Get(std::string("/reports/2021-06-30/reports?reportTypes=") + kSettlement +
                  "&pageSize=2&processingStatuses=DONE");
  ASSERT_EQ(list->status, 200);
  json page1 = Json(list);
  ASSERT_EQ(page1["reports"].size(), 2u);
  EXPECT_EQ(page1["reports"][0]["reportType"], kSettlement);
  EXPECT_EQ(page1["reports"][0]["processingStatus"], "DONE");
  json page2 =
      Json(Get("/reports/2021-06-30/reports?nextToken=" + page1["nextToken"].get<std::string>()));
  ASSERT_EQ(page2["reports"].size(), 1u);
  EXPECT_FALSE(page2.contains("nextToken"));
  EXPECT_EQ(Get("/reports/2021-06-30/reports")->status, 400);  // reportTypes or nextToken required

  json newest = page1["reports"][0];
  json report = Json(Get("/reports/2021-06-30/reports/" + newest["reportId"].get<std::string>()));
  EXPECT_EQ(report["reportDocumentId"], newest["reportDocumentId"]);
  json doc =
      Json(Get("/reports/2021-06-30/documents/" + newest["reportDocumentId"].get<std::string>()));
  EXPECT_EQ(doc["compressionAlgorithm"], "GZIP");
  const std::string url = doc["url"];
  auto raw = client_->Get(url.substr(url.find("/_documents/")).c_str());
  ASSERT_EQ(raw->status, 200);
  EXPECT_EQ(GzipDecompress(raw->body), content + "2");
  // The URL lives 5 minutes.
  clock_.Advance(5min);
  EXPECT_EQ(client_->Get(url.substr(url.find("/_documents/")).c_str())->status, 403);
}

TEST_F(ReportsApiTest, RequestedReportsRunAndEndWithoutData) {
  auto res = Post("/reports/2021-06-30/reports",
                  {{"reportType", "GET_MERCHANT_LISTINGS_ALL_DATA"}, {"marketplaceIds", {kDe}}});
  ASSERT_EQ(res->status, 202);
  const std::string id = Json(res)["reportId"];
  EXPECT_EQ(Json(Get("/reports/2021-06-30/reports/" + id))["processingStatus"], "IN_QUEUE");
  clock_.Advance(61s);
  EXPECT_EQ(Json(Get("/reports/2021-06-30/reports/" + id))["processingStatus"], "IN_PROGRESS");
  clock_.Advance(60s);
  EXPECT_EQ(Json(Get("/reports/2021-06-30/reports/" + id))["processingStatus"], "CANCELLED");
}

}  // namespace
}  // namespace sandbox::amazon::testing

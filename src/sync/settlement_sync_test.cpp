#include "sync/settlement_sync.hpp"

#include <gtest/gtest.h>

#include <map>

#include "core/settlement/default_rules.hpp"
#include "core/settlement/test_fixtures.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/sqlite_settlement_store.hpp"
#include "store/sqlite_state_store.hpp"

namespace mb::sync {
namespace {

// Answers getReports from a list of pages and getReportDocument from a map; everything else is
// a bug in the code under test.
class ReportsOnlyAmazon final : public AmazonApi {
 public:
  std::vector<AmazonReportsPage> pages;
  std::map<std::string, std::string> documents;
  std::vector<GetReportsRequest> requests;

  Result<AmazonReportsPage> GetReports(const GetReportsRequest& request) override {
    requests.push_back(request);
    size_t index = request.next_token.empty() ? 0 : size_t(std::stoi(request.next_token));
    if (index >= pages.size()) return AmazonReportsPage{};
    return pages[index];
  }
  Result<std::string> GetReportDocument(const std::string& id, CallPriority) override {
    auto it = documents.find(id);
    if (it == documents.end()) return Fail(ErrorCode::kNotFound, "no document " + id);
    return it->second;
  }

  Result<ListingsItem> GetListingsItem(const GetListingsItemRequest&) override {
    return Unexpected();
  }
  Result<ListingsSubmission> PutListingsItem(const PutListingsItemRequest&) override {
    return Unexpected();
  }
  Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest&) override {
    return Unexpected();
  }
  Result<ListingsSubmission> DeleteListingsItem(const DeleteListingsItemRequest&) override {
    return Unexpected();
  }
  Result<ListingsItemsPage> SearchListingsItems(const SearchListingsItemsRequest&) override {
    return Unexpected();
  }
  Result<FeedDocumentUpload> CreateFeedDocument(std::string_view, CallPriority) override {
    return Unexpected();
  }
  Status UploadFeedDocument(const FeedDocumentUpload&, std::string_view,
                            std::string_view) override {
    return Unexpected();
  }
  Result<FeedId> CreateFeed(const CreateFeedRequest&) override { return Unexpected(); }
  Result<FeedId> SubmitFeed(const CreateFeedRequest&, std::string_view, std::string_view) override {
    return Unexpected();
  }
  Result<AmazonFeed> GetFeed(const FeedId&, CallPriority) override { return Unexpected(); }
  Result<std::string> GetFeedDocument(const std::string&, CallPriority) override {
    return Unexpected();
  }
  Result<ListingsFeedReport> GetListingsFeedReport(const std::string&, CallPriority) override {
    return Unexpected();
  }
  Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest&) override {
    return Unexpected();
  }
  Result<AmazonOrder> GetOrder(const GetOrderRequest&) override { return Unexpected(); }
  Status ConfirmShipment(const ConfirmShipmentRequest&) override { return Unexpected(); }
  Result<AmazonReport> GetReport(const ReportId&, CallPriority) override { return Unexpected(); }
  Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest&) override {
    return Unexpected();
  }
  Result<std::string> DownloadSchema(const std::string&) override { return Unexpected(); }
  Result<NotificationDestination> CreateDestination(const CreateDestinationRequest&) override {
    return Unexpected();
  }
  Result<NotificationSubscription> CreateSubscription(const CreateSubscriptionRequest&) override {
    return Unexpected();
  }
  Duration QuotaWait(std::string_view, CallPriority) override { return Duration(0); }

 private:
  static tl::unexpected<Error> Unexpected() {
    return tl::unexpected(Error{ErrorCode::kInternal, "not used by settlement sync"});
  }
};

AmazonReport Report(const std::string& id, const std::string& document, TimePoint created) {
  AmazonReport r;
  r.report_id = ReportId(id);
  r.report_type = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2";
  r.processing_status = "DONE";
  r.report_document_id = document;
  r.created_time = created;
  return r;
}

TEST(SettlementSync, ListsDownloadsAndImportsEachReportOnce) {
  FakeClock clock(MakeTime(2026, 8, 20, 6));
  auto db = std::make_shared<store::SqliteDatabase>(":memory:");
  ASSERT_TRUE(db->Migrate(store::AllSqliteMigrations(), clock.Now()));
  store::SqliteStateStore state(db);
  store::SqliteSettlementStore settlements(db);
  ExceptionRegistry exceptions(state, clock, nullptr);
  settlement::SettlementService service(settlements, exceptions);
  auto rules = settlement::RuleTable::Parse(settlement::DefaultRuleTableCsv(), "default");
  ASSERT_TRUE(rules);

  ReportsOnlyAmazon amazon;
  AmazonReportsPage first, second;
  first.reports = {Report("R1", "D1", MakeTime(2026, 8, 17, 10)),
                   Report("R2", "D2", MakeTime(2026, 8, 18, 10)),
                   Report("R3", "missing", MakeTime(2026, 8, 18, 11))};
  first.next_token = "1";
  second.reports = {Report("R4", "D1", MakeTime(2026, 8, 19, 10))};  // listed again
  amazon.pages = {first, second};
  amazon.documents = {{"D1", settlement::testing::ReadFixture("us_dot.tsv")},
                      {"D2", settlement::testing::ReadFixture("unknown_type.tsv")}};

  SettlementSyncOptions options;
  options.marketplace_ids = {MarketplaceId("ATVPDKIKX0DER")};
  SettlementSync sync(amazon, state, service, *rules, clock, options);
  auto result = sync.RunOnce();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->reports, 4);
  EXPECT_EQ(result->imported, 2);
  EXPECT_EQ(result->duplicates, 1);
  ASSERT_EQ(result->failures.size(), 1u);
  EXPECT_NE(result->failures[0].find("report R3 (document missing): no document missing"),
            std::string::npos)
      << result->failures[0];

  ASSERT_EQ(amazon.requests.size(), 2u);
  const auto& req = amazon.requests[0];
  EXPECT_EQ(req.report_types,
            std::vector<std::string>{"GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"});
  EXPECT_EQ(req.processing_statuses, std::vector<std::string>{"DONE"});
  EXPECT_EQ(req.created_since, MakeTime(2026, 8, 20, 6) - std::chrono::hours(24 * 90));
  EXPECT_EQ(amazon.requests[1].next_token, "1");
  EXPECT_EQ(*state.GetCursor(SettlementSync::kCursor),
            std::optional<std::string>("2026-08-19T10:00:00Z"));

  // The next pass starts a day before the newest report seen. This fake lists every report again
  // whatever the filter says: importing is idempotent, so nothing is imported twice.
  amazon.requests.clear();
  auto again = sync.RunOnce();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->duplicates, 3);
  EXPECT_EQ(amazon.requests[0].created_since, MakeTime(2026, 8, 18, 10));
  auto stored = settlements.List(10);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->size(), 2u);
}

}  // namespace
}  // namespace mb::sync

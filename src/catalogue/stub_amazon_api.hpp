#pragma once
// Test-only: an AmazonApi whose operations fail with kNotFound unless a test overrides them.

#include "ports/amazon_api.hpp"

namespace mb::catalogue::testing {

class StubAmazonApi : public AmazonApi {
 public:
  static tl::unexpected<Error> No(const char* what) {
    return Fail(ErrorCode::kNotFound, std::string("stub: ") + what);
  }
  Result<ListingsItem> GetListingsItem(const GetListingsItemRequest&) override {
    return No("getListingsItem");
  }
  Result<ListingsSubmission> PutListingsItem(const PutListingsItemRequest&) override {
    return No("putListingsItem");
  }
  Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest&) override {
    return No("patchListingsItem");
  }
  Result<ListingsSubmission> DeleteListingsItem(const DeleteListingsItemRequest&) override {
    return No("deleteListingsItem");
  }
  Result<ListingsItemsPage> SearchListingsItems(const SearchListingsItemsRequest&) override {
    return No("searchListingsItems");
  }
  Result<FeedDocumentUpload> CreateFeedDocument(std::string_view, CallPriority) override {
    return No("createFeedDocument");
  }
  Status UploadFeedDocument(const FeedDocumentUpload&, std::string_view,
                            std::string_view) override {
    return No("upload");
  }
  Result<FeedId> CreateFeed(const CreateFeedRequest&) override { return No("createFeed"); }
  Result<FeedId> SubmitFeed(const CreateFeedRequest&, std::string_view, std::string_view) override {
    return No("submitFeed");
  }
  Result<AmazonFeed> GetFeed(const FeedId&, CallPriority) override { return No("getFeed"); }
  Result<std::string> GetFeedDocument(const std::string&, CallPriority) override {
    return No("getFeedDocument");
  }
  Result<ListingsFeedReport> GetListingsFeedReport(const std::string&, CallPriority) override {
    return No("feed report");
  }
  Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest&) override {
    return No("searchOrders");
  }
  Result<AmazonOrder> GetOrder(const GetOrderRequest&) override { return No("getOrder"); }
  Status ConfirmShipment(const ConfirmShipmentRequest&) override { return No("confirmShipment"); }
  Result<AmazonReportsPage> GetReports(const GetReportsRequest&) override {
    return No("getReports");
  }
  Result<AmazonReport> GetReport(const ReportId&, CallPriority) override { return No("getReport"); }
  Result<std::string> GetReportDocument(const std::string&, CallPriority) override {
    return No("getReportDocument");
  }
  Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest&) override {
    return No("getDefinitionsProductType");
  }
  Result<std::string> DownloadSchema(const std::string&) override { return No("schema"); }
  Result<NotificationDestination> CreateDestination(const CreateDestinationRequest&) override {
    return No("createDestination");
  }
  Result<NotificationSubscription> CreateSubscription(const CreateSubscriptionRequest&) override {
    return No("createSubscription");
  }
  Duration QuotaWait(std::string_view, CallPriority) override { return Duration(0); }
};

}  // namespace mb::catalogue::testing

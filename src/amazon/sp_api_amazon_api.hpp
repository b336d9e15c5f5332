#pragma once
// AmazonApi on SP-API. The JSON mapping of each API lives in its own file (listings_api.cpp,
// feeds_api.cpp, orders_api.cpp, reports_api.cpp, definitions_api.cpp, notifications_api.cpp);
// documents (presigned upload/download, gunzip) in documents.cpp.

#include "amazon/sp_api_client.hpp"
#include "ports/amazon_api.hpp"

namespace mb::amazon {

class SpApiAmazonApi final : public AmazonApi {
 public:
  // `client` must outlive this object; `governor` answers QuotaWait.
  SpApiAmazonApi(SpApiClient& client, RateGovernor& governor, std::string region)
      : client_(client), governor_(governor), region_(std::move(region)) {}

  Result<ListingsItem> GetListingsItem(const GetListingsItemRequest& request) override;
  Result<ListingsSubmission> PutListingsItem(const PutListingsItemRequest& request) override;
  Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest& request) override;
  Result<ListingsSubmission> DeleteListingsItem(const DeleteListingsItemRequest& request) override;
  Result<ListingsItemsPage> SearchListingsItems(const SearchListingsItemsRequest& request) override;

  Result<FeedDocumentUpload> CreateFeedDocument(std::string_view content_type,
                                                CallPriority priority) override;
  Status UploadFeedDocument(const FeedDocumentUpload& document, std::string_view content_type,
                            std::string_view content) override;
  Result<FeedId> CreateFeed(const CreateFeedRequest& request) override;
  Result<FeedId> SubmitFeed(const CreateFeedRequest& request, std::string_view content_type,
                            std::string_view content) override;
  Result<AmazonFeed> GetFeed(const FeedId& feed_id, CallPriority priority) override;
  Result<std::string> GetFeedDocument(const std::string& feed_document_id,
                                      CallPriority priority) override;
  Result<ListingsFeedReport> GetListingsFeedReport(const std::string& feed_document_id,
                                                   CallPriority priority) override;

  Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest& request) override;
  Result<AmazonOrder> GetOrder(const GetOrderRequest& request) override;
  Status ConfirmShipment(const ConfirmShipmentRequest& request) override;

  Result<AmazonReportsPage> GetReports(const GetReportsRequest& request) override;
  Result<AmazonReport> GetReport(const ReportId& report_id, CallPriority priority) override;
  Result<std::string> GetReportDocument(const std::string& report_document_id,
                                        CallPriority priority) override;

  Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest& request) override;
  Result<std::string> DownloadSchema(const std::string& url) override;

  Result<NotificationDestination> CreateDestination(
      const CreateDestinationRequest& request) override;
  Result<NotificationSubscription> CreateSubscription(
      const CreateSubscriptionRequest& request) override;

  Duration QuotaWait(std::string_view operation, CallPriority priority) override;

 private:
  SpApiClient& client_;
  RateGovernor& governor_;
  std::string region_;
};

// A JSON_LISTINGS_FEED processing report document (listings-feed-processing-report-schema-v2).
Result<ListingsFeedReport> ParseListingsFeedReport(std::string_view text);

}  // namespace mb::amazon

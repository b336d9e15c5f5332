#pragma once
// Test support: AmazonApi and ScayleApi whose every operation fails with kInternal, naming the
// operation. A fake derives from one and overrides only what its loop calls, so an unexpected call
// shows up as an error instead of each fake repeating the whole interface. A fake whose loop reads
// an unanswered operation as "Amazon has none" picks another error code (e.g. kNotFound).

#include <string>
#include <string_view>

#include "ports/amazon_api.hpp"
#include "ports/scayle_api.hpp"

namespace mb {

inline tl::unexpected<Error> UnusedOperation(std::string_view operation,
                                             ErrorCode code = ErrorCode::kInternal) {
  return Fail(code, std::string(operation) + " is not used by this test double");
}

class UnusedAmazonApi : public AmazonApi {
 public:
  explicit UnusedAmazonApi(ErrorCode unused_code = ErrorCode::kInternal)
      : unused_code_(unused_code) {}

  Result<ListingsItem> GetListingsItem(const GetListingsItemRequest&) override {
    return Unused("amazon getListingsItem");
  }
  Result<ListingsSubmission> PutListingsItem(const PutListingsItemRequest&) override {
    return Unused("amazon putListingsItem");
  }
  Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest&) override {
    return Unused("amazon patchListingsItem");
  }
  Result<ListingsSubmission> DeleteListingsItem(const DeleteListingsItemRequest&) override {
    return Unused("amazon deleteListingsItem");
  }
  Result<ListingsItemsPage> SearchListingsItems(const SearchListingsItemsRequest&) override {
    return Unused("amazon searchListingsItems");
  }
  Result<FeedDocumentUpload> CreateFeedDocument(std::string_view, CallPriority) override {
    return Unused("amazon createFeedDocument");
  }
  Status UploadFeedDocument(const FeedDocumentUpload&, std::string_view,
                            std::string_view) override {
    return Unused("amazon feed document upload");
  }
  Result<FeedId> CreateFeed(const CreateFeedRequest&) override {
    return Unused("amazon createFeed");
  }
  Result<FeedId> SubmitFeed(const CreateFeedRequest&, std::string_view, std::string_view) override {
    return Unused("amazon feed submission");
  }
  Result<AmazonFeed> GetFeed(const FeedId&, CallPriority) override {
    return Unused("amazon getFeed");
  }
  Result<std::string> GetFeedDocument(const std::string&, CallPriority) override {
    return Unused("amazon getFeedDocument");
  }
  Result<ListingsFeedReport> GetListingsFeedReport(const std::string&, CallPriority) override {
    return Unused("amazon listings feed report");
  }
  Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest&) override {
    return Unused("amazon searchOrders");
  }
  Result<AmazonOrder> GetOrder(const GetOrderRequest&) override {
    return Unused("amazon getOrder");
  }
  Status ConfirmShipment(const ConfirmShipmentRequest&) override {
    return Unused("amazon confirmShipment");
  }
  Result<AmazonReportsPage> GetReports(const GetReportsRequest&) override {
    return Unused("amazon getReports");
  }
  Result<AmazonReport> GetReport(const ReportId&, CallPriority) override {
    return Unused("amazon getReport");
  }
  Result<std::string> GetReportDocument(const std::string&, CallPriority) override {
    return Unused("amazon getReportDocument");
  }
  Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest&) override {
    return Unused("amazon getDefinitionsProductType");
  }
  Result<std::string> DownloadSchema(const std::string&) override {
    return Unused("amazon schema download");
  }
  Result<NotificationDestination> CreateDestination(const CreateDestinationRequest&) override {
    return Unused("amazon createDestination");
  }
  Result<NotificationSubscription> CreateSubscription(const CreateSubscriptionRequest&) override {
    return Unused("amazon createSubscription");
  }
  Duration QuotaWait(std::string_view, CallPriority) override { return Duration(0); }

 protected:
  tl::unexpected<Error> Unused(std::string_view operation) const {
    return UnusedOperation(operation, unused_code_);
  }

 private:
  ErrorCode unused_code_;
};

class UnusedScayleApi : public ScayleApi {
 public:
  Status ForEachProduct(const std::function<Status(const std::vector<ScayleProduct>&)>&) override {
    return UnusedOperation("scayle product listing");
  }
  Result<std::vector<ScayleStock>> GetVariantStocks(const ScayleVariantRef&) override {
    return UnusedOperation("scayle variant stocks");
  }
  Result<std::vector<ScaylePrice>> GetVariantPrices(const ScayleVariantRef&) override {
    return UnusedOperation("scayle variant prices");
  }
  Result<std::vector<ScayleReservationOutcome>> CreateReservations(
      const std::vector<ScayleReservationRequest>&) override {
    return UnusedOperation("scayle POST /reservations");
  }
  Status DeleteReservationByKey(const std::string&) override {
    return UnusedOperation("scayle DELETE /reservations");
  }
  Status DeleteReservationById(int64_t) override {
    return UnusedOperation("scayle DELETE /reservations");
  }
  Result<ScayleOrder> CreateOrder(const ScayleNewOrder&) override {
    return UnusedOperation("scayle order creation");
  }
  Result<ScayleOrder> GetOrderById(const std::string&, const std::string&, int64_t) override {
    return UnusedOperation("scayle order lookup");
  }
  Result<ScayleOrder> GetOrderByReferenceKey(const std::string&, const std::string&,
                                             const std::string&) override {
    return UnusedOperation("scayle order lookup");
  }
  Status ForEachOrder(const std::string&, const std::string&,
                      const std::function<Status(const std::vector<ScayleOrder>&)>&) override {
    return UnusedOperation("scayle order listing");
  }
  Result<std::vector<ScayleCarrier>> ListCarriers() override {
    return UnusedOperation("scayle carrier listing");
  }
  Result<ScayleWebhookSubscription> CreateWebhookSubscription(
      const ScayleWebhookSubscription&) override {
    return UnusedOperation("scayle webhook subscription");
  }
  Result<std::vector<ScayleWebhookSubscription>> ListWebhookSubscriptions() override {
    return UnusedOperation("scayle webhook subscription listing");
  }
};

}  // namespace mb

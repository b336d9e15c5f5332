#pragma once
// The Amazon side as the loops see it: SP-API operations with plain typed structs (no JSON types),
// implemented in src/amazon (SpApiAmazonApi). Attribute documents of listings stay JSON *text*:
// their shape is the product type's schema, which the catalogue compiler owns. Field names follow
// the official models (reference/amazon/models) in snake_case.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"

namespace mb {

// Who goes first when SP-API quota is scarce. Zero-crossings and big stock drops must never wait
// behind price updates, and catalogue work never delays stock.
enum class CallPriority {
  kUrgent,  // stock to zero, large drops, shipment confirmations
  kNormal,  // ordinary stock and price changes, orders
  kBulk,    // catalogue, audits, reports
};

// ---- Listings Items 2021-08-01 ----

struct ListingsIssue {
  std::string code;
  std::string message;
  std::string severity;  // ERROR, WARNING, INFO
  std::vector<std::string> attribute_names;
  std::vector<std::string> categories;
};

// putListingsItem / patchListingsItem / deleteListingsItem answer.
struct ListingsSubmission {
  Sku sku;
  std::string status;  // ACCEPTED (queued, not yet live), INVALID, VALID (validation preview)
  std::string submission_id;
  std::vector<ListingsIssue> issues;
};

struct ListingsPatch {
  std::string op;          // add, replace, merge, delete
  std::string path;        // "/attributes/fulfillment_availability"
  std::string value_json;  // JSON array text; "" for a delete without value
};

struct PatchListingsItemRequest {
  Sku sku;
  std::vector<MarketplaceId> marketplace_ids;
  std::string product_type;
  std::vector<ListingsPatch> patches;
  bool validation_preview = false;  // mode=VALIDATION_PREVIEW: checked, not applied
  std::string issue_locale;         // e.g. en_US, so issues come back in one language
  CallPriority priority = CallPriority::kNormal;
};

struct PutListingsItemRequest {
  Sku sku;
  MarketplaceId marketplace_id;
  std::string product_type;
  std::string requirements;     // LISTING, LISTING_PRODUCT_ONLY, LISTING_OFFER_ONLY; "" = default
  std::string attributes_json;  // the `attributes` object as JSON text
  bool validation_preview = false;
  std::string issue_locale;
  CallPriority priority = CallPriority::kBulk;
};

struct DeleteListingsItemRequest {
  Sku sku;
  MarketplaceId marketplace_id;
  std::string issue_locale;
  CallPriority priority = CallPriority::kBulk;
};

struct GetListingsItemRequest {
  Sku sku;
  std::vector<MarketplaceId> marketplace_ids;
  // summaries, attributes, issues, offers, fulfillmentAvailability, procurement, relationships,
  // productTypes; empty = Amazon's default (summaries).
  std::vector<std::string> included_data;
  std::string issue_locale;
  CallPriority priority = CallPriority::kNormal;
};

struct ListingsItemSummary {
  MarketplaceId marketplace_id;
  Asin asin;
  std::string product_type;
  std::string condition_type;
  std::vector<std::string> status;  // BUYABLE, DISCOVERABLE
  std::string item_name;
  std::optional<TimePoint> last_updated_date;
};

struct FulfillmentAvailability {
  std::string fulfillment_channel_code;  // DEFAULT = seller-fulfilled
  std::optional<int64_t> quantity;
};

struct ListingsOffer {
  MarketplaceId marketplace_id;
  std::string offer_type;  // B2C, B2B
  std::optional<Money> price;
};

struct ListingsItem {
  Sku sku;
  std::vector<ListingsItemSummary> summaries;
  std::string attributes_json;  // "" when not requested
  std::vector<ListingsIssue> issues;
  std::vector<ListingsOffer> offers;
  std::vector<FulfillmentAvailability> fulfillment_availability;
};

struct SearchListingsItemsRequest {
  std::vector<MarketplaceId> marketplace_ids;
  std::vector<std::string> identifiers;  // up to 20
  std::string identifiers_type;          // SKU, ASIN, EAN ... (required with identifiers)
  std::vector<std::string> included_data;
  std::optional<TimePoint> last_updated_after;
  int page_size = 20;  // Amazon's maximum
  std::string page_token;
  // Amazon's default is lastUpdatedDate DESC: a listing updated during a walk of all pages jumps
  // to the front and the walk misses it. Walks that must see everything sort by SKU.
  std::string sort_by;     // "", sku, createdDate, lastUpdatedDate
  std::string sort_order;  // "", ASC, DESC
  CallPriority priority = CallPriority::kBulk;
};

struct ListingsItemsPage {
  int64_t number_of_results = 0;
  std::vector<ListingsItem> items;
  std::string next_token;  // "" on the last page
};

// ---- Feeds 2021-06-30 ----

struct FeedDocumentUpload {
  std::string feed_document_id;
  std::string url;  // presigned, valid for 5 minutes
};

struct CreateFeedRequest {
  std::string feed_type = "JSON_LISTINGS_FEED";
  std::vector<MarketplaceId> marketplace_ids;
  std::string input_feed_document_id;
  std::map<std::string, std::string> feed_options;
  CallPriority priority = CallPriority::kNormal;
};

struct AmazonFeed {
  FeedId feed_id;
  std::string feed_type;
  std::vector<MarketplaceId> marketplace_ids;
  std::optional<TimePoint> created_time;
  std::string processing_status;  // IN_QUEUE, IN_PROGRESS, DONE, FATAL, CANCELLED
  std::optional<TimePoint> processing_start_time;
  std::optional<TimePoint> processing_end_time;
  std::string result_feed_document_id;
};

// JSON_LISTINGS_FEED processing report (listings-feed-processing-report-schema-v2).
struct ListingsFeedIssue {
  int64_t message_id = 0;
  Sku sku;
  std::string code;
  std::string severity;  // ERROR, WARNING, INFO
  std::string message;
  std::string attribute_name;
};

struct ListingsFeedReport {
  FeedId feed_id;
  int64_t errors = 0;
  int64_t warnings = 0;
  int64_t messages_processed = 0;
  int64_t messages_accepted = 0;
  int64_t messages_invalid = 0;
  std::vector<ListingsFeedIssue> issues;
};

// ---- Orders 2026-01-01 (reads) and v0 (confirmShipment) ----

struct SearchOrdersRequest {
  // Exactly one of created_after / last_updated_after.
  std::optional<TimePoint> created_after;
  std::optional<TimePoint> created_before;
  std::optional<TimePoint> last_updated_after;
  std::optional<TimePoint> last_updated_before;  // at least 2 minutes in the past
  std::vector<MarketplaceId> marketplace_ids;
  std::vector<std::string> fulfillment_statuses;  // PENDING, UNSHIPPED, ...
  std::vector<std::string> fulfilled_by;          // MERCHANT, AMAZON
  int max_results_per_page = 100;
  std::string pagination_token;
  std::vector<std::string> included_data;  // BUYER, RECIPIENT, PROCEEDS, FULFILLMENT, PACKAGES ...
  CallPriority priority = CallPriority::kNormal;
};

struct GetOrderRequest {
  AmazonOrderId order_id;
  std::vector<std::string> included_data;
  CallPriority priority = CallPriority::kNormal;
};

struct AmazonAddress {
  std::string name;
  std::string company_name;
  std::string address_line1;
  std::string address_line2;
  std::string address_line3;
  std::string city;
  std::string district_or_county;
  std::string state_or_region;
  std::string municipality;
  std::string postal_code;
  std::string country_code;  // alpha-2
  std::string phone;
  std::string address_type;  // Residential, Commercial, PickupPoint
};

struct AmazonOrderItem {
  AmazonOrderItemId order_item_id;
  Sku seller_sku;
  Asin asin;
  std::string title;
  int64_t quantity_ordered = 0;
  std::optional<Money> unit_price;
  std::optional<Money> proceeds_total;
  // proceeds breakdown by type (ITEM, SHIPPING, ...) as Amazon names it.
  std::map<std::string, Money> proceeds_breakdown;
  std::optional<int64_t> quantity_fulfilled;
  std::optional<int64_t> quantity_unfulfilled;
  bool cancellation_requested = false;
};

struct AmazonOrderPackage {
  std::string package_reference_id;
  std::string carrier;
  std::string tracking_number;
  std::string shipping_service;
  std::string package_status;
  std::optional<TimePoint> ship_time;
};

struct AmazonOrder {
  AmazonOrderId order_id;
  TimePoint created_time{};
  TimePoint last_updated_time{};
  MarketplaceId marketplace_id;
  std::string channel_name;
  std::vector<std::string> programs;  // PRIME, BUSINESS ...
  std::string fulfillment_status;     // PENDING, UNSHIPPED, ... (or a new value: never a crash)
  std::string fulfilled_by;           // MERCHANT, AMAZON
  std::string fulfillment_service_level;
  std::optional<TimePoint> ship_by_earliest;
  std::optional<TimePoint> ship_by_latest;
  std::optional<TimePoint> deliver_by_earliest;
  std::optional<TimePoint> deliver_by_latest;
  std::optional<Money> grand_total;
  // Personal data: present only when BUYER / RECIPIENT were requested. Never log.
  std::string buyer_name;
  std::string buyer_email;
  std::optional<AmazonAddress> delivery_address;
  std::vector<AmazonOrderItem> items;
  std::vector<AmazonOrderPackage> packages;
};

struct AmazonOrdersPage {
  std::vector<AmazonOrder> orders;
  std::string next_token;  // "" on the last page
  std::optional<TimePoint> last_updated_before;
  std::optional<TimePoint> created_before;
};

struct ShipmentItem {
  AmazonOrderItemId order_item_id;
  int64_t quantity = 0;
  std::vector<std::string> transparency_codes;
};

struct ConfirmShipmentRequest {
  AmazonOrderId order_id;
  MarketplaceId marketplace_id;
  std::string package_reference_id;  // positive numeric string, unique per package of the order
  std::string carrier_code;          // from Amazon's list, or "Other" with carrier_name
  std::string carrier_name;
  std::string shipping_method;
  std::string tracking_number;
  TimePoint ship_date{};
  std::string ship_from_supply_source_id;
  std::string cod_collection_method;  // JP only
  std::vector<ShipmentItem> items;
  CallPriority priority = CallPriority::kUrgent;
};

// ---- Reports 2021-06-30 ----

struct GetReportsRequest {
  std::vector<std::string> report_types;
  std::vector<std::string> processing_statuses;
  std::vector<MarketplaceId> marketplace_ids;
  std::optional<TimePoint> created_since;
  std::optional<TimePoint> created_until;
  int page_size = 100;
  std::string next_token;  // when set, Amazon ignores the other filters
  CallPriority priority = CallPriority::kBulk;
};

struct AmazonReport {
  ReportId report_id;
  std::string report_type;
  std::vector<MarketplaceId> marketplace_ids;
  std::optional<TimePoint> data_start_time;
  std::optional<TimePoint> data_end_time;
  std::optional<TimePoint> created_time;
  std::string processing_status;
  std::optional<TimePoint> processing_start_time;
  std::optional<TimePoint> processing_end_time;
  std::string report_schedule_id;
  std::string report_document_id;
};

struct AmazonReportsPage {
  std::vector<AmazonReport> reports;
  std::string next_token;
};

// ---- Product Type Definitions 2020-09-01 ----

struct GetProductTypeDefinitionRequest {
  std::string product_type;
  MarketplaceId marketplace_id;
  std::string product_type_version = "LATEST";
  std::string requirements = "LISTING";
  std::string requirements_enforced = "ENFORCED";
  std::string locale = "DEFAULT";
  CallPriority priority = CallPriority::kBulk;
};

struct ProductTypeDefinition {
  std::string product_type;
  std::string display_name;
  std::vector<MarketplaceId> marketplace_ids;
  std::string locale;
  std::string version;
  bool latest = false;
  bool release_candidate = false;
  std::string requirements;
  std::string requirements_enforced;
  std::string schema_url;
  std::string schema_checksum;  // base64 MD5: the cache key
  std::string meta_schema_url;
  std::string meta_schema_checksum;
  std::map<std::string, std::vector<std::string>> property_groups;  // group -> property names
};

// ---- Notifications v1 ----

struct CreateDestinationRequest {
  std::string name;
  std::string sqs_arn;
};

struct NotificationDestination {
  std::string destination_id;
  std::string name;
  std::string sqs_arn;
};

struct CreateSubscriptionRequest {
  std::string notification_type = "ORDER_CHANGE";
  std::string payload_version = "1.0";
  std::string destination_id;
  // processingDirective.eventFilter for ORDER_CHANGE; empty = everything.
  std::vector<MarketplaceId> marketplace_ids;
  std::vector<std::string> order_change_types;
};

struct NotificationSubscription {
  std::string subscription_id;
  std::string payload_version;
  std::string destination_id;
};

class AmazonApi {
 public:
  virtual ~AmazonApi() = default;

  virtual Result<ListingsItem> GetListingsItem(const GetListingsItemRequest& request) = 0;
  virtual Result<ListingsSubmission> PutListingsItem(const PutListingsItemRequest& request) = 0;
  virtual Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest& request) = 0;
  virtual Result<ListingsSubmission> DeleteListingsItem(
      const DeleteListingsItemRequest& request) = 0;
  virtual Result<ListingsItemsPage> SearchListingsItems(
      const SearchListingsItemsRequest& request) = 0;

  virtual Result<FeedDocumentUpload> CreateFeedDocument(std::string_view content_type,
                                                        CallPriority priority) = 0;
  // A plain PUT of the document to the presigned URL (no token, no SP-API quota).
  virtual Status UploadFeedDocument(const FeedDocumentUpload& document,
                                    std::string_view content_type, std::string_view content) = 0;
  virtual Result<FeedId> CreateFeed(const CreateFeedRequest& request) = 0;
  // createFeedDocument, upload, createFeed in one go.
  virtual Result<FeedId> SubmitFeed(const CreateFeedRequest& request, std::string_view content_type,
                                    std::string_view content) = 0;
  virtual Result<AmazonFeed> GetFeed(const FeedId& feed_id, CallPriority priority) = 0;
  // getFeedDocument, download, gunzip when compressionAlgorithm is GZIP: the document text.
  virtual Result<std::string> GetFeedDocument(const std::string& feed_document_id,
                                              CallPriority priority) = 0;
  // GetFeedDocument of a JSON_LISTINGS_FEED result, parsed.
  virtual Result<ListingsFeedReport> GetListingsFeedReport(const std::string& feed_document_id,
                                                           CallPriority priority) = 0;

  virtual Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest& request) = 0;
  virtual Result<AmazonOrder> GetOrder(const GetOrderRequest& request) = 0;
  // Orders v0; success is 204.
  virtual Status ConfirmShipment(const ConfirmShipmentRequest& request) = 0;

  virtual Result<AmazonReportsPage> GetReports(const GetReportsRequest& request) = 0;
  virtual Result<AmazonReport> GetReport(const ReportId& report_id, CallPriority priority) = 0;
  // getReportDocument, download, gunzip when flagged: the document bytes.
  virtual Result<std::string> GetReportDocument(const std::string& report_document_id,
                                                CallPriority priority) = 0;

  virtual Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest& request) = 0;
  // Downloads a schema by its link (schema_url / meta_schema_url).
  virtual Result<std::string> DownloadSchema(const std::string& url) = 0;

  virtual Result<NotificationDestination> CreateDestination(
      const CreateDestinationRequest& request) = 0;
  virtual Result<NotificationSubscription> CreateSubscription(
      const CreateSubscriptionRequest& request) = 0;

  // How long (clock time) until `operation` (an SP-API operationId) could be called at this
  // priority; lets a loop choose between per-item calls and a feed without spending quota.
  virtual Duration QuotaWait(std::string_view operation, CallPriority priority) = 0;
};

// A message of the notification queue (SQS): the loops parse `body` (one SP-API notification).
struct QueueMessage {
  std::string message_id;
  std::string receipt_handle;  // of this receive; use the latest for delete
  std::string body;
  int receive_count = 0;
  std::optional<TimePoint> sent_at;
};

class NotificationQueue {
 public:
  virtual ~NotificationQueue() = default;
  // Long poll: waits up to `wait` (≤ 20 s) for up to `max_messages` (≤ 10).
  virtual Result<std::vector<QueueMessage>> Receive(int max_messages, Duration wait) = 0;
  // Only after the message's effect is durably recorded.
  virtual Status Delete(const std::string& receipt_handle) = 0;
  // 0 makes it visible again at once (retry now); longer defers it.
  virtual Status ChangeVisibility(const std::string& receipt_handle, Duration visibility) = 0;
};

}  // namespace mb

#pragma once
// The emulated Amazon seller account state: listings, orders, shipment confirmations, feeds,
// reports and their documents. Thread-safe; the HTTP APIs and the market simulation both work
// through it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "sandbox/amazon/marketplaces.hpp"
#include "sandbox/common/sim_clock.hpp"

namespace sandbox::amazon {

struct WorldError {
  int http_status = 400;
  std::string code = "InvalidInput";
  std::string message;
};
template <class T>
using Result = tl::expected<T, WorldError>;

struct Money {
  int64_t minor = 0;  // cents / pence
  std::string currency;
};
std::string FormatAmount(int64_t minor);  // 1999 -> "19.99"

struct SellerAccount {
  std::string seller_id;      // merchant token
  std::string refresh_token;  // LWA refresh token that authorises the app for this seller
};

struct AmazonConfig {
  std::vector<SellerAccount> sellers = {{"A2MBSANDBOX1", "Atzr|marketbridge-sandbox-refresh-1"}};
  std::chrono::seconds feed_queue_delay{45};
  std::chrono::seconds feed_processing_delay{90};
  std::chrono::milliseconds feed_processing_per_message{20};
  std::chrono::seconds report_delay{120};
  std::chrono::seconds document_url_lifetime{300};
  bool gzip_feed_results = true;
  // Open point (SPAPI.md §12): Amazon's docs don't say whether cancelling restores listed quantity.
  bool cancel_restores_quantity = false;
  // JSON_LISTINGS_FEED fault: messages for these SKUs, and every n-th message, are reported
  // accepted but never applied (the feed still finishes DONE without an issue).
  std::set<std::string> feed_silently_dropped_skus;
  int feed_silently_drop_every_nth = 0;
  unsigned seed = 1;
};

struct Listing {
  std::string seller_id;
  Region region = Region::kEurope;
  std::string sku;
  std::string asin;
  std::string product_type;
  // Of the putListingsItem that created it: what a later patch is checked against.
  std::string requirements = "LISTING";
  nlohmann::json attributes = nlohmann::json::object();
  std::set<std::string> marketplace_ids;
  SimTime created_date;
  SimTime last_updated_date;
  nlohmann::json issues = nlohmann::json::array();
};
// fulfillment_availability quantity for the seller-fulfilled channel (DEFAULT); 0 when absent.
int ListedQuantity(const Listing& listing);
// our_price of purchasable_offer for the marketplace, if offered there.
std::optional<Money> OfferPrice(const Listing& listing, const Marketplace& marketplace);

struct Submission {
  std::string sku;
  std::string status;  // ACCEPTED | INVALID | VALID
  std::string submission_id;
  nlohmann::json issues = nlohmann::json::array();
};

struct Address {
  std::string name;
  std::string address_line1;
  std::string city;
  std::string postal_code;
  std::string country_code;
  std::string phone;
};

struct OrderItem {
  std::string order_item_id;
  std::string sku;
  std::string asin;
  std::string title;
  int quantity_ordered = 0;
  int quantity_shipped = 0;
  Money unit_price;
};

struct PackageItem {
  std::string order_item_id;
  int quantity = 0;
};

struct Package {
  std::string package_reference_id;
  std::string carrier_code;
  std::string carrier_name;
  std::string shipping_method;
  std::string tracking_number;
  SimTime ship_date;
  SimTime confirmed_at;
  std::vector<PackageItem> items;
};

// Orders 2026-01-01 FulfillmentStatus values. Stored as text so a scenario can set values outside
// the model's enum (unknown-status fault).
namespace order_status {
inline constexpr const char* kPendingAvailability = "PENDING_AVAILABILITY";
inline constexpr const char* kPending = "PENDING";
inline constexpr const char* kUnshipped = "UNSHIPPED";
inline constexpr const char* kPartiallyShipped = "PARTIALLY_SHIPPED";
inline constexpr const char* kShipped = "SHIPPED";
inline constexpr const char* kCancelled = "CANCELLED";
}  // namespace order_status

struct Order {
  std::string order_id;  // 3-7-7
  std::string seller_id;
  std::string marketplace_id;
  SimTime created_time;
  SimTime last_updated_time;
  std::string status = order_status::kPending;
  std::vector<OrderItem> items;
  SimTime earliest_ship_date;
  SimTime latest_ship_date;
  SimTime earliest_delivery_date;
  SimTime latest_delivery_date;
  std::string buyer_name;
  std::string buyer_email;
  Address delivery_address;
  std::vector<Package> packages;
  bool shipped_late = false;  // some package was confirmed after latest_ship_date
};

struct OrderLineRequest {
  std::string sku;
  int quantity = 1;
  std::optional<Money> unit_price;  // defaults to the listing's our_price
};

struct PlaceOrderRequest {
  std::string seller_id;
  std::string marketplace_id;
  std::vector<OrderLineRequest> lines;
  std::string status = order_status::kPending;
  std::chrono::seconds ship_within{std::chrono::hours(48)};
  std::chrono::seconds deliver_within{std::chrono::hours(120)};
  std::string buyer_name = "Sandbox Buyer";
  std::string buyer_email = "buyer@marketplace.amazon.invalid";
  Address delivery_address = {"Erika Mustermann", "Hauptstr. 1", "Berlin", "10115", "DE",
                              "+49 30 1234567"};
};

struct ConfirmShipmentRequest {
  std::string marketplace_id;
  Package package;  // confirmed_at is set by the world
};

struct ShipmentConfirmation {
  std::string order_id;
  std::string package_reference_id;
  std::string carrier_code;
  std::string carrier_name;
  std::string tracking_number;
  SimTime ship_date;
  SimTime confirmed_at;
  SimTime latest_ship_date;
  bool late = false;  // confirmed after LatestShipDate
  bool edit = false;  // same packageReferenceId sent again
  std::vector<PackageItem> items;
};

enum class ProcessingStatus { kInQueue, kInProgress, kDone, kFatal, kCancelled };
std::string ProcessingStatusName(ProcessingStatus status);

struct Document {
  std::string id;
  std::string content_type;
  std::string bytes;  // as served (already gzipped when `gzip`)
  bool gzip = false;
  bool uploaded = false;  // feed input documents: PUT received
  SimTime url_expires;
  std::string url_signature;
};

struct Feed {
  std::string feed_id;
  std::string seller_id;
  std::string feed_type;
  std::vector<std::string> marketplace_ids;
  Region region = Region::kEurope;
  std::string input_document_id;
  SimTime created_time;
  ProcessingStatus status = ProcessingStatus::kInQueue;
  SimTime start_due;
  SimTime end_due;
  std::optional<SimTime> processing_start_time;
  std::optional<SimTime> processing_end_time;
  std::string result_document_id;
};

struct Report {
  std::string report_id;
  std::string seller_id;
  std::string report_type;
  std::vector<std::string> marketplace_ids;
  SimTime created_time;
  std::optional<SimTime> data_start_time;
  std::optional<SimTime> data_end_time;
  ProcessingStatus status = ProcessingStatus::kInQueue;
  SimTime due;
  std::optional<SimTime> processing_start_time;
  std::optional<SimTime> processing_end_time;
  std::string report_document_id;
};

struct WorldCounters {
  int orders_placed = 0;
  int orders_rejected = 0;
  int shipments_confirmed = 0;
  int late_shipments = 0;
  int feeds_done = 0;
  int feeds_fatal = 0;
  int feed_messages_silently_dropped = 0;
};

class AmazonWorld {
 public:
  static constexpr const char* kSettlementReportType = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2";

  AmazonWorld(SimClock& clock, AmazonConfig config);

  SimClock& clock() { return clock_; }
  const AmazonConfig& config() const { return config_; }
  bool HasSeller(const std::string& seller_id) const;
  // Base of the presigned-style document URLs ("http://127.0.0.1:PORT"); set by the server.
  void SetDocumentBaseUrl(std::string base);

  // Brings feeds and reports whose sim-time delay has passed to their next status.
  void ProcessDue();

  // Checks a listing's attributes against its product type, as Amazon does on every submission
  // (put, patch, JSON_LISTINGS_FEED message): Listings `Issue` objects, empty when acceptable.
  // Messages in `issue_locale` (empty: the marketplace's language).
  using ListingChecker = std::function<nlohmann::json(
      const std::string& product_type, const std::string& marketplace_id,
      const nlohmann::json& attributes, const std::string& requirements,
      const std::string& issue_locale)>;
  // Without one (the default), only the attributes' general shape is checked.
  void SetListingChecker(ListingChecker checker);

  // Listings (Listings Items 2021-08-01 semantics). `validate_only` = mode VALIDATION_PREVIEW.
  Result<Submission> PutListing(const std::string& seller_id, const std::string& marketplace_id,
                                const std::string& sku, const nlohmann::json& body,
                                bool validate_only, const std::string& issue_locale = "");
  Result<Submission> PatchListing(const std::string& seller_id, const std::string& marketplace_id,
                                  const std::string& sku, const nlohmann::json& body,
                                  bool validate_only, const std::string& issue_locale = "");
  Result<Submission> DeleteListing(const std::string& seller_id, const std::string& marketplace_id,
                                   const std::string& sku);
  std::optional<Listing> GetListing(const std::string& seller_id, Region region,
                                    const std::string& sku) const;
  std::vector<Listing> Listings(const std::string& seller_id, Region region) const;
  // Visits the seller's listings in a region under the world's lock, without copying them
  // (searchListingsItems pages through 20,000 listings 20 at a time). `visit` must not call back
  // into the world.
  void ForEachListing(const std::string& seller_id, Region region,
                      const std::function<void(const Listing&)>& visit) const;

  // Orders. A buyer can only buy what is listed; Amazon lowers the listed quantity at order time.
  Result<Order> PlaceOrder(const PlaceOrderRequest& request);
  Result<Order> SetOrderStatus(const std::string& order_id, const std::string& status);
  Result<Order> CancelOrder(const std::string& order_id);
  std::optional<Order> GetOrder(const std::string& order_id) const;
  std::vector<Order> Orders(const std::string& seller_id) const;
  Result<void> ConfirmShipment(const std::string& seller_id, const std::string& order_id,
                               const ConfirmShipmentRequest& request);
  std::vector<ShipmentConfirmation> Confirmations() const;
  WorldCounters Counters() const;
  // Called after every order change (placed, status set, cancelled, shipment confirmed), outside
  // the world's lock, with the order as it now is — the hook for ORDER_CHANGE notifications.
  using OrderObserver = std::function<void(const Order&)>;
  void AddOrderObserver(OrderObserver observer);

  // Documents, feeds, reports.
  Document CreateUploadDocument(const std::string& content_type);
  bool UploadDocument(const std::string& id, const std::string& signature, std::string bytes);
  std::optional<Document> GetDocument(const std::string& id) const;
  // Renews the document's URL signature and expiry and returns its URL.
  std::optional<std::string> DocumentUrl(const std::string& id, bool content_encoding_header);
  Result<Feed> CreateFeed(const std::string& seller_id, const std::string& feed_type,
                          const std::vector<std::string>& marketplace_ids,
                          const std::string& input_document_id);
  std::optional<Feed> GetFeed(const std::string& seller_id, const std::string& feed_id) const;
  Result<void> CancelFeed(const std::string& seller_id, const std::string& feed_id);
  std::vector<Feed> Feeds(const std::string& seller_id) const;
  Result<Report> CreateReport(const std::string& seller_id, const std::string& report_type,
                              const std::vector<std::string>& marketplace_ids,
                              std::optional<SimTime> data_start, std::optional<SimTime> data_end);
  // Publishes a finished report (e.g. a settlement) as Amazon's own schedule would.
  Report AddReport(const std::string& seller_id, const std::string& report_type,
                   const std::string& marketplace_id, std::string content, SimTime created_time,
                   bool gzip = true);
  std::optional<Report> GetReport(const std::string& seller_id, const std::string& report_id) const;
  Result<void> CancelReport(const std::string& seller_id, const std::string& report_id);
  std::vector<Report> Reports(const std::string& seller_id) const;
  // The seller that owns a document (feed result or report), empty if none.
  std::string DocumentOwner(const std::string& document_id) const;

 private:
  struct ListingKey {
    std::string seller_id;
    Region region;
    std::string sku;
    auto operator<=>(const ListingKey&) const = default;
  };

  std::string NewId(const char* prefix, int digits);
  std::string NewOrderId();
  Result<Submission> ApplyPatchLocked(const std::string& seller_id, const Marketplace& marketplace,
                                      const std::string& sku, const nlohmann::json& body,
                                      bool validate_only, SimTime now,
                                      const std::string& issue_locale = "");
  Result<Submission> ApplyPutLocked(const std::string& seller_id, const Marketplace& marketplace,
                                    const std::string& sku, const nlohmann::json& body,
                                    bool validate_only, SimTime now,
                                    const std::string& issue_locale = "");
  void ProcessDueLocked(SimTime now);
  void FinishFeedLocked(Feed& feed, SimTime now);
  void NotifyOrderChanged(const Order& order);
  Result<Order> PlaceOrderUnnotified(const PlaceOrderRequest& request);
  Result<Order> CancelOrderUnnotified(const std::string& order_id);
  Result<Order> ConfirmShipmentUnnotified(const std::string& seller_id, const std::string& order_id,
                                          const ConfirmShipmentRequest& request);
  Document& StoreDocumentLocked(const std::string& content_type, std::string bytes, bool gzip);

  SimClock& clock_;
  AmazonConfig config_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  std::string document_base_url_;
  std::map<ListingKey, Listing> listings_;
  ListingChecker listing_checker_;
  std::map<std::string, Order> orders_;
  std::vector<ShipmentConfirmation> confirmations_;
  std::map<std::string, Document> documents_;
  std::map<std::string, std::string> document_owner_;
  std::map<std::string, Feed> feeds_;
  std::map<std::string, Report> reports_;
  WorldCounters counters_;
  std::mutex observers_mu_;
  std::vector<OrderObserver> observers_;
};

}  // namespace sandbox::amazon

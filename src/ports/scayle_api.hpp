#pragma once
// The SCAYLE side as the loops see it: the Admin API subset (products and variants, stocks,
// prices, reservations, orders, carriers, webhook subscriptions) and the webhook events, as plain
// typed structs. Implemented in src/scayle. Attribute values stay JSON *text*: SCAYLE has six
// attribute types and the catalogue compiler owns their interpretation.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"

namespace mb {

// A variant as SCAYLE names it: numeric id and our SKU (its referenceKey).
struct ScayleVariantRef {
  int64_t id = 0;  // 0 when unknown
  Sku sku;
};

struct ScayleAttribute {
  std::string name;
  std::string type;        // simple, simpleList, localizedString, localizedStringList, advanced...
  std::string value_json;  // the `value` as JSON text
  // shopCountrySpecific overrides as JSON text (`[{shopKey,countryCode,value}]`), "" when none.
  std::string shop_country_overrides_json;
};

struct ScayleStock {
  WarehouseKey warehouse;
  int64_t quantity = 0;
  bool sellable_without_stock = false;
  std::optional<TimePoint> changed_at;
  std::string merchant_reference_key;
};

struct ScaylePrice {
  std::string key;
  Money price{0, Currency::Of("EUR")};  // minor units (SCAYLE documents amounts in cents)
  std::optional<Money> old_price;
  double tax_rate = 0;       // percent, e.g. 19
  std::string country_code;  // alpha-2, e.g. DE
  std::optional<TimePoint> valid_from;
  std::optional<TimePoint> valid_to;
  std::string group_key;
  std::string promotion_key;
  std::string merchant_reference_key;
};

struct ScayleImage {
  std::string asset_url;
  int position = 0;
};

struct ScayleVariant {
  ScayleVariantRef ref;
  std::string ean;
  std::vector<ScayleAttribute> attributes;
  std::vector<ScaylePrice> prices;
  std::vector<ScayleStock> stocks;
};

struct ScayleProduct {
  int64_t id = 0;
  std::string reference_key;
  std::string state;                        // live, draft, problem, new, inApproval, blocked
  std::map<std::string, std::string> name;  // locale -> text
  int64_t master_id = 0;
  std::string master_reference_key;
  // Master category paths, e.g. {{"Fashion","Men","Shirts"}}.
  std::vector<std::vector<std::string>> category_paths;
  std::vector<ScayleAttribute> attributes;
  std::vector<ScayleAttribute> master_attributes;
  std::vector<ScayleImage> images;
  std::vector<ScayleVariant> variants;
};

struct ScayleReservationRequest {
  std::string reference_key;  // ours, derived from order and item: the idempotency key
  WarehouseKey warehouse;
  ScayleVariantRef variant;  // by id when set, else by SKU
  std::string merchant_reference_key;
  std::optional<int64_t> ttl_seconds;
};

// One entry of POST /reservations: each succeeds or fails on its own.
struct ScayleReservationOutcome {
  std::string reference_key;
  std::optional<int64_t> id;  // set on success
  std::optional<int64_t> ttl_seconds;
  std::string error_key;  // set on failure, e.g. VARIANT_NOT_FOUND
  std::string error_message;
  bool ok() const { return id.has_value() && error_key.empty(); }
};

struct ScayleRecipient {
  std::string first_name;
  std::string last_name;
  std::string gender;  // m, f, d, n
  std::string title;
  std::string type = "personal";
};

struct ScayleAddress {
  std::string street;
  std::string house_number;
  std::string additional;
  std::string zip_code;
  std::string city;
  std::string country_code;  // ISO 3166-1 alpha-3 (DEU), unlike the shop-country path (DE)
  std::string state;
  std::string phone;
  ScayleRecipient recipient;
};

struct ScayleOrderItem {
  int64_t id = 0;
  std::string key;
  std::string status;
  ScayleVariantRef variant;
  int64_t product_id = 0;
  std::optional<Money> price_with_tax;
  std::optional<Money> price_without_tax;
  std::optional<int64_t> warehouse_id;
  std::optional<int64_t> package_id;
  std::string reservation_key;
  std::string merchant_reference_key;
  std::optional<TimePoint> shipped_at;
  std::optional<TimePoint> cancelled_at;
};

struct ScaylePackage {
  int64_t id = 0;
  std::string shipment_key;  // the tracking number
  std::string carrier_key;
  std::string delivery_status;
  std::optional<TimePoint> shipped_at;
  std::string tracking_id;
  std::string tracking_url;
};

struct ScayleOrder {
  int64_t id = 0;
  std::string reference_key;  // the Amazon order id for orders Marketbridge created
  std::string status;
  std::string shop_key;
  std::string country_code;  // shop country, alpha-2
  std::string currency_code;
  std::string channel_key;
  std::optional<Money> total_with_tax;
  std::optional<ScayleAddress> billing_address;
  std::optional<ScayleAddress> shipping_address;
  std::vector<ScayleOrderItem> items;
  std::vector<ScaylePackage> packages;
  std::optional<TimePoint> created_at;
  std::optional<TimePoint> updated_at;
  std::optional<TimePoint> confirmed_at;
};

// One unit of an order to create (SCAYLE items carry no quantity: one item per unit).
struct ScayleNewOrderItem {
  ScayleVariantRef variant;
  Money price_with_tax{0, Currency::Of("EUR")};
  std::optional<Money> price_without_tax;
  // Fraction, e.g. 0.19. Unset: none is sent and SCAYLE applies the variant's own tax rate (the
  // engine does not guess one: a wrong rate books wrong net prices).
  std::optional<double> vat_rate;
  std::string merchant_reference_key;
  std::string reservation_key;
};

struct ScayleNewOrder {
  std::string shop_key;
  std::string country_code;  // shop country, alpha-2
  std::string reference_key;
  std::string channel_key;
  std::string currency_code;
  std::string status;  // e.g. payment_reserved; "" leaves it to SCAYLE
  std::string customer_email;
  ScayleRecipient customer;
  ScayleAddress billing_address;
  ScayleAddress shipping_address;
  std::vector<ScayleNewOrderItem> items;
  std::optional<Money> shipping_cost_with_tax;
  std::optional<TimePoint> created_at;
};

struct ScayleCarrier {
  int64_t id = 0;
  std::string key;
  std::string name;
  std::string tracking_url;
};

struct ScayleWebhookSubscription {
  int64_t id = 0;
  std::string event;
  int version = 1;
  std::string url;                                   // SCAYLE masks the credentials on reads
  std::vector<std::string> merchant_reference_keys;  // include-filter; empty = all
};

// The payload of `product-variant-stock-updated`.
struct ScayleStockChange {
  ScayleVariantRef variant;
  int64_t product_id = 0;
  std::string product_reference_key;
  WarehouseKey warehouse;
  int64_t warehouse_id = 0;
  int64_t quantity = 0;
  bool sellable_without_stock = false;
  std::optional<TimePoint> created_at;
  std::string merchant_reference_key;
};

// A webhook delivery after authentication, parsing and de-duplication on `key`.
struct ScayleWebhookEvent {
  std::string key;   // SCAYLE's event key: the idempotency key
  std::string name;  // e.g. product-variant-stock-updated, order-package-shipped
  TimePoint occurred_at{};
  std::string country_code;  // from `locale` (order events), "" otherwise
  std::string payload_json;  // the raw `payload`
  // Typed payloads, set when the event carries that shape.
  std::optional<ScayleStockChange> stock;   // product-variant-stock-updated
  std::optional<ScayleOrder> order;         // order-* events whose payload is an order
  std::optional<ScayleVariantRef> variant;  // other product-variant-* events
  std::optional<int64_t> product_id;        // product-* events
};

class ScayleApi {
 public:
  virtual ~ScayleApi() = default;

  // Every product with its variants (and their prices and stocks when SCAYLE embeds them),
  // page by page; `page` returning an error stops the walk.
  virtual Status ForEachProduct(
      const std::function<Status(const std::vector<ScayleProduct>&)>& page) = 0;
  virtual Result<std::vector<ScayleStock>> GetVariantStocks(const ScayleVariantRef& variant) = 0;
  virtual Result<std::vector<ScaylePrice>> GetVariantPrices(const ScayleVariantRef& variant) = 0;

  // Partial success: the outer error is for the call as a whole (transport, 5xx, 4xx).
  virtual Result<std::vector<ScayleReservationOutcome>> CreateReservations(
      const std::vector<ScayleReservationRequest>& reservations) = 0;
  // kNotFound when SCAYLE no longer has it (already released or expired): callers treat that
  // as released.
  virtual Status DeleteReservationByKey(const std::string& reference_key) = 0;
  virtual Status DeleteReservationById(int64_t id) = 0;

  virtual Result<ScayleOrder> CreateOrder(const ScayleNewOrder& order) = 0;
  // By SCAYLE id (digits) or by our referenceKey.
  virtual Result<ScayleOrder> GetOrderById(const std::string& shop_key,
                                           const std::string& country_code, int64_t id) = 0;
  virtual Result<ScayleOrder> GetOrderByReferenceKey(const std::string& shop_key,
                                                     const std::string& country_code,
                                                     const std::string& reference_key) = 0;
  virtual Status ForEachOrder(
      const std::string& shop_key, const std::string& country_code,
      const std::function<Status(const std::vector<ScayleOrder>&)>& page) = 0;
  // POST /fulfillment/cancellations (ADMIN_API.md §6): cancels these items of an order. kConflict
  // or kRejected with SCAYLE's reason when it refuses (e.g. an item already shipped). Not pure:
  // adapters and fakes that never cancel orders need not implement it.
  virtual Status CancelOrderItems(const std::string& shop_key, const std::string& country_code,
                                  int64_t order_id, const std::vector<int64_t>& order_item_ids) {
    (void)shop_key, (void)country_code, (void)order_id, (void)order_item_ids;
    return Fail(ErrorCode::kInternal, "scayle: order cancellation not supported by this adapter");
  }

  virtual Result<std::vector<ScayleCarrier>> ListCarriers() = 0;

  virtual Result<ScayleWebhookSubscription> CreateWebhookSubscription(
      const ScayleWebhookSubscription& subscription) = 0;
  virtual Result<std::vector<ScayleWebhookSubscription>> ListWebhookSubscriptions() = 0;
};

}  // namespace mb

#pragma once
// Plain data of the emulated SCAYLE tenant (ADMIN_API.md §3-§7). Amounts are integer minor units.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::scayle {

using Json = nlohmann::json;

// One of the six documented attribute types: simple, simpleList, localizedString,
// localizedStringList, advanced, advancedList. `value` holds the matching JSON shape.
struct Attribute {
  std::string name;
  std::string type;
  Json value;
};

struct ShopCountry {
  int64_t id = 0;
  std::string shop_key;      // two characters, e.g. "ms"
  std::string country_code;  // ISO 3166-1 alpha-2, e.g. "DE"
  std::string currency_code;
  std::string default_language;  // e.g. "de_DE"
  std::vector<std::string> languages;
};

struct WarehouseShopCountry {
  std::string shop_key;
  std::string country_code;
  int priority = 100;  // higher is preferred when taking stock
};

struct Warehouse {
  int64_t id = 0;
  std::string reference_key;
  std::vector<WarehouseShopCountry> shop_countries;
};

struct Carrier {
  int64_t id = 0;
  std::string key;
  std::string name;
  std::string tracking_url;
};

struct MasterCategory {
  int64_t id = 0;
  std::optional<int64_t> parent_id;
  std::vector<std::string> path;
};

struct AttributeGroup {
  int64_t id = 0;
  std::string name;
  Json frontend_name;  // {locale: text}
  std::string type;
  std::string level;  // master, product, variant, image
  bool is_differentiating = false;
  Json structure;  // schema of advanced types, else null
};

struct Master {
  std::string reference_key;
  std::vector<std::vector<std::string>> category_paths;
  std::vector<Attribute> attributes;
};

struct Image {
  int64_t id = 0;
  std::string asset_url;
  std::string mime_type;
  int position = 0;
  std::vector<Attribute> attributes;
};

struct Price {
  std::string key;
  int64_t price = 0;
  std::optional<int64_t> old_price;
  std::optional<int64_t> recommended_retail_price;
  std::optional<int64_t> buying_price;
  int tax = 19;  // percent
  std::string country_code;
  std::string currency_code;
  SimTime valid_from;
  std::optional<SimTime> valid_to;
};

struct Variant {
  int64_t id = 0;
  int64_t product_id = 0;
  std::string reference_key;  // the SKU
  std::string ean;
  std::vector<Attribute> attributes;
  std::vector<Price> prices;
};

struct Product {
  int64_t id = 0;
  std::string reference_key;
  std::string master_key;
  Json name;  // {locale: text}
  std::string state = "live";
  std::vector<Attribute> attributes;
  std::vector<Image> images;
  std::vector<int64_t> variant_ids;
};

// Stock of one variant in one warehouse.
struct StockLevel {
  std::string warehouse_key;
  int64_t quantity = 0;
  SimTime changed_at;
  bool sellable_without_stock = false;
  std::optional<std::string> expected_availability_at;  // YYYY-MM-DD
};

// One reserved unit (ADMIN_API.md §4: no quantity field, one unit per reservation).
struct Reservation {
  int64_t id = 0;
  std::string reference_key;
  int64_t variant_id = 0;
  std::string warehouse_key;
  int64_t ttl_seconds = 0;
  SimTime created_at;
  SimTime expires_at;
};

struct OrderItem {
  int64_t id = 0;
  std::string key;
  int64_t variant_id = 0;
  std::string variant_reference_key;
  int64_t product_id = 0;
  std::string product_name;
  int64_t price_with_tax = 0;
  int64_t price_without_tax = 0;
  double tax_rate = 0.0;  // fraction, e.g. 0.19
  std::string status = "available";
  std::optional<int64_t> warehouse_id;
  std::optional<int64_t> package_id;
  std::optional<std::string> reservation_key;
  SimTime created_at;
  std::optional<SimTime> delegated_at;
  std::optional<SimTime> shipped_at;
  std::optional<SimTime> cancelled_at;
};

struct Package {
  int64_t id = 0;
  std::string carrier_key;
  std::string shipment_key;  // the tracking number
  std::string tracking_url;
  std::string delivery_status = "shipment_completed";
  SimTime shipped_at;
};

struct Channel {
  int64_t id = 0;
  std::string key;
  std::string name;
  std::string type;
};

// Order lifecycle (ADMIN_API.md §5): CREATED -> CONFIRMED -> DELEGATED -> SHIPPED -> INVOICED,
// ABORTED -> CANCELLED. `status` is the coarse documented status value.
struct Order {
  int64_t id = 0;
  std::optional<std::string> reference_key;
  std::string public_key;
  std::string shop_key;
  std::string country_code;
  std::string currency_code;
  std::string status = "payment_reserved";
  std::string order_code = "order_delegated";
  std::string shipping_code = "shipping_open";
  std::string billing_code = "billing_payment_reserved";
  std::optional<Channel> channel;
  Json address;   // {billing, shipping} as sent, ids assigned
  Json customer;  // as sent, id assigned
  Json payment;   // array as sent
  Json legacy_custom_data;
  std::vector<OrderItem> items;
  std::vector<Package> packages;
  SimTime created_at;
  SimTime updated_at;
  std::optional<SimTime> confirmed_at;
  std::optional<SimTime> invoiced_at;
};

// An error as SCAYLE reports it: HTTP status plus one entry of the documented error body.
struct ApiError {
  int status = 400;
  std::string key;
  std::string message;
};

}  // namespace sandbox::scayle

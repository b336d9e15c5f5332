#include "scayle/scayle_json.hpp"

#include "core/timestamp.hpp"

namespace mb::scayle {

namespace {

using nlohmann::json;

Error FieldError(const char* field, const char* expected) {
  return Error{ErrorCode::kMalformedResponse,
               std::string("scayle: field `") + field + "` is not " + expected};
}

const json* Field(const json& object, const char* field) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::optional<Money>> OptMoney(const json& object, const char* field,
                                      const std::string& currency) {
  const json* value = Field(object, field);
  if (!value) return std::optional<Money>();
  if (!value->is_number_integer()) return tl::unexpected(FieldError(field, "an integer amount"));
  auto parsed = Currency::Parse(currency);
  if (!parsed) return tl::unexpected(parsed.error());
  return std::optional<Money>(Money(value->get<int64_t>(), *parsed));
}

// `{withTax, withoutTax}` amounts in cents.
Status ReadAmounts(const json& price, const std::string& currency, std::optional<Money>& with_tax,
                   std::optional<Money>& without_tax) {
  auto w = OptMoney(price, "withTax", currency);
  if (!w) return tl::unexpected(w.error());
  auto wo = OptMoney(price, "withoutTax", currency);
  if (!wo) return tl::unexpected(wo.error());
  with_tax = *w;
  without_tax = *wo;
  return {};
}

Result<ScayleAddress> ParseAddress(const json& object) {
  ScayleAddress address;
  struct {
    const char* field;
    std::string* target;
  } fields[] = {{"street", &address.street},
                {"houseNumber", &address.house_number},
                {"additional", &address.additional},
                {"zipCode", &address.zip_code},
                {"city", &address.city},
                {"countryCode", &address.country_code},
                {"state", &address.state},
                {"phone", &address.phone}};
  for (auto& f : fields) {
    auto value = OptString(object, f.field);
    if (!value) return tl::unexpected(value.error());
    *f.target = *value;
  }
  if (const json* recipient = Field(object, "recipient")) {
    struct {
      const char* field;
      std::string* target;
    } names[] = {{"firstName", &address.recipient.first_name},
                 {"lastName", &address.recipient.last_name},
                 {"gender", &address.recipient.gender},
                 {"title", &address.recipient.title},
                 {"type", &address.recipient.type}};
    for (auto& f : names) {
      auto value = OptString(*recipient, f.field);
      if (!value) return tl::unexpected(value.error());
      if (!value->empty() || f.target != &address.recipient.type) *f.target = *value;
    }
  }
  return address;
}

Result<ScaylePackage> ParsePackage(const json& object) {
  ScaylePackage package;
  auto id = OptInt(object, "id");
  auto shipment = OptString(object, "shipmentKey");
  auto carrier = OptString(object, "carrierKey");
  auto status = OptString(object, "deliveryStatus");
  auto shipped = OptTime(object, "shippedAt");
  if (!id || !shipment || !carrier || !status || !shipped) {
    return Fail(ErrorCode::kMalformedResponse, "scayle: order package is malformed");
  }
  package.id = *id;
  package.shipment_key = *shipment;
  package.carrier_key = *carrier;
  package.delivery_status = *status;
  package.shipped_at = *shipped;
  if (const json* tracking = Field(object, "tracking")) {
    auto tid = OptString(*tracking, "id");
    auto url = OptString(*tracking, "url");
    if (!tid || !url)
      return Fail(ErrorCode::kMalformedResponse, "scayle: package tracking is malformed");
    package.tracking_id = *tid;
    package.tracking_url = *url;
  }
  if (package.tracking_id.empty()) package.tracking_id = package.shipment_key;
  return package;
}

Result<ScayleOrderItem> ParseOrderItem(const json& object, const std::string& currency) {
  ScayleOrderItem item;
  auto id = OptInt(object, "id");
  auto key = OptString(object, "key");
  auto status = OptString(object, "status");
  auto reservation = OptString(object, "reservationKey");
  auto shipped = OptTime(object, "shippedAt");
  auto cancelled = OptTime(object, "cancelledAt");
  if (!id || !key || !status || !reservation || !shipped || !cancelled) {
    return Fail(ErrorCode::kMalformedResponse, "scayle: order item is malformed");
  }
  item.id = *id;
  item.key = *key;
  item.status = *status;
  item.reservation_key = *reservation;
  item.shipped_at = *shipped;
  item.cancelled_at = *cancelled;
  if (const json* variant = Field(object, "variant")) {
    auto ref = ParseVariantRef(*variant);
    if (!ref) return tl::unexpected(ref.error());
    item.variant = *ref;
  }
  if (const json* product = Field(object, "product")) {
    auto pid = OptInt(*product, "id");
    if (!pid) return tl::unexpected(pid.error());
    item.product_id = *pid;
  }
  if (const json* price = Field(object, "price"); price && !currency.empty()) {
    if (auto s = ReadAmounts(*price, currency, item.price_with_tax, item.price_without_tax); !s) {
      return tl::unexpected(s.error());
    }
  }
  if (const json* w = Field(object, "warehouseId"); w && w->is_number_integer()) {
    item.warehouse_id = w->get<int64_t>();
  }
  if (const json* p = Field(object, "packageId"); p && p->is_number_integer()) {
    item.package_id = p->get<int64_t>();
  }
  if (const json* merchant = Field(object, "merchant")) {
    auto ref = OptString(*merchant, "referenceKey");
    if (!ref) return tl::unexpected(ref.error());
    item.merchant_reference_key = *ref;
  }
  return item;
}

json RecipientJson(const ScayleRecipient& recipient) {
  json out = {{"firstName", recipient.first_name},
              {"lastName", recipient.last_name},
              {"type", recipient.type.empty() ? "personal" : recipient.type}};
  if (!recipient.gender.empty()) out["gender"] = recipient.gender;
  if (!recipient.title.empty()) out["title"] = recipient.title;
  return out;
}

}  // namespace

Result<std::string> OptString(const json& object, const char* field) {
  const json* value = Field(object, field);
  if (!value) return std::string();
  if (!value->is_string()) return tl::unexpected(FieldError(field, "a string"));
  return value->get<std::string>();
}

Result<int64_t> OptInt(const json& object, const char* field) {
  const json* value = Field(object, field);
  if (!value) return int64_t{0};
  if (!value->is_number_integer()) return tl::unexpected(FieldError(field, "an integer"));
  return value->get<int64_t>();
}

Result<std::optional<TimePoint>> OptTime(const json& object, const char* field) {
  const json* value = Field(object, field);
  if (!value) return std::optional<TimePoint>();
  if (!value->is_string()) return tl::unexpected(FieldError(field, "a timestamp"));
  auto parsed = ParseTimestamp(value->get<std::string>(), true);
  if (!parsed) {
    return Fail(ErrorCode::kMalformedResponse,
                std::string("scayle: field `") + field + "`: " + parsed.error().message);
  }
  return std::optional<TimePoint>(*parsed);
}

Result<ScayleVariantRef> ParseVariantRef(const json& object) {
  auto id = OptInt(object, "id");
  if (!id) return tl::unexpected(id.error());
  auto key = OptString(object, "referenceKey");
  if (!key) return tl::unexpected(key.error());
  return ScayleVariantRef{*id, Sku(*key)};
}

Result<ScayleStock> ParseStock(const json& object) {
  ScayleStock stock;
  auto warehouse = OptString(object, "warehouseReferenceKey");
  auto quantity = OptInt(object, "quantity");
  auto changed = OptTime(object, "changedAt");
  auto merchant = OptString(object, "merchantReferenceKey");
  if (!warehouse) return tl::unexpected(warehouse.error());
  if (!quantity) return tl::unexpected(quantity.error());
  if (!changed) return tl::unexpected(changed.error());
  if (!merchant) return tl::unexpected(merchant.error());
  stock.warehouse = WarehouseKey(*warehouse);
  stock.quantity = *quantity;
  stock.changed_at = *changed;
  stock.merchant_reference_key = *merchant;
  if (const json* s = Field(object, "sellableWithoutStock"); s && s->is_boolean()) {
    stock.sellable_without_stock = s->get<bool>();
  }
  return stock;
}

Result<ScaylePrice> ParsePrice(const json& object) {
  ScaylePrice price;
  auto key = OptString(object, "key");
  auto currency = OptString(object, "currencyCode");
  auto country = OptString(object, "countryCode");
  auto from = OptTime(object, "validFrom");
  auto to = OptTime(object, "validTo");
  auto group = OptString(object, "groupKey");
  auto promotion = OptString(object, "promotionKey");
  auto merchant = OptString(object, "merchantReferenceKey");
  for (const Result<std::string>* r : {&key, &currency, &country, &group, &promotion, &merchant}) {
    if (!*r) return tl::unexpected(r->error());
  }
  if (!from) return tl::unexpected(from.error());
  if (!to) return tl::unexpected(to.error());
  auto amount = OptMoney(object, "price", *currency);
  if (!amount) return tl::unexpected(amount.error());
  if (!*amount)
    return Fail(ErrorCode::kMalformedResponse, "scayle: price " + *key + " has no amount");
  auto old_price = OptMoney(object, "oldPrice", *currency);
  if (!old_price) return tl::unexpected(old_price.error());
  price.key = *key;
  price.price = **amount;
  price.old_price = *old_price;
  if (const json* tax = Field(object, "tax"); tax && tax->is_number()) {
    price.tax_rate = tax->get<double>();
  }
  price.country_code = *country;
  price.valid_from = *from;
  price.valid_to = *to;
  price.group_key = *group;
  price.promotion_key = *promotion;
  price.merchant_reference_key = *merchant;
  return price;
}

Result<ScayleAttribute> ParseAttribute(const json& object) {
  ScayleAttribute attribute;
  auto name = OptString(object, "name");
  auto type = OptString(object, "type");
  if (!name) return tl::unexpected(name.error());
  if (!type) return tl::unexpected(type.error());
  attribute.name = *name;
  attribute.type = *type;
  attribute.value_json = object.contains("value") ? object["value"].dump() : "null";
  if (const json* overrides = Field(object, "shopCountrySpecific");
      overrides && overrides->is_array() && !overrides->empty()) {
    attribute.shop_country_overrides_json = overrides->dump();
  }
  return attribute;
}

namespace {

template <typename T, typename Parser>
Status ParseList(const json& object, const char* field, std::vector<T>& out, Parser parse) {
  const json* list = Field(object, field);
  if (!list) return {};
  if (!list->is_array()) return tl::unexpected(FieldError(field, "an array"));
  for (const auto& entry : *list) {
    auto parsed = parse(entry);
    if (!parsed) return tl::unexpected(parsed.error());
    out.push_back(std::move(*parsed));
  }
  return {};
}

}  // namespace

Result<ScayleVariant> ParseVariant(const json& object) {
  ScayleVariant variant;
  auto ref = ParseVariantRef(object);
  auto ean = OptString(object, "ean");
  if (!ref) return tl::unexpected(ref.error());
  if (!ean) return tl::unexpected(ean.error());
  variant.ref = *ref;
  variant.ean = *ean;
  if (auto s = ParseList(object, "attributes", variant.attributes, ParseAttribute); !s) {
    return tl::unexpected(s.error());
  }
  if (auto s = ParseList(object, "prices", variant.prices, ParsePrice); !s) {
    return tl::unexpected(s.error());
  }
  if (auto s = ParseList(object, "stocks", variant.stocks, ParseStock); !s) {
    return tl::unexpected(s.error());
  }
  return variant;
}

Result<ScayleProduct> ParseProduct(const json& object) {
  ScayleProduct product;
  auto id = OptInt(object, "id");
  auto key = OptString(object, "referenceKey");
  auto state = OptString(object, "state");
  if (!id) return tl::unexpected(id.error());
  if (!key) return tl::unexpected(key.error());
  if (!state) return tl::unexpected(state.error());
  product.id = *id;
  product.reference_key = *key;
  product.state = *state;
  if (const json* name = Field(object, "name"); name && name->is_object()) {
    for (const auto& [locale, text] : name->items()) {
      if (text.is_string()) product.name[locale] = text.get<std::string>();
    }
  }
  if (const json* master = Field(object, "master")) {
    auto mid = OptInt(*master, "id");
    auto mkey = OptString(*master, "referenceKey");
    if (!mid) return tl::unexpected(mid.error());
    if (!mkey) return tl::unexpected(mkey.error());
    product.master_id = *mid;
    product.master_reference_key = *mkey;
    if (const json* paths = Field(*master, "categories"); paths && paths->is_object()) {
      if (const json* list = Field(*paths, "paths"); list && list->is_array()) {
        for (const auto& path : *list) {
          std::vector<std::string> segments;
          if (path.is_array()) {
            for (const auto& s : path) {
              if (s.is_string()) segments.push_back(s.get<std::string>());
            }
          }
          product.category_paths.push_back(std::move(segments));
        }
      }
    }
    if (auto s = ParseList(*master, "attributes", product.master_attributes, ParseAttribute); !s) {
      return tl::unexpected(s.error());
    }
  }
  if (auto s = ParseList(object, "attributes", product.attributes, ParseAttribute); !s) {
    return tl::unexpected(s.error());
  }
  auto parse_image = [](const json& image) -> Result<ScayleImage> {
    auto url = OptString(image, "assetUrl");
    auto position = OptInt(image, "position");
    if (!url) return tl::unexpected(url.error());
    if (!position) return tl::unexpected(position.error());
    return ScayleImage{*url, static_cast<int>(*position)};
  };
  if (auto s = ParseList(object, "images", product.images, parse_image); !s) {
    return tl::unexpected(s.error());
  }
  if (auto s = ParseList(object, "variants", product.variants, ParseVariant); !s) {
    return tl::unexpected(s.error());
  }
  return product;
}

Result<ScayleOrder> ParseOrder(const json& object) {
  if (!object.is_object())
    return Fail(ErrorCode::kMalformedResponse, "scayle: order is not an object");
  ScayleOrder order;
  auto id = OptInt(object, "id");
  auto key = OptString(object, "referenceKey");
  auto status = OptString(object, "status");
  auto currency = OptString(object, "currencyCode");
  auto created = OptTime(object, "createdAt");
  auto updated = OptTime(object, "updatedAt");
  auto confirmed = OptTime(object, "confirmedAt");
  if (!id || !key || !status || !currency || !created || !updated || !confirmed) {
    return Fail(ErrorCode::kMalformedResponse,
                "scayle: order has a field of the wrong type (id, referenceKey, status, "
                "currencyCode or a timestamp)");
  }
  order.id = *id;
  order.reference_key = *key;
  order.status = *status;
  order.currency_code = *currency;
  order.created_at = *created;
  order.updated_at = *updated;
  order.confirmed_at = *confirmed;
  if (const json* channel = Field(object, "channel")) {
    auto ck = OptString(*channel, "key");
    if (!ck) return tl::unexpected(ck.error());
    order.channel_key = *ck;
  }
  if (const json* shop_country = Field(object, "shopCountry")) {
    auto shop = OptString(*shop_country, "shopKey");
    auto country = OptString(*shop_country, "countryCode");
    if (!shop) return tl::unexpected(shop.error());
    if (!country) return tl::unexpected(country.error());
    order.shop_key = *shop;
    order.country_code = *country;
  }
  if (const json* cost = Field(object, "cost"); cost && !order.currency_code.empty()) {
    auto total = OptMoney(*cost, "withTax", order.currency_code);
    if (!total) return tl::unexpected(total.error());
    order.total_with_tax = *total;
  }
  if (const json* address = Field(object, "address")) {
    if (const json* billing = Field(*address, "billing")) {
      auto parsed = ParseAddress(*billing);
      if (!parsed) return tl::unexpected(parsed.error());
      order.billing_address = *parsed;
    }
    if (const json* shipping = Field(*address, "shipping")) {
      auto parsed = ParseAddress(*shipping);
      if (!parsed) return tl::unexpected(parsed.error());
      order.shipping_address = *parsed;
    }
  }
  const std::string currency_code = order.currency_code;
  auto parse_item = [&](const json& item) { return ParseOrderItem(item, currency_code); };
  if (auto s = ParseList(object, "items", order.items, parse_item); !s) {
    return tl::unexpected(s.error());
  }
  if (auto s = ParseList(object, "packages", order.packages, ParsePackage); !s) {
    return tl::unexpected(s.error());
  }
  return order;
}

Result<ScayleStockChange> ParseStockChange(const json& payload) {
  ScayleStockChange change;
  const json* variant = Field(payload, "productVariant");
  if (!variant) {
    return Fail(ErrorCode::kInvalidInput, "stock event payload has no productVariant");
  }
  auto ref = ParseVariantRef(*variant);
  if (!ref) return tl::unexpected(ref.error());
  change.variant = *ref;
  if (const json* product = Field(payload, "product")) {
    auto pid = OptInt(*product, "id");
    auto pkey = OptString(*product, "referenceKey");
    if (!pid) return tl::unexpected(pid.error());
    if (!pkey) return tl::unexpected(pkey.error());
    change.product_id = *pid;
    change.product_reference_key = *pkey;
  }
  const json* warehouse = Field(payload, "warehouse");
  if (!warehouse) return Fail(ErrorCode::kInvalidInput, "stock event payload has no warehouse");
  auto wid = OptInt(*warehouse, "id");
  auto wkey = OptString(*warehouse, "referenceKey");
  if (!wid) return tl::unexpected(wid.error());
  if (!wkey) return tl::unexpected(wkey.error());
  change.warehouse_id = *wid;
  change.warehouse = WarehouseKey(*wkey);
  const json* quantity = Field(payload, "quantity");
  if (!quantity || !quantity->is_number_integer()) {
    return Fail(ErrorCode::kInvalidInput, "stock event payload has no integer quantity");
  }
  change.quantity = quantity->get<int64_t>();
  if (const json* s = Field(payload, "sellableWithoutStock"); s && s->is_boolean()) {
    change.sellable_without_stock = s->get<bool>();
  }
  auto created = OptTime(payload, "createdAt");
  auto merchant = OptString(payload, "merchantReferenceKey");
  if (!created) return tl::unexpected(created.error());
  if (!merchant) return tl::unexpected(merchant.error());
  change.created_at = *created;
  change.merchant_reference_key = *merchant;
  return change;
}

json AddressJson(const ScayleAddress& address) {
  json out = {{"street", address.street},
              {"zipCode", address.zip_code},
              {"city", address.city},
              {"countryCode", address.country_code},
              {"recipient", RecipientJson(address.recipient)}};
  if (!address.house_number.empty()) out["houseNumber"] = address.house_number;
  if (!address.additional.empty()) out["additional"] = address.additional;
  if (!address.state.empty()) out["state"] = address.state;
  if (!address.phone.empty()) out["phone"] = address.phone;
  return out;
}

json OrderJson(const ScayleNewOrder& order) {
  json items = json::array();
  for (const auto& item : order.items) {
    json variant = item.variant.id != 0 ? json{{"id", item.variant.id}}
                                        : json{{"referenceKey", item.variant.sku.value()}};
    json price = {{"withTax", item.price_with_tax.minor_units()}};
    if (item.vat_rate) price["tax"] = {{"vat", {{"rate", *item.vat_rate}}}};
    if (item.price_without_tax) price["withoutTax"] = item.price_without_tax->minor_units();
    json entry = {{"variant", variant}, {"price", price}};
    if (!item.merchant_reference_key.empty()) {
      entry["merchant"] = {{"referenceKey", item.merchant_reference_key}};
    }
    if (!item.reservation_key.empty()) entry["reservationKey"] = item.reservation_key;
    items.push_back(std::move(entry));
  }
  json out = {{"referenceKey", order.reference_key},
              {"currencyCode", order.currency_code},
              {"address",
               {{"billing", AddressJson(order.billing_address)},
                {"shipping", AddressJson(order.shipping_address)}}},
              {"items", items}};
  if (!order.channel_key.empty()) out["channel"] = {{"key", order.channel_key}};
  if (!order.status.empty()) out["status"] = order.status;
  json customer = RecipientJson(order.customer);
  customer.erase("type");
  if (!order.customer_email.empty()) customer["email"] = order.customer_email;
  customer["referenceKey"] = order.reference_key;
  out["customer"] = customer;
  if (order.shipping_cost_with_tax) {
    json fee = {{"amount", {{"withTax", order.shipping_cost_with_tax->minor_units()}}},
                {"category", "delivery"},
                {"option", "deliveryCosts"}};
    out["cost"] = {{"appliedFees", json::array({fee})}};
  }
  if (order.created_at) out["createdAt"] = FormatTimestamp(*order.created_at);
  return out;
}

}  // namespace mb::scayle

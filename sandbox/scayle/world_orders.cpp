// Orders of the emulated tenant: creation with referenceKey, packages, cancellation (ADMIN_API.md
// §5-§6).
#include "sandbox/scayle/scayle_world.hpp"

#include <algorithm>

#include "sandbox/scayle/scayle_json.hpp"
#include "sandbox/scayle/timestamps.hpp"

namespace sandbox::scayle {

namespace {

const Json& Field(const Json& object, const char* name) {
  static const Json kNull = nullptr;
  if (!object.is_object()) return kNull;
  auto it = object.find(name);
  return it == object.end() ? kNull : *it;
}

std::optional<std::string> StringField(const Json& object, const char* name) {
  const Json& v = Field(object, name);
  if (!v.is_string()) return std::nullopt;
  return v.get<std::string>();
}

std::optional<int64_t> IntField(const Json& object, const char* name) {
  const Json& v = Field(object, name);
  if (!v.is_number_integer()) return std::nullopt;
  return v.get<int64_t>();
}

// What ADMIN_API.md §5 and OrderCreateRequest.json fix about a new order beyond its items:
// addresses with an ISO 3166-1 alpha-3 countryCode (unlike the alpha-2 path), a recipient, the
// shop country's currency, prices in integer minor units with a VAT rate as a fraction, and a
// referenceKey for a marketplace (channel) order. Anything else sent is ignored, as SCAYLE does.
std::optional<ApiError> CheckOrderBody(const Json& body, const ShopCountry& sc) {
  auto invalid = [](const std::string& key, const std::string& message) {
    return std::optional<ApiError>(ApiError{400, key, message});
  };
  const Json& address = Field(body, "address");
  if (!address.is_null() && !address.is_object())
    return invalid("INVALID_ADDRESS", "address must be an object {billing, shipping}");
  for (const char* kind : {"billing", "shipping"}) {
    const Json& a = Field(address, kind);
    if (a.is_null()) continue;
    std::string where = std::string("address.") + kind;
    if (!a.is_object()) return invalid("INVALID_ADDRESS", where + " must be an object");
    for (const char* field : {"street", "zipCode", "city"}) {
      if (!StringField(a, field) || StringField(a, field)->empty())
        return invalid("INVALID_ADDRESS", where + "." + field + " is required");
    }
    auto country = StringField(a, "countryCode").value_or("");
    bool alpha3 = country.size() == 3 && std::all_of(country.begin(), country.end(),
                                                     [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!alpha3) {
      return invalid("INVALID_ADDRESS", where + ".countryCode '" + country +
                                            "' is not an ISO 3166-1 alpha-3 code (e.g. DEU)");
    }
    const Json& recipient = Field(a, "recipient");
    if (!StringField(recipient, "lastName") || StringField(recipient, "lastName")->empty())
      return invalid("INVALID_ADDRESS", where + ".recipient.lastName is required");
    auto gender = StringField(recipient, "gender");
    if (gender && *gender != "m" && *gender != "f" && *gender != "d" && *gender != "n")
      return invalid("INVALID_ADDRESS", where + ".recipient.gender must be m, f, d or n");
  }
  auto currency = StringField(body, "currencyCode");
  if (currency && *currency != sc.currency_code) {
    return invalid("CURRENCY_MISMATCH", "currencyCode " + *currency + " is not the currency of " +
                                            sc.shop_key + "/" + sc.country_code + " (" +
                                            sc.currency_code + ")");
  }
  if (Field(body, "channel").is_object() && !StringField(body, "referenceKey"))
    return invalid("REFERENCE_KEY_MISSING", "a marketplace order needs its referenceKey");
  const Json& items = Field(body, "items");
  for (size_t i = 0; i < items.size(); ++i) {
    std::string where = "items[" + std::to_string(i) + "].price";
    const Json& price = Field(items[i], "price");
    for (const char* amount : {"withTax", "withoutTax"}) {
      if (!Field(price, amount).is_null() && !Field(price, amount).is_number_integer())
        return invalid("INVALID_PRICE", where + "." + amount + " must be integer minor units");
    }
    const Json& rate = Field(Field(Field(price, "tax"), "vat"), "rate");
    if (!rate.is_null() && (!rate.is_number() || rate.get<double>() < 0 || rate.get<double>() >= 1))
      return invalid("INVALID_PRICE", where + ".tax.vat.rate must be a fraction, e.g. 0.19");
  }
  return std::nullopt;
}

// The customer in the shape of OrderGetResponse: every documented field, null when not sent.
Json CustomerJson(const Json& sent, int64_t id) {
  Json out = {{"id", id}};
  for (const char* key : {"referenceKey", "email", "firstName", "lastName", "gender", "title",
                          "type", "publicKey", "createdAt", "updatedAt"}) {
    out[key] = Field(sent, key).is_string() ? Field(sent, key) : Json(nullptr);
  }
  out["groups"] = Field(sent, "groups").is_array() ? Field(sent, "groups") : Json::array();
  out["status"] = {{"isActive", true}, {"isGuestCustomer", !Field(sent, "id").is_number()}};
  return out;
}

Json AddressesJson(const Json& sent, int64_t& next_id) {
  Json out = {{"billing", nullptr}, {"shipping", nullptr}};
  for (const char* kind : {"billing", "shipping"}) {
    const Json& address = Field(sent, kind);
    if (!address.is_object()) continue;
    out[kind] = address;
    if (!address.contains("id")) out[kind]["id"] = next_id++;
  }
  return out;
}

const Price* CurrentPrice(const Variant& v, const ShopCountry& sc, SimTime now) {
  for (const auto& p : v.prices) {
    if (p.country_code == sc.country_code && p.currency_code == sc.currency_code &&
        p.valid_from <= now && (!p.valid_to || now < *p.valid_to)) {
      return &p;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<const Warehouse*> ScayleWorld::TakeUnitLocked(
    const Variant& variant, const ShopCountry& sc,
    const std::optional<std::string>& reservation_key) {
  auto take = [&](const Warehouse* w) {
    StockLevel* row = StockRowLocked(variant.id, w->reference_key);
    row->quantity -= 1;
    row->changed_at = clock_.Now();
    EmitStockLocked(variant, *row);
    return w;
  };
  if (reservation_key) {
    auto it = reservation_by_key_.find(*reservation_key);
    if (it != reservation_by_key_.end()) {
      const Reservation& r = reservations_.at(it->second);
      const Warehouse* w = WarehouseLocked(r.warehouse_key);
      if (r.variant_id == variant.id && w && StockRowLocked(variant.id, w->reference_key)) {
        EraseReservationLocked(r.id);
        return take(w);
      }
    }
  }
  for (const Warehouse* w : ServingWarehousesLocked(sc.shop_key, sc.country_code)) {
    StockLevel* row = StockRowLocked(variant.id, w->reference_key);
    if (row && (row->sellable_without_stock ||
                row->quantity - ReservedLocked(variant.id, w->reference_key) > 0)) {
      return take(w);
    }
  }
  return std::nullopt;
}

tl::expected<Order, ApiError> ScayleWorld::CreateOrder(const std::string& shop,
                                                       const std::string& cc, const Json& body) {
  std::lock_guard lock(mu_);
  ExpireReservationsLocked();
  const ShopCountry* sc = ShopCountryLocked(shop, cc);
  if (!sc)
    return tl::unexpected(
        ApiError{404, "SHOP_COUNTRY_NOT_FOUND", "no shop country " + shop + "/" + cc});
  if (!body.is_object())
    return tl::unexpected(ApiError{400, "INVALID_BODY", "the order must be a JSON object"});
  auto reference_key = StringField(body, "referenceKey");
  if (reference_key) {
    if (auto it = order_by_key_.find(*reference_key); it != order_by_key_.end()) {
      return tl::unexpected(ApiError{409, "ORDER_ALREADY_EXISTS",
                                     "order referenceKey '" + *reference_key +
                                         "' is already used by order " +
                                         std::to_string(it->second)});
    }
  }
  const Json& items = Field(body, "items");
  if (!items.is_array() || items.empty()) {
    return tl::unexpected(ApiError{400, "ITEMS_MISSING", "an order needs at least one item"});
  }
  if (auto problem = CheckOrderBody(body, *sc)) return tl::unexpected(*problem);
  auto now = clock_.Now();
  // Validate every item before taking any stock, so a rejected order changes nothing.
  std::vector<const Variant*> variants;
  for (size_t i = 0; i < items.size(); ++i) {
    const Json& variant = Field(items[i], "variant");
    Identifier id;
    if (auto vid = IntField(variant, "id"))
      id.id = vid;
    else if (auto key = StringField(variant, "referenceKey"))
      id.reference_key = *key;
    const Variant* v = (id.id || !id.reference_key.empty()) ? VariantLocked(id) : nullptr;
    if (!v) {
      return tl::unexpected(
          ApiError{400, "VARIANT_NOT_FOUND",
                   "items[" + std::to_string(i) + "]: variant not found (by id or referenceKey)"});
    }
    const Json& price = Field(items[i], "price");
    if (!IntField(price, "withTax") && !CurrentPrice(*v, *sc, now)) {
      return tl::unexpected(ApiError{400, "PRICE_MISSING",
                                     "items[" + std::to_string(i) + "]: no price.withTax and no " +
                                         "current price for " + v->reference_key});
    }
    variants.push_back(v);
  }

  Order order;
  order.id = next_id_++;
  order.reference_key = reference_key;
  order.public_key = "ord-" + std::to_string(order.id);
  order.shop_key = sc->shop_key;
  order.country_code = sc->country_code;
  order.currency_code = StringField(body, "currencyCode").value_or(sc->currency_code);
  order.created_at = order.updated_at = now;
  order.confirmed_at = now;
  order.customer = CustomerJson(Field(body, "customer"), next_id_++);
  order.address = AddressesJson(Field(body, "address"), next_id_);
  order.payment = Field(body, "payment").is_array() ? Field(body, "payment") : Json::array();
  order.legacy_custom_data = Field(body, "legacyCustomData").is_object()
                                 ? Field(body, "legacyCustomData")
                                 : Json::object();
  if (const Json& channel = Field(body, "channel"); channel.is_object()) {
    order.channel =
        Channel{IntField(channel, "id").value_or(1), StringField(channel, "key").value_or(""),
                StringField(channel, "name").value_or(""),
                StringField(channel, "type").value_or("marketplace")};
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const Variant& v = *variants[i];
    const Json& price = Field(items[i], "price");
    OrderItem item;
    item.id = next_id_++;
    item.key = StringField(items[i], "key").value_or("item-" + std::to_string(item.id));
    item.variant_id = v.id;
    item.variant_reference_key = v.reference_key;
    item.product_id = v.product_id;
    const auto& product = products_[v.product_id];
    item.product_name = product.name.value("en_GB", product.reference_key);
    const Price* current = CurrentPrice(v, *sc, now);
    item.price_with_tax = IntField(price, "withTax").value_or(current ? current->price : 0);
    const Json& rate = Field(Field(Field(price, "tax"), "vat"), "rate");
    item.tax_rate = rate.is_number() ? rate.get<double>() : (current ? current->tax / 100.0 : 0.0);
    item.price_without_tax =
        IntField(price, "withoutTax")
            .value_or(static_cast<int64_t>(item.price_with_tax / (1.0 + item.tax_rate) + 0.5));
    item.reservation_key = StringField(items[i], "reservationKey");
    item.created_at = now;
    item.delegated_at = now;
    if (auto w = TakeUnitLocked(v, *sc, item.reservation_key)) {
      item.warehouse_id = (*w)->id;
    } else {
      item.status = "unavailable";
    }
    order.items.push_back(std::move(item));
  }
  if (reference_key) order_by_key_[*reference_key] = order.id;
  auto [it, inserted] = orders_.emplace(order.id, std::move(order));
  EmitOrderLocked("order-confirmed", it->second);
  return it->second;
}

tl::expected<Order, ApiError> ScayleWorld::FindOrder(const std::string& shop, const std::string& cc,
                                                     const Identifier& id) const {
  std::lock_guard lock(mu_);
  int64_t oid = id.id.value_or(0);
  if (!id.id) {
    if (auto it = order_by_key_.find(id.reference_key); it != order_by_key_.end()) oid = it->second;
  }
  auto it = orders_.find(oid);
  const ShopCountry* sc = ShopCountryLocked(shop, cc);
  if (it == orders_.end() || !sc || it->second.shop_key != sc->shop_key ||
      it->second.country_code != sc->country_code) {
    return tl::unexpected(
        ApiError{404, "ORDER_NOT_FOUND", "order not found in shop country " + shop + "/" + cc});
  }
  return it->second;
}

std::vector<Order> ScayleWorld::ListOrders(const std::string& shop, const std::string& cc,
                                           int64_t after, size_t limit,
                                           std::optional<int64_t>& next) const {
  std::lock_guard lock(mu_);
  std::vector<Order> out;
  next.reset();
  const ShopCountry* sc = ShopCountryLocked(shop, cc);
  if (!sc) return out;
  for (auto it = orders_.upper_bound(after); it != orders_.end(); ++it) {
    if (it->second.shop_key != sc->shop_key || it->second.country_code != sc->country_code)
      continue;
    if (out.size() == limit) {
      next = out.back().id;
      break;
    }
    out.push_back(it->second);
  }
  return out;
}

std::vector<Order> ScayleWorld::OrdersAwaitingShipment() const {
  std::lock_guard lock(mu_);
  std::vector<Order> out;
  for (const auto& [id, order] : orders_) {
    if (std::any_of(order.items.begin(), order.items.end(),
                    [](const OrderItem& item) { return item.status == "available"; })) {
      out.push_back(order);
    }
  }
  return out;
}

tl::expected<Order, ApiError> ScayleWorld::ShipOrder(int64_t order_id,
                                                     const std::vector<PackageSpec>& packages) {
  std::lock_guard lock(mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end())
    return tl::unexpected(ApiError{404, "ORDER_NOT_FOUND", "no order " + std::to_string(order_id)});
  Order& order = it->second;
  if (packages.empty())
    return tl::unexpected(ApiError{400, "PACKAGES_MISSING", "ship at least one package"});
  // Resolve and validate every package before changing anything.
  std::vector<std::vector<OrderItem*>> contents;
  std::vector<const Carrier*> carriers;
  std::vector<int64_t> claimed;
  for (const auto& spec : packages) {
    auto carrier = std::find_if(carriers_.begin(), carriers_.end(),
                                [&](const Carrier& c) { return c.key == spec.carrier_key; });
    if (carrier == carriers_.end()) {
      return tl::unexpected(
          ApiError{400, "CARRIER_NOT_FOUND", "unknown carrier key '" + spec.carrier_key + "'"});
    }
    if (spec.shipment_key.empty())
      return tl::unexpected(ApiError{400, "SHIPMENT_KEY_MISSING", "a package needs a shipmentKey"});
    std::vector<OrderItem*> items;
    for (auto& item : order.items) {
      bool wanted =
          spec.item_ids.empty() || std::count(spec.item_ids.begin(), spec.item_ids.end(), item.id);
      bool open = item.status == "available" && !item.shipped_at &&
                  std::find(claimed.begin(), claimed.end(), item.id) == claimed.end();
      if (wanted && open) {
        items.push_back(&item);
        claimed.push_back(item.id);
      } else if (wanted && !spec.item_ids.empty()) {
        return tl::unexpected(ApiError{409, "ITEM_NOT_SHIPPABLE",
                                       "order item " + std::to_string(item.id) + " is " +
                                           item.status +
                                           (item.shipped_at ? " and already shipped" : "")});
      }
    }
    if (items.size() != (spec.item_ids.empty() ? items.size() : spec.item_ids.size()) ||
        items.empty()) {
      return tl::unexpected(ApiError{409, "ITEM_NOT_SHIPPABLE",
                                     "package " + spec.shipment_key +
                                         " names no shippable item of order " +
                                         std::to_string(order_id)});
    }
    contents.push_back(std::move(items));
    carriers.push_back(&*carrier);
  }
  auto now = clock_.Now();
  for (size_t i = 0; i < packages.size(); ++i) {
    Package p;
    p.id = next_id_++;
    p.carrier_key = carriers[i]->key;
    p.shipment_key = packages[i].shipment_key;
    p.tracking_url = carriers[i]->tracking_url;
    if (auto pos = p.tracking_url.find("{trackingId}"); pos != std::string::npos) {
      p.tracking_url.replace(pos, 12, p.shipment_key);
    }
    p.shipped_at = now;
    for (OrderItem* item : contents[i]) {
      item->package_id = p.id;
      item->shipped_at = now;
      item->status = "shipped";
    }
    order.packages.push_back(std::move(p));
    bool all_shipped =
        std::none_of(order.items.begin(), order.items.end(),
                     [](const OrderItem& item) { return item.status == "available"; });
    order.shipping_code = all_shipped ? "shipping_shipped" : "shipping_partially_shipped";
    if (all_shipped) {
      order.order_code = "order_invoiced";
      order.billing_code = "billing_invoiced";
      order.status = "invoice_completed";
      order.invoiced_at = now;
    }
    order.updated_at = now;
    EmitOrderLocked("order-package-shipped", order);
  }
  return order;
}

tl::expected<Order, ApiError> ScayleWorld::CancelOrder(int64_t order_id) {
  std::lock_guard lock(mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end())
    return tl::unexpected(ApiError{404, "ORDER_NOT_FOUND", "no order " + std::to_string(order_id)});
  Order& order = it->second;
  if (std::any_of(order.items.begin(), order.items.end(),
                  [](const OrderItem& i) { return i.shipped_at.has_value(); }) ||
      order.status == "cancellation_completed") {
    return tl::unexpected(
        ApiError{409, "ORDER_NOT_CANCELLABLE",
                 "order " + std::to_string(order_id) + " is shipped or already cancelled"});
  }
  auto now = clock_.Now();
  for (auto& item : order.items) CancelItemLocked(item, now);
  order.status = "cancellation_completed";
  order.order_code = "order_cancelled";
  order.shipping_code = "shipping_cancelled";
  order.updated_at = now;
  EmitOrderLocked("order-canceled", order);
  return order;
}

void ScayleWorld::CancelItemLocked(OrderItem& item, SimTime now) {
  if (item.status == "cancelled") return;
  if (item.warehouse_id) {
    // The unit goes back on the shelf it was taken from.
    for (const auto& w : warehouses_) {
      if (w.id != *item.warehouse_id) continue;
      if (StockRowLocked(item.variant_id, w.reference_key) && variants_.count(item.variant_id)) {
        StockLevel* row = StockRowLocked(item.variant_id, w.reference_key);
        row->quantity += 1;
        row->changed_at = now;
        EmitStockLocked(variants_.at(item.variant_id), *row);
      }
    }
  }
  item.status = "cancelled";
  item.cancelled_at = now;
}

tl::expected<Order, ApiError> ScayleWorld::CancelOrderItems(const std::string& shop,
                                                            const std::string& cc, int64_t order_id,
                                                            const std::vector<int64_t>& item_ids) {
  std::lock_guard lock(mu_);
  const ShopCountry* sc = ShopCountryLocked(shop, cc);
  auto it = orders_.find(order_id);
  if (!sc || it == orders_.end() || it->second.shop_key != sc->shop_key ||
      it->second.country_code != sc->country_code) {
    return tl::unexpected(ApiError{
        404, "ORDER_NOT_FOUND",
        "order " + std::to_string(order_id) + " not found in shop country " + shop + "/" + cc});
  }
  if (item_ids.empty())
    return tl::unexpected(ApiError{400, "ITEMS_MISSING", "name at least one orderItemId"});
  Order& order = it->second;
  // Validate every item before cancelling any, so a refused request changes nothing.
  std::vector<OrderItem*> items;
  for (int64_t id : item_ids) {
    auto item = std::find_if(order.items.begin(), order.items.end(),
                             [&](const OrderItem& i) { return i.id == id; });
    if (item == order.items.end()) {
      return tl::unexpected(
          ApiError{404, "ORDER_ITEM_NOT_FOUND",
                   "order " + std::to_string(order_id) + " has no item " + std::to_string(id)});
    }
    if (item->shipped_at || item->package_id) {
      return tl::unexpected(ApiError{409, "ITEM_NOT_CANCELLABLE",
                                     "order item " + std::to_string(id) + " of order " +
                                         std::to_string(order_id) + " is already shipped"});
    }
    items.push_back(&*item);
  }
  auto now = clock_.Now();
  for (OrderItem* item : items) CancelItemLocked(*item, now);
  order.updated_at = now;
  bool none_left = std::all_of(order.items.begin(), order.items.end(),
                               [](const OrderItem& i) { return i.status == "cancelled"; });
  if (none_left && order.status != "cancellation_completed") {
    order.status = "cancellation_completed";
    order.order_code = "order_cancelled";
    order.shipping_code = "shipping_cancelled";
    EmitOrderLocked("order-canceled", order);
  }
  return order;
}

}  // namespace sandbox::scayle

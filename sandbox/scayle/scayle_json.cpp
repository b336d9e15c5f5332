#include "sandbox/scayle/scayle_json.hpp"

#include "sandbox/scayle/timestamps.hpp"

namespace sandbox::scayle {

namespace {

Json OptionalTime(const std::optional<SimTime>& t) {
  return t ? Json(FormatTimestamp(*t)) : Json(nullptr);
}

template <typename T>
Json OptionalValue(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json TaxJson(int64_t amount, double rate) {
  return {{"vat", {{"amount", amount}, {"rate", rate}}}};
}

Json ImageJson(const Image& image) {
  return {{"id", image.id},
          {"name", image.asset_url},
          {"assetUrl", image.asset_url},
          {"mimeType", image.mime_type},
          {"position", image.position},
          {"attributes", AttributesJson(image.attributes)}};
}

Json OrderItemJson(const OrderItem& item, const std::string& currency) {
  int64_t tax = item.price_with_tax - item.price_without_tax;
  return {
      {"id", item.id},
      {"key", item.key},
      {"status", item.status},
      {"currency", currency},
      {"createdAt", FormatTimestamp(item.created_at)},
      {"legacyCustomData", Json::object()},
      {"merchant", {{"referenceKey", kMerchantKey}}},
      {"packageId", OptionalValue(item.package_id)},
      {"warehouseId", OptionalValue(item.warehouse_id)},
      {"reservationKey", OptionalValue(item.reservation_key)},
      {"price",
       {{"overrideWithTax", 0},
        {"overrideWithoutTax", 0},
        {"tax", TaxJson(tax, item.tax_rate)},
        {"undiscountedWithOutTax", item.price_without_tax},
        {"undiscountedWithTax", item.price_with_tax},
        {"withTax", item.price_with_tax},
        {"withoutTax", item.price_without_tax}}},
      {"product", {{"id", item.product_id}, {"name", item.product_name}}},
      {"variant",
       {{"id", item.variant_id},
        {"referenceKey", item.variant_reference_key},
        {"stock", {{"supplierId", 1}}}}},
      {"delegatedAt", OptionalTime(item.delegated_at)},
      {"shippedAt", OptionalTime(item.shipped_at)},
      {"cancelledAt", OptionalTime(item.cancelled_at)},
  };
}

Json DetailedStatusJson(const Order& order) {
  auto entry = [](const std::string& code) {
    // The name is the code's last word, capitalised, as in the fixtures' English names.
    std::string name = code.substr(code.find('_') + 1);
    if (!name.empty()) name[0] = static_cast<char>(std::toupper(name[0]));
    for (auto& c : name) c = c == '_' ? ' ' : c;
    return Json{{"code", code}, {"name", name}};
  };
  return {{"billing", entry(order.billing_code)},
          {"order", entry(order.order_code)},
          {"shipping", entry(order.shipping_code)}};
}

}  // namespace

Json ErrorBody(const ApiError& error) {
  return {{"errors", Json::array({{{"errorKey", error.key},
                                   {"message", error.message},
                                   {"context", Json::object()}}})}};
}

Json AttributesJson(const std::vector<Attribute>& attributes) {
  Json out = Json::array();
  for (const auto& a : attributes) {
    out.push_back({{"name", a.name}, {"type", a.type}, {"value", a.value}, {"isLocked", false}});
  }
  return out;
}

Json PriceJson(const Price& p) {
  return {{"key", p.key},
          {"price", p.price},
          {"oldPrice", OptionalValue(p.old_price)},
          {"recommendedRetailPrice", OptionalValue(p.recommended_retail_price)},
          {"buyingPrice", OptionalValue(p.buying_price)},
          {"tax", p.tax},
          {"countryCode", p.country_code},
          {"currencyCode", p.currency_code},
          {"groupKey", nullptr},
          {"promotionKey", nullptr},
          {"unitPrice", nullptr},
          {"validFrom", FormatTimestamp(p.valid_from)},
          {"validTo", OptionalTime(p.valid_to)},
          {"merchantReferenceKey", kMerchantKey}};
}

Json StockJson(const StockLevel& s) {
  return {{"quantity", s.quantity},
          {"warehouseReferenceKey", s.warehouse_key},
          {"changedAt", FormatTimestamp(s.changed_at)},
          {"sellableWithoutStock", s.sellable_without_stock},
          {"merchantReferenceKey", kMerchantKey},
          {"expectedAvailabilityAt", OptionalValue(s.expected_availability_at)}};
}

Json VariantJson(const Variant& v, const std::vector<StockLevel>* stocks) {
  Json prices = Json::array();
  for (const auto& p : v.prices) prices.push_back(PriceJson(p));
  Json out = {{"id", v.id},
              {"referenceKey", v.reference_key},
              {"merchantReferenceKeys", Json::array({kMerchantKey})},
              {"ean", v.ean},
              {"attributes", AttributesJson(v.attributes)},
              {"prices", std::move(prices)},
              {"isComposite", false},
              {"relatedVariants", Json::array()}};
  if (stocks) {
    out["customData"] = Json::object();
    Json s = Json::array();
    for (const auto& level : *stocks) {
      Json entry = StockJson(level);
      // The variant-embedded stock entry carries no expectedAvailabilityAt in the fixtures.
      entry.erase("expectedAvailabilityAt");
      s.push_back(std::move(entry));
    }
    out["stocks"] = std::move(s);
  }
  return out;
}

Json ProductJson(const Product& p, const Master& master, const std::vector<Variant>& variants) {
  Json variant_list = Json::array();
  for (const auto& v : variants) variant_list.push_back(VariantJson(v, nullptr));
  Json images = Json::array();
  for (const auto& i : p.images) images.push_back(ImageJson(i));
  return {{"id", p.id},
          {"referenceKey", p.reference_key},
          {"state", p.state},
          {"master",
           {{"referenceKey", master.reference_key},
            {"categories", {{"isLocked", false}, {"paths", master.category_paths}}},
            {"attributes", AttributesJson(master.attributes)}}},
          {"name", p.name},
          {"attributes", AttributesJson(p.attributes)},
          {"variants", std::move(variant_list)},
          {"images", std::move(images)},
          {"productSortings", Json::array()},
          {"customData", Json::object()},
          {"isComposite", false},
          {"merchantReferenceKeys", Json::array({kMerchantKey})}};
}

Json MasterCategoryJson(const MasterCategory& c) {
  Json out = {{"id", c.id}, {"path", c.path}};
  if (c.parent_id) out["parentId"] = *c.parent_id;
  return out;
}

Json AttributeGroupJson(const AttributeGroup& g) {
  return {{"id", g.id},
          {"name", g.name},
          {"frontendName", g.frontend_name},
          {"type", g.type},
          {"cluster", nullptr},
          {"structure", g.structure},
          {"isShared", g.level != "variant"},
          {"level", g.level},
          {"group", nullptr},
          {"shopCountries", nullptr},
          {"isOverridablePerShop", false},
          {"isDifferentiating", g.is_differentiating}};
}

Json WarehouseJson(const Warehouse& w) {
  Json countries = Json::array();
  for (const auto& sc : w.shop_countries) {
    std::string cc = sc.country_code;
    // The SDK sample spells the country in lower case here.
    for (auto& c : cc) c = static_cast<char>(std::tolower(c));
    countries.push_back({{"shopKey", sc.shop_key},
                         {"countryCode", cc},
                         {"priority", sc.priority},
                         {"packageGroup", {{"id", 1}}}});
  }
  return {{"id", w.id},
          {"referenceKey", w.reference_key},
          {"merchants", Json::array({{{"id", 1},
                                      {"referenceKey", kMerchantKey},
                                      {"name", "Marketbridge Sandbox Merchant"},
                                      {"priority", 1}}})},
          {"shopCountries", std::move(countries)}};
}

Json CarrierJson(const Carrier& c) {
  return {{"id", c.id}, {"key", c.key}, {"name", c.name}, {"trackingUrl", c.tracking_url}};
}

Json ShopCountryJson(const ShopCountry& sc) {
  return {{"id", sc.id},
          {"shopKey", sc.shop_key},
          {"countryCode", sc.country_code},
          {"defaultLanguageCode", sc.default_language},
          {"supportedLanguageCodes", sc.languages},
          {"priceGroupKey", nullptr},
          {"url", "https://" + sc.shop_key + "." + sc.country_code + ".sandbox.invalid"},
          {"active", true},
          {"currencyCode", sc.currency_code},
          {"deleted", false}};
}

Json PackageJson(const Package& p) {
  return {{"id", p.id},
          {"carrierKey", p.carrier_key},
          {"shipmentKey", p.shipment_key},
          {"deliveryStatus", p.delivery_status},
          {"deliveryDate",
           {{"minimum", FormatDate(p.shipped_at + std::chrono::days(1))},
            {"maximum", FormatDate(p.shipped_at + std::chrono::days(3))}}},
          {"tracking", {{"id", p.shipment_key}, {"url", p.tracking_url}}},
          {"shippedAt", FormatTimestamp(p.shipped_at)}};
}

Json OrderJson(const Order& o, const ShopCountry& sc) {
  Json items = Json::array();
  int64_t with_tax = 0;
  int64_t without_tax = 0;
  for (const auto& item : o.items) {
    items.push_back(OrderItemJson(item, o.currency_code));
    if (item.status != "cancelled") {
      with_tax += item.price_with_tax;
      without_tax += item.price_without_tax;
    }
  }
  Json packages = Json::array();
  for (const auto& p : o.packages) packages.push_back(PackageJson(p));
  Json channel = nullptr;
  if (o.channel) {
    channel = {{"id", o.channel->id},
               {"key", o.channel->key},
               {"name", o.channel->name},
               {"type", o.channel->type}};
  }
  return {
      {"id", o.id},
      {"referenceKey", OptionalValue(o.reference_key)},
      {"publicKey", o.public_key},
      {"basketKey", "imported-basket"},
      {"status", o.status},
      {"detailedStatus", DetailedStatusJson(o)},
      {"channel", std::move(channel)},
      {"shopCountry", ShopCountryJson(sc)},
      {"currencyCode", o.currency_code},
      {"customer", o.customer},
      {"address", o.address},
      {"contacts", Json::array()},
      {"cost",
       {{"appliedFees", Json::array()},
        {"costCapture", with_tax},
        {"tax", {{"vat", {{"amount", with_tax - without_tax}}}}},
        {"withTax", with_tax},
        {"withTaxWithMembershipDiscountWithoutServiceCosts", with_tax},
        {"withoutTax", without_tax},
        {"withoutTaxWithMembershipDiscount", without_tax}}},
      {"shipping",
       {{"deliveryCosts", 0},
        {"deliveryCostsWithoutDiscount", 0},
        {"expressDeliveryCosts", 0},
        {"expressDeliveryCostsWithoutDiscount", 0},
        {"policy", "least_packages"}}},
      {"items", std::move(items)},
      {"packages", std::move(packages)},
      {"payment", o.payment},
      {"vouchers", Json::array()},
      {"legacyCustomData", o.legacy_custom_data},
      {"confirmedAt", OptionalTime(o.confirmed_at)},
      {"invoicedAt", OptionalTime(o.invoiced_at)},
      {"createdAt", FormatTimestamp(o.created_at)},
      {"updatedAt", FormatTimestamp(o.updated_at)},
  };
}

Json OrderStatusJson(const Order& o) {
  return {{"status", o.status}, {"detailedStatus", DetailedStatusJson(o)}};
}

}  // namespace sandbox::scayle

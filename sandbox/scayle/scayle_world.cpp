#include "sandbox/scayle/scayle_world.hpp"

#include <strings.h>
#include "sandbox/scayle/scayle_json.hpp"

#include <algorithm>

#include "sandbox/scayle/timestamps.hpp"

namespace sandbox::scayle {

namespace {

// The `{...Identifier}` rule over one entity table: numeric id, or reference key via its index.
template <typename Table>
const typename Table::mapped_type* FindByIdentifier(
    const Table& table, const std::unordered_map<std::string, int64_t>& by_key,
    const Identifier& id) {
  int64_t key = 0;
  if (id.id) {
    key = *id.id;
  } else if (auto it = by_key.find(id.reference_key); it != by_key.end()) {
    key = it->second;
  } else {
    return nullptr;
  }
  auto it = table.find(key);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace

ScayleWorld::ScayleWorld(const SimClock& clock, WorldConfig config)
    : clock_(clock), config_(std::move(config)) {}

void ScayleWorld::SetEventSink(EventSink sink) {
  std::lock_guard lock(mu_);
  sink_ = std::move(sink);
}

void ScayleWorld::SeedDefaultTenant() {
  AddShopCountry({1, "ms", "DE", "EUR", "de_DE", {"de_DE", "en_GB"}});
  AddShopCountry({2, "ms", "GB", "GBP", "en_GB", {"en_GB"}});
  AddShopCountry({3, "ms", "FR", "EUR", "fr_FR", {"fr_FR", "en_GB"}});
  AddWarehouse({1, "wh-main", {{"ms", "DE", 100}, {"ms", "GB", 50}, {"ms", "FR", 100}}});
  AddWarehouse({2, "wh-east", {{"ms", "DE", 50}}});
  AddWarehouse({3, "wh-uk", {{"ms", "GB", 100}}});
  AddCarrier({1, "DHL_STD_NATIONAL", "DHL",
              "https://nolp.dhl.de/nextt-online-public/set_identcodes.do?idc={trackingId}"});
  AddCarrier({2, "DPD", "DPD", "https://tracking.dpd.de/status/de_DE/parcel/{trackingId}"});
  AddCarrier({3, "UPS", "UPS", "https://www.ups.com/track?tracknum={trackingId}"});
  AddCarrier({4, "HERMES", "Hermes",
              "https://www.myhermes.de/empfangen/sendungsverfolgung/?trackingId={trackingId}"});
  AddCarrier({5, "ROYAL_MAIL", "Royal Mail",
              "https://www.royalmail.com/track-your-item#/tracking-results/{trackingId}"});
  AddCarrier({6, "COLISSIMO", "Colissimo",
              "https://www.laposte.fr/outils/suivre-vos-envois?code={trackingId}"});
  auto group = [&](int64_t id, std::string name, std::string de, std::string en, std::string type,
                   std::string level, bool differentiating, Json structure = nullptr) {
    AddAttributeGroup({id,
                       std::move(name),
                       {{"de_DE", de}, {"en_GB", en}},
                       std::move(type),
                       std::move(level),
                       differentiating,
                       std::move(structure)});
  };
  group(1, "brand", "Marke", "Brand", "simple", "master", false);
  group(2, "collection", "Kollektion", "Collection", "localizedString", "master", false);
  group(3, "season", "Saison", "Season", "simpleList", "master", false);
  group(4, "color", "Farbe", "Colour", "localizedString", "product", true);
  group(5, "careInstructions", "Pflegehinweise", "Care instructions", "localizedStringList",
        "product", false);
  group(6, "material", "Material", "Material", "advancedList", "product", false,
        {{"name", {{"type", "string"}}}, {"percentage", {{"type", "integer"}}}});
  group(7, "size", "Größe", "Size", "simple", "variant", true);
  group(8, "dimensions", "Maße", "Dimensions", "advanced", "variant", false,
        {{"height", {{"type", "integer"}}},
         {"width", {{"type", "integer"}}},
         {"unit", {{"type", "string"}}}});
  group(9, "view", "Ansicht", "View", "simple", "image", false);
}

void ScayleWorld::AddShopCountry(ShopCountry shop_country) {
  std::lock_guard lock(mu_);
  shop_countries_.push_back(std::move(shop_country));
}

void ScayleWorld::AddWarehouse(Warehouse warehouse) {
  std::lock_guard lock(mu_);
  warehouses_.push_back(std::move(warehouse));
}

void ScayleWorld::AddCarrier(Carrier carrier) {
  std::lock_guard lock(mu_);
  carriers_.push_back(std::move(carrier));
}

void ScayleWorld::AddAttributeGroup(AttributeGroup group) {
  std::lock_guard lock(mu_);
  attribute_groups_.push_back(std::move(group));
}

int64_t ScayleWorld::AddMasterCategory(const std::vector<std::string>& path) {
  std::lock_guard lock(mu_);
  std::optional<int64_t> parent;
  std::vector<std::string> prefix;
  for (const auto& segment : path) {
    prefix.push_back(segment);
    auto it = categories_.find(prefix);
    if (it == categories_.end()) {
      MasterCategory c{static_cast<int64_t>(categories_.size() + 1), parent, prefix};
      it = categories_.emplace(prefix, std::move(c)).first;
    }
    parent = it->second.id;
  }
  return parent.value_or(0);
}

void ScayleWorld::AddMaster(Master master) {
  std::lock_guard lock(mu_);
  auto key = master.reference_key;
  masters_[key] = std::move(master);
}

int64_t ScayleWorld::AddProduct(Product product, std::vector<Variant> variants,
                                std::vector<std::vector<StockLevel>> initial_stock) {
  std::lock_guard lock(mu_);
  product.id = next_id_++;
  for (auto& image : product.images) image.id = next_id_++;
  product.variant_ids.clear();
  for (size_t i = 0; i < variants.size(); ++i) {
    auto& v = variants[i];
    v.id = next_id_++;
    if (i < initial_stock.size()) stocks_[v.id] = std::move(initial_stock[i]);
    v.product_id = product.id;
    product.variant_ids.push_back(v.id);
    variant_by_key_[v.reference_key] = v.id;
    variants_[v.id] = std::move(v);
  }
  product_by_key_[product.reference_key] = product.id;
  auto id = product.id;
  products_[id] = std::move(product);
  return id;
}

const Product* ScayleWorld::ProductLocked(const Identifier& id) const {
  return FindByIdentifier(products_, product_by_key_, id);
}

const Variant* ScayleWorld::VariantLocked(const Identifier& id) const {
  return FindByIdentifier(variants_, variant_by_key_, id);
}

Variant* ScayleWorld::VariantLocked(const Identifier& id) {
  return const_cast<Variant*>(std::as_const(*this).VariantLocked(id));
}

const Warehouse* ScayleWorld::WarehouseLocked(const std::string& key) const {
  for (const auto& w : warehouses_) {
    if (w.reference_key == key) return &w;
  }
  return nullptr;
}

const ShopCountry* ScayleWorld::ShopCountryLocked(const std::string& shop,
                                                  const std::string& cc) const {
  for (const auto& sc : shop_countries_) {
    if (sc.shop_key == shop && strcasecmp(sc.country_code.c_str(), cc.c_str()) == 0) return &sc;
  }
  return nullptr;
}

ProductView ScayleWorld::ViewLocked(const Product& product) const {
  ProductView view{product, {}, {}};
  if (auto it = masters_.find(product.master_key); it != masters_.end()) {
    view.master = it->second;
  } else {
    view.master.reference_key = product.master_key;
  }
  for (auto vid : product.variant_ids) {
    if (auto it = variants_.find(vid); it != variants_.end()) view.variants.push_back(it->second);
  }
  return view;
}

std::optional<ProductView> ScayleWorld::FindProduct(const Identifier& id) const {
  std::lock_guard lock(mu_);
  const Product* p = ProductLocked(id);
  if (!p) return std::nullopt;
  return ViewLocked(*p);
}

std::vector<ProductView> ScayleWorld::ListProducts(int64_t after, size_t limit,
                                                   std::optional<int64_t>& next) const {
  std::lock_guard lock(mu_);
  std::vector<ProductView> out;
  next.reset();
  for (auto it = products_.upper_bound(after); it != products_.end(); ++it) {
    if (out.size() == limit) {
      next = out.back().product.id;
      break;
    }
    out.push_back(ViewLocked(it->second));
  }
  return out;
}

std::optional<Variant> ScayleWorld::FindVariant(const Identifier& id) const {
  std::lock_guard lock(mu_);
  const Variant* v = VariantLocked(id);
  if (!v) return std::nullopt;
  return *v;
}

std::vector<MasterCategory> ScayleWorld::MasterCategories() const {
  std::lock_guard lock(mu_);
  std::vector<MasterCategory> out;
  for (const auto& [path, c] : categories_) out.push_back(c);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::vector<AttributeGroup> ScayleWorld::AttributeGroups() const {
  std::lock_guard lock(mu_);
  return attribute_groups_;
}

std::vector<Warehouse> ScayleWorld::Warehouses() const {
  std::lock_guard lock(mu_);
  return warehouses_;
}

std::vector<Carrier> ScayleWorld::Carriers() const {
  std::lock_guard lock(mu_);
  return carriers_;
}

std::vector<ShopCountry> ScayleWorld::ShopCountries() const {
  std::lock_guard lock(mu_);
  return shop_countries_;
}

std::optional<ShopCountry> ScayleWorld::FindShopCountry(const std::string& shop,
                                                        const std::string& cc) const {
  std::lock_guard lock(mu_);
  const ShopCountry* sc = ShopCountryLocked(shop, cc);
  if (!sc) return std::nullopt;
  return *sc;
}

size_t ScayleWorld::VariantCount() const {
  std::lock_guard lock(mu_);
  return variants_.size();
}

std::vector<std::string> ScayleWorld::Skus() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  out.reserve(variants_.size());
  for (const auto& [id, v] : variants_) out.push_back(v.reference_key);
  std::sort(out.begin(), out.end());
  return out;
}

tl::expected<void, ApiError> ScayleWorld::SetProductState(const Identifier& id,
                                                          const std::string& state) {
  std::lock_guard lock(mu_);
  const Product* p = ProductLocked(id);
  if (!p) return tl::unexpected(ApiError{404, "PRODUCT_NOT_FOUND", "product not found"});
  auto& product = products_[p->id];
  product.state = state;
  ProductView view = ViewLocked(product);
  EmitProductLocked("product-updated", ProductJson(view.product, view.master, view.variants));
  return {};
}

tl::expected<void, ApiError> ScayleWorld::DeleteVariant(const Identifier& id) {
  std::lock_guard lock(mu_);
  const Variant* v = VariantLocked(id);
  if (!v) return tl::unexpected(ApiError{404, "VARIANT_NOT_FOUND", "variant not found"});
  Variant gone = *v;
  auto& product = products_[gone.product_id];
  std::erase(product.variant_ids, gone.id);
  variant_by_key_.erase(gone.reference_key);
  variants_.erase(gone.id);
  stocks_.erase(gone.id);
  EmitProductLocked("product-variant-deleted",
                    {{"productVariant", {{"id", gone.id}, {"referenceKey", gone.reference_key}}},
                     {"product", {{"id", product.id}, {"referenceKey", product.reference_key}}}});
  return {};
}

tl::expected<void, ApiError> ScayleWorld::SetPrices(const Identifier& id,
                                                    std::vector<Price> prices) {
  std::lock_guard lock(mu_);
  Variant* v = VariantLocked(id);
  if (!v) return tl::unexpected(ApiError{404, "VARIANT_NOT_FOUND", "variant not found"});
  v->prices = std::move(prices);
  Json price_list = Json::array();
  for (const auto& p : v->prices) price_list.push_back(PriceJson(p));
  const auto& product = products_[v->product_id];
  EmitProductLocked("product-variant-prices-updated",
                    {{"productVariant", {{"id", v->id}, {"referenceKey", v->reference_key}}},
                     {"product", {{"id", product.id}, {"referenceKey", product.reference_key}}},
                     {"prices", std::move(price_list)}});
  return {};
}

std::string ScayleWorld::NextEventKey() { return "evt-" + std::to_string(next_event_++); }

void ScayleWorld::EmitProductLocked(const std::string& type, Json payload) {
  if (!sink_) return;
  Json envelope = {{"key", NextEventKey()}, {"occurredAt", FormatTimestamp(clock_.Now())},
                   {"version", 1},          {"meta", {{"tenantKey", config_.tenant_key}}},
                   {"type", type},          {"payload", std::move(payload)}};
  sink_(WorldEvent{type, std::move(envelope)});
}

void ScayleWorld::EmitStockLocked(const Variant& variant, const StockLevel& stock) {
  if (!sink_) return;
  const auto& product = products_[variant.product_id];
  const Warehouse* w = WarehouseLocked(stock.warehouse_key);
  EmitProductLocked(
      "product-variant-stock-updated",
      {{"productVariant", {{"id", variant.id}, {"referenceKey", variant.reference_key}}},
       {"product", {{"id", product.id}, {"referenceKey", product.reference_key}}},
       {"warehouse", {{"id", w ? w->id : 0}, {"referenceKey", stock.warehouse_key}}},
       {"quantity", stock.quantity},
       {"sellableWithoutStock", stock.sellable_without_stock},
       {"createdAt", FormatTimestamp(stock.changed_at)},
       {"merchantReferenceKey", kMerchantKey},
       {"expectedAvailabilityAt",
        stock.expected_availability_at ? Json(*stock.expected_availability_at) : Json(nullptr)}});
}

void ScayleWorld::EmitOrderLocked(const std::string& type, const Order& order) {
  if (!sink_) return;
  const ShopCountry* sc = ShopCountryLocked(order.shop_key, order.country_code);
  if (!sc) return;
  Json envelope = {{"key", NextEventKey()},
                   {"locale",
                    {{"appId", sc->id},
                     {"countryCode", sc->country_code},
                     {"currencyCode", sc->currency_code},
                     {"languageCode", sc->default_language}}},
                   {"occurredAt", FormatTimestamp(clock_.Now())},
                   {"payload", OrderJson(order, *sc)}};
  sink_(WorldEvent{type, std::move(envelope)});
}

}  // namespace sandbox::scayle

#include "catalogue/scayle_catalogue.hpp"

#include <algorithm>

namespace mb::catalogue {

using nlohmann::json;

size_t Family::VariantCount() const {
  size_t n = 0;
  for (const auto* p : products) n += p->variants.size();
  return n;
}

ScayleCatalogue::ScayleCatalogue(std::vector<ScayleProduct> products, std::string prefix)
    : products_(std::move(products)), prefix_(std::move(prefix)) {
  std::sort(products_.begin(), products_.end(),
            [](const ScayleProduct& a, const ScayleProduct& b) { return a.id < b.id; });
  for (const auto& product : products_) {
    // A product without a master is its own family.
    std::string master =
        product.master_reference_key.empty() ? product.reference_key : product.master_reference_key;
    auto& family = families_[master];
    family.master_key = master;
    family.products.push_back(&product);
    for (const auto& variant : product.variants) {
      index_.Add(variant.ref.sku, VariantLocation{master, product.reference_key, variant.ref.id});
    }
  }
  for (const auto& [master, family] : families_) {
    if (family.VariantCount() > 1) index_.AddParent(ParentSku(master), master);
  }
}

const Family* ScayleCatalogue::FamilyOf(const std::string& master_key) const {
  auto it = families_.find(master_key);
  return it == families_.end() ? nullptr : &it->second;
}

const ScayleAttribute* FindAttribute(const std::string& name, const ScayleVariant* variant,
                                     const ScayleProduct& product) {
  auto find = [&](const std::vector<ScayleAttribute>& list) -> const ScayleAttribute* {
    for (const auto& a : list) {
      if (a.name == name) return &a;
    }
    return nullptr;
  };
  if (variant != nullptr) {
    if (const auto* a = find(variant->attributes)) return a;
  }
  if (const auto* a = find(product.attributes)) return a;
  return find(product.master_attributes);
}

namespace {

std::optional<std::string> PickLocale(const json& texts, const MarketplaceSpec& marketplace) {
  if (!texts.is_object()) return std::nullopt;
  auto pick = [&](const std::string& locale) -> std::optional<std::string> {
    auto it = texts.find(locale);
    if (it != texts.end() && it->is_string() && !it->get<std::string>().empty()) {
      return it->get<std::string>();
    }
    return std::nullopt;
  };
  if (auto t = pick(marketplace.scayle_locale)) return t;
  for (const auto& f : marketplace.fallback_locales) {
    if (auto t = pick(f)) return t;
  }
  return std::nullopt;
}

void Append(std::vector<json>& out, const json& element, const std::string& type,
            const MarketplaceSpec& marketplace, const std::string& member) {
  if (type == "localizedString" || type == "localizedStringList") {
    if (auto t = PickLocale(element, marketplace)) out.emplace_back(*t);
    return;
  }
  if (type == "advanced" || type == "advancedList") {
    if (member.empty()) {
      out.push_back(element);
    } else if (element.is_object() && element.contains(member) && !element[member].is_null()) {
      const json& v = element[member];
      // Advanced members may themselves be localised ({"de_DE": ..}).
      if (v.is_object()) {
        if (auto t = PickLocale(v, marketplace)) out.emplace_back(*t);
      } else {
        out.push_back(v);
      }
    }
    return;
  }
  if (!element.is_null() && !(element.is_string() && element.get<std::string>().empty())) {
    out.push_back(element);
  }
}

}  // namespace

std::vector<json> AttributeValues(const ScayleAttribute& attribute,
                                  const MarketplaceSpec& marketplace, const std::string& member) {
  json value = json::parse(attribute.value_json, nullptr, false);
  if (!attribute.shop_country_overrides_json.empty()) {
    json overrides = json::parse(attribute.shop_country_overrides_json, nullptr, false);
    for (const auto& o : overrides.is_array() ? overrides : json::array()) {
      if (!o.is_object()) continue;
      bool shop_ok = marketplace.shop_key.empty() || o.value("shopKey", "") == marketplace.shop_key;
      if (shop_ok && o.value("countryCode", "") == marketplace.country_code &&
          o.contains("value")) {
        value = o["value"];
        break;
      }
    }
  }
  std::vector<json> out;
  if (value.is_discarded() || value.is_null()) return out;
  bool list = attribute.type == "simpleList" || attribute.type == "localizedStringList" ||
              attribute.type == "advancedList";
  if (list && value.is_array()) {
    for (const auto& element : value) Append(out, element, attribute.type, marketplace, member);
  } else {
    Append(out, value, attribute.type, marketplace, member);
  }
  return out;
}

std::string Localised(const std::map<std::string, std::string>& texts,
                      const MarketplaceSpec& marketplace) {
  auto it = texts.find(marketplace.scayle_locale);
  if (it != texts.end() && !it->second.empty()) return it->second;
  for (const auto& f : marketplace.fallback_locales) {
    it = texts.find(f);
    if (it != texts.end() && !it->second.empty()) return it->second;
  }
  return "";
}

MasterFacts FactsOf(const Family& family, const MarketplaceSpec* marketplace) {
  MasterFacts facts;
  MarketplaceSpec any;
  const MarketplaceSpec& m = marketplace ? *marketplace : any;
  for (const auto* product : family.products) {
    for (const auto& path : product->category_paths) facts.category_paths.push_back(path);
    for (const auto* list : {&product->master_attributes, &product->attributes}) {
      for (const auto& a : *list) {
        if (facts.attributes.count(a.name)) continue;
        auto values = AttributeValues(a, m, "");
        if (!values.empty() && values.front().is_string()) {
          facts.attributes[a.name] = values.front().get<std::string>();
        }
      }
    }
  }
  return facts;
}

}  // namespace mb::catalogue

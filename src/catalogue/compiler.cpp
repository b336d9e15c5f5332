#include "catalogue/compiler.hpp"

#include <algorithm>
#include <charconv>

#include "core/catalogue/template.hpp"

namespace mb::catalogue {

using nlohmann::json;

std::string_view ListingRoleName(ListingRole role) {
  switch (role) {
    case ListingRole::kParent:
      return "parent";
    case ListingRole::kChild:
      return "child";
    case ListingRole::kStandalone:
      return "standalone";
  }
  return "unknown";
}

bool CompiledListing::ok() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const Problem& p) { return p.blocking; });
}

namespace {

// The attributes the compiler adds to every member of a family.
constexpr char kParentageLevel[] = "parentage_level";
constexpr char kChildParentRelationship[] = "child_parent_sku_relationship";
constexpr char kVariationTheme[] = "variation_theme";

void SetPath(json& item, const std::string& path, json value);

std::string Describe(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Everything one listing's compilation reads.
struct Subject {
  const MarketplaceSpec& marketplace;
  const Family& family;
  const ScayleProduct& product;  // the variant's product; the family's first for a parent
  const ScayleVariant* variant;  // nullptr for a parent
  const Sku& sku;
  TimePoint now;
};

class ListingBuilder {
 public:
  ListingBuilder(const Mapping& mapping, const Subject& subject, CompiledListing& listing)
      : mapping_(mapping), s_(subject), listing_(listing) {}

  void Problem(ProblemKind kind, const std::string& attribute, const std::string& message) {
    catalogue::Problem p;
    p.kind = kind;
    p.source = ProblemSource::kMapping;
    p.sku = listing_.sku;
    p.marketplace = listing_.marketplace_id;
    p.attribute = attribute;
    p.message = message;
    listing_.problems.push_back(std::move(p));
  }

  // Raw values of a source (SCAYLE attribute or built-in), before value maps.
  std::vector<json> Source(const std::string& source, const std::string& member) {
    if (source.starts_with("@")) return BuiltIn(source);
    const ScayleAttribute* a = FindAttribute(source, s_.variant, s_.product);
    if (a == nullptr) return {};
    return AttributeValues(*a, s_.marketplace, member);
  }

  // Applies a value map; an unmapped value is a problem naming the value, map and language.
  std::optional<json> MapValue(const json& raw, const std::string& map_name,
                               const std::string& attribute, const std::string& source) {
    if (map_name.empty()) return raw;
    const ValueMap& map = mapping_.value_maps.at(map_name);
    std::string text = Describe(raw);
    if (auto mapped = LookUp(map, s_.marketplace.language_tag, text)) return json(*mapped);
    Problem(ProblemKind::kUnmappedValue, attribute,
            "SCAYLE " + (source.empty() ? std::string("value") : "attribute '" + source + "'") +
                " has '" + text + "', which value map '" + map_name + "' does not translate for " +
                s_.marketplace.language_tag + " (" + map.at.ToString() + ")");
    return std::nullopt;
  }

  std::optional<json> Coerce(const json& value, ValueType type, const std::string& attribute) {
    std::string text = Describe(value);
    switch (type) {
      case ValueType::kAuto:
        return value;
      case ValueType::kString:
        return json(text);
      case ValueType::kInteger: {
        if (value.is_number_integer()) return value;
        int64_t n = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec == std::errc() && end == text.data() + text.size()) return json(n);
        break;
      }
      case ValueType::kNumber: {
        if (value.is_number()) return value;
        json parsed = json::parse(text, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_number()) return parsed;
        break;
      }
      case ValueType::kBoolean:
        if (value.is_boolean()) return value;
        if (text == "true" || text == "false") return json(text == "true");
        break;
    }
    Problem(ProblemKind::kInvalidValue, attribute,
            "'" + text + "' cannot be used as " +
                std::string(type == ValueType::kBoolean ? "true/false" : "a number"));
    return std::nullopt;
  }

  // The values of one field; nullopt = a problem was recorded; empty = no source value.
  std::optional<std::vector<json>> Field(const FieldRule& field, const std::string& attribute) {
    std::vector<json> raw;
    std::string source = field.from;
    if (auto it = field.per_marketplace.find(s_.marketplace.alias);
        it != field.per_marketplace.end()) {
      raw.push_back(ScalarJson(it->second));
    } else if (field.constant) {
      raw.push_back(ScalarJson(*field.constant));
    } else if (!field.template_text.empty()) {
      auto text = Template(field, attribute);
      if (!text) return std::nullopt;
      if (!text->empty()) raw.emplace_back(*text);
    } else if (!field.from.empty()) {
      raw = Source(field.from, field.member);
    }
    std::vector<json> out;
    bool failed = false;
    for (const auto& r : raw) {
      auto mapped = MapValue(r, field.value_map, attribute, source);
      if (!mapped) {
        failed = true;
        continue;
      }
      auto coerced = Coerce(*mapped, field.type, attribute);
      if (!coerced) {
        failed = true;
        continue;
      }
      out.push_back(std::move(*coerced));
    }
    if (failed) return std::nullopt;
    return out;
  }

  void Attribute(const AttributeRule& rule) {
    std::vector<std::pair<std::string, std::vector<json>>> fields;
    bool failed = false;
    bool has_value = false;
    size_t items = 1;
    for (const auto& field : rule.fields) {
      auto values = Field(field, rule.amazon);
      if (!values) {
        failed = true;
        continue;
      }
      if (values->empty()) continue;
      has_value = true;
      if (rule.multi) items = std::max(items, values->size());
      fields.emplace_back(field.name, std::move(*values));
    }
    if (failed) return;
    bool all_fields = fields.size() == rule.fields.size();
    if (!has_value || (!all_fields && rule.required)) {
      if (rule.required) {
        std::string missing;
        for (const auto& f : rule.fields) {
          bool present = std::any_of(fields.begin(), fields.end(),
                                     [&](const auto& x) { return x.first == f.name; });
          if (!present) missing += (missing.empty() ? "" : ", ") + SourceName(f);
        }
        Problem(ProblemKind::kMissingValue, rule.amazon,
                "no value in SCAYLE for " + missing + " (" + s_.marketplace.scayle_locale +
                    "), required by the mapping at " + rule.at.ToString());
      }
      return;
    }
    json array = json::array();
    for (size_t i = 0; i < items; ++i) {
      json item = json::object();
      for (const auto& [name, values] : fields) {
        SetPath(item, name, values[std::min(i, values.size() - 1)]);
      }
      if (rule.localized) item["language_tag"] = s_.marketplace.language_tag;
      if (rule.marketplace_id) item["marketplace_id"] = s_.marketplace.id.value();
      array.push_back(std::move(item));
    }
    listing_.attributes[rule.amazon] = std::move(array);
  }

 private:
  static json ScalarJson(const Scalar& s) {
    return std::visit([](const auto& v) { return json(v); }, s);
  }

  static std::string SourceName(const FieldRule& f) {
    if (!f.from.empty()) return "'" + f.from + "'";
    if (!f.template_text.empty()) return "template \"" + f.template_text + "\"";
    return f.name;
  }

  std::optional<std::string> Template(const FieldRule& field, const std::string& attribute) {
    auto parts = ParseTemplate(field.template_text);  // checked when the file was read
    if (!parts) return std::nullopt;
    bool unmapped = false;
    auto text = RenderTemplate(*parts, [&](const TemplatePart& part) -> std::optional<std::string> {
      auto values = Source(part.source, "");
      if (values.empty()) return std::nullopt;
      auto mapped = MapValue(values.front(), part.value_map, attribute, part.source);
      if (!mapped) {
        unmapped = true;
        return "";
      }
      return Describe(*mapped);
    });
    if (unmapped) return std::nullopt;
    if (!text) {
      Problem(ProblemKind::kMissingValue, attribute,
              text.error().message + " in SCAYLE (" + s_.marketplace.scayle_locale +
                  ") for template \"" + field.template_text + "\" at " + field.at.ToString());
      return std::nullopt;
    }
    return *text;
  }

  std::vector<json> BuiltIn(const std::string& source) {
    const auto& m = s_.marketplace;
    if (source == "@name") {
      std::string name = Localised(s_.product.name, m);
      return name.empty() ? std::vector<json>{} : std::vector<json>{json(name)};
    }
    if (source == "@sku") return {json(s_.sku.value())};
    if (source == "@master_key") return {json(s_.family.master_key)};
    if (source == "@product_key") return {json(s_.product.reference_key)};
    if (source == "@currency") return {json(m.currency)};
    if (source == "@ean") {
      if (s_.variant == nullptr || s_.variant->ean.empty()) return {};
      return {json(s_.variant->ean)};
    }
    if (source == "@category") {
      for (const auto& path : s_.product.category_paths) {
        if (!path.empty()) return {json(path.back())};
      }
      return {};
    }
    if (source == "@price" || source == "@list_price") {
      if (s_.variant == nullptr) return {};
      for (const auto& price : s_.variant->prices) {
        if (price.country_code != m.country_code || price.price.currency().code() != m.currency) {
          continue;
        }
        if (price.valid_from && *price.valid_from > s_.now) continue;
        if (price.valid_to && *price.valid_to <= s_.now) continue;
        const Money* money = &price.price;
        if (source == "@list_price") {
          if (!price.old_price) return {};
          money = &*price.old_price;
        }
        return {json::parse(money->ToDecimalString())};
      }
      return {};
    }
    if (source.starts_with("@image_")) {
      std::vector<const ScayleImage*> images;
      for (const auto& image : s_.product.images) images.push_back(&image);
      std::stable_sort(images.begin(), images.end(),
                       [](const auto* a, const auto* b) { return a->position < b->position; });
      size_t index = source == "@image_main" ? 0 : static_cast<size_t>(source.back() - '0');
      if (index < images.size()) return {json(images[index]->asset_url)};
      return {};
    }
    return {};
  }

  const Mapping& mapping_;
  const Subject& s_;
  CompiledListing& listing_;
};

// "our_price[].schedule[].value_with_tax" = our_price: [{schedule: [{value_with_tax: v}]}] (Amazon
// nests sub-attributes as arrays of one object); "height.value" = height: {value: v}.
void SetPath(json& item, const std::string& path, json value) {
  json* node = &item;
  size_t start = 0;
  for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
    std::string segment = path.substr(start, dot - start);
    if (segment.ends_with("[]")) {
      json& array = (*node)[segment.substr(0, segment.size() - 2)];
      if (!array.is_array() || array.empty()) array = json::array({json::object()});
      node = &array[0];
    } else {
      json& object = (*node)[segment];
      if (!object.is_object()) object = json::object();
      node = &object;
    }
    start = dot + 1;
  }
  (*node)[path.substr(start)] = std::move(value);
}

bool AppliesTo(const AttributeRule& rule, const std::string& product_type, ListingRole role) {
  if (!rule.product_types.empty() && std::find(rule.product_types.begin(), rule.product_types.end(),
                                               product_type) == rule.product_types.end()) {
    return false;
  }
  if (rule.level == Level::kParent) return role == ListingRole::kParent;
  if (rule.level == Level::kChild) return role != ListingRole::kParent;
  return true;
}

}  // namespace

CatalogueCompiler::CatalogueCompiler(const Mapping& mapping, FactsLookup facts)
    : mapping_(mapping), facts_(std::move(facts)) {}

bool CatalogueCompiler::MeantForAmazon(const Family& family) const {
  return FindProductTypeRule(mapping_, FactsOf(family, nullptr)) != nullptr;
}

std::vector<CompiledListing> CatalogueCompiler::CompileAll(const ScayleCatalogue& catalogue,
                                                           const MarketplaceSpec& marketplace,
                                                           TimePoint now) const {
  std::vector<CompiledListing> out;
  ForEachFamily(catalogue, marketplace, now, [&](std::vector<CompiledListing>& listings) {
    for (auto& l : listings) out.push_back(std::move(l));
  });
  return out;
}

void CatalogueCompiler::ForEachFamily(
    const ScayleCatalogue& catalogue, const MarketplaceSpec& marketplace, TimePoint now,
    const std::function<void(std::vector<CompiledListing>&)>& each) const {
  for (const auto& [master, family] : catalogue.families()) {
    if (FindProductTypeRule(mapping_, FactsOf(family, &marketplace)) == nullptr) continue;
    auto listings = CompileFamily(catalogue, family, marketplace, now);
    each(listings);
  }
}

std::set<std::string> CatalogueCompiler::AttributeNames() const {
  std::set<std::string> names{std::string(kParentageLevel), std::string(kChildParentRelationship),
                              std::string(kVariationTheme)};
  for (const auto& attribute : mapping_.attributes) names.insert(attribute.amazon);
  return names;
}

std::vector<CompiledListing> CatalogueCompiler::CompileFamily(const ScayleCatalogue& catalogue,
                                                              const Family& family,
                                                              const MarketplaceSpec& marketplace,
                                                              TimePoint now) const {
  std::vector<CompiledListing> out;
  const ProductTypeRule* rule = FindProductTypeRule(mapping_, FactsOf(family, &marketplace));
  bool is_family = family.VariantCount() > 1;
  Sku parent_sku = catalogue.ParentSku(family.master_key);

  auto start = [&](const Sku& sku, ListingRole role, const ScayleProduct* product,
                   const ScayleVariant* variant) {
    CompiledListing l;
    l.sku = sku;
    l.marketplace_id = marketplace.id;
    l.role = role;
    l.master_key = family.master_key;
    if (product != nullptr && variant != nullptr) l.product_key = product->reference_key;
    if (variant != nullptr) l.variant_id = variant->ref.id;
    if (role == ListingRole::kChild) l.parent_sku = parent_sku;
    return l;
  };

  std::vector<std::tuple<Sku, ListingRole, const ScayleProduct*, const ScayleVariant*>> members;
  if (is_family)
    members.emplace_back(parent_sku, ListingRole::kParent, family.products[0], nullptr);
  for (const auto* product : family.products) {
    for (const auto& variant : product->variants) {
      members.emplace_back(variant.ref.sku,
                           is_family ? ListingRole::kChild : ListingRole::kStandalone, product,
                           &variant);
    }
  }

  std::string theme;
  std::string product_type = rule ? ProductTypeFor(*rule, marketplace) : "";
  const ProductTypeFacts* facts = rule ? facts_(product_type, marketplace.id) : nullptr;
  if (rule && is_family && facts) {
    theme = ChooseVariationTheme(rule->variation_themes, facts->live_variation_themes);
  }

  for (const auto& [sku, role, product, variant] : members) {
    CompiledListing listing = start(sku, role, product, variant);
    listing.product_type = product_type;
    Subject subject{marketplace, family, *product, variant, sku, now};
    ListingBuilder builder(mapping_, subject, listing);
    if (rule == nullptr) {
      builder.Problem(ProblemKind::kNoProductType, "",
                      "master " + family.master_key + " (category " +
                          (product->category_paths.empty()
                               ? std::string("none")
                               : [&] {
                                   std::string p;
                                   for (const auto& s : product->category_paths[0]) {
                                     p += (p.empty() ? "" : " > ") + s;
                                   }
                                   return p;
                                 }()) +
                          ") matches no [[product_type]] rule in " + mapping_.source);
      out.push_back(std::move(listing));
      continue;
    }
    if (variant != nullptr) {
      if (auto resolved = catalogue.index().Resolve(sku); !resolved) {
        builder.Problem(ProblemKind::kDuplicateSku, "", resolved.error().message);
        out.push_back(std::move(listing));
        continue;
      }
    } else if (catalogue.index().Resolve(sku)) {
      builder.Problem(ProblemKind::kDuplicateSku, "",
                      "parent SKU " + sku.value() +
                          " is also the referenceKey of a SCAYLE "
                          "variant; change parent_sku_prefix in " +
                          mapping_.source);
      out.push_back(std::move(listing));
      continue;
    }
    for (const auto& attribute : mapping_.attributes) {
      if (AppliesTo(attribute, product_type, role)) builder.Attribute(attribute);
    }
    if (is_family) {
      json& a = listing.attributes;
      std::string mp = marketplace.id.value();
      a[kParentageLevel] = json::array(
          {{{"marketplace_id", mp}, {"value", role == ListingRole::kParent ? "parent" : "child"}}});
      json relationship = {{"child_relationship_type", "variation"}, {"marketplace_id", mp}};
      if (role == ListingRole::kChild) relationship["parent_sku"] = parent_sku.value();
      a[kChildParentRelationship] = json::array({relationship});
      if (!theme.empty()) {
        a[kVariationTheme] = json::array({{{"name", theme}}});
      } else if (facts != nullptr) {
        std::string preferred;
        for (const auto& t : rule->variation_themes)
          preferred += (preferred.empty() ? "" : ", ") + t;
        builder.Problem(ProblemKind::kNoVariationTheme, kVariationTheme,
                        product_type + " in " + mp + " allows none of the rule's themes (" +
                            (preferred.empty() ? std::string("none given") : preferred) + ") at " +
                            rule->at.ToString());
      }
    }
    out.push_back(std::move(listing));
  }
  return out;
}

CompiledListing CatalogueCompiler::CompileSku(const ScayleCatalogue& catalogue, const Sku& sku,
                                              const MarketplaceSpec& marketplace,
                                              TimePoint now) const {
  std::string master;
  if (auto resolved = catalogue.index().Resolve(sku); resolved) {
    master = resolved->master_key;
  } else if (catalogue.index().IsParent(sku)) {
    for (const auto& [key, family] : catalogue.families()) {
      if (catalogue.ParentSku(key) == sku) master = key;
    }
  } else {
    CompiledListing refused;
    refused.sku = sku;
    refused.marketplace_id = marketplace.id;
    Problem p;
    p.kind = resolved.error().code == ErrorCode::kConflict ? ProblemKind::kDuplicateSku
                                                           : ProblemKind::kNoScayleVariant;
    p.sku = sku;
    p.marketplace = marketplace.id;
    p.message = resolved.error().message + "; it is not listed";
    refused.problems.push_back(std::move(p));
    return refused;
  }
  for (auto& listing : CompileFamily(catalogue, *catalogue.FamilyOf(master), marketplace, now)) {
    if (listing.sku == sku) return listing;
  }
  return CompiledListing{};
}

}  // namespace mb::catalogue

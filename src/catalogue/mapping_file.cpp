#include "catalogue/mapping_file.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/catalogue/template.hpp"

namespace mb::catalogue {

namespace {

constexpr std::string_view kBuiltIns[] = {
    "@name",    "@sku",     "@ean",     "@price",    "@list_price", "@currency",   "@image_main",
    "@image_1", "@image_2", "@image_3", "@category", "@master_key", "@product_key"};

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  SourceLine At(const toml::node& node) const {
    return SourceLine{source_, node.source().begin.line};
  }
  void Error(const toml::node& node, const std::string& message) {
    errors_.push_back(At(node).ToString() + ": " + message);
  }
  const std::vector<std::string>& errors() const { return errors_; }

  // Rejects keys outside `allowed` (a typo would otherwise silently drop a rule).
  void OnlyKeys(const toml::table& table, const std::vector<std::string_view>& allowed,
                std::string_view where) {
    for (const auto& [key, node] : table) {
      bool ok = false;
      for (auto a : allowed) ok = ok || key.str() == a;
      if (!ok) Error(node, "unknown key '" + std::string(key.str()) + "' in " + std::string(where));
    }
  }

  std::string String(const toml::table& table, std::string_view key, bool required,
                     std::string_view where, const toml::node& owner) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) Error(owner, std::string(where) + " needs '" + std::string(key) + "'");
      return "";
    }
    if (!node->is_string()) {
      Error(*node, "'" + std::string(key) + "' must be a string");
      return "";
    }
    return std::string(**node->as_string());
  }

  bool Bool(const toml::table& table, std::string_view key, bool fallback) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return fallback;
    if (!node->is_boolean()) {
      Error(*node, "'" + std::string(key) + "' must be true or false");
      return fallback;
    }
    return **node->as_boolean();
  }

  std::vector<std::string> Strings(const toml::table& table, std::string_view key) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) return out;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      Error(*node, "'" + std::string(key) + "' must be a list of strings");
      return out;
    }
    for (const auto& item : *array) {
      if (!item.is_string()) {
        Error(item, "'" + std::string(key) + "' must hold only strings");
        continue;
      }
      out.push_back(std::string(**item.as_string()));
    }
    return out;
  }

  std::optional<Scalar> ToScalar(const toml::node& node) {
    if (auto s = node.as_string()) return Scalar(std::string(**s));
    if (auto i = node.as_integer()) return Scalar(static_cast<int64_t>(**i));
    if (auto f = node.as_floating_point()) return Scalar(static_cast<double>(**f));
    if (auto b = node.as_boolean()) return Scalar(static_cast<bool>(**b));
    Error(node, "a constant must be a string, number or true/false");
    return std::nullopt;
  }

 private:
  std::string source_;
  std::vector<std::string> errors_;
};

Result<ValueType> ParseValueType(std::string_view text) {
  if (text.empty()) return ValueType::kAuto;
  if (text == "string") return ValueType::kString;
  if (text == "integer") return ValueType::kInteger;
  if (text == "number") return ValueType::kNumber;
  if (text == "boolean") return ValueType::kBoolean;
  return Fail(ErrorCode::kConfigError,
              "type must be string, integer, number or boolean, not '" + std::string(text) + "'");
}

const std::vector<std::string_view> kFieldKeys = {
    "from", "constant", "per_marketplace", "template", "member", "value_map", "type"};

// A field from `table` (an attribute's shorthand for `value`, or an entry of `fields`).
std::optional<FieldRule> ReadField(Reader& r, const toml::table& table, const toml::node& owner,
                                   std::string name) {
  FieldRule field;
  field.name = std::move(name);
  field.at = r.At(owner);
  field.from = r.String(table, "from", false, "", owner);
  field.template_text = r.String(table, "template", false, "", owner);
  field.member = r.String(table, "member", false, "", owner);
  field.value_map = r.String(table, "value_map", false, "", owner);
  if (const toml::node* c = table.get("constant")) field.constant = r.ToScalar(*c);
  if (const toml::node* pm = table.get("per_marketplace")) {
    if (const toml::table* t = pm->as_table()) {
      for (const auto& [alias, value] : *t) {
        if (auto s = r.ToScalar(value)) field.per_marketplace[std::string(alias.str())] = *s;
      }
    } else {
      r.Error(*pm, "'per_marketplace' must be a table: { DE = \"...\", US = \"...\" }");
    }
  }
  if (const toml::node* t = table.get("type")) {
    if (!t->is_string()) {
      r.Error(*t, "'type' must be a string");
    } else if (auto type = ParseValueType(**t->as_string()); type) {
      field.type = *type;
    } else {
      r.Error(*t, type.error().message);
    }
  }
  int sources = (field.from.empty() ? 0 : 1) + (field.constant ? 1 : 0) +
                (field.per_marketplace.empty() ? 0 : 1) + (field.template_text.empty() ? 0 : 1);
  if (sources == 0) return std::nullopt;
  if (sources > 1) {
    r.Error(owner, "field '" + field.name +
                       "' has more than one of from / constant / per_marketplace / template");
  }
  if (!field.template_text.empty()) {
    if (auto parts = ParseTemplate(field.template_text); !parts) {
      r.Error(owner, "field '" + field.name + "': " + parts.error().message);
    }
  }
  if (field.from.starts_with("@") && !IsBuiltInSource(field.from)) {
    r.Error(owner, "unknown built-in source '" + field.from + "'");
  }
  return field;
}

void ReadMarketplaces(Reader& r, const toml::table& root, Mapping& mapping) {
  const toml::node* node = root.get("marketplaces");
  const toml::table* table = node ? node->as_table() : nullptr;
  if (table == nullptr) {
    r.Error(node ? *node : static_cast<const toml::node&>(root),
            "the file needs a [marketplaces.<NAME>] table per Amazon marketplace");
    return;
  }
  for (const auto& [alias, value] : *table) {
    const toml::table* m = value.as_table();
    if (m == nullptr) {
      r.Error(value, "marketplaces." + std::string(alias.str()) + " must be a table");
      continue;
    }
    r.OnlyKeys(*m,
               {"id", "language_tag", "scayle_locale", "fallback_locales", "shop_key", "country",
                "currency"},
               "marketplaces." + std::string(alias.str()));
    MarketplaceSpec spec;
    std::string where = "marketplaces." + std::string(alias.str());
    spec.alias = std::string(alias.str());
    spec.id = MarketplaceId(r.String(*m, "id", true, where, value));
    spec.language_tag = r.String(*m, "language_tag", true, where, value);
    spec.scayle_locale = r.String(*m, "scayle_locale", false, where, value);
    if (spec.scayle_locale.empty()) spec.scayle_locale = spec.language_tag;
    spec.fallback_locales = r.Strings(*m, "fallback_locales");
    spec.shop_key = r.String(*m, "shop_key", false, where, value);
    spec.country_code = r.String(*m, "country", true, where, value);
    spec.currency = r.String(*m, "currency", true, where, value);
    spec.at = r.At(value);
    mapping.marketplaces.push_back(std::move(spec));
  }
}

void ReadProductTypes(Reader& r, const toml::table& root, Mapping& mapping) {
  const toml::node* node = root.get("product_type");
  if (node == nullptr) {
    r.Error(root, "the file needs at least one [[product_type]] rule");
    return;
  }
  const toml::array* rules = node->as_array();
  if (rules == nullptr) {
    r.Error(*node, "product_type must be written [[product_type]] (a list of rules)");
    return;
  }
  for (const auto& item : *rules) {
    const toml::table* t = item.as_table();
    if (t == nullptr) continue;
    r.OnlyKeys(*t, {"name", "category", "when", "amazon", "per_marketplace", "variation_themes"},
               "[[product_type]]");
    ProductTypeRule rule;
    rule.at = r.At(item);
    rule.name = r.String(*t, "name", true, "[[product_type]]", item);
    rule.category_prefix = r.Strings(*t, "category");
    rule.product_type = r.String(*t, "amazon", true, "[[product_type]]", item);
    rule.variation_themes = r.Strings(*t, "variation_themes");
    if (const toml::node* when = t->get("when")) {
      if (const toml::table* w = when->as_table()) {
        for (const auto& [attr, value] : *w) {
          if (!value.is_string()) {
            r.Error(value, "conditions in 'when' compare with a string");
            continue;
          }
          rule.attribute_equals[std::string(attr.str())] = std::string(**value.as_string());
        }
      } else {
        r.Error(*when, "'when' must be a table: { attribute = \"value\" }");
      }
    }
    if (const toml::node* pm = t->get("per_marketplace")) {
      if (const toml::table* p = pm->as_table()) {
        for (const auto& [alias, value] : *p) {
          if (!mapping.FindMarketplaceAlias(alias.str())) {
            r.Error(value, "unknown marketplace '" + std::string(alias.str()) + "'");
          }
          if (value.is_string()) {
            rule.per_marketplace[std::string(alias.str())] = std::string(**value.as_string());
          }
        }
      }
    }
    if (rule.category_prefix.empty() && rule.attribute_equals.empty()) {
      r.Error(item, "product_type '" + rule.name + "' needs 'category' or 'when'");
    }
    mapping.product_types.push_back(std::move(rule));
  }
}

Level ParseLevel(Reader& r, const toml::table& t, const toml::node& owner) {
  std::string level = r.String(t, "level", false, "", owner);
  if (level.empty() || level == "all") return Level::kAll;
  if (level == "parent") return Level::kParent;
  if (level == "child") return Level::kChild;
  r.Error(*t.get("level"), "level must be all, parent or child, not '" + level + "'");
  return Level::kAll;
}

void ReadAttributes(Reader& r, const toml::table& root, Mapping& mapping) {
  const toml::node* node = root.get("attribute");
  const toml::array* rules = node ? node->as_array() : nullptr;
  if (rules == nullptr) {
    r.Error(node ? *node : static_cast<const toml::node&>(root),
            "the file needs [[attribute]] rules");
    return;
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& item : *rules) {
    const toml::table* t = item.as_table();
    if (t == nullptr) continue;
    std::vector<std::string_view> keys = {
        "amazon",          "localized",     "marketplace_id", "required",  "multi",
        "level",           "product_types", "fields",         "from",      "constant",
        "per_marketplace", "template",      "member",         "value_map", "type"};
    r.OnlyKeys(*t, keys, "[[attribute]]");
    AttributeRule rule;
    rule.at = r.At(item);
    rule.amazon = r.String(*t, "amazon", true, "[[attribute]]", item);
    rule.localized = r.Bool(*t, "localized", false);
    rule.marketplace_id = r.Bool(*t, "marketplace_id", true);
    rule.required = r.Bool(*t, "required", false);
    rule.multi = r.Bool(*t, "multi", false);
    rule.level = ParseLevel(r, *t, item);
    rule.product_types = r.Strings(*t, "product_types");
    if (auto value = ReadField(r, *t, item, "value")) rule.fields.push_back(std::move(*value));
    if (const toml::node* fields = t->get("fields")) {
      if (const toml::table* f = fields->as_table()) {
        for (const auto& [name, spec] : *f) {
          const toml::table* st = spec.as_table();
          if (st == nullptr) {
            r.Error(spec, "fields." + std::string(name.str()) + " must be a table");
            continue;
          }
          r.OnlyKeys(*st, kFieldKeys, "fields." + std::string(name.str()));
          auto field = ReadField(r, *st, spec, std::string(name.str()));
          if (!field) {
            r.Error(spec, "fields." + std::string(name.str()) +
                              " needs from, constant, per_marketplace or template");
            continue;
          }
          rule.fields.push_back(std::move(*field));
        }
      }
    }
    if (rule.fields.empty()) {
      r.Error(item, "attribute '" + rule.amazon +
                        "' needs a source: from, constant, per_marketplace, template or fields");
    }
    std::string scope = std::to_string(static_cast<int>(rule.level)) + ":";
    for (const auto& pt : rule.product_types) scope += pt + ",";
    if (!rule.amazon.empty() && !seen.insert({rule.amazon, scope}).second) {
      r.Error(item, "attribute '" + rule.amazon +
                        "' is mapped twice for the same product types and level");
    }
    mapping.attributes.push_back(std::move(rule));
  }
}

void ReadValueMaps(Reader& r, const toml::table& root, Mapping& mapping) {
  const toml::node* node = root.get("value_maps");
  if (node == nullptr) return;
  const toml::table* maps = node->as_table();
  if (maps == nullptr) {
    r.Error(*node, "value_maps must be tables: [value_maps.<name>.<language or \"*\">]");
    return;
  }
  for (const auto& [name, languages] : *maps) {
    ValueMap map;
    map.name = std::string(name.str());
    map.at = r.At(languages);
    const toml::table* lt = languages.as_table();
    if (lt == nullptr) {
      r.Error(languages, "value_maps." + map.name + " must be a table");
      continue;
    }
    for (const auto& [language, entries] : *lt) {
      const toml::table* et = entries.as_table();
      if (et == nullptr) {
        r.Error(entries, "value_maps." + map.name + "." + std::string(language.str()) +
                             " must be a table of \"SCAYLE value\" = \"Amazon value\"");
        continue;
      }
      auto& table = map.by_language[std::string(language.str())];
      for (const auto& [from, to] : *et) {
        if (!to.is_string()) {
          r.Error(to, "value map entries map to a string");
          continue;
        }
        if (!table.emplace(NormaliseKey(from.str()), std::string(**to.as_string())).second) {
          r.Error(to, "'" + std::string(from.str()) + "' appears twice in value_maps." + map.name +
                          "." + std::string(language.str()) + " (case and spaces are ignored)");
        }
      }
    }
    mapping.value_maps[map.name] = std::move(map);
  }
}

void CheckReferences(Reader& r, const toml::table& root, Mapping& mapping) {
  const toml::array* rules = root.get("attribute") ? root.get("attribute")->as_array() : nullptr;
  for (size_t i = 0; i < mapping.attributes.size(); ++i) {
    const auto& rule = mapping.attributes[i];
    const toml::node& owner = rules ? *rules->get(i) : static_cast<const toml::node&>(root);
    for (const auto& field : rule.fields) {
      if (!field.value_map.empty() && mapping.value_maps.count(field.value_map) == 0) {
        r.Error(owner, "attribute '" + rule.amazon + "' uses value map '" + field.value_map +
                           "', which is not defined under [value_maps]");
      }
      for (const auto& [alias, _] : field.per_marketplace) {
        if (!mapping.FindMarketplaceAlias(alias)) {
          r.Error(owner,
                  "attribute '" + rule.amazon + "' names unknown marketplace '" + alias + "'");
        }
      }
      if (auto parts = ParseTemplate(field.template_text); parts) {
        for (const auto& part : *parts) {
          if (!part.value_map.empty() && mapping.value_maps.count(part.value_map) == 0) {
            r.Error(owner, "template of '" + rule.amazon + "' uses undefined value map '" +
                               part.value_map + "'");
          }
          if (part.source.starts_with("@") && !IsBuiltInSource(part.source)) {
            r.Error(owner, "template of '" + rule.amazon + "' uses unknown built-in '" +
                               part.source + "'");
          }
        }
      }
    }
  }
}

}  // namespace

bool IsBuiltInSource(std::string_view source) {
  for (auto b : kBuiltIns) {
    if (b == source) return true;
  }
  return false;
}

Result<Mapping> ParseMapping(std::string_view text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return Fail(ErrorCode::kConfigError, std::string(source_name) + ":" +
                                             std::to_string(e.source().begin.line) + ": " +
                                             std::string(e.description()));
  }
  Reader r(source_name);
  r.OnlyKeys(root, {"parent_sku_prefix", "marketplaces", "product_type", "attribute", "value_maps"},
             "the top level");
  Mapping mapping;
  mapping.source = std::string(source_name);
  mapping.parent_sku_prefix = r.String(root, "parent_sku_prefix", false, "", root);
  ReadMarketplaces(r, root, mapping);
  ReadProductTypes(r, root, mapping);
  ReadValueMaps(r, root, mapping);
  ReadAttributes(r, root, mapping);
  CheckReferences(r, root, mapping);
  if (!r.errors().empty()) {
    std::string message;
    for (const auto& e : r.errors()) message += (message.empty() ? "" : "\n") + e;
    return Fail(ErrorCode::kConfigError, message);
  }
  return mapping;
}

Result<Mapping> LoadMappingFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kConfigError, "cannot read catalogue mapping " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseMapping(buffer.str(), path);
}

}  // namespace mb::catalogue

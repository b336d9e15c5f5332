#pragma once
// The declarative catalogue mapping (docs/catalogue-mapping.md) as plain data: which Amazon product
// type a SCAYLE master becomes in each marketplace, and how each Amazon attribute is filled from
// SCAYLE attributes, value maps, constants and templates. Parsed from TOML in src/catalogue; kept
// library-free here so the rules can be reasoned about and tested without any I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/ids.hpp"

namespace mb::catalogue {

// Where a mapping element was written, for messages an ecommerce team can follow to the line.
struct SourceLine {
  std::string file;
  uint32_t line = 0;
  std::string ToString() const { return file + ":" + std::to_string(line); }
};

struct MarketplaceSpec {
  std::string alias;          // the name used in the file, e.g. "DE"
  MarketplaceId id;           // A1PA6795UKMFR9
  std::string language_tag;   // Amazon's language_tag, e.g. de_DE
  std::string scayle_locale;  // which SCAYLE localisation to read, e.g. de_DE
  std::vector<std::string> fallback_locales;
  std::string shop_key;      // SCAYLE shop for shop-country overrides and prices
  std::string country_code;  // SCAYLE shop country, e.g. DE
  std::string currency;      // EUR
  SourceLine at;
};

// A TOML scalar: constants keep the type they were written with.
using Scalar = std::variant<std::string, int64_t, double, bool>;

// kAuto keeps the value's own type (a TOML constant as written, a SCAYLE value as SCAYLE has it).
enum class ValueType { kAuto, kString, kInteger, kNumber, kBoolean };

// How one member of an Amazon attribute item (usually `value`) is filled.
struct FieldRule {
  std::string name;  // member of the attribute item: value, size_system, parent_sku ...
  // Exactly one source.
  std::string from;                // SCAYLE attribute or built-in (@name, @ean, @sku ...)
  std::optional<Scalar> constant;  // same in every marketplace
  std::map<std::string, Scalar> per_marketplace;  // marketplace alias -> constant
  std::string template_text;                      // "{brand} {@name} {color|color}"
  std::string member;                             // for advanced values: the member to read
  std::string value_map;                          // name of a value map applied to the result
  ValueType type = ValueType::kAuto;
  SourceLine at;
};

enum class Level { kAll, kParent, kChild };

struct AttributeRule {
  std::string amazon;  // Amazon attribute name, e.g. item_name
  std::vector<FieldRule> fields;
  bool localized = false;      // items carry language_tag
  bool marketplace_id = true;  // items carry marketplace_id
  bool required = false;       // missing source = a problem instead of omitting the attribute
  bool multi = false;          // list sources become several items (bullet_point, material)
  Level level = Level::kAll;
  std::vector<std::string> product_types;  // empty = every product type
  SourceLine at;
};

// Chooses the product type of a SCAYLE master: the first rule whose conditions all hold.
struct ProductTypeRule {
  std::string name;
  std::vector<std::string> category_prefix;             // a master category path starts with it
  std::map<std::string, std::string> attribute_equals;  // SCAYLE attribute -> value
  std::string product_type;                             // default for every marketplace
  std::map<std::string, std::string> per_marketplace;   // alias -> product type
  // Preferred variation themes, best first; the first one the product type allows is used.
  std::vector<std::string> variation_themes;
  SourceLine at;
};

// value maps: name -> (language tag or "*") -> normalised SCAYLE value -> Amazon value.
struct ValueMap {
  std::string name;
  std::map<std::string, std::map<std::string, std::string>> by_language;
  SourceLine at;
};

struct Mapping {
  std::vector<MarketplaceSpec> marketplaces;
  std::vector<ProductTypeRule> product_types;
  std::vector<AttributeRule> attributes;
  std::map<std::string, ValueMap> value_maps;
  std::string parent_sku_prefix;  // parent SKU = prefix + master referenceKey
  std::string source;             // file name, for messages

  const MarketplaceSpec* FindMarketplace(const MarketplaceId& id) const;
  const MarketplaceSpec* FindMarketplaceAlias(std::string_view alias) const;
};

// Lower-case, trimmed, inner whitespace collapsed: "  Dark  Blue" and "dark blue" are one key.
std::string NormaliseKey(std::string_view value);

// The Amazon value for `scayle_value` in `language_tag`, falling back to the "*" table.
std::optional<std::string> LookUp(const ValueMap& map, std::string_view language_tag,
                                  std::string_view scayle_value);

// What a product-type rule looks at: the master's category paths and plain attribute values.
struct MasterFacts {
  std::vector<std::vector<std::string>> category_paths;
  std::map<std::string, std::string> attributes;
};
// The first rule whose conditions all hold, or nullptr: the master is not meant for Amazon.
const ProductTypeRule* FindProductTypeRule(const Mapping& mapping, const MasterFacts& facts);
std::string ProductTypeFor(const ProductTypeRule& rule, const MarketplaceSpec& marketplace);

// The first preferred theme in `allowed`; empty when none is allowed.
std::string ChooseVariationTheme(const std::vector<std::string>& preferred,
                                 const std::vector<std::string>& allowed);

}  // namespace mb::catalogue

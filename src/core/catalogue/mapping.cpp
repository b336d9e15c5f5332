#include "core/catalogue/mapping.hpp"

#include <algorithm>
#include <cctype>

namespace mb::catalogue {

const MarketplaceSpec* Mapping::FindMarketplace(const MarketplaceId& id) const {
  for (const auto& m : marketplaces) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

const MarketplaceSpec* Mapping::FindMarketplaceAlias(std::string_view alias) const {
  for (const auto& m : marketplaces) {
    if (m.alias == alias) return &m;
  }
  return nullptr;
}

std::string NormaliseKey(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    // Only ASCII is folded: "Weiß" stays distinct from "WEISS" on purpose, a value map lists both.
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<std::string> LookUp(const ValueMap& map, std::string_view language_tag,
                                  std::string_view scayle_value) {
  std::string key = NormaliseKey(scayle_value);
  for (std::string_view table : {language_tag, std::string_view("*")}) {
    auto t = map.by_language.find(std::string(table));
    if (t == map.by_language.end()) continue;
    auto v = t->second.find(key);
    if (v != t->second.end()) return v->second;
  }
  return std::nullopt;
}

namespace {

bool StartsWith(const std::vector<std::string>& path, const std::vector<std::string>& prefix) {
  if (prefix.size() > path.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (NormaliseKey(path[i]) != NormaliseKey(prefix[i])) return false;
  }
  return true;
}

}  // namespace

const ProductTypeRule* FindProductTypeRule(const Mapping& mapping, const MasterFacts& facts) {
  for (const auto& rule : mapping.product_types) {
    bool category_ok = rule.category_prefix.empty();
    for (const auto& path : facts.category_paths) {
      if (StartsWith(path, rule.category_prefix)) category_ok = true;
    }
    if (!category_ok) continue;
    bool attributes_ok = std::all_of(
        rule.attribute_equals.begin(), rule.attribute_equals.end(), [&](const auto& condition) {
          auto it = facts.attributes.find(condition.first);
          return it != facts.attributes.end() &&
                 NormaliseKey(it->second) == NormaliseKey(condition.second);
        });
    if (attributes_ok) return &rule;
  }
  return nullptr;
}

std::string ProductTypeFor(const ProductTypeRule& rule, const MarketplaceSpec& marketplace) {
  auto it = rule.per_marketplace.find(marketplace.alias);
  return it != rule.per_marketplace.end() ? it->second : rule.product_type;
}

std::string ChooseVariationTheme(const std::vector<std::string>& preferred,
                                 const std::vector<std::string>& allowed) {
  for (const auto& theme : preferred) {
    if (std::find(allowed.begin(), allowed.end(), theme) != allowed.end()) return theme;
  }
  return "";
}

}  // namespace mb::catalogue

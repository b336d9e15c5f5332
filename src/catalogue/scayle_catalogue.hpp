#pragma once
// SCAYLE's catalogue as the compiler reads it: products grouped into families by master, every
// variant indexed by SKU, and the values of SCAYLE attributes (all six types, localised values,
// shop-country overrides) read for one marketplace.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/catalogue/mapping.hpp"
#include "core/catalogue/sku_index.hpp"
#include "ports/scayle_api.hpp"

namespace mb::catalogue {

struct Family {
  std::string master_key;
  std::vector<const ScayleProduct*> products;  // ordered by product id
  size_t VariantCount() const;
};

class ScayleCatalogue {
 public:
  explicit ScayleCatalogue(std::vector<ScayleProduct> products, std::string parent_sku_prefix);

  const std::map<std::string, Family>& families() const { return families_; }
  const SkuIndex& index() const { return index_; }
  const Family* FamilyOf(const std::string& master_key) const;
  Sku ParentSku(const std::string& master_key) const { return Sku(prefix_ + master_key); }
  size_t product_count() const { return products_.size(); }

 private:
  std::vector<ScayleProduct> products_;
  std::string prefix_;
  std::map<std::string, Family> families_;
  SkuIndex index_;
};

// A SCAYLE attribute by name: the variant's first, then the product's, then the master's.
const ScayleAttribute* FindAttribute(const std::string& name, const ScayleVariant* variant,
                                     const ScayleProduct& product);

// The attribute's values for `marketplace`: a shop-country override (shop and country of the
// marketplace) replaces the value; localised values pick the marketplace's SCAYLE locale, then its
// fallbacks; lists give one value per element; advanced values give `member` of each object (the
// whole object when member is empty). Empty when nothing applies.
std::vector<nlohmann::json> AttributeValues(const ScayleAttribute& attribute,
                                            const MarketplaceSpec& marketplace,
                                            const std::string& member);

// A localised text (product name) in the marketplace's locale or a fallback; "" when none.
std::string Localised(const std::map<std::string, std::string>& texts,
                      const MarketplaceSpec& marketplace);

// Plain string values of a master's attributes (first value each), for product-type rules.
MasterFacts FactsOf(const Family& family, const MarketplaceSpec* marketplace);

}  // namespace mb::catalogue

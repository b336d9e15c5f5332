#pragma once
// The listing gate's first question: does an SKU map to exactly one SCAYLE variant? And the drift
// audit's: which SKUs exist on one side only?

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace mb::catalogue {

struct VariantLocation {
  std::string master_key;   // SCAYLE master referenceKey
  std::string product_key;  // SCAYLE product referenceKey
  int64_t variant_id = 0;
};

class SkuIndex {
 public:
  void Add(const Sku& sku, VariantLocation location);
  // Parent SKUs are Marketbridge's own (one per master): known, but not variants.
  void AddParent(const Sku& sku, const std::string& master_key);

  // The one variant of `sku`: kUnmapped when none, kConflict when several (the message names
  // where each one lives so the ecommerce team can find them).
  Result<VariantLocation> Resolve(const Sku& sku) const;
  bool IsParent(const Sku& sku) const { return parents_.count(sku) > 0; }
  std::vector<Sku> Skus() const;

 private:
  std::map<Sku, std::vector<VariantLocation>> variants_;
  std::map<Sku, std::string> parents_;
};

struct CatalogueDrift {
  std::vector<Sku> amazon_only;      // listed on Amazon, no SCAYLE variant (and not our parent)
  std::vector<Sku> scayle_unlisted;  // meant for Amazon, but no listing on Amazon
};

// `amazon_skus`: every SKU Amazon has; `meant_for_amazon`: SCAYLE SKUs a product-type rule
// selects (parents included).
CatalogueDrift FindCatalogueDrift(const std::set<Sku>& amazon_skus,
                                  const std::set<Sku>& meant_for_amazon, const SkuIndex& index);

}  // namespace mb::catalogue

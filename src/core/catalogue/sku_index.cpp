#include "core/catalogue/sku_index.hpp"

namespace mb::catalogue {

void SkuIndex::Add(const Sku& sku, VariantLocation location) {
  variants_[sku].push_back(std::move(location));
}

void SkuIndex::AddParent(const Sku& sku, const std::string& master_key) {
  parents_[sku] = master_key;
}

Result<VariantLocation> SkuIndex::Resolve(const Sku& sku) const {
  auto it = variants_.find(sku);
  if (it == variants_.end() || it->second.empty()) {
    return Fail(ErrorCode::kUnmapped, sku.value() + " has no SCAYLE variant (referenceKey)");
  }
  if (it->second.size() > 1) {
    std::string where;
    for (const auto& v : it->second) {
      where += (where.empty() ? "" : ", ") + std::string("product ") + v.product_key + " variant " +
               std::to_string(v.variant_id);
    }
    return Fail(ErrorCode::kConflict, sku.value() + " is the referenceKey of " +
                                          std::to_string(it->second.size()) + " SCAYLE variants (" +
                                          where + ")");
  }
  return it->second.front();
}

std::vector<Sku> SkuIndex::Skus() const {
  std::vector<Sku> out;
  out.reserve(variants_.size());
  for (const auto& [sku, _] : variants_) out.push_back(sku);
  return out;
}

CatalogueDrift FindCatalogueDrift(const std::set<Sku>& amazon_skus,
                                  const std::set<Sku>& meant_for_amazon, const SkuIndex& index) {
  CatalogueDrift drift;
  for (const auto& sku : amazon_skus) {
    if (index.IsParent(sku) && meant_for_amazon.count(sku) > 0) continue;
    if (!index.Resolve(sku)) drift.amazon_only.push_back(sku);
  }
  for (const auto& sku : meant_for_amazon) {
    if (amazon_skus.count(sku) == 0) drift.scayle_unlisted.push_back(sku);
  }
  return drift;
}

}  // namespace mb::catalogue

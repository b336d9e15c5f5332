#include "core/stock/buffer_policy.hpp"

#include <algorithm>
#include <utility>

namespace mb::stock {

std::string_view RuleScopeName(RuleScope scope) {
  switch (scope) {
    case RuleScope::kDefault:
      return "default";
    case RuleScope::kCategory:
      return "category";
    case RuleScope::kProduct:
      return "product";
    case RuleScope::kSku:
      return "sku";
  }
  return "default";
}

int64_t ListedQuantity(const BufferRule& rule, int64_t available) {
  if (available <= 0) return 0;
  int64_t listed =
      std::max<int64_t>(0, available - rule.fixed_units - (available * rule.percent + 99) / 100);
  if (rule.max_listed && listed > *rule.max_listed) listed = *rule.max_listed;
  if (listed > 0 && listed < rule.zero_below) listed = 0;
  return listed;
}

BufferedQuantity ApplyBuffer(const BufferRule& rule, int64_t available) {
  BufferedQuantity out;
  if (available <= 0) {
    out.reason = "nothing available";
    return out;
  }
  // Percent rounds the held-back part up: 10 % of 5 holds 1, never 0.
  int64_t percent_units = (available * rule.percent + 99) / 100;
  int64_t held = rule.fixed_units + percent_units;
  int64_t listed = std::max<int64_t>(0, available - held);
  std::string reason;
  if (rule.fixed_units > 0) reason += "fixed " + std::to_string(rule.fixed_units);
  if (rule.percent > 0) {
    if (!reason.empty()) reason += " + ";
    reason += std::to_string(rule.percent) + "% (" + std::to_string(percent_units) + ")";
  }
  if (rule.max_listed && listed > *rule.max_listed) {
    listed = *rule.max_listed;
    if (!reason.empty()) reason += ", ";
    reason += "cap " + std::to_string(*rule.max_listed);
  }
  if (listed > 0 && listed < rule.zero_below) {
    listed = 0;
    if (!reason.empty()) reason += ", ";
    reason += "zero below " + std::to_string(rule.zero_below);
  }
  out.listed = listed;
  out.buffer_units = available - listed;
  out.reason = reason.empty() ? "no buffer" : reason;
  return out;
}

void BufferPolicies::Set(RuleScope scope, const std::string& key, BufferRule rule) {
  switch (scope) {
    case RuleScope::kDefault:
      default_ = rule;
      return;
    case RuleScope::kCategory:
      category_[key] = rule;
      return;
    case RuleScope::kProduct:
      product_[key] = rule;
      return;
    case RuleScope::kSku:
      sku_[key] = rule;
      return;
  }
}

std::pair<RuleScope, const std::pair<const std::string, BufferRule>*> BufferPolicies::Find(
    const std::string& sku, const SkuPlacement* placement) const {
  if (auto it = sku_.find(sku); it != sku_.end()) return {RuleScope::kSku, &*it};
  if (!placement) return {RuleScope::kDefault, nullptr};
  if (!placement->product.empty()) {
    if (auto it = product_.find(placement->product); it != product_.end())
      return {RuleScope::kProduct, &*it};
  }
  // A rule on "Fashion/Men" covers "Fashion/Men/Shirts"; the deepest matching path wins.
  const std::pair<const std::string, BufferRule>* best = nullptr;
  if (!category_.empty()) {
    for (const auto& category : placement->categories) {
      std::string path = category;
      while (!path.empty()) {
        if (auto it = category_.find(path); it != category_.end()) {
          if (!best || it->first.size() > best->first.size()) best = &*it;
          break;
        }
        auto slash = path.rfind('/');
        path = slash == std::string::npos ? std::string() : path.substr(0, slash);
      }
    }
  }
  if (best) return {RuleScope::kCategory, best};
  return {RuleScope::kDefault, nullptr};
}

ResolvedRule BufferPolicies::Resolve(const SkuPlacement& placement) const {
  auto [scope, entry] = Find(placement.sku, &placement);
  if (!entry) return {RuleScope::kDefault, "", default_};
  return {scope, entry->first, entry->second};
}

const BufferRule& BufferPolicies::RuleFor(const std::string& sku,
                                          const SkuPlacement* placement) const {
  auto found = Find(sku, placement);
  return found.second ? found.second->second : default_;
}

}  // namespace mb::stock

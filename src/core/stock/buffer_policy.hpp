#pragma once
// Safety buffers between what SCAYLE can sell and what Amazon may list. A rule can be set for one
// SKU, a product, a category or as the default; the most specific one wins, as a whole (rules are
// not merged field by field, so what an operator reads in one place is what applies).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mb::stock {

struct BufferRule {
  int64_t fixed_units = 0;  // held back from every listing
  int percent = 0;          // of the available units, rounded up, held back
  // Never list more than this (limits what one flash sale can oversell).
  std::optional<int64_t> max_listed;
  // List 0 when fewer than this would be listed: the last units go to D2C, where a stock-out costs
  // a lost sale instead of a cancellation.
  int64_t zero_below = 0;

  friend bool operator==(const BufferRule&, const BufferRule&) = default;
};

enum class RuleScope { kDefault, kCategory, kProduct, kSku };

std::string_view RuleScopeName(RuleScope scope);

// Where a SKU sits in the catalogue, for rule lookup.
struct SkuPlacement {
  std::string sku;
  std::string product;                  // SCAYLE product referenceKey
  std::vector<std::string> categories;  // master category paths joined with '/'
};

struct ResolvedRule {
  RuleScope scope = RuleScope::kDefault;
  std::string key;  // the SKU, product or category the rule was set for; "" for the default
  BufferRule rule;
};

// The outcome of applying a rule to an available quantity.
struct BufferedQuantity {
  int64_t listed = 0;
  int64_t buffer_units = 0;  // available - listed (what the rule held back, incl. clamping)
  std::string reason;        // which part of the rule decided, e.g. "cap 20", "zero below 3"
};

BufferedQuantity ApplyBuffer(const BufferRule& rule, int64_t available);
// ApplyBuffer(rule, available).listed without the explanation (the reconcile hot path).
int64_t ListedQuantity(const BufferRule& rule, int64_t available);

class BufferPolicies {
 public:
  void SetDefault(BufferRule rule) { default_ = rule; }
  void Set(RuleScope scope, const std::string& key, BufferRule rule);
  ResolvedRule Resolve(const SkuPlacement& placement) const;
  // The hot path of a reconcile: no copies. `placement` may be null (the SKU alone).
  const BufferRule& RuleFor(const std::string& sku, const SkuPlacement* placement) const;

 private:
  // The matching entry and its scope; null key pointer for the default.
  std::pair<RuleScope, const std::pair<const std::string, BufferRule>*> Find(
      const std::string& sku, const SkuPlacement* placement) const;

  BufferRule default_;
  std::map<std::string, BufferRule> sku_;
  std::map<std::string, BufferRule> product_;
  std::map<std::string, BufferRule> category_;
};

}  // namespace mb::stock

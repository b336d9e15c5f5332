#pragma once
// The available-to-sell ledger (DESIGN §2.1), per SKU and Amazon region:
//
//   ATS = Σ sellable stock in the SCAYLE warehouses serving the region
//         − units of Amazon orders SCAYLE does not hold yet − buffer, clamped at 0.
//
// Amazon lowers a listing itself when an order is placed. Pushing SCAYLE stock that does not yet
// reflect that order re-opens a unit already sold, so an order stays subtracted until a SCAYLE
// stock reading *newer than the moment SCAYLE took hold of it* arrives, and every computed value
// carries the ledger version of its inputs: a value computed before the newest order event known
// for its SKU and region is stale and must never be pushed (IsCurrent).
//
// Stock readings are ordered by SCAYLE's changedAt: an older reading than the one held (a webhook
// delivered late, a snapshot page read before a webhook) is ignored, so quantities never regress.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/stock/buffer_policy.hpp"

namespace mb::stock {

using Version = uint64_t;

enum class ApplyResult {
  kApplied,
  kDuplicate,  // the same input again: nothing changed
  kStale,      // older than what the ledger holds: ignored
};

std::string_view ApplyResultName(ApplyResult result);

struct RegionConfig {
  std::string region;                   // e.g. "EU", "NA"
  std::vector<std::string> warehouses;  // SCAYLE warehouse referenceKeys serving it
};

struct WarehouseInput {
  std::string warehouse;
  int64_t quantity = 0;
  TimePoint changed_at{};
  bool serves_region = false;
};

struct OpenOrderInput {
  std::string key;  // order id + item id
  int64_t units = 0;
  TimePoint ordered_at{};
  std::optional<TimePoint> held_at;  // SCAYLE holds the units since then (not yet in its stock)
};

struct AtsValue {
  std::string sku;
  std::string region;
  int64_t quantity = 0;  // what to list on Amazon
  int64_t sellable = 0;  // Σ serving warehouses (negative readings count as 0)
  int64_t open_order_units = 0;
  int64_t buffer_units = 0;
  ResolvedRule rule;
  std::string buffer_reason;
  // The ledger version of the newest input used, and of the newest order event known for this SKU
  // and region when it was computed (equal or lower).
  Version version = 0;
  Version order_watermark = 0;
  std::vector<WarehouseInput> warehouses;
  std::vector<OpenOrderInput> open_orders;
};

class AtsLedger {
 public:
  AtsLedger(std::vector<RegionConfig> regions, const BufferPolicies& policies);

  // A stock reading of one warehouse (webhook or snapshot). Same changedAt with another quantity
  // keeps the lower one: on ambiguity, list less.
  ApplyResult ApplyStock(const std::string& sku, const std::string& warehouse, int64_t quantity,
                         TimePoint changed_at);
  // An Amazon order item (idempotent on `order_key`); its units are subtracted from then on.
  Result<ApplyResult> ApplyAmazonOrder(const std::string& region, const std::string& sku,
                                       const std::string& order_key, int64_t units,
                                       TimePoint ordered_at);
  // SCAYLE holds the units (reservation or order) since `held_at`; they stay subtracted until a
  // stock reading of `warehouse` ("" = any warehouse of the SKU) newer than `held_at` arrives.
  Result<ApplyResult> MarkOrderHeld(const std::string& order_key, TimePoint held_at,
                                    const std::string& warehouse);
  // The order was cancelled before SCAYLE held it: Amazon gives the units back itself.
  Result<ApplyResult> CancelOrder(const std::string& order_key);

  void SetPlacement(SkuPlacement placement);
  bool Knows(const std::string& sku) const { return skus_.count(sku) > 0; }

  Result<AtsValue> Compute(const std::string& sku, const std::string& region,
                           bool with_inputs = false) const;
  // The quantity only, without building the explanation (the reconcile hot path).
  Result<int64_t> ComputeQuantity(const std::string& sku, const std::string& region) const;
  // False when an order event newer than the value's inputs is known: recompute, never push.
  bool IsCurrent(const AtsValue& value) const;
  Version OrderWatermark(const std::string& sku, const std::string& region) const;

  Version version() const { return version_; }
  size_t size() const { return skus_.size(); }
  const std::vector<RegionConfig>& regions() const { return regions_; }
  void ForEachSku(const std::function<void(const std::string&)>& visit) const;
  // Every SKU's quantity for `region` (the reconcile after a snapshot), without explanations.
  Status ForEachQuantity(const std::string& region,
                         const std::function<void(const std::string&, int64_t)>& visit) const;

 private:
  struct StockEntry {
    uint32_t warehouse = 0;  // index into warehouse_names_
    int64_t quantity = 0;
    TimePoint changed_at{};
  };
  struct OrderEntry {
    std::string key;
    uint32_t region = 0;
    int64_t units = 0;
    TimePoint ordered_at{};
    std::optional<TimePoint> held_at;
    std::optional<uint32_t> held_warehouse;
    Version version = 0;
  };
  struct SkuState {
    std::vector<StockEntry> stocks;
    std::vector<OrderEntry> orders;
    std::vector<Version> order_versions;  // per region index
    Version version = 0;                  // newest input of any kind
  };

  uint32_t WarehouseIndex(const std::string& warehouse);
  std::optional<uint32_t> RegionIndex(const std::string& region) const;
  SkuState& StateFor(const std::string& sku);
  bool Reflected(const SkuState& state, const OrderEntry& order) const;
  // Drops held orders the stock readings now reflect.
  void Prune(SkuState& state);
  int64_t Sellable(const SkuState& state, uint32_t region) const;
  int64_t OpenUnits(const SkuState& state, uint32_t region) const;
  const SkuPlacement* PlacementOf(const std::string& sku) const;
  int64_t Quantity(const std::string& sku, const SkuState& state, uint32_t region) const;

  std::vector<RegionConfig> regions_;
  const BufferPolicies& policies_;
  std::vector<std::string> warehouse_names_;
  std::unordered_map<std::string, uint32_t> warehouse_index_;
  std::vector<std::vector<bool>> serves_;  // [region][warehouse]
  std::unordered_map<std::string, SkuState> skus_;
  std::unordered_map<std::string, std::string> order_skus_;  // order key -> SKU
  std::unordered_map<std::string, SkuPlacement> placements_;
  Version version_ = 0;
};

}  // namespace mb::stock

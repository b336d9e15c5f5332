#include "core/stock/ats_ledger.hpp"

#include <algorithm>

namespace mb::stock {

std::string_view ApplyResultName(ApplyResult result) {
  switch (result) {
    case ApplyResult::kApplied:
      return "applied";
    case ApplyResult::kDuplicate:
      return "duplicate";
    case ApplyResult::kStale:
      return "stale";
  }
  return "applied";
}

AtsLedger::AtsLedger(std::vector<RegionConfig> regions, const BufferPolicies& policies)
    : regions_(std::move(regions)), policies_(policies) {
  serves_.resize(regions_.size());
  for (size_t r = 0; r < regions_.size(); ++r) {
    for (const auto& warehouse : regions_[r].warehouses) {
      uint32_t index = WarehouseIndex(warehouse);
      if (serves_[r].size() <= index) serves_[r].resize(index + 1, false);
      serves_[r][index] = true;
    }
  }
}

uint32_t AtsLedger::WarehouseIndex(const std::string& warehouse) {
  auto [it, inserted] =
      warehouse_index_.try_emplace(warehouse, static_cast<uint32_t>(warehouse_names_.size()));
  if (inserted) warehouse_names_.push_back(warehouse);
  return it->second;
}

std::optional<uint32_t> AtsLedger::RegionIndex(const std::string& region) const {
  for (size_t r = 0; r < regions_.size(); ++r)
    if (regions_[r].region == region) return static_cast<uint32_t>(r);
  return std::nullopt;
}

AtsLedger::SkuState& AtsLedger::StateFor(const std::string& sku) {
  auto [it, inserted] = skus_.try_emplace(sku);
  if (inserted) it->second.order_versions.assign(regions_.size(), 0);
  return it->second;
}

ApplyResult AtsLedger::ApplyStock(const std::string& sku, const std::string& warehouse,
                                  int64_t quantity, TimePoint changed_at) {
  uint32_t index = WarehouseIndex(warehouse);
  SkuState& state = StateFor(sku);
  auto it = std::find_if(state.stocks.begin(), state.stocks.end(),
                         [index](const StockEntry& entry) { return entry.warehouse == index; });
  if (it == state.stocks.end()) {
    state.stocks.push_back(StockEntry{index, quantity, changed_at});
  } else if (changed_at < it->changed_at) {
    return ApplyResult::kStale;
  } else if (changed_at == it->changed_at) {
    if (quantity >= it->quantity) return ApplyResult::kDuplicate;
    it->quantity = quantity;
  } else {
    it->quantity = quantity;
    it->changed_at = changed_at;
  }
  state.version = ++version_;
  Prune(state);
  return ApplyResult::kApplied;
}

Result<ApplyResult> AtsLedger::ApplyAmazonOrder(const std::string& region, const std::string& sku,
                                                const std::string& order_key, int64_t units,
                                                TimePoint ordered_at) {
  auto r = RegionIndex(region);
  if (!r)
    return Fail(ErrorCode::kInvalidInput, "stock: order " + order_key + " for SKU " + sku +
                                              " names region '" + region +
                                              "', which is not configured");
  if (units <= 0)
    return Fail(ErrorCode::kInvalidInput,
                "stock: order " + order_key + " for SKU " + sku + " has no units");
  if (order_skus_.count(order_key)) return ApplyResult::kDuplicate;
  order_skus_.emplace(order_key, sku);
  SkuState& state = StateFor(sku);
  Version version = ++version_;
  state.orders.push_back(
      OrderEntry{order_key, *r, units, ordered_at, std::nullopt, std::nullopt, version});
  state.order_versions[*r] = version;
  state.version = version;
  return ApplyResult::kApplied;
}

Result<ApplyResult> AtsLedger::MarkOrderHeld(const std::string& order_key, TimePoint held_at,
                                             const std::string& warehouse) {
  auto known = order_skus_.find(order_key);
  if (known == order_skus_.end())
    return Fail(ErrorCode::kNotFound, "stock: order " + order_key + " is not in the ledger");
  SkuState& state = skus_.at(known->second);
  auto it = std::find_if(state.orders.begin(), state.orders.end(),
                         [&](const OrderEntry& order) { return order.key == order_key; });
  if (it == state.orders.end()) return ApplyResult::kDuplicate;  // already reflected or cancelled
  if (it->held_at) return ApplyResult::kDuplicate;
  it->held_at = held_at;
  if (!warehouse.empty()) it->held_warehouse = WarehouseIndex(warehouse);
  // No version bump: the quantity does not change until a newer stock reading arrives.
  Prune(state);
  return ApplyResult::kApplied;
}

Result<ApplyResult> AtsLedger::CancelOrder(const std::string& order_key) {
  auto known = order_skus_.find(order_key);
  if (known == order_skus_.end())
    return Fail(ErrorCode::kNotFound, "stock: order " + order_key + " is not in the ledger");
  SkuState& state = skus_.at(known->second);
  auto it = std::find_if(state.orders.begin(), state.orders.end(),
                         [&](const OrderEntry& order) { return order.key == order_key; });
  if (it == state.orders.end()) return ApplyResult::kDuplicate;
  uint32_t region = it->region;
  state.orders.erase(it);
  Version version = ++version_;
  state.order_versions[region] = version;
  state.version = version;
  return ApplyResult::kApplied;
}

bool AtsLedger::Reflected(const SkuState& state, const OrderEntry& order) const {
  if (!order.held_at) return false;
  for (const auto& stock : state.stocks) {
    if (order.held_warehouse && stock.warehouse != *order.held_warehouse) continue;
    if (stock.changed_at > *order.held_at) return true;
  }
  return false;
}

void AtsLedger::Prune(SkuState& state) {
  std::erase_if(state.orders, [&](const OrderEntry& order) { return Reflected(state, order); });
}

int64_t AtsLedger::Sellable(const SkuState& state, uint32_t region) const {
  const auto& serves = serves_[region];
  int64_t sum = 0;
  for (const auto& stock : state.stocks) {
    if (stock.warehouse < serves.size() && serves[stock.warehouse] && stock.quantity > 0)
      sum += stock.quantity;
  }
  return sum;
}

int64_t AtsLedger::OpenUnits(const SkuState& state, uint32_t region) const {
  int64_t sum = 0;
  for (const auto& order : state.orders)
    if (order.region == region) sum += order.units;
  return sum;
}

void AtsLedger::SetPlacement(SkuPlacement placement) {
  std::string sku = placement.sku;
  placements_[sku] = std::move(placement);
}

const SkuPlacement* AtsLedger::PlacementOf(const std::string& sku) const {
  if (placements_.empty()) return nullptr;
  auto it = placements_.find(sku);
  return it == placements_.end() ? nullptr : &it->second;
}

int64_t AtsLedger::Quantity(const std::string& sku, const SkuState& state, uint32_t region) const {
  int64_t available = Sellable(state, region) - OpenUnits(state, region);
  return ListedQuantity(policies_.RuleFor(sku, PlacementOf(sku)), available);
}

Status AtsLedger::ForEachQuantity(
    const std::string& region,
    const std::function<void(const std::string&, int64_t)>& visit) const {
  auto r = RegionIndex(region);
  if (!r) return Fail(ErrorCode::kInvalidInput, "stock: region '" + region + "' is not configured");
  for (const auto& [sku, state] : skus_) visit(sku, Quantity(sku, state, *r));
  return {};
}

Result<int64_t> AtsLedger::ComputeQuantity(const std::string& sku,
                                           const std::string& region) const {
  auto r = RegionIndex(region);
  if (!r) return Fail(ErrorCode::kInvalidInput, "stock: region '" + region + "' is not configured");
  auto it = skus_.find(sku);
  if (it == skus_.end())
    return Fail(ErrorCode::kNotFound, "stock: SKU " + sku + " is unknown to SCAYLE");
  return Quantity(sku, it->second, *r);
}

Result<AtsValue> AtsLedger::Compute(const std::string& sku, const std::string& region,
                                    bool with_inputs) const {
  auto r = RegionIndex(region);
  if (!r) return Fail(ErrorCode::kInvalidInput, "stock: region '" + region + "' is not configured");
  auto it = skus_.find(sku);
  if (it == skus_.end())
    return Fail(ErrorCode::kNotFound, "stock: SKU " + sku + " is unknown to SCAYLE");
  const SkuState& state = it->second;
  AtsValue value;
  value.sku = sku;
  value.region = region;
  value.sellable = Sellable(state, *r);
  value.open_order_units = OpenUnits(state, *r);
  const SkuPlacement* placement = PlacementOf(sku);
  value.rule = policies_.Resolve(placement ? *placement : SkuPlacement{sku, "", {}});
  BufferedQuantity buffered = ApplyBuffer(value.rule.rule, value.sellable - value.open_order_units);
  value.quantity = buffered.listed;
  value.buffer_units = buffered.buffer_units;
  value.buffer_reason = buffered.reason;
  value.version = state.version;
  value.order_watermark = state.order_versions[*r];
  if (with_inputs) {
    const auto& serves = serves_[*r];
    for (const auto& stock : state.stocks) {
      bool serving = stock.warehouse < serves.size() && serves[stock.warehouse];
      value.warehouses.push_back(WarehouseInput{warehouse_names_[stock.warehouse], stock.quantity,
                                                stock.changed_at, serving});
    }
    for (const auto& order : state.orders) {
      if (order.region != *r) continue;
      value.open_orders.push_back(
          OpenOrderInput{order.key, order.units, order.ordered_at, order.held_at});
    }
  }
  return value;
}

Version AtsLedger::OrderWatermark(const std::string& sku, const std::string& region) const {
  auto r = RegionIndex(region);
  auto it = skus_.find(sku);
  if (!r || it == skus_.end()) return 0;
  return it->second.order_versions[*r];
}

bool AtsLedger::IsCurrent(const AtsValue& value) const {
  return value.version >= OrderWatermark(value.sku, value.region);
}

void AtsLedger::ForEachSku(const std::function<void(const std::string&)>& visit) const {
  for (const auto& [sku, state] : skus_) visit(sku);
}

}  // namespace mb::stock

// Stock, D2C sales and reservations of the emulated tenant (ADMIN_API.md §4).
#include "sandbox/scayle/scayle_world.hpp"

#include <strings.h>

#include <algorithm>

#include "sandbox/scayle/scayle_json.hpp"

namespace sandbox::scayle {

namespace {

ApiError VariantNotFound() {
  return {404, "VARIANT_NOT_FOUND",
          "The combination of warehouseReferenceKey, variant id/key and merchantReferenceKey was "
          "not found."};
}

}  // namespace

StockLevel* ScayleWorld::StockRowLocked(int64_t variant_id, const std::string& warehouse_key) {
  auto it = stocks_.find(variant_id);
  if (it == stocks_.end()) return nullptr;
  for (auto& s : it->second) {
    if (s.warehouse_key == warehouse_key) return &s;
  }
  return nullptr;
}

int64_t ScayleWorld::ReservedLocked(int64_t variant_id, const std::string& warehouse_key) const {
  auto it = reserved_units_.find({variant_id, warehouse_key});
  return it == reserved_units_.end() ? 0 : it->second;
}

std::vector<const Warehouse*> ScayleWorld::ServingWarehousesLocked(const std::string& shop,
                                                                   const std::string& cc) const {
  std::vector<std::pair<int, const Warehouse*>> ranked;
  for (const auto& w : warehouses_) {
    for (const auto& sc : w.shop_countries) {
      if (sc.shop_key == shop && strcasecmp(sc.country_code.c_str(), cc.c_str()) == 0) {
        ranked.emplace_back(sc.priority, &w);
      }
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const Warehouse*> out;
  for (const auto& [priority, w] : ranked) out.push_back(w);
  return out;
}

void ScayleWorld::EraseReservationLocked(int64_t id) const {
  auto it = reservations_.find(id);
  if (it == reservations_.end()) return;
  const Reservation& r = it->second;
  auto units = reserved_units_.find({r.variant_id, r.warehouse_key});
  if (units != reserved_units_.end() && --units->second <= 0) reserved_units_.erase(units);
  reservation_by_key_.erase(r.reference_key);
  auto [from, to] = reservation_expiry_.equal_range(r.expires_at);
  for (auto e = from; e != to; ++e) {
    if (e->second == id) {
      reservation_expiry_.erase(e);
      break;
    }
  }
  reservations_.erase(it);
}

void ScayleWorld::ExpireReservationsLocked() const {
  auto now = clock_.Now();
  while (!reservation_expiry_.empty() && reservation_expiry_.begin()->first <= now) {
    EraseReservationLocked(reservation_expiry_.begin()->second);
  }
}

tl::expected<std::vector<StockLevel>, ApiError> ScayleWorld::VariantStocks(
    const Identifier& id) const {
  std::lock_guard lock(mu_);
  ExpireReservationsLocked();
  const Variant* v = VariantLocked(id);
  if (!v) return tl::unexpected(ApiError{404, "VARIANT_NOT_FOUND", "variant not found"});
  auto it = stocks_.find(v->id);
  if (it == stocks_.end()) return std::vector<StockLevel>{};
  auto out = it->second;
  if (config_.stock_read_subtracts_reservations) {
    for (auto& s : out) s.quantity -= ReservedLocked(v->id, s.warehouse_key);
  }
  return out;
}

tl::expected<StockLevel, ApiError> ScayleWorld::SetStock(const Identifier& id,
                                                         const StockUpdate& update) {
  std::lock_guard lock(mu_);
  const Variant* v = VariantLocked(id);
  if (!v) return tl::unexpected(ApiError{404, "VARIANT_NOT_FOUND", "variant not found"});
  if (!WarehouseLocked(update.warehouse_key)) {
    return tl::unexpected(ApiError{404, "WAREHOUSE_NOT_FOUND",
                                   "warehouse '" + update.warehouse_key + "' does not exist"});
  }
  StockLevel* row = StockRowLocked(v->id, update.warehouse_key);
  if (!row) {
    stocks_[v->id].push_back(
        StockLevel{update.warehouse_key, 0, clock_.Now(), false, std::nullopt});
    row = &stocks_[v->id].back();
  }
  row->quantity = update.quantity;
  row->changed_at = update.changed_at.value_or(clock_.Now());
  if (update.sellable_without_stock) row->sellable_without_stock = *update.sellable_without_stock;
  row->expected_availability_at = update.expected_availability_at;
  EmitStockLocked(*v, *row);
  return *row;
}

tl::expected<StockLevel, ApiError> ScayleWorld::SetSellableWithoutStock(
    const Identifier& id, const std::string& warehouse_key, bool flag) {
  std::lock_guard lock(mu_);
  const Variant* v = VariantLocked(id);
  if (!v) return tl::unexpected(ApiError{404, "VARIANT_NOT_FOUND", "variant not found"});
  StockLevel* row = StockRowLocked(v->id, warehouse_key);
  if (!row)
    return tl::unexpected(ApiError{404, "STOCK_NOT_FOUND",
                                   "no stock of " + v->reference_key + " in " + warehouse_key});
  if (row->sellable_without_stock != flag) {
    row->sellable_without_stock = flag;
    EmitStockLocked(*v, *row);
  }
  return *row;
}

int64_t ScayleWorld::SellableD2c(const Identifier& id, const std::string& shop,
                                 const std::string& cc) const {
  std::lock_guard lock(mu_);
  ExpireReservationsLocked();
  const Variant* v = VariantLocked(id);
  if (!v) return 0;
  int64_t total = 0;
  auto it = stocks_.find(v->id);
  if (it == stocks_.end()) return 0;
  for (const Warehouse* w : ServingWarehousesLocked(shop, cc)) {
    for (const auto& s : it->second) {
      if (s.warehouse_key == w->reference_key) {
        total += std::max<int64_t>(0, s.quantity - ReservedLocked(v->id, s.warehouse_key));
      }
    }
  }
  return total;
}

tl::expected<D2cSale, ApiError> ScayleWorld::PurchaseD2c(const Identifier& id,
                                                         const std::string& shop,
                                                         const std::string& cc) {
  std::unique_lock lock(mu_);
  ExpireReservationsLocked();
  const Variant* v = VariantLocked(id);
  if (!v) return tl::unexpected(ApiError{404, "VARIANT_NOT_FOUND", "variant not found"});
  for (const Warehouse* w : ServingWarehousesLocked(shop, cc)) {
    StockLevel* row = StockRowLocked(v->id, w->reference_key);
    if (!row) continue;
    if (!row->sellable_without_stock &&
        row->quantity - ReservedLocked(v->id, w->reference_key) <= 0)
      continue;
    row->quantity -= 1;
    row->changed_at = clock_.Now();
    EmitStockLocked(*v, *row);
    lock.unlock();
    return D2cSale{w->reference_key, SellableD2c(id, shop, cc)};
  }
  return tl::unexpected(ApiError{409, "OUT_OF_STOCK",
                                 v->reference_key + " has no sellable unit in " + shop + "/" + cc});
}

std::vector<ReservationOutcome> ScayleWorld::Reserve(
    const std::vector<ReservationRequest>& requests) {
  std::lock_guard lock(mu_);
  ExpireReservationsLocked();
  std::vector<ReservationOutcome> out;
  auto now = clock_.Now();
  for (const auto& req : requests) {
    ReservationOutcome outcome{req.reference_key, std::nullopt, std::nullopt};
    auto fail = [&](ApiError e) {
      outcome.error = std::move(e);
      out.push_back(outcome);
    };
    if (req.reference_key.empty()) {
      fail({400, "REFERENCE_KEY_MISSING", "every reservation needs a referenceKey"});
      continue;
    }
    if (reservation_by_key_.count(req.reference_key)) {
      fail({409, "RESERVATION_ALREADY_EXISTS",
            "an active reservation with referenceKey '" + req.reference_key + "' exists"});
      continue;
    }
    int64_t ttl = req.ttl_seconds.value_or(config_.default_reservation_ttl_seconds);
    if (ttl <= 0) {
      fail({400, "INVALID_RESERVATION_TTL", "reservationTtl must be a positive number of seconds"});
      continue;
    }
    const Variant* v = VariantLocked(req.variant);
    StockLevel* row = v ? StockRowLocked(v->id, req.warehouse_key) : nullptr;
    if (!v || !row || (req.merchant_key && *req.merchant_key != kMerchantKey)) {
      fail(VariantNotFound());
      continue;
    }
    if (!row->sellable_without_stock &&
        row->quantity - ReservedLocked(v->id, req.warehouse_key) <= 0) {
      fail({409, "INSUFFICIENT_STOCK",
            "no unreserved unit of " + v->reference_key + " in " + req.warehouse_key});
      continue;
    }
    Reservation r{next_id_++,
                  req.reference_key,
                  v->id,
                  req.warehouse_key,
                  ttl,
                  now,
                  now + std::chrono::seconds(ttl)};
    reservation_by_key_[r.reference_key] = r.id;
    reservation_expiry_.emplace(r.expires_at, r.id);
    ++reserved_units_[{v->id, req.warehouse_key}];
    outcome.reservation = r;
    reservations_.emplace(r.id, std::move(r));
    out.push_back(std::move(outcome));
  }
  return out;
}

tl::expected<void, ApiError> ScayleWorld::ReleaseReservation(const Identifier& id) {
  std::lock_guard lock(mu_);
  ExpireReservationsLocked();
  int64_t rid = 0;
  if (id.id) {
    rid = *id.id;
  } else if (auto it = reservation_by_key_.find(id.reference_key);
             it != reservation_by_key_.end()) {
    rid = it->second;
  }
  if (!reservations_.count(rid)) {
    return tl::unexpected(
        ApiError{404, "RESERVATION_NOT_FOUND", "no active reservation with this identifier"});
  }
  EraseReservationLocked(rid);
  return {};
}

size_t ScayleWorld::ActiveReservationCount() const {
  std::lock_guard lock(mu_);
  ExpireReservationsLocked();
  return reservations_.size();
}

}  // namespace sandbox::scayle

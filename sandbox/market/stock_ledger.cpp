#include "sandbox/market/stock_ledger.hpp"

#include <algorithm>

namespace sandbox::market {

void StockLedger::Set(const std::string& sku, int64_t units) {
  std::lock_guard lock(mu_);
  on_hand_[sku] = units;
}

void StockLedger::Add(const std::string& sku, int64_t units) {
  std::lock_guard lock(mu_);
  on_hand_[sku] += units;
}

int64_t StockLedger::Take(const std::string& sku, int64_t units) {
  std::lock_guard lock(mu_);
  int64_t& have = on_hand_[sku];
  const int64_t from_stock = std::clamp<int64_t>(have, 0, units);
  have -= from_stock;
  const int64_t oversold = units - from_stock;
  if (oversold > 0) {
    oversold_[sku] += oversold;
    oversold_total_ += oversold;
  }
  return oversold;
}

int64_t StockLedger::OnHand(const std::string& sku) const {
  std::lock_guard lock(mu_);
  auto it = on_hand_.find(sku);
  return it == on_hand_.end() ? 0 : it->second;
}

int64_t StockLedger::OversoldTotal() const {
  std::lock_guard lock(mu_);
  return oversold_total_;
}

std::map<std::string, int64_t> StockLedger::OversoldBySku() const {
  std::lock_guard lock(mu_);
  return oversold_;
}

}  // namespace sandbox::market

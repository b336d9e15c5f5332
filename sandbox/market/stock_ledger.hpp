#pragma once
// The physical stock behind both channels: every unit accepted by D2C or Amazon comes out of it;
// a unit accepted when none is left is an oversold unit, counted per SKU and in total.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sandbox::market {

class StockLedger {
 public:
  void Set(const std::string& sku, int64_t units);
  void Add(const std::string& sku, int64_t units);  // restock or a cancelled order's units
  // Takes `units`; returns how many of them were oversold (none physically left).
  int64_t Take(const std::string& sku, int64_t units);
  int64_t OnHand(const std::string& sku) const;
  int64_t OversoldTotal() const;
  std::map<std::string, int64_t> OversoldBySku() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, int64_t> on_hand_;
  std::map<std::string, int64_t> oversold_;
  int64_t oversold_total_ = 0;
};

}  // namespace sandbox::market

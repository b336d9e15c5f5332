#pragma once
// Identifiers as distinct types: an Amazon order id can never be passed where a SKU is expected.

#include <compare>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace mb {

template <typename Tag>
class StrongId {
 public:
  StrongId() = default;
  explicit StrongId(std::string value) : value_(std::move(value)) {}

  const std::string& value() const { return value_; }
  bool empty() const { return value_.empty(); }

  friend auto operator<=>(const StrongId&, const StrongId&) = default;
  friend bool operator==(const StrongId&, const StrongId&) = default;
  friend std::ostream& operator<<(std::ostream& os, const StrongId& id) { return os << id.value_; }

 private:
  std::string value_;
};

// Seller SKU: the join key between Amazon (`seller-sku`) and SCAYLE (variant `referenceKey`).
using Sku = StrongId<struct SkuTag>;
using AmazonOrderId = StrongId<struct AmazonOrderIdTag>;
using AmazonOrderItemId = StrongId<struct AmazonOrderItemIdTag>;
using MarketplaceId = StrongId<struct MarketplaceIdTag>;
using SellerId = StrongId<struct SellerIdTag>;
using Asin = StrongId<struct AsinTag>;
using FeedId = StrongId<struct FeedIdTag>;
using ReportId = StrongId<struct ReportIdTag>;
using SettlementId = StrongId<struct SettlementIdTag>;
using ScayleVariantId = StrongId<struct ScayleVariantIdTag>;
using ScayleProductId = StrongId<struct ScayleProductIdTag>;
using ScayleOrderId = StrongId<struct ScayleOrderIdTag>;
using WarehouseKey = StrongId<struct WarehouseKeyTag>;
using IdempotencyKey = StrongId<struct IdempotencyKeyTag>;

}  // namespace mb

template <typename Tag>
struct std::hash<mb::StrongId<Tag>> {
  size_t operator()(const mb::StrongId<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.value());
  }
};

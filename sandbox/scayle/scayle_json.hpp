#pragma once
// Renders world data in the documented response shapes (fixtures/*Response.json).

#include <vector>

#include "sandbox/scayle/model.hpp"

namespace sandbox::scayle {

// The tenant has one merchant; every stock, price and variant belongs to it.
inline constexpr const char* kMerchantKey = "merchant-1";

Json ErrorBody(const ApiError& error);
Json AttributesJson(const std::vector<Attribute>& attributes);
Json PriceJson(const Price& price);
Json StockJson(const StockLevel& stock);
// Variant as nested in a product (ProductGetResponse) or standalone with ean and stocks
// (ProductVariantAllResponse).
Json VariantJson(const Variant& variant, const std::vector<StockLevel>* stocks);
Json ProductJson(const Product& product, const Master& master,
                 const std::vector<Variant>& variants);
Json MasterCategoryJson(const MasterCategory& category);
Json AttributeGroupJson(const AttributeGroup& group);
Json WarehouseJson(const Warehouse& warehouse);
Json CarrierJson(const Carrier& carrier);
Json ShopCountryJson(const ShopCountry& shop_country);
Json OrderJson(const Order& order, const ShopCountry& shop_country);
Json OrderStatusJson(const Order& order);
Json PackageJson(const Package& package);

}  // namespace sandbox::scayle

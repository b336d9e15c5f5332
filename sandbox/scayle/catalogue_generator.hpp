#pragma once
// A fashion catalogue of any size for the market simulation: masters in categories, one product per
// colour, one variant (SKU) per size, EAN-13, all six attribute types, prices per shop country and
// stock across the warehouses. Deterministic for a seed.

#include <cstdint>

#include "sandbox/scayle/scayle_world.hpp"

namespace sandbox::scayle {

struct CatalogueSpec {
  uint64_t seed = 1;
  size_t target_skus = 1000;  // generation stops at the first master that reaches it
  int max_stock_per_warehouse = 20;
  double zero_stock_share = 0.1;  // share of variant x warehouse rows with no stock
  double sale_share = 0.15;       // share of products with a reduced price (oldPrice set)
};

struct CatalogueSummary {
  size_t masters = 0;
  size_t products = 0;
  size_t variants = 0;
  int64_t units = 0;  // total stock across warehouses
};

// Adds to whatever the world holds; SKUs are `MB<seed>-<master>-<colour>-<size>`.
CatalogueSummary GenerateFashionCatalogue(ScayleWorld& world, const CatalogueSpec& spec);

// EAN-13 check digit of the first 12 digits.
int Ean13CheckDigit(const std::string& first12);

}  // namespace sandbox::scayle

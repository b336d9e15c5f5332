#pragma once
// The catalogue compiler (DESIGN §2.3): SCAYLE master → Amazon parent, SCAYLE variants → Amazon
// children (or one standalone listing for a single-variant master), per marketplace, through the
// declarative mapping. Pure: no I/O, the same input always gives the same listings. What the
// compiler cannot map becomes a Problem on the listing, never a guess.

#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalogue/scayle_catalogue.hpp"
#include "core/catalogue/mapping.hpp"
#include "core/catalogue/problems.hpp"
#include "core/clock.hpp"

namespace mb::catalogue {

// What the compiler needs to know of a product type (read from its schema).
struct ProductTypeFacts {
  std::vector<std::string> live_variation_themes;  // enum minus $lifecycle.enumDeprecated
};
// nullptr when the product type's definition is not known (yet).
using FactsLookup =
    std::function<const ProductTypeFacts*(const std::string& product_type, const MarketplaceId&)>;

enum class ListingRole { kParent, kChild, kStandalone };
std::string_view ListingRoleName(ListingRole role);

struct CompiledListing {
  Sku sku;
  MarketplaceId marketplace_id;
  std::string product_type;
  ListingRole role = ListingRole::kStandalone;
  Sku parent_sku;  // children only
  std::string master_key;
  std::string product_key;  // "" for a parent
  int64_t variant_id = 0;   // 0 for a parent
  nlohmann::json attributes = nlohmann::json::object();
  std::vector<Problem> problems;

  bool ok() const;  // no blocking problem
};

class CatalogueCompiler {
 public:
  CatalogueCompiler(const Mapping& mapping, FactsLookup facts);

  // Every listing of every family meant for Amazon, in `marketplace`. Families no product-type
  // rule selects are skipped (they are not meant for Amazon).
  std::vector<CompiledListing> CompileAll(const ScayleCatalogue& catalogue,
                                          const MarketplaceSpec& marketplace, TimePoint now) const;
  // The same listings in the same order, one family at a time: a caller that keeps only what it
  // needs of each holds one family's attribute JSON, not the whole catalogue's.
  void ForEachFamily(const ScayleCatalogue& catalogue, const MarketplaceSpec& marketplace,
                     TimePoint now,
                     const std::function<void(std::vector<CompiledListing>&)>& each) const;
  // The listings of one family (parent first, then children).
  std::vector<CompiledListing> CompileFamily(const ScayleCatalogue& catalogue, const Family& family,
                                             const MarketplaceSpec& marketplace,
                                             TimePoint now) const;
  // One SKU (a variant's or a family's parent SKU). A SKU without exactly one SCAYLE variant is
  // refused: the listing carries a no_scayle_variant / duplicate_sku problem and no attributes.
  CompiledListing CompileSku(const ScayleCatalogue& catalogue, const Sku& sku,
                             const MarketplaceSpec& marketplace, TimePoint now) const;

  // True when a product-type rule selects the family (it is meant for Amazon).
  bool MeantForAmazon(const Family& family) const;

  // Every attribute name a compiled listing can carry (the mapping's attributes and the variation
  // attributes the compiler adds): all of Amazon's side a comparison with compiled listings reads.
  std::set<std::string> AttributeNames() const;

 private:
  const Mapping& mapping_;
  FactsLookup facts_;
};

}  // namespace mb::catalogue

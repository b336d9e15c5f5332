#pragma once
// The sandbox's product types (SHIRT and SHOES for amazon.com and amazon.de, built by
// product-types/make_schemas.py in the shape and vocabulary of Amazon's real schemas): served by
// the Product Type Definitions API and used to check listings the way Amazon does, so the Listings
// API and the definitions API agree. Held to the official contracts only; links no engine code.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace valijson {
class Schema;
}

namespace sandbox::catalogue {

struct ProductTypeKey {
  std::string product_type;
  std::string marketplace_id;
  auto operator<=>(const ProductTypeKey&) const = default;
};

class ProductTypeCatalogue {
 public:
  // Loads every <TYPE>.<MARKETPLACE>.json of `directory`; throws if none can be read (startup).
  explicit ProductTypeCatalogue(const std::string& directory = DefaultDirectory());
  static std::string DefaultDirectory();

  bool Has(const std::string& product_type, const std::string& marketplace_id) const;
  // The schema document exactly as served from its link ("" if unknown).
  const std::string& SchemaText(const std::string& product_type,
                                const std::string& marketplace_id) const;
  // base64(MD5(schema bytes)): `schema.checksum` of the definition.
  std::string Checksum(const std::string& product_type, const std::string& marketplace_id) const;

  // getDefinitionsProductType's body; `base_url` prefixes the schema link
  // (`{base_url}/_sandbox/catalogue/schemas/<TYPE>.<MARKETPLACE>.json`).
  nlohmann::json Definition(const std::string& product_type, const std::string& marketplace_id,
                            const std::string& base_url, const std::string& requirements,
                            const std::string& locale) const;
  // searchDefinitionsProductTypes' body: types of the marketplace whose name contains a keyword.
  nlohmann::json Search(const std::vector<std::string>& keywords,
                        const std::string& marketplace_id) const;

  // The Listings API's check of a submission: Listings `Issue` objects (empty = acceptable).
  // `requirements` LISTING_OFFER_ONLY checks only offer attributes; messages are German for
  // amazon.de unless `issue_locale` asks for en_US, as Amazon localises them (codes do not change).
  nlohmann::json Check(const std::string& product_type, const std::string& marketplace_id,
                       const nlohmann::json& attributes, const std::string& requirements,
                       const std::string& issue_locale) const;

 private:
  struct Entry {
    std::string text;
    nlohmann::json document;
    std::string checksum;
    std::shared_ptr<const valijson::Schema> full;        // requirements LISTING
    std::shared_ptr<const valijson::Schema> offer_only;  // requirements LISTING_OFFER_ONLY
  };
  const Entry* Find(const std::string& product_type, const std::string& marketplace_id) const;

  std::map<ProductTypeKey, Entry> entries_;
};

}  // namespace sandbox::catalogue

#pragma once
// Offline validation of compiled listings against Amazon product-type schemas. The standard JSON
// Schema keywords are checked by valijson; Amazon's own vocabulary (the product-type meta-schema,
// reference/amazon/product-types) is implemented here: maxUtf8ByteLength / minUtf8ByteLength as
// valijson keywords, selectors with maxUniqueItems / minUniqueItems, editable against what Amazon
// already has, and $lifecycle.enumDeprecated for variation themes. `hidden` and `enumNames` are
// display hints and need no check. Errors come back per SKU and attribute, in plain English.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalogue/compiler.hpp"
#include "core/catalogue/problems.hpp"
#include "core/error.hpp"

namespace mb::catalogue {

// The meta-schema every product-type schema names in `$schema`.
inline constexpr std::string_view kAmazonMetaSchemaId =
    "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1";
// The keywords Amazon's vocabulary adds (the meta-schema's `properties`).
std::vector<std::string> AmazonVocabularyKeywords();

class ProductTypeSchema {
 public:
  ~ProductTypeSchema();
  ProductTypeSchema(const ProductTypeSchema&) = delete;
  ProductTypeSchema& operator=(const ProductTypeSchema&) = delete;

  // Parses a schema document; fails when it is not JSON or does not name Amazon's meta-schema.
  static Result<std::shared_ptr<const ProductTypeSchema>> Parse(std::string_view text,
                                                                std::string name);

  const std::string& name() const { return name_; }
  const nlohmann::json& document() const { return document_; }
  // Live variation themes: the enum minus $lifecycle.enumDeprecated.
  const ProductTypeFacts& facts() const { return facts_; }

  // Problems of `attributes` (the listing's `attributes` object). `on_amazon`, when given, is what
  // Amazon holds now: a changed value of a property marked `editable: false` is a problem too.
  std::vector<Problem> Validate(const Sku& sku, const MarketplaceId& marketplace,
                                const nlohmann::json& attributes,
                                const nlohmann::json* on_amazon = nullptr) const;

 private:
  struct Compiled;
  ProductTypeSchema(std::string name, nlohmann::json document);

  std::string name_;
  nlohmann::json document_;
  ProductTypeFacts facts_;
  std::unique_ptr<Compiled> compiled_;
};

// Validates and appends the schema's problems to the listing (a listing that did not compile is
// left as it is: its attributes are incomplete by construction).
void ValidateListing(const ProductTypeSchema& schema, CompiledListing& listing,
                     const nlohmann::json* on_amazon = nullptr);

}  // namespace mb::catalogue

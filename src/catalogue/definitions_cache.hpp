#pragma once
// Product type definitions for the offline check: getDefinitionsProductType per product type and
// marketplace, the schema downloaded from its link only when its checksum (base64 MD5) is new, kept
// in memory and, with a directory, on disk under the checksum, so a restart downloads nothing.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "catalogue/schema_validator.hpp"
#include "core/clock.hpp"
#include "ports/amazon_api.hpp"

namespace mb::catalogue {

// base64(MD5(bytes)), the form of `schema.checksum`.
std::string SchemaChecksum(std::string_view bytes);

class DefinitionsCache {
 public:
  // `directory` may be "" (memory only). Definitions older than `refresh_after` are asked again.
  DefinitionsCache(AmazonApi& amazon, std::string directory, const Clock& clock,
                   Duration refresh_after);

  Result<std::shared_ptr<const ProductTypeSchema>> Get(const std::string& product_type,
                                                       const MarketplaceId& marketplace);
  // Facts of a schema already loaded; nullptr when not (yet) loaded.
  const ProductTypeFacts* Facts(const std::string& product_type,
                                const MarketplaceId& marketplace) const;

  int64_t downloads() const;  // schema downloads so far (a cache hit downloads nothing)

 private:
  struct Entry {
    std::string checksum;
    TimePoint fetched_at{};
    std::shared_ptr<const ProductTypeSchema> schema;
  };
  Result<std::string> SchemaText(const ProductTypeDefinition& definition);

  AmazonApi& amazon_;
  std::string directory_;
  const Clock& clock_;
  Duration refresh_after_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Entry> entries_;
  std::map<std::string, std::shared_ptr<const ProductTypeSchema>> by_checksum_;
  int64_t downloads_ = 0;
};

}  // namespace mb::catalogue

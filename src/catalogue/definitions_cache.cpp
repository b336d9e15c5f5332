#include "catalogue/definitions_cache.hpp"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mb::catalogue {

std::string SchemaChecksum(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr);
  std::string out(4 * ((length + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest,
                          static_cast<int>(length));
  out.resize(static_cast<size_t>(n));
  return out;
}

namespace {

// Base64 has '/' and '+': not for file names.
std::string FileNameFor(const std::string& checksum) {
  std::string name = checksum;
  for (char& c : name) {
    if (c == '/') c = '_';
    if (c == '+') c = '-';
    if (c == '=') c = '.';
  }
  return name + ".json";
}

}  // namespace

DefinitionsCache::DefinitionsCache(AmazonApi& amazon, std::string directory, const Clock& clock,
                                   Duration refresh_after)
    : amazon_(amazon),
      directory_(std::move(directory)),
      clock_(clock),
      refresh_after_(refresh_after) {}

Result<std::string> DefinitionsCache::SchemaText(const ProductTypeDefinition& definition) {
  std::filesystem::path file;
  if (!directory_.empty()) {
    file = std::filesystem::path(directory_) / FileNameFor(definition.schema_checksum);
    std::ifstream in(file, std::ios::binary);
    if (in) {
      std::stringstream buffer;
      buffer << in.rdbuf();
      if (SchemaChecksum(buffer.str()) == definition.schema_checksum) return buffer.str();
    }
  }
  auto text = amazon_.DownloadSchema(definition.schema_url);
  if (!text) return text;
  ++downloads_;
  if (!definition.schema_checksum.empty() && SchemaChecksum(*text) != definition.schema_checksum) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: schema of " + definition.product_type + " does not match its checksum " +
                    definition.schema_checksum + " (download corrupted or link expired)");
  }
  if (!file.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    std::ofstream out(file.string() + ".tmp", std::ios::binary);
    out << *text;
    out.close();
    if (out) std::filesystem::rename(file.string() + ".tmp", file, ec);
  }
  return text;
}

Result<std::shared_ptr<const ProductTypeSchema>> DefinitionsCache::Get(
    const std::string& product_type, const MarketplaceId& marketplace) {
  std::lock_guard lock(mu_);
  auto key = std::make_pair(product_type, marketplace.value());
  TimePoint now = clock_.Now();
  auto it = entries_.find(key);
  if (it != entries_.end() && now - it->second.fetched_at < refresh_after_) {
    return it->second.schema;
  }
  GetProductTypeDefinitionRequest request;
  request.product_type = product_type;
  request.marketplace_id = marketplace;
  auto definition = amazon_.GetDefinitionsProductType(request);
  if (!definition) {
    // A stale schema beats none: keep validating with it while Amazon is unreachable.
    if (it != entries_.end()) return it->second.schema;
    return tl::unexpected(definition.error());
  }
  Entry entry;
  entry.checksum = definition->schema_checksum;
  entry.fetched_at = now;
  if (auto known = by_checksum_.find(entry.checksum);
      !entry.checksum.empty() && known != by_checksum_.end()) {
    entry.schema = known->second;
  } else {
    auto text = SchemaText(*definition);
    if (!text) return tl::unexpected(text.error());
    auto schema = ProductTypeSchema::Parse(*text, product_type + " (" + marketplace.value() + ")");
    if (!schema) return tl::unexpected(schema.error());
    entry.schema = *schema;
    if (!entry.checksum.empty()) by_checksum_[entry.checksum] = entry.schema;
  }
  entries_[key] = entry;
  return entry.schema;
}

const ProductTypeFacts* DefinitionsCache::Facts(const std::string& product_type,
                                                const MarketplaceId& marketplace) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find({product_type, marketplace.value()});
  return it == entries_.end() ? nullptr : &it->second.schema->facts();
}

int64_t DefinitionsCache::downloads() const {
  std::lock_guard lock(mu_);
  return downloads_;
}

}  // namespace mb::catalogue

#pragma once
// The catalogue alignment loop (DESIGN §2.3): reads SCAYLE's catalogue, compiles it into Amazon
// listings through the mapping, checks them offline against the product types' schemas, and
// submits only what maps to exactly one SCAYLE variant and validates (putListingsItem, or one
// JSON_LISTINGS_FEED of UPDATE messages when many change at once). Everything else is raised for
// the ecommerce team with its reasons. It also reads Amazon's listings to find drift both ways,
// normalises Amazon's listing issues into the one problem catalogue, and delists SKUs whose SCAYLE
// variant was deleted (webhook or full read).

#include <map>
#include <memory>
#include <set>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/compiler.hpp"
#include "catalogue/definitions_cache.hpp"
#include "core/catalogue/mapping.hpp"
#include "core/catalogue/problems.hpp"
#include "core/clock.hpp"
#include "core/exception_registry.hpp"
#include "ports/amazon_api.hpp"
#include "ports/catalogue_store.hpp"
#include "ports/listing_events.hpp"
#include "ports/scayle_api.hpp"
#include "ports/state_store.hpp"

namespace mb::sync {

struct CatalogueSyncSettings {
  std::string seller_id;  // the feed header's sellerId
  // More submissions than this in one marketplace go as one JSON_LISTINGS_FEED (Amazon's advice
  // for bulk); fewer as putListingsItem calls.
  size_t feed_threshold = 20;
  // Ask Amazon to validate (mode VALIDATION_PREVIEW) before the first real PUT of a new SKU: it
  // catches what the offline schema cannot (brand approval, identifier conflicts) without creating
  // a broken listing.
  bool validation_preview = false;
  // Language of Amazon's issue messages; "" = the marketplace's own. Problems are classified by
  // code either way.
  std::string issue_locale;
};

struct CatalogueRunOptions {
  bool dry_run = false;     // compile, validate, compare; submit and delist nothing
  bool read_amazon = true;  // false: no Amazon reads (offline check); no drift, no submissions
  // The engine is stopping: the run ends between pages (SCAYLE's and Amazon's walks) and between
  // marketplaces, with an error, having submitted nothing of the marketplace it was reading.
  std::stop_token stop;
};

struct AttributeDrift {
  Sku sku;
  MarketplaceId marketplace;
  std::vector<std::string> attributes;
};

struct CatalogueRunReport {
  int64_t families = 0;  // SCAYLE masters meant for Amazon
  int64_t listings = 0;  // compiled listings (parents included), all marketplaces
  int64_t valid = 0;
  int64_t refused = 0;
  int64_t submitted = 0;  // PUT, PATCH or feed message sent (or, dry run, would be)
  int64_t unchanged = 0;  // already on Amazon as compiled, or already submitted
  int64_t delisted = 0;
  int64_t feeds = 0;
  std::vector<Sku> amazon_only;      // on Amazon, no SCAYLE variant
  std::vector<Sku> scayle_unlisted;  // meant for Amazon, not on Amazon (before this run's submits)
  std::vector<AttributeDrift> attribute_drift;
  std::map<std::string, int64_t> problems_by_kind;
  std::vector<catalogue::Problem> problems;
  std::vector<std::string> errors;  // a marketplace or product type that could not be processed
};

class CatalogueSync {
 public:
  // Everything passed must outlive the loop. `exceptions` may be null (CLI dry runs).
  CatalogueSync(const catalogue::Mapping& mapping, AmazonApi& amazon, ScayleApi& scayle,
                catalogue::DefinitionsCache& definitions, CatalogueStore& store, Outbox& outbox,
                ExceptionRegistry* exceptions, const Clock& clock, CatalogueSyncSettings settings);

  // Listings Amazon accepted, and delisted ones, are published here (the stock loop listens).
  void PublishListingChanges(ListingEvents* events) { listing_events_ = events; }

  // One full pass: pending feed reports, SCAYLE read, compile, validate, Amazon read, drift,
  // submissions, delisting.
  Result<CatalogueRunReport> Run(const CatalogueRunOptions& options);

  // The compiled and validated listing of one SKU (a fresh SCAYLE read), for `catalogue preview`.
  Result<catalogue::CompiledListing> Preview(const Sku& sku, const MarketplaceId& marketplace);

  // A SCAYLE webhook. product-variant-deleted delists the SKU at once in every marketplace it was
  // listed in; other product events ask for a run. Returns whether a full run should follow soon.
  Result<bool> OnScayleEvent(const ScayleWebhookEvent& event);

 private:
  struct MarketplaceRun;
  struct Submission;
  // What the run keeps of one Amazon listing: its attributes reduced to those a compiled listing
  // can carry (JSON text, "" when Amazon gave none), and its issues.
  struct AmazonListing {
    std::string attributes_json;
    std::vector<ListingsIssue> issues;
  };
  void Announce(const Sku& sku, const MarketplaceId& marketplace, bool listed) const {
    if (listing_events_ != nullptr) listing_events_->Publish({sku, marketplace, listed});
  }
  Result<catalogue::ScayleCatalogue> ReadScayle(std::stop_token stop = {});
  Status ProcessPendingFeeds(CatalogueRunReport& report);
  void RunMarketplace(const catalogue::ScayleCatalogue& catalogue,
                      const catalogue::MarketplaceSpec& marketplace,
                      const CatalogueRunOptions& options, CatalogueRunReport& report);
  Result<std::map<Sku, AmazonListing>> ReadAmazon(const MarketplaceId& marketplace,
                                                  std::stop_token stop);
  void Submit(MarketplaceRun& run, const CatalogueRunOptions& options, CatalogueRunReport& report);
  Status Delist(const Sku& sku, const MarketplaceId& marketplace, const std::string& why);
  void Refuse(const catalogue::CompiledListing& listing, CatalogueRunReport& report);
  void RecordProblems(const std::vector<catalogue::Problem>& problems, CatalogueRunReport& report);
  // Records the effect, attempts it unless an earlier run already did, marks the outcome.
  Result<std::string> Effect(std::string_view kind, const std::string& key,
                             const std::string& payload,
                             const std::function<Result<std::string>()>& attempt);
  void Raise(ExceptionType type, const std::string& key, const std::string& message,
             const std::string& details);
  void Resolve(ExceptionType type, const std::string& key, const std::string& resolution);

  const catalogue::Mapping& mapping_;
  AmazonApi& amazon_;
  ScayleApi& scayle_;
  catalogue::DefinitionsCache& definitions_;
  CatalogueStore& store_;
  Outbox& outbox_;
  ExceptionRegistry* exceptions_;
  const Clock& clock_;
  CatalogueSyncSettings settings_;
  ListingEvents* listing_events_ = nullptr;
  catalogue::CatalogueCompiler compiler_;
};

// Stable hash of a listing's content (product type + attributes): the idempotency of submissions.
std::string ListingHash(const std::string& product_type, const std::string& attributes_json);

// One message of a JSON_LISTINGS_FEED as JSON text, from the attributes' JSON text: the text
// nlohmann::json gives for the same message built as an object (keys in order).
std::string ListingsFeedMessage(int64_t message_id, const Sku& sku, std::string_view operation,
                                const std::string& product_type, bool listing_requirements,
                                std::string_view attributes_json);

// The attributes of `compiled` whose value on Amazon differs (attributes Amazon has and we do not
// compile are Amazon's business and ignored).
std::vector<std::string> DifferingAttributes(const nlohmann::json& compiled,
                                             const nlohmann::json& on_amazon);

}  // namespace mb::sync

#include "sync/catalogue_sync.hpp"

#include <algorithm>
#include <cstdio>

#include "catalogue/schema_validator.hpp"
#include "log/log.hpp"

namespace mb::sync {

using catalogue::CompiledListing;
using catalogue::ListingRole;
using catalogue::Problem;
using catalogue::ProblemKind;
using nlohmann::json;

namespace {

constexpr std::string_view kPutKind = "amazon.putListingsItem";
constexpr std::string_view kPatchKind = "amazon.patchListingsItem";
constexpr std::string_view kDeleteKind = "amazon.deleteListingsItem";
constexpr std::string_view kFeedKind = "amazon.jsonListingsFeed";

std::string ExceptionKey(const Sku& sku, const MarketplaceId& marketplace) {
  return sku.value() + "@" + marketplace.value();
}

json ProblemJson(const Problem& p) {
  json j = {{"kind", catalogue::InfoFor(p.kind).key},
            {"source", catalogue::ProblemSourceName(p.source)},
            {"attribute", p.attribute},
            {"message", p.message},
            {"fix", catalogue::InfoFor(p.kind).fix}};
  if (!p.amazon_code.empty()) {
    j["amazon_code"] = p.amazon_code;
    j["amazon_message"] = p.amazon_message;
  }
  return j;
}

json ProblemsJson(const std::vector<Problem>& problems) {
  json out = json::array();
  for (const auto& p : problems) out.push_back(ProblemJson(p));
  return out;
}

// One line for the exception: the first problem, and how many more.
std::string Summary(const Sku& sku, const MarketplaceId& marketplace,
                    const std::vector<Problem>& problems) {
  std::vector<const Problem*> blocking;
  for (const auto& p : problems) {
    if (p.blocking) blocking.push_back(&p);
  }
  if (blocking.empty()) return sku.value() + " [" + marketplace.value() + "]: no blocking problem";
  std::string line = "not listed: " + blocking.front()->ToString();
  if (blocking.size() > 1) line += " (+" + std::to_string(blocking.size() - 1) + " more)";
  return line;
}

catalogue::AmazonIssue IssueOf(const ListingsIssue& i) {
  return {i.code, i.message, i.severity, i.attribute_names, i.categories};
}

}  // namespace

std::string ListingHash(const std::string& product_type, const std::string& attributes_json) {
  // FNV-1a 64: stable across builds and platforms (std::hash is not).
  uint64_t h = 1469598103934665603ULL;
  for (char c : product_type + "\n" + attributes_json) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof(out), "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::vector<std::string> DifferingAttributes(const json& compiled, const json& on_amazon) {
  std::vector<std::string> out;
  for (const auto& [name, value] : compiled.items()) {
    if (!on_amazon.is_object() || !on_amazon.contains(name) || on_amazon[name] != value) {
      out.push_back(name);
    }
  }
  return out;
}

std::string ListingsFeedMessage(int64_t message_id, const Sku& sku, std::string_view operation,
                                const std::string& product_type, bool listing_requirements,
                                std::string_view attributes_json) {
  json rest = {{"messageId", message_id},
               {"operationType", operation},
               {"productType", product_type},
               {"sku", sku.value()}};
  if (listing_requirements) rest["requirements"] = "LISTING";
  // "attributes" sorts before every other key, so it leads the object nlohmann would dump.
  std::string text = rest.dump();
  return "{\"attributes\":" + std::string(attributes_json) + "," + text.substr(1);
}

// A listing to submit, as text: the run does not keep every listing's JSON until it submits.
struct CatalogueSync::Submission {
  Sku sku;
  std::string product_type;
  ListingRole role = ListingRole::kStandalone;
  std::string hash;                    // ListingHash of the whole compiled listing
  std::string attributes_json;         // put: all attributes; patch: the differing ones (an object)
  std::vector<std::string> differing;  // patch only
};

struct CatalogueSync::MarketplaceRun {
  const catalogue::MarketplaceSpec& marketplace;
  std::vector<Submission> to_put;    // new on Amazon
  std::vector<Submission> to_patch;  // drifted
};

CatalogueSync::CatalogueSync(const catalogue::Mapping& mapping, AmazonApi& amazon,
                             ScayleApi& scayle, catalogue::DefinitionsCache& definitions,
                             CatalogueStore& store, Outbox& outbox, ExceptionRegistry* exceptions,
                             const Clock& clock, CatalogueSyncSettings settings)
    : mapping_(mapping),
      amazon_(amazon),
      scayle_(scayle),
      definitions_(definitions),
      store_(store),
      outbox_(outbox),
      exceptions_(exceptions),
      clock_(clock),
      settings_(std::move(settings)),
      compiler_(mapping_, [this](const std::string& type, const MarketplaceId& m) {
        return definitions_.Facts(type, m);
      }) {}

void CatalogueSync::Raise(ExceptionType type, const std::string& key, const std::string& message,
                          const std::string& details) {
  if (exceptions_ == nullptr) return;
  if (auto raised = exceptions_->Raise(type, key, message, details); !raised) {
    log::Get("sync")->warn("catalogue: cannot raise {}: {}", key, raised.error().message);
  }
}

void CatalogueSync::Resolve(ExceptionType type, const std::string& key,
                            const std::string& resolution) {
  if (exceptions_ != nullptr) (void)exceptions_->Resolve(type, key, resolution);
}

Result<std::string> CatalogueSync::Effect(std::string_view kind, const std::string& key,
                                          const std::string& payload,
                                          const std::function<Result<std::string>()>& attempt) {
  TimePoint now = clock_.Now();
  auto recorded = outbox_.RecordEffect(kind, IdempotencyKey(key), payload, now);
  if (!recorded) return tl::unexpected(recorded.error());
  const mb::Effect& effect = recorded->effect;
  if (effect.state == EffectState::kDone) return effect.result;
  if (effect.state == EffectState::kFailed && effect.next_attempt_at > now) {
    return Fail(ErrorCode::kConflict, "an earlier attempt failed: " + effect.last_error);
  }
  auto outcome = attempt();
  if (!outcome) {
    std::optional<TimePoint> retry;
    if (outcome.error().Retryable()) retry = now + std::chrono::minutes(5);
    (void)outbox_.MarkEffectFailed(effect.id, outcome.error(), retry, clock_.Now());
    return outcome;
  }
  (void)outbox_.MarkEffectDone(effect.id, *outcome, clock_.Now());
  return outcome;
}

namespace {
tl::unexpected<Error> Stopping() {
  return Fail(ErrorCode::kUnavailable, "catalogue: run ended early: the engine is stopping");
}
}  // namespace

Result<catalogue::ScayleCatalogue> CatalogueSync::ReadScayle(std::stop_token stop) {
  std::vector<ScayleProduct> products;
  auto walked = scayle_.ForEachProduct([&](const std::vector<ScayleProduct>& page) -> Status {
    if (stop.stop_requested()) return Stopping();
    products.insert(products.end(), page.begin(), page.end());
    return {};
  });
  if (!walked) return tl::unexpected(walked.error());
  return catalogue::ScayleCatalogue(std::move(products), mapping_.parent_sku_prefix);
}

Result<std::map<Sku, CatalogueSync::AmazonListing>> CatalogueSync::ReadAmazon(
    const MarketplaceId& marketplace, std::stop_token stop) {
  std::map<Sku, AmazonListing> items;
  const std::set<std::string> compiled_names = compiler_.AttributeNames();
  SearchListingsItemsRequest request;
  request.marketplace_ids = {marketplace};
  request.included_data = {"summaries", "attributes", "issues"};
  // A stable order: listings updated during the walk must not be missed (and then delisted as
  // "not on Amazon" or listed twice).
  request.sort_by = "sku";
  request.sort_order = "ASC";
  do {
    if (stop.stop_requested()) return Stopping();
    auto page = amazon_.SearchListingsItems(request);
    if (!page) return tl::unexpected(page.error());
    for (auto& item : page->items) {
      // Attributes no compiled listing carries (offers, quantities, Amazon's own) are never
      // compared: keeping them would hold Amazon's whole catalogue for the run.
      AmazonListing& kept = items[item.sku];
      kept.issues = std::move(item.issues);
      kept.attributes_json.clear();
      json attributes = json::parse(item.attributes_json, nullptr, false);
      if (!attributes.is_object()) continue;
      json reduced = json::object();
      for (const auto& [name, value] : attributes.items()) {
        if (compiled_names.count(name)) reduced[name] = value;
      }
      kept.attributes_json = reduced.dump();
    }
    request.page_token = page->next_token;
  } while (!request.page_token.empty());
  return items;
}

void CatalogueSync::RecordProblems(const std::vector<Problem>& problems,
                                   CatalogueRunReport& report) {
  for (const auto& p : problems) {
    ++report.problems_by_kind[std::string(catalogue::InfoFor(p.kind).key)];
    report.problems.push_back(p);
  }
}

void CatalogueSync::Refuse(const CompiledListing& listing, CatalogueRunReport& report) {
  ++report.refused;
  RecordProblems(listing.problems, report);
  bool no_variant =
      std::any_of(listing.problems.begin(), listing.problems.end(), [](const auto& p) {
        return p.kind == ProblemKind::kDuplicateSku || p.kind == ProblemKind::kNoScayleVariant;
      });
  std::string details = json{{"sku", listing.sku.value()},
                             {"marketplace", listing.marketplace_id.value()},
                             {"product_type", listing.product_type},
                             {"problems", ProblemsJson(listing.problems)}}
                            .dump();
  std::string message = Summary(listing.sku, listing.marketplace_id, listing.problems);
  if (no_variant) {
    Raise(ExceptionType::kUnmappedSku, listing.sku.value(), message, details);
  } else {
    Raise(ExceptionType::kListingInvalid, ExceptionKey(listing.sku, listing.marketplace_id),
          message, details);
  }
  CatalogueListingRecord record;
  auto existing = store_.GetListing(listing.sku, listing.marketplace_id);
  if (existing && *existing) record = **existing;
  record.sku = listing.sku;
  record.marketplace = listing.marketplace_id;
  record.product_type = listing.product_type;
  // A listing already on Amazon stays listed (with its old content); only new ones are refused.
  if (record.state != ListingState::kListed && record.state != ListingState::kSubmitted) {
    record.state = ListingState::kRefused;
  }
  if (record.attributes_hash.empty()) record.state = ListingState::kRefused;
  record.problems_json = ProblemsJson(listing.problems).dump();
  record.updated_at = clock_.Now();
  (void)store_.PutListing(record);
}

Status CatalogueSync::ProcessPendingFeeds(CatalogueRunReport& report) {
  auto feeds = store_.PendingFeeds();
  if (!feeds) return tl::unexpected(feeds.error());
  for (const auto& pending : *feeds) {
    auto feed = amazon_.GetFeed(pending.feed_id, CallPriority::kBulk);
    if (!feed) return tl::unexpected(feed.error());
    if (feed->processing_status == "IN_QUEUE" || feed->processing_status == "IN_PROGRESS") continue;
    json skus = json::parse(pending.message_skus_json, nullptr, false);
    std::map<int64_t, std::vector<Problem>> by_message;
    if (feed->processing_status == "DONE" && !feed->result_feed_document_id.empty()) {
      auto result =
          amazon_.GetListingsFeedReport(feed->result_feed_document_id, CallPriority::kBulk);
      if (!result) return tl::unexpected(result.error());
      for (const auto& issue : result->issues) {
        Sku sku = issue.sku.empty() && skus.contains(std::to_string(issue.message_id))
                      ? Sku(skus[std::to_string(issue.message_id)].get<std::string>())
                      : issue.sku;
        catalogue::AmazonIssue normal{issue.code,
                                      issue.message,
                                      issue.severity,
                                      issue.attribute_name.empty()
                                          ? std::vector<std::string>{}
                                          : std::vector<std::string>{issue.attribute_name},
                                      {}};
        by_message[issue.message_id].push_back(
            catalogue::NormaliseAmazonIssue(sku, pending.marketplace, normal));
      }
    }
    for (const auto& [id, value] : skus.is_object() ? skus.items() : json::object().items()) {
      Sku sku(value.get<std::string>());
      auto record = store_.GetListing(sku, pending.marketplace);
      if (!record || !*record) continue;
      CatalogueListingRecord r = **record;
      auto& problems = by_message[std::stoll(id)];
      if (feed->processing_status != "DONE") {
        Problem p;
        p.kind = ProblemKind::kAmazonOther;
        p.source = catalogue::ProblemSource::kAmazon;
        p.sku = sku;
        p.marketplace = pending.marketplace;
        p.message = "JSON_LISTINGS_FEED " + pending.feed_id.value() + " ended " +
                    feed->processing_status + "; the listing will be submitted again";
        problems.push_back(p);
        r.attributes_hash.clear();  // submit again next run
      }
      bool blocking = std::any_of(problems.begin(), problems.end(),
                                  [](const Problem& p) { return p.blocking; });
      r.state = blocking ? ListingState::kRefused : ListingState::kListed;
      r.problems_json = ProblemsJson(problems).dump();
      r.updated_at = clock_.Now();
      (void)store_.PutListing(r);
      if (blocking) {
        RecordProblems(problems, report);
        Raise(ExceptionType::kListingInvalid, ExceptionKey(sku, pending.marketplace),
              Summary(sku, pending.marketplace, problems),
              json{{"sku", sku.value()},
                   {"feed_id", pending.feed_id.value()},
                   {"problems", ProblemsJson(problems)}}
                  .dump());
      } else {
        Resolve(ExceptionType::kListingInvalid, ExceptionKey(sku, pending.marketplace),
                "Amazon accepted the listing (feed " + pending.feed_id.value() + ")");
        Announce(sku, pending.marketplace, true);
      }
    }
    (void)store_.RemovePendingFeed(pending.feed_id);
  }
  return {};
}

Result<CatalogueRunReport> CatalogueSync::Run(const CatalogueRunOptions& options) {
  CatalogueRunReport report;
  if (options.read_amazon && !options.dry_run) {
    if (auto feeds = ProcessPendingFeeds(report); !feeds) {
      report.errors.push_back("feed reports: " + feeds.error().message);
    }
  }
  auto catalogue = ReadScayle(options.stop);
  if (!catalogue) return tl::unexpected(catalogue.error());
  for (const auto& [master, family] : catalogue->families()) {
    if (compiler_.MeantForAmazon(family)) ++report.families;
  }
  for (const auto& marketplace : mapping_.marketplaces) {
    if (options.stop.stop_requested()) return Stopping();
    RunMarketplace(*catalogue, marketplace, options, report);
  }
  log::Get("sync")->info(
      "catalogue: {} listings, {} valid, {} refused, {} submitted, {} delisted, {} Amazon-only, "
      "{} unlisted, {} drifted",
      report.listings, report.valid, report.refused, report.submitted, report.delisted,
      report.amazon_only.size(), report.scayle_unlisted.size(), report.attribute_drift.size());
  // What could not be processed (a marketplace's Amazon read, a feed, a submission) must be
  // visible: a run that submits nothing and says nothing hides why Amazon lists nothing.
  for (size_t i = 0; i < report.errors.size() && i < 3; ++i)
    log::Get("sync")->warn("catalogue: {}", report.errors[i]);
  if (report.errors.size() > 3)
    log::Get("sync")->warn("catalogue: {} more errors in this run", report.errors.size() - 3);
  return report;
}

void CatalogueSync::RunMarketplace(const catalogue::ScayleCatalogue& catalogue,
                                   const catalogue::MarketplaceSpec& marketplace,
                                   const CatalogueRunOptions& options, CatalogueRunReport& report) {
  const MarketplaceId& mp = marketplace.id;
  // Load every product type the mapping selects here (the compiler needs their themes).
  std::map<std::string, std::shared_ptr<const catalogue::ProductTypeSchema>> schemas;
  for (const auto& [master, family] : catalogue.families()) {
    const auto* rule =
        catalogue::FindProductTypeRule(mapping_, catalogue::FactsOf(family, &marketplace));
    if (rule == nullptr) continue;
    std::string type = catalogue::ProductTypeFor(*rule, marketplace);
    if (schemas.count(type)) continue;
    auto schema = definitions_.Get(type, mp);
    if (!schema) {
      report.errors.push_back(type + " in " + mp.value() + ": " + schema.error().message);
      schemas[type] = nullptr;
      continue;
    }
    schemas[type] = *schema;
  }

  std::map<Sku, AmazonListing> on_amazon;
  if (options.read_amazon) {
    auto read = ReadAmazon(mp, options.stop);
    if (!read) {
      report.errors.push_back("Amazon listings of " + mp.value() + ": " + read.error().message);
      return;  // without Amazon's side neither drift nor a safe submission is possible
    }
    on_amazon = std::move(*read);
  }

  MarketplaceRun run{marketplace, {}, {}};
  std::set<Sku> meant;
  // One family's listings at a time: what outlives a listing is its text and hash (submissions),
  // never its JSON, so the run's peak does not grow with the catalogue's JSON.
  auto process = [&](CompiledListing& listing) {
    ++report.listings;
    meant.insert(listing.sku);
    const auto& schema = schemas[listing.product_type];
    auto amazon_item = on_amazon.find(listing.sku);
    json amazon_attributes;
    if (amazon_item != on_amazon.end() && !amazon_item->second.attributes_json.empty()) {
      amazon_attributes = json::parse(amazon_item->second.attributes_json, nullptr, false);
    }
    if (schema == nullptr && listing.ok()) {
      Problem p;
      p.kind = ProblemKind::kAmazonOther;
      p.sku = listing.sku;
      p.marketplace = mp;
      p.message = "the definition of product type " + listing.product_type +
                  " could not be loaded from Amazon; nothing is submitted until it can";
      listing.problems.push_back(p);
    } else if (schema != nullptr) {
      catalogue::ValidateListing(*schema, listing,
                                 amazon_attributes.is_object() ? &amazon_attributes : nullptr);
    }
    // Amazon's own issues on the live listing count as problems too.
    if (amazon_item != on_amazon.end()) {
      for (const auto& issue : amazon_item->second.issues) {
        listing.problems.push_back(
            catalogue::NormaliseAmazonIssue(listing.sku, mp, IssueOf(issue)));
      }
    }
    bool compiled_ok =
        std::none_of(listing.problems.begin(), listing.problems.end(), [](const Problem& p) {
          return p.blocking && p.source != catalogue::ProblemSource::kAmazon;
        });
    if (!compiled_ok) {
      if (amazon_item == on_amazon.end()) report.scayle_unlisted.push_back(listing.sku);
      Refuse(listing, report);
      return;
    }
    ++report.valid;
    std::string attributes_json = listing.attributes.dump();
    std::string hash = ListingHash(listing.product_type, attributes_json);
    if (amazon_item == on_amazon.end()) {
      report.scayle_unlisted.push_back(listing.sku);
      auto record = store_.GetListing(listing.sku, mp);
      bool already = record && *record && (*record)->attributes_hash == hash &&
                     (*record)->state == ListingState::kSubmitted;
      if (already && options.read_amazon) {
        ++report.unchanged;  // accepted, not visible yet: Amazon processes asynchronously
      } else {
        run.to_put.push_back({listing.sku,
                              listing.product_type,
                              listing.role,
                              std::move(hash),
                              std::move(attributes_json),
                              {}});
      }
      return;
    }
    auto differing = DifferingAttributes(listing.attributes, amazon_attributes);
    std::vector<Problem> amazon_problems;
    for (const auto& p : listing.problems) {
      if (p.source == catalogue::ProblemSource::kAmazon) amazon_problems.push_back(p);
    }
    bool amazon_blocking = std::any_of(amazon_problems.begin(), amazon_problems.end(),
                                       [](const Problem& p) { return p.blocking; });
    if (!differing.empty()) {
      report.attribute_drift.push_back({listing.sku, mp, differing});
      std::string names;
      for (const auto& d : differing) names += (names.empty() ? "" : ", ") + d;
      Raise(ExceptionType::kListingDrift, ExceptionKey(listing.sku, mp),
            listing.sku.value() + " [" + mp.value() + "]: Amazon differs from SCAYLE in " + names,
            json{{"sku", listing.sku.value()}, {"attributes", differing}}.dump());
      json changed = json::object();
      for (const auto& name : differing) changed[name] = std::move(listing.attributes[name]);
      run.to_patch.push_back({listing.sku, listing.product_type, listing.role, std::move(hash),
                              changed.dump(), std::move(differing)});
      return;
    }
    Resolve(ExceptionType::kListingDrift, ExceptionKey(listing.sku, mp),
            "Amazon's attributes equal the compiled listing");
    ++report.unchanged;
    CatalogueListingRecord record{listing.sku,
                                  mp,
                                  listing.product_type,
                                  amazon_blocking ? ListingState::kRefused : ListingState::kListed,
                                  hash,
                                  ProblemsJson(amazon_problems).dump(),
                                  "",
                                  clock_.Now()};
    (void)store_.PutListing(record);
    if (amazon_blocking) {
      RecordProblems(amazon_problems, report);
      Raise(ExceptionType::kListingInvalid, ExceptionKey(listing.sku, mp),
            Summary(listing.sku, mp, amazon_problems),
            json{{"sku", listing.sku.value()}, {"problems", ProblemsJson(amazon_problems)}}.dump());
    } else {
      Resolve(ExceptionType::kListingInvalid, ExceptionKey(listing.sku, mp),
              "the listing validates and Amazon shows it without errors");
      Resolve(ExceptionType::kUnmappedSku, listing.sku.value(),
              "the SKU maps to exactly one SCAYLE variant");
    }
  };
  compiler_.ForEachFamily(catalogue, marketplace, clock_.Now(),
                          [&](std::vector<CompiledListing>& family) {
                            for (auto& listing : family) process(listing);
                          });

  // Deleted SCAYLE variants we listed are taken off Amazon (a missed webhook is caught here), and
  // so is the parent of a family that shrank to one variant. Before the Amazon-only check, which
  // must not report what is being removed.
  if (auto records = store_.ListListings(mp); records) {
    for (const auto& record : *records) {
      if (record.state == ListingState::kDelisted || record.state == ListingState::kRefused) {
        continue;
      }
      if (catalogue.index().Resolve(record.sku) || catalogue.index().IsParent(record.sku)) continue;
      if (options.dry_run || !options.read_amazon) {
        ++report.delisted;
        continue;
      }
      if (Delist(record.sku, mp, "its SCAYLE variant no longer exists")) ++report.delisted;
    }
  }
  if (options.read_amazon) {
    std::set<Sku> amazon_skus;
    for (const auto& [sku, _] : on_amazon) amazon_skus.insert(sku);
    on_amazon.clear();  // compared: not held through the submissions
    auto drift = catalogue::FindCatalogueDrift(amazon_skus, meant, catalogue.index());
    for (const auto& sku : drift.amazon_only) {
      auto record = store_.GetListing(sku, mp);
      bool ours_deleted = record && *record && (*record)->state == ListingState::kDelisted;
      if (ours_deleted) continue;  // we deleted it (now or before); Amazon may not show it yet
      if (options.dry_run && record && *record && (*record)->state != ListingState::kRefused) {
        continue;  // a dry run counted it as delisted above
      }
      report.amazon_only.push_back(sku);
      auto why = catalogue.index().Resolve(sku);
      Raise(ExceptionType::kUnmappedSku, sku.value(),
            "Amazon lists " + sku.value() + " in " + mp.value() + " but " +
                (why ? std::string("no mapping rule selects it") : why.error().message),
            json{{"sku", sku.value()}, {"marketplace", mp.value()}}.dump());
    }
  }

  if (options.read_amazon) Submit(run, options, report);
}

void CatalogueSync::Submit(MarketplaceRun& run, const CatalogueRunOptions& options,
                           CatalogueRunReport& report) {
  const MarketplaceId& mp = run.marketplace.id;
  size_t total = run.to_put.size() + run.to_patch.size();
  if (options.dry_run) {
    report.submitted += static_cast<int64_t>(total);
    return;
  }
  auto record_submitted = [&](const Submission& l, const std::string& submission) {
    CatalogueListingRecord record{l.sku,  mp,   l.product_type, ListingState::kSubmitted,
                                  l.hash, "[]", submission,     clock_.Now()};
    (void)store_.PutListing(record);
  };
  // Parents first: Amazon rejects a child whose parent SKU it does not know yet.
  std::stable_sort(run.to_put.begin(), run.to_put.end(), [](const auto& a, const auto& b) {
    return a.role == ListingRole::kParent && b.role != ListingRole::kParent;
  });

  if (total > settings_.feed_threshold) {
    json message_skus = json::object();
    int64_t id = 0;
    std::string content_hashes;
    json header = {{"sellerId", settings_.seller_id}, {"version", "2.0"}};
    if (!settings_.issue_locale.empty()) header["issueLocale"] = settings_.issue_locale;
    // Built as text from each message's attribute text: the same bytes as the document dumped
    // from one JSON object, without holding every listing's JSON at once.
    std::string document = "{\"header\":" + header.dump() + ",\"messages\":[";
    // One allocation of the document's size (~1.5 kB a listing), not a doubling string's two.
    size_t size = document.size() + 2;
    for (const auto* list : {&run.to_put, &run.to_patch}) {
      for (const auto& l : *list) {
        size += l.attributes_json.size() + l.product_type.size() + l.sku.value().size() + 128;
      }
    }
    document.reserve(size);
    // Each listing's text is freed once in the document: the two are not held side by side.
    auto add = [&](Submission& l, std::string_view operation, bool requirements) {
      if (id > 0) document += ',';
      document += ListingsFeedMessage(++id, l.sku, operation, l.product_type, requirements,
                                      l.attributes_json);
      message_skus[std::to_string(id)] = l.sku.value();
      content_hashes += ListingHash(l.product_type, l.attributes_json);
      std::string().swap(l.attributes_json);
    };
    for (auto& l : run.to_put) add(l, "UPDATE", true);
    for (auto& l : run.to_patch) add(l, "PARTIAL_UPDATE", false);
    document += "]}";
    std::string key = "catalogue.feed:" + mp.value() + ":" + ListingHash("feed", content_hashes);
    auto feed_id = Effect(
        kFeedKind, key, json{{"marketplace", mp.value()}, {"messages", id}}.dump(),
        [&]() -> Result<std::string> {
          CreateFeedRequest request;
          request.marketplace_ids = {mp};
          request.priority = CallPriority::kBulk;
          auto submitted = amazon_.SubmitFeed(request, "application/json; charset=UTF-8", document);
          if (!submitted) return tl::unexpected(submitted.error());
          (void)store_.AddPendingFeed({*submitted, mp, message_skus.dump(), clock_.Now()});
          return submitted->value();
        });
    if (!feed_id) {
      report.errors.push_back("JSON_LISTINGS_FEED for " + mp.value() + ": " +
                              feed_id.error().message);
      // Nothing of this marketplace reaches Amazon until the feed goes out: say so, not only in
      // the log (the stock loop shares createFeed's quota).
      if (feed_id.error().code == ErrorCode::kThrottled) {
        Raise(ExceptionType::kQuotaExhausted, "amazon.createFeed.catalogue",
              "catalogue: " + std::to_string(total) + " listings for " + mp.value() +
                  " not submitted: " + feed_id.error().message,
              json{{"marketplace", mp.value()}, {"listings", total}}.dump());
      }
      return;
    }
    Resolve(ExceptionType::kQuotaExhausted, "amazon.createFeed.catalogue",
            "the catalogue's feed was submitted");
    ++report.feeds;
    report.submitted += static_cast<int64_t>(total);
    for (const auto& l : run.to_put) record_submitted(l, "feed:" + *feed_id);
    for (const auto& l : run.to_patch) record_submitted(l, "feed:" + *feed_id);
    return;
  }

  // True when Amazon took the listing.
  auto conclude = [&](const Submission& l, const Result<std::string>& outcome) {
    if (!outcome) {
      report.errors.push_back(l.sku.value() + " [" + mp.value() + "]: " + outcome.error().message);
      return false;
    }
    json answer = json::parse(*outcome, nullptr, false);
    std::vector<Problem> problems;
    for (const auto& p : answer.value("problems", json::array())) {
      catalogue::AmazonIssue issue{p.value("code", ""), p.value("message", ""),
                                   p.value("severity", ""),
                                   p.value("attributeNames", std::vector<std::string>{}),
                                   p.value("categories", std::vector<std::string>{})};
      problems.push_back(catalogue::NormaliseAmazonIssue(l.sku, mp, issue));
    }
    bool blocking =
        answer.value("status", "") == "INVALID" ||
        std::any_of(problems.begin(), problems.end(), [](const Problem& p) { return p.blocking; });
    if (blocking) {
      CompiledListing refused;
      refused.sku = l.sku;
      refused.marketplace_id = mp;
      refused.product_type = l.product_type;
      refused.problems = problems;
      Refuse(refused, report);
      return false;
    }
    ++report.submitted;
    record_submitted(l, answer.value("submissionId", ""));
    return true;
  };
  auto answer_json = [](const ListingsSubmission& s) {
    json issues = json::array();
    for (const auto& i : s.issues) {
      issues.push_back({{"code", i.code},
                        {"message", i.message},
                        {"severity", i.severity},
                        {"attributeNames", i.attribute_names},
                        {"categories", i.categories}});
    }
    return json{{"status", s.status}, {"submissionId", s.submission_id}, {"problems", issues}}
        .dump();
  };

  for (const auto& l : run.to_put) {
    const std::string& hash = l.hash;
    PutListingsItemRequest request;
    request.sku = l.sku;
    request.marketplace_id = mp;
    request.product_type = l.product_type;
    request.requirements = "LISTING";
    request.attributes_json = l.attributes_json;
    request.issue_locale = settings_.issue_locale;
    if (settings_.validation_preview) {
      PutListingsItemRequest preview = request;
      preview.validation_preview = true;
      auto checked = amazon_.PutListingsItem(preview);
      if (checked && checked->status == "INVALID") {
        (void)conclude(l, answer_json(*checked));
        continue;
      }
    }
    auto outcome =
        Effect(kPutKind, "catalogue.put:" + mp.value() + ":" + l.sku.value() + ":" + hash,
               json{{"sku", l.sku.value()}, {"hash", hash}}.dump(), [&]() -> Result<std::string> {
                 auto answer = amazon_.PutListingsItem(request);
                 if (!answer) return tl::unexpected(answer.error());
                 return answer_json(*answer);
               });
    // A put replaces the whole listing: the stock loop sends its quantity and price again.
    if (conclude(l, outcome)) Announce(l.sku, mp, true);
  }
  for (const auto& l : run.to_patch) {
    PatchListingsItemRequest request;
    request.sku = l.sku;
    request.marketplace_ids = {mp};
    request.product_type = l.product_type;
    request.issue_locale = settings_.issue_locale;
    request.priority = CallPriority::kBulk;
    json changed = json::parse(l.attributes_json);
    for (const auto& name : l.differing) {
      request.patches.push_back({"replace", "/attributes/" + name, changed[name].dump()});
    }
    std::string hash = ListingHash(l.product_type, l.attributes_json);
    auto outcome =
        Effect(kPatchKind, "catalogue.patch:" + mp.value() + ":" + l.sku.value() + ":" + hash,
               json{{"sku", l.sku.value()}, {"attributes", l.differing}}.dump(),
               [&]() -> Result<std::string> {
                 auto answer = amazon_.PatchListingsItem(request);
                 if (!answer) return tl::unexpected(answer.error());
                 return answer_json(*answer);
               });
    (void)conclude(l, outcome);
  }
}

Status CatalogueSync::Delist(const Sku& sku, const MarketplaceId& marketplace,
                             const std::string& why) {
  auto record = store_.GetListing(sku, marketplace);
  if (!record) return tl::unexpected(record.error());
  int64_t listed_at = *record ? (*record)->updated_at.time_since_epoch().count() : 0;
  std::string key = "catalogue.delete:" + marketplace.value() + ":" + sku.value() + ":" +
                    std::to_string(listed_at);
  auto outcome = Effect(kDeleteKind, key, json{{"sku", sku.value()}, {"why", why}}.dump(),
                        [&]() -> Result<std::string> {
                          DeleteListingsItemRequest request;
                          request.sku = sku;
                          request.marketplace_id = marketplace;
                          request.issue_locale = settings_.issue_locale;
                          auto answer = amazon_.DeleteListingsItem(request);
                          // Already gone on Amazon is what we wanted.
                          if (!answer && answer.error().code == ErrorCode::kNotFound) {
                            return std::string("not found");
                          }
                          if (!answer) return tl::unexpected(answer.error());
                          return answer->status;
                        });
  if (!outcome) return tl::unexpected(outcome.error());
  CatalogueListingRecord r = *record ? **record : CatalogueListingRecord{};
  r.sku = sku;
  r.marketplace = marketplace;
  r.state = ListingState::kDelisted;
  r.problems_json = json::array({{{"kind", "delisted"}, {"message", why}}}).dump();
  r.updated_at = clock_.Now();
  (void)store_.PutListing(r);
  Resolve(ExceptionType::kListingDrift, ExceptionKey(sku, marketplace), "delisted: " + why);
  Resolve(ExceptionType::kListingInvalid, ExceptionKey(sku, marketplace), "delisted: " + why);
  Announce(sku, marketplace, false);
  return {};
}

Result<bool> CatalogueSync::OnScayleEvent(const ScayleWebhookEvent& event) {
  if (event.name != "product-variant-deleted") {
    return event.name.starts_with("product-");
  }
  if (!event.variant || event.variant->sku.empty()) return true;  // the full read will find it
  for (const auto& marketplace : mapping_.marketplaces) {
    auto record = store_.GetListing(event.variant->sku, marketplace.id);
    if (!record) return tl::unexpected(record.error());
    if (!*record || (*record)->state == ListingState::kDelisted ||
        (*record)->state == ListingState::kRefused) {
      continue;
    }
    if (auto done = Delist(event.variant->sku, marketplace.id,
                           "SCAYLE deleted the variant (webhook " + event.key + ")");
        !done) {
      return tl::unexpected(done.error());
    }
  }
  return true;
}

Result<CompiledListing> CatalogueSync::Preview(const Sku& sku, const MarketplaceId& marketplace) {
  const auto* spec = mapping_.FindMarketplace(marketplace);
  if (spec == nullptr) {
    return Fail(ErrorCode::kInvalidInput,
                "marketplace " + marketplace.value() + " is not in " + mapping_.source);
  }
  auto catalogue = ReadScayle();
  if (!catalogue) return tl::unexpected(catalogue.error());
  // Load the product type first so the compiler knows its variation themes.
  if (auto resolved = catalogue->index().Resolve(sku);
      resolved || catalogue->index().IsParent(sku)) {
    std::string master = resolved ? resolved->master_key : "";
    for (const auto& [key, family] : catalogue->families()) {
      if (!resolved && catalogue->ParentSku(key) == sku) master = key;
    }
    if (const auto* family = catalogue->FamilyOf(master)) {
      if (const auto* rule =
              catalogue::FindProductTypeRule(mapping_, catalogue::FactsOf(*family, spec))) {
        (void)definitions_.Get(catalogue::ProductTypeFor(*rule, *spec), marketplace);
      }
    }
  }
  auto listing = compiler_.CompileSku(*catalogue, sku, *spec, clock_.Now());
  if (listing.ok() && !listing.product_type.empty()) {
    auto schema = definitions_.Get(listing.product_type, marketplace);
    if (!schema) return tl::unexpected(schema.error());
    catalogue::ValidateListing(**schema, listing);
  }
  return listing;
}

}  // namespace mb::sync

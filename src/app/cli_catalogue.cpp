// `marketbridge catalogue preview|check|push`: what the catalogue loop would list, why not, and
// the listing run itself (docs/catalogue-mapping.md).
#include <nlohmann/json.hpp>

#include <iostream>

#include "app/catalogue_component.hpp"
#include "app/cli.hpp"
#include "app/external_services.hpp"
#include "http/curl_http_client.hpp"

namespace mb::app {

namespace {

using nlohmann::json;

// The services of one command run: the same Amazon and SCAYLE adapters the engine builds
// (external_services.hpp), the store, exceptions, the catalogue loop. Members are destroyed in
// reverse order: the loop before the adapters it calls, those before the HTTP client.
struct Session {
  std::unique_ptr<http::CurlHttpClient> curl;
  std::unique_ptr<metrics::Registry> metrics;
  ExternalServices external;
  std::unique_ptr<ExceptionRegistry> exceptions;
  std::unique_ptr<CatalogueServices> services;
};

Result<std::unique_ptr<Session>> Open(Context& ctx, bool raise_exceptions) {
  auto config = ctx.LoadConfig();
  if (!config) return tl::unexpected(config.error());
  auto store = ctx.OpenStore();
  if (!store) return tl::unexpected(store.error());
  auto s = std::make_unique<Session>();
  http::CurlOptions curl;
  curl.connect_timeout = (*config)->GetDuration("http.connect_timeout");
  s->curl = std::make_unique<http::CurlHttpClient>(curl);
  s->metrics = std::make_unique<metrics::Registry>();
  auto external = BuildExternalServices(**config, *s->curl, ctx.clock, **store, *s->metrics);
  if (!external) return tl::unexpected(external.error());
  s->external = std::move(*external);
  if (!s->external.amazon || !s->external.scayle) {
    return Fail(ErrorCode::kConfigError,
                "catalogue commands need Amazon (amazon.seller_id, amazon.lwa_*) and SCAYLE "
                "(scayle.endpoint, scayle.access_token) configured");
  }
  s->exceptions = std::make_unique<ExceptionRegistry>(**store, ctx.clock, nullptr);
  auto services = CatalogueServices::Create(**config, *s->external.amazon, *s->external.scayle,
                                            ctx.clock, (*store)->database(), **store,
                                            raise_exceptions ? s->exceptions.get() : nullptr);
  if (!services) return tl::unexpected(services.error());
  s->services = std::move(*services);
  return s;
}

json ProblemJson(const catalogue::Problem& p) {
  json j = {{"problem", catalogue::InfoFor(p.kind).key},
            {"source", catalogue::ProblemSourceName(p.source)},
            {"sku", p.sku.value()},
            {"marketplace", p.marketplace.value()},
            {"attribute", p.attribute},
            {"message", p.message},
            {"fix", catalogue::InfoFor(p.kind).fix},
            {"blocking", p.blocking}};
  if (!p.amazon_code.empty()) {
    j["amazon_code"] = p.amazon_code;
    j["amazon_message"] = p.amazon_message;
  }
  return j;
}

json ReportJson(const sync::CatalogueRunReport& r) {
  json drift = json::array();
  for (const auto& d : r.attribute_drift) {
    drift.push_back({{"sku", d.sku.value()},
                     {"marketplace", d.marketplace.value()},
                     {"attributes", d.attributes}});
  }
  auto skus = [](const std::vector<Sku>& list) {
    json out = json::array();
    for (const auto& s : list) out.push_back(s.value());
    return out;
  };
  json problems = json::array();
  for (const auto& p : r.problems) problems.push_back(ProblemJson(p));
  return {{"families", r.families},
          {"listings", r.listings},
          {"valid", r.valid},
          {"refused", r.refused},
          {"submitted", r.submitted},
          {"unchanged", r.unchanged},
          {"delisted", r.delisted},
          {"feeds", r.feeds},
          {"problems_by_kind", r.problems_by_kind},
          {"amazon_only", skus(r.amazon_only)},
          {"scayle_unlisted", skus(r.scayle_unlisted)},
          {"attribute_drift", drift},
          {"problems", problems},
          {"errors", r.errors}};
}

void PrintReport(const sync::CatalogueRunReport& r, bool dry_run) {
  std::cout << r.families << " SCAYLE families for Amazon, " << r.listings
            << " listings: " << r.valid << " valid, " << r.refused << " refused; " << r.submitted
            << (dry_run ? " would be submitted" : " submitted") << ", " << r.unchanged
            << " unchanged, " << r.delisted << (dry_run ? " would be delisted" : " delisted")
            << "\n";
  if (!r.problems_by_kind.empty()) {
    std::cout << "problems by kind:\n";
    for (const auto& [kind, count] : r.problems_by_kind) {
      std::cout << "  " << kind << ": " << count << "\n";
    }
  }
  std::cout << "drift: " << r.amazon_only.size() << " Amazon SKUs without a SCAYLE variant, "
            << r.scayle_unlisted.size() << " SCAYLE listings not on Amazon, "
            << r.attribute_drift.size() << " listings whose Amazon attributes differ\n";
  for (const auto& sku : r.amazon_only) std::cout << "  amazon-only " << sku << "\n";
  for (const auto& d : r.attribute_drift) {
    std::cout << "  differs " << d.sku << " [" << d.marketplace << "]:";
    for (const auto& a : d.attributes) std::cout << " " << a;
    std::cout << "\n";
  }
  for (const auto& p : r.problems) {
    std::cout << "  " << catalogue::InfoFor(p.kind).key << "  " << p.ToString() << "\n";
  }
  for (const auto& e : r.errors) std::cout << "  error: " << e << "\n";
}

}  // namespace

void AddCatalogueCommands(CLI::App& app, Context& ctx) {
  auto* catalogue = app.add_subcommand(
      "catalogue", "SCAYLE → Amazon listings: preview one SKU, check everything, push");
  catalogue->require_subcommand(1);

  auto* preview = catalogue->add_subcommand(
      "preview", "The compiled Amazon listing of one SKU and its validation result");
  auto sku = std::make_shared<std::string>();
  auto marketplace = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  preview->add_option("sku", *sku, "Seller SKU (SCAYLE variant referenceKey or parent SKU)")
      ->required();
  preview->add_option("-m,--marketplace", *marketplace,
                      "Marketplace alias from the mapping (DE) or id; default: the first");
  preview->add_flag("--json", *as_json, "JSON instead of text");
  OnRun(preview, [&ctx, sku, marketplace, as_json] {
    auto session = Open(ctx, false);
    if (!session) return ReportError(session.error(), kExitUsage);
    auto mp = (*session)->services->Marketplace(*marketplace);
    if (!mp) return ReportError(mp.error(), kExitUsage);
    auto listing = (*session)->services->loop().Preview(Sku(*sku), *mp);
    if (!listing) return ReportError(listing.error());
    json problems = json::array();
    for (const auto& p : listing->problems) problems.push_back(ProblemJson(p));
    json out = {{"sku", listing->sku.value()},
                {"marketplace", listing->marketplace_id.value()},
                {"product_type", listing->product_type},
                {"role", catalogue::ListingRoleName(listing->role)},
                {"valid", listing->ok()},
                {"attributes", listing->attributes},
                {"problems", problems}};
    if (!listing->parent_sku.empty()) out["parent_sku"] = listing->parent_sku.value();
    if (*as_json) {
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << listing->sku << " [" << listing->marketplace_id << "] "
                << (listing->product_type.empty() ? "(no product type)" : listing->product_type)
                << " " << catalogue::ListingRoleName(listing->role) << ": "
                << (listing->ok() ? "VALID" : "NOT LISTABLE") << "\n"
                << listing->attributes.dump(2) << "\n";
      for (const auto& p : listing->problems) {
        std::cout << "  " << catalogue::InfoFor(p.kind).key << "  " << p.ToString()
                  << "\n    fix: " << catalogue::InfoFor(p.kind).fix << "\n";
      }
    }
    return listing->ok() ? kExitOk : kExitFailure;
  });

  auto* check = catalogue->add_subcommand(
      "check", "Compile and validate the whole catalogue; counts by problem and drift (no writes)");
  auto check_json = std::make_shared<bool>(false);
  auto offline = std::make_shared<bool>(false);
  check->add_flag("--json", *check_json, "JSON instead of text");
  check->add_flag("--offline", *offline,
                  "Do not read Amazon's listings (no drift); definitions still come from Amazon "
                  "or the cache");
  OnRun(check, [&ctx, check_json, offline] {
    auto session = Open(ctx, false);
    if (!session) return ReportError(session.error(), kExitUsage);
    auto report = (*session)->services->loop().Run({true, !*offline, {}});
    if (!report) return ReportError(report.error());
    if (*check_json) {
      std::cout << ReportJson(*report).dump(2) << "\n";
    } else {
      PrintReport(*report, true);
    }
    return report->refused == 0 && report->errors.empty() ? kExitOk : kExitFailure;
  });

  auto* push = catalogue->add_subcommand(
      "push", "Submit every valid listing that changed, delist deleted variants, raise the rest");
  auto dry_run = std::make_shared<bool>(false);
  auto push_json = std::make_shared<bool>(false);
  push->add_flag("--dry-run", *dry_run, "Show what would be submitted; change nothing");
  push->add_flag("--json", *push_json, "JSON instead of text");
  OnRun(push, [&ctx, dry_run, push_json] {
    auto session = Open(ctx, !*dry_run);
    if (!session) return ReportError(session.error(), kExitUsage);
    auto report = (*session)->services->loop().Run({*dry_run, true, {}});
    if (!report) return ReportError(report.error());
    if (*push_json) {
      std::cout << ReportJson(*report).dump(2) << "\n";
    } else {
      PrintReport(*report, *dry_run);
    }
    return report->errors.empty() ? kExitOk : kExitFailure;
  });
}

}  // namespace mb::app

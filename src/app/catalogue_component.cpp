#include "app/catalogue_component.hpp"

#include "catalogue/mapping_file.hpp"
#include "log/log.hpp"
#include "scayle/scayle_webhook_receiver.hpp"
#include "sync/periodic_task.hpp"

namespace mb::app {

CatalogueServices::~CatalogueServices() = default;

Result<std::unique_ptr<CatalogueServices>> CatalogueServices::Create(
    const config::Config& config, AmazonApi& amazon, ScayleApi& scayle, const Clock& clock,
    std::shared_ptr<store::SqliteDatabase> sqlite, StateStore& state,
    ExceptionRegistry* exceptions) {
  std::unique_ptr<CatalogueServices> s(new CatalogueServices());
  auto mapping = catalogue::LoadMappingFile(config.GetString("catalogue.mapping_file"));
  if (!mapping) return tl::unexpected(mapping.error());
  s->mapping_ = std::move(*mapping);
  s->store_ = std::make_unique<store::SqliteCatalogueStore>(std::move(sqlite));
  s->definitions_ = std::make_unique<catalogue::DefinitionsCache>(
      amazon, config.GetString("catalogue.definitions_cache_dir"), clock,
      config.GetDuration("catalogue.definitions_refresh"));
  sync::CatalogueSyncSettings settings;
  settings.seller_id = config.GetString("amazon.seller_id");
  settings.feed_threshold = static_cast<size_t>(config.GetInt("catalogue.feed_threshold"));
  settings.validation_preview = config.GetBool("catalogue.validation_preview");
  settings.issue_locale = config.GetString("catalogue.issue_locale");
  s->loop_ = std::make_unique<sync::CatalogueSync>(s->mapping_, amazon, scayle, *s->definitions_,
                                                   *s->store_, state, exceptions, clock, settings);
  return s;
}

Result<MarketplaceId> CatalogueServices::Marketplace(const std::string& name) const {
  if (name.empty() && !mapping_.marketplaces.empty()) return mapping_.marketplaces.front().id;
  for (const auto& m : mapping_.marketplaces) {
    if (m.alias == name || m.id.value() == name) return m.id;
  }
  return Fail(
      ErrorCode::kInvalidInput, "marketplace '" + name + "' is not in " + mapping_.source +
                                    " (known: " +
                                    [&] {
                                      std::string known;
                                      for (const auto& m : mapping_.marketplaces) {
                                        known += (known.empty() ? "" : ", ") + m.alias;
                                      }
                                      return known;
                                    }() +
                                    ")");
}

namespace {

class CatalogueComponent final : public Component {
 public:
  CatalogueComponent(EngineContext& context, std::unique_ptr<CatalogueServices> services)
      : services_(std::move(services)),
        task_(
            "catalogue",
            sync::PeriodicTask::Settings{context.config.GetDuration("catalogue.period"), 0.1,
                                         std::chrono::minutes(5), true},
            [this](std::stop_token stop) -> Status {
              sync::CatalogueRunOptions options;
              options.stop = std::move(stop);
              auto report = services_->loop().Run(options);
              if (!report) return tl::unexpected(report.error());
              return {};
            },
            context.clock, &context.metrics) {
    services_->loop().PublishListingChanges(&listing_events_);
    context.listing_events = &listing_events_;
    // The engine's shared receiver: it serves /webhooks/scayle/{event}, which also matches
    // /webhooks/scayle/catalogue, so a receiver of our own there would never be reached. Product
    // events name themselves in `type`, so either URL reaches these subscriptions.
    for (const char* event : {"product-updated", "product-master-updated", "product-deleted",
                              "product-variant-deleted", "product-variant-updated"}) {
      context.scayle_webhooks->Subscribe(event, [this](const ScayleWebhookEvent& e) -> Status {
        auto follow = services_->loop().OnScayleEvent(e);
        if (!follow) return tl::unexpected(follow.error());
        if (*follow) task_.RunNow();
        return {};
      });
    }
  }

  std::string_view name() const override { return "catalogue"; }
  Status Start() override {
    task_.Start();
    return {};
  }
  void RequestStop() override { task_.RequestStop(); }
  void Stop() override { task_.Stop(); }

 private:
  std::unique_ptr<CatalogueServices> services_;
  ListingEvents listing_events_;
  sync::PeriodicTask task_;  // last: stopped before what its step uses
};

}  // namespace

Result<std::unique_ptr<Component>> MakeCatalogueComponent(EngineContext& context) {
  if (!context.config.GetBool("catalogue.enabled")) return std::unique_ptr<Component>();
  if (context.amazon == nullptr || context.scayle == nullptr) {
    return Fail(ErrorCode::kConfigError,
                "catalogue.enabled: the catalogue loop needs Amazon (amazon.seller_id, "
                "amazon.lwa_*) and SCAYLE (scayle.endpoint, scayle.access_token) configured");
  }
  if (context.scayle_webhooks == nullptr)
    return Fail(ErrorCode::kConfigError, "catalogue: the engine has no SCAYLE webhook receiver");
  auto services =
      CatalogueServices::Create(context.config, *context.amazon, *context.scayle, context.clock,
                                context.sqlite, context.store, &context.exceptions);
  if (!services) {
    return Fail(services.error().code, "catalogue: " + services.error().message);
  }
  return std::unique_ptr<Component>(new CatalogueComponent(context, std::move(*services)));
}

}  // namespace mb::app

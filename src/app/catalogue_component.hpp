#pragma once
// Catalogue alignment in the engine (a Component) and the services the `catalogue` CLI commands
// share with it: the mapping, the SCAYLE and Amazon clients, the definitions cache and the loop.

#include <memory>

#include "app/component.hpp"
#include "catalogue/definitions_cache.hpp"
#include "config/config.hpp"
#include "core/catalogue/mapping.hpp"
#include "ports/amazon_api.hpp"
#include "ports/scayle_api.hpp"
#include "store/sqlite_catalogue_store.hpp"
#include "sync/catalogue_sync.hpp"

namespace mb::app {

// Everything CatalogueSync needs, built from the configuration around the engine's shared Amazon
// and SCAYLE adapters (src/app/external_services.hpp: one LWA token cache and one rate governor for
// every loop, since they all draw from the same seller's quotas). Both outlive the services.
class CatalogueServices {
 public:
  static Result<std::unique_ptr<CatalogueServices>> Create(
      const config::Config& config, AmazonApi& amazon, ScayleApi& scayle, const Clock& clock,
      std::shared_ptr<store::SqliteDatabase> sqlite, StateStore& state,
      ExceptionRegistry* exceptions);
  ~CatalogueServices();

  sync::CatalogueSync& loop() { return *loop_; }
  const catalogue::Mapping& mapping() const { return mapping_; }
  // The mapping's marketplace named by alias (DE) or id (A1PA6795UKMFR9); the first when empty.
  Result<MarketplaceId> Marketplace(const std::string& name) const;

 private:
  CatalogueServices() = default;

  catalogue::Mapping mapping_;
  std::unique_ptr<store::SqliteCatalogueStore> store_;
  std::unique_ptr<catalogue::DefinitionsCache> definitions_;
  std::unique_ptr<sync::CatalogueSync> loop_;
};

Result<std::unique_ptr<Component>> MakeCatalogueComponent(EngineContext& context);

}  // namespace mb::app

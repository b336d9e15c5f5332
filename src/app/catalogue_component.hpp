#pragma once
// Catalogue alignment in the engine (a Component) and the services the `catalogue` CLI commands
// share with it: the mapping, the SCAYLE and Amazon clients, the definitions cache and the loop.

#include <memory>

#include "app/component.hpp"
#include "catalogue/definitions_cache.hpp"
#include "config/config.hpp"
#include "core/catalogue/mapping.hpp"
#include "ports/amazon_api.hpp"
#include "ports/http_client.hpp"
#include "ports/scayle_api.hpp"
#include "store/sqlite_catalogue_store.hpp"
#include "sync/catalogue_sync.hpp"

namespace mb::scayle {
class ScayleClient;
}

namespace mb::app {

// The SCAYLE reads the catalogue needs (products with master, attributes, images, variants and
// prices in one paged walk). Stands in until the adapters' ScayleAdminApi is on main; the other
// ScayleApi operations are not the catalogue's and fail with kInternal.
class CatalogueScayleReader final : public ScayleApi {
 public:
  explicit CatalogueScayleReader(scayle::ScayleClient& client) : client_(client) {}
  Status ForEachProduct(
      const std::function<Status(const std::vector<ScayleProduct>&)>& page) override;
  Result<std::vector<ScayleStock>> GetVariantStocks(const ScayleVariantRef&) override;
  Result<std::vector<ScaylePrice>> GetVariantPrices(const ScayleVariantRef&) override;
  Result<std::vector<ScayleReservationOutcome>> CreateReservations(
      const std::vector<ScayleReservationRequest>&) override;
  Status DeleteReservationByKey(const std::string&) override;
  Status DeleteReservationById(int64_t) override;
  Result<ScayleOrder> CreateOrder(const ScayleNewOrder&) override;
  Result<ScayleOrder> GetOrderById(const std::string&, const std::string&, int64_t) override;
  Result<ScayleOrder> GetOrderByReferenceKey(const std::string&, const std::string&,
                                             const std::string&) override;
  Status ForEachOrder(const std::string&, const std::string&,
                      const std::function<Status(const std::vector<ScayleOrder>&)>&) override;
  Result<std::vector<ScayleCarrier>> ListCarriers() override;
  Result<ScayleWebhookSubscription> CreateWebhookSubscription(
      const ScayleWebhookSubscription&) override;
  Result<std::vector<ScayleWebhookSubscription>> ListWebhookSubscriptions() override;

 private:
  scayle::ScayleClient& client_;
};

// Everything CatalogueSync needs, built from the configuration. The Amazon and SCAYLE clients are
// the catalogue's own until the engine shares one per account (see docs/catalogue-mapping.md).
class CatalogueServices {
 public:
  static Result<std::unique_ptr<CatalogueServices>> Create(
      const config::Config& config, HttpClient& http, const Clock& clock,
      std::shared_ptr<store::SqliteDatabase> sqlite, StateStore& state,
      ExceptionRegistry* exceptions, metrics::Registry* registry);
  ~CatalogueServices();

  sync::CatalogueSync& loop() { return *loop_; }
  const catalogue::Mapping& mapping() const { return mapping_; }
  // The mapping's marketplace named by alias (DE) or id (A1PA6795UKMFR9); the first when empty.
  Result<MarketplaceId> Marketplace(const std::string& name) const;

 private:
  struct Clients;
  CatalogueServices() = default;

  catalogue::Mapping mapping_;
  std::unique_ptr<Clients> clients_;
  std::unique_ptr<store::SqliteCatalogueStore> store_;
  std::unique_ptr<catalogue::DefinitionsCache> definitions_;
  std::unique_ptr<sync::CatalogueSync> loop_;
};

Result<std::unique_ptr<Component>> MakeCatalogueComponent(EngineContext& context);

}  // namespace mb::app

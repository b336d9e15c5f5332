#pragma once
// The emulated SCAYLE tenant: catalogue, stock, reservations, orders, carriers. Thread-safe; the
// HTTP API and the market simulation both act on it in-process. Every change SCAYLE announces by
// webhook is handed to the event sink (ADMIN_API.md §7).

#include <tl/expected.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>

#include "sandbox/scayle/identifiers.hpp"
#include "sandbox/scayle/model.hpp"

namespace sandbox::scayle {

struct WorldConfig {
  std::string tenant_key = "sandbox";
  // UNCONFIRMED upstream (ADMIN_API.md §8.3): whether GET /variants/{v}/stocks reflects
  // reservations. Default: it does not; the figure is the WMS quantity minus sold units.
  bool stock_read_subtracts_reservations = false;
  int64_t default_reservation_ttl_seconds = 3600;
};

// A change SCAYLE announces by webhook: event name plus the complete documented envelope.
struct WorldEvent {
  std::string name;
  Json envelope;
};
using EventSink = std::function<void(const WorldEvent&)>;

struct ProductView {
  Product product;
  Master master;
  std::vector<Variant> variants;
};

struct StockUpdate {
  std::string warehouse_key;
  int64_t quantity = 0;
  std::optional<SimTime> changed_at;  // defaults to now
  std::optional<bool> sellable_without_stock;
  std::optional<std::string> expected_availability_at;
};

struct ReservationRequest {
  std::string reference_key;
  std::string warehouse_key;
  std::optional<int64_t> ttl_seconds;
  Identifier variant;
  std::optional<std::string> merchant_key;
};

struct ReservationOutcome {
  std::string reference_key;
  std::optional<Reservation> reservation;
  std::optional<ApiError> error;
};

struct PackageSpec {
  std::string carrier_key;
  std::string shipment_key;
  std::vector<int64_t> item_ids;  // empty: every item not yet shipped or cancelled
};

struct D2cSale {
  std::string warehouse_key;
  int64_t remaining_sellable = 0;  // in the shop country, after the sale
};

class ScayleWorld {
 public:
  ScayleWorld(const SimClock& clock, WorldConfig config = {});

  const SimClock& clock() const { return clock_; }
  const WorldConfig& config() const { return config_; }
  // The sink is called with the world lock held: it must not call back into the world.
  void SetEventSink(EventSink sink);

  // --- tenant set-up ---
  // Shop "ms" with DE, GB, FR; warehouses; carriers; attribute groups; category roots.
  void SeedDefaultTenant();
  void AddShopCountry(ShopCountry shop_country);
  void AddWarehouse(Warehouse warehouse);
  void AddCarrier(Carrier carrier);
  void AddAttributeGroup(AttributeGroup group);
  // Creates the path and its missing parents; returns the leaf id.
  int64_t AddMasterCategory(const std::vector<std::string>& path);
  void AddMaster(Master master);
  // Assigns ids to the product, its variants and images; returns the product id. `initial_stock`
  // (parallel to `variants`) is an import: it fires no webhooks.
  int64_t AddProduct(Product product, std::vector<Variant> variants,
                     std::vector<std::vector<StockLevel>> initial_stock = {});

  // --- catalogue reads ---
  std::optional<ProductView> FindProduct(const Identifier& id) const;
  // Products with id > after, ascending; next is the last id when more remain.
  std::vector<ProductView> ListProducts(int64_t after, size_t limit,
                                        std::optional<int64_t>& next) const;
  std::optional<Variant> FindVariant(const Identifier& id) const;
  std::vector<MasterCategory> MasterCategories() const;
  std::vector<AttributeGroup> AttributeGroups() const;
  std::vector<Warehouse> Warehouses() const;
  std::vector<Carrier> Carriers() const;
  std::vector<ShopCountry> ShopCountries() const;
  std::optional<ShopCountry> FindShopCountry(const std::string& shop, const std::string& cc) const;
  size_t VariantCount() const;
  std::vector<std::string> Skus() const;

  // --- catalogue changes (fire product-updated / product-variant-deleted /
  // product-variant-prices-updated) ---
  tl::expected<void, ApiError> SetProductState(const Identifier& product, const std::string& state);
  tl::expected<void, ApiError> DeleteVariant(const Identifier& variant);
  tl::expected<void, ApiError> SetPrices(const Identifier& variant, std::vector<Price> prices);

  // --- stock ---
  tl::expected<std::vector<StockLevel>, ApiError> VariantStocks(const Identifier& variant) const;
  // As a WMS writes it (POST /variants/{v}/stocks); fires product-variant-stock-updated.
  tl::expected<StockLevel, ApiError> SetStock(const Identifier& variant, const StockUpdate& update);
  // PUT .../stocks/sellableWithoutStock: only the flag changes.
  tl::expected<StockLevel, ApiError> SetSellableWithoutStock(const Identifier& variant,
                                                             const std::string& warehouse_key,
                                                             bool sellable_without_stock);
  // Units a D2C shopper could buy in the shop country now: stock minus active reservations.
  int64_t SellableD2c(const Identifier& variant, const std::string& shop,
                      const std::string& cc) const;
  // One D2C unit; fails with OUT_OF_STOCK when nothing is sellable. Fires stock-updated.
  tl::expected<D2cSale, ApiError> PurchaseD2c(const Identifier& variant, const std::string& shop,
                                              const std::string& cc);

  // --- reservations ---
  std::vector<ReservationOutcome> Reserve(const std::vector<ReservationRequest>& requests);
  tl::expected<void, ApiError> ReleaseReservation(const Identifier& reservation);
  size_t ActiveReservationCount() const;

  // --- orders ---
  // `body` follows OrderCreateRequest.json; unknown fields are ignored.
  tl::expected<Order, ApiError> CreateOrder(const std::string& shop, const std::string& cc,
                                            const Json& body);
  tl::expected<Order, ApiError> FindOrder(const std::string& shop, const std::string& cc,
                                          const Identifier& id) const;
  std::vector<Order> ListOrders(const std::string& shop, const std::string& cc, int64_t after,
                                size_t limit, std::optional<int64_t>& next) const;
  // Orders with at least one item not yet shipped or cancelled, oldest first (the warehouse's
  // pick list).
  std::vector<Order> OrdersAwaitingShipment() const;
  // The warehouse ships: one package per spec; fires order-package-shipped per package.
  tl::expected<Order, ApiError> ShipOrder(int64_t order_id,
                                          const std::vector<PackageSpec>& packages);
  // Cancels every unshipped item; their units return to stock. Fires order-canceled.
  tl::expected<Order, ApiError> CancelOrder(int64_t order_id);
  // POST /fulfillment/cancellations (CancellationSendRequest.json): cancels these items of an order
  // in the shop country; their units return to stock. All or nothing: an item that is shipped
  // (409 ITEM_NOT_CANCELLABLE) or not of the order (404) refuses the whole request. Items already
  // cancelled stay so (a repeat changes nothing). Fires order-canceled when no item is left.
  tl::expected<Order, ApiError> CancelOrderItems(const std::string& shop, const std::string& cc,
                                                 int64_t order_id,
                                                 const std::vector<int64_t>& item_ids);

 private:
  using Lock = std::unique_lock<std::mutex>;
  const Product* ProductLocked(const Identifier& id) const;
  const Variant* VariantLocked(const Identifier& id) const;
  Variant* VariantLocked(const Identifier& id);
  const Warehouse* WarehouseLocked(const std::string& key) const;
  StockLevel* StockRowLocked(int64_t variant_id, const std::string& warehouse_key);
  // Puts the item's unit back on its shelf and marks it cancelled.
  void CancelItemLocked(OrderItem& item, SimTime now);
  int64_t ReservedLocked(int64_t variant_id, const std::string& warehouse_key) const;
  std::vector<const Warehouse*> ServingWarehousesLocked(const std::string& shop,
                                                        const std::string& cc) const;
  void ExpireReservationsLocked() const;
  void EraseReservationLocked(int64_t id) const;
  ProductView ViewLocked(const Product& product) const;
  const ShopCountry* ShopCountryLocked(const std::string& shop, const std::string& cc) const;
  // Takes one unit for an order item: from its reservation when it names an active one, else
  // from free stock in the serving warehouses. Returns the warehouse, nullopt when none is left.
  std::optional<const Warehouse*> TakeUnitLocked(const Variant& variant, const ShopCountry& sc,
                                                 const std::optional<std::string>& reservation_key);
  void EmitStockLocked(const Variant& variant, const StockLevel& stock);
  void EmitProductLocked(const std::string& type, Json payload);
  void EmitOrderLocked(const std::string& type, const Order& order);
  std::string NextEventKey();

  const SimClock& clock_;
  WorldConfig config_;
  mutable std::mutex mu_;
  EventSink sink_;

  int64_t next_id_ = 1000;
  int64_t next_event_ = 1;
  std::vector<ShopCountry> shop_countries_;
  std::vector<Warehouse> warehouses_;
  std::vector<Carrier> carriers_;
  std::vector<AttributeGroup> attribute_groups_;
  std::map<std::vector<std::string>, MasterCategory> categories_;
  std::unordered_map<std::string, Master> masters_;
  std::map<int64_t, Product> products_;
  std::unordered_map<std::string, int64_t> product_by_key_;
  std::unordered_map<int64_t, Variant> variants_;
  std::unordered_map<std::string, int64_t> variant_by_key_;
  std::unordered_map<int64_t, std::vector<StockLevel>> stocks_;
  // Reservations expire lazily on the sandbox clock, hence mutable.
  mutable std::map<int64_t, Reservation> reservations_;
  mutable std::unordered_map<std::string, int64_t> reservation_by_key_;
  mutable std::multimap<SimTime, int64_t> reservation_expiry_;
  mutable std::map<std::pair<int64_t, std::string>, int64_t>
      reserved_units_;  // variant x warehouse
  std::map<int64_t, Order> orders_;
  std::unordered_map<std::string, int64_t> order_by_key_;
};

}  // namespace sandbox::scayle

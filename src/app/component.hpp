#pragma once
// A part of the running engine (a sync loop, a webhook receiver ...) built from the shared services
// in EngineContext. Each feature provides one factory, listed in engine.cpp; that list is the only
// place the engine learns about a feature.

#include <memory>
#include <string_view>

#include "amazon/rate_governor.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/exception_registry.hpp"
#include "metrics/registry.hpp"
#include "ports/amazon_api.hpp"
#include "ports/amazon_order_events.hpp"
#include "ports/http_client.hpp"
#include "ports/listing_events.hpp"
#include "ports/scayle_api.hpp"
#include "ports/state_store.hpp"
#include "scayle/scayle_webhook_receiver.hpp"
#include "server/http_server.hpp"
#include "store/sqlite_database.hpp"

namespace mb::app {

// The services every component may use. All outlive every component.
struct EngineContext {
  const config::Config& config;
  StateStore& store;
  // The SQLite connection behind `store`, for modules' own repositories.
  std::shared_ptr<store::SqliteDatabase> sqlite;
  const Clock& clock;
  ExceptionRegistry& exceptions;
  metrics::Registry& metrics;
  // Routes must be registered in the factory, before the server starts.
  server::HttpServer& server;
  // Outbound HTTP with retries and back-off (config http.*).
  HttpClient& http;

  // The outside world (src/app/external_services.hpp). Null when that side is not configured; a
  // factory that needs it returns nullptr (not started) or an error if it is required.
  AmazonApi* amazon = nullptr;
  // One per engine: every loop's SP-API calls share Amazon's quotas.
  amazon::RateGovernor* amazon_quotas = nullptr;
  NotificationQueue* order_notifications = nullptr;  // SQS with ORDER_CHANGE
  // The order loop's order events (set by its factory; subscribe in Start(), before it starts).
  AmazonOrderEvents* amazon_order_events = nullptr;
  // The catalogue loop's listing changes (set by its factory; subscribe in Start()).
  ListingEvents* listing_events = nullptr;
  ScayleApi* scayle = nullptr;
  // Subscribe to SCAYLE events here (in the factory, before the server starts).
  scayle::ScayleWebhookReceiver* scayle_webhooks = nullptr;
};

class Component {
 public:
  virtual ~Component() = default;
  virtual std::string_view name() const = 0;
  // Called after the server started; starts the component's tasks.
  virtual Status Start() = 0;
  // Asks every task to stop and returns at once (PeriodicTask::RequestStop): the engine asks all
  // components first, so their steps wind down together instead of one after another.
  virtual void RequestStop() {}
  // Stops promptly; unfinished external effects stay in the outbox.
  virtual void Stop() = 0;
};

// A factory returns nullptr when its feature is not configured (e.g. no Amazon credentials).
using ComponentFactory = Result<std::unique_ptr<Component>> (*)(EngineContext& context);

// The factories, one per feature (defined in src/app/<feature>_component.cpp).
Result<std::unique_ptr<Component>> MakeDashboardComponent(EngineContext& context);
Result<std::unique_ptr<Component>> MakeSettlementComponent(EngineContext& context);
Result<std::unique_ptr<Component>> MakeOrderComponent(EngineContext& context);

}  // namespace mb::app

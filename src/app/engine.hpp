#pragma once
// The composition root of the daemon: builds every adapter and loop from the config and owns them.
// `run` and `demo` both start an Engine.

#include <chrono>
#include <memory>
#include <optional>

#include "app/component.hpp"
#include "app/external_services.hpp"
#include "app/log_alerts.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/exception_registry.hpp"
#include "http/curl_http_client.hpp"
#include "http/retrying_http_client.hpp"
#include "metrics/registry.hpp"
#include "ports/state_store.hpp"
#include "server/http_server.hpp"

namespace mb::app {

class Engine {
 public:
  // `sqlite` is the connection behind `store` (null for a non-SQLite store).
  Engine(const config::Config& config, StateStore& store,
         std::shared_ptr<store::SqliteDatabase> sqlite, const Clock& clock);
  ~Engine();

  // Recovers work a previous run left in flight, then starts the server and the loops.
  Status Start();
  // Stops loops and server; in-flight work is left to the outbox.
  void Stop();

  const std::vector<std::unique_ptr<Component>>& components() const { return components_; }

  ExceptionRegistry& exceptions() { return exceptions_; }
  metrics::Registry& metrics() { return metrics_; }
  // The bound HTTP port (the ephemeral one when server.port is 0); 0 before Start().
  int http_port() const { return server_.port(); }

 private:
  const config::Config& config_;
  StateStore& store_;
  const Clock& clock_;
  LogAlerts alerts_;
  ExceptionRegistry exceptions_;
  metrics::Registry metrics_;
  server::HttpServer server_;
  http::CurlHttpClient curl_;
  http::RetryingHttpClient http_;
  ExternalServices external_;
  EngineContext context_;
  std::vector<std::unique_ptr<Component>> components_;
  bool started_ = false;
};

// Blocks SIGINT and SIGTERM in the calling thread (call before starting threads, so they inherit
// the mask), then waits for one of them or for `limit`. Returns the signal number, or 0 on timeout.
int WaitForShutdownSignal(std::optional<std::chrono::seconds> limit);
void BlockShutdownSignals();

}  // namespace mb::app

#include "app/engine.hpp"

#include <signal.h>

#include <ctime>

#include "app/catalogue_component.hpp"
#include "app/stock_component.hpp"
#include "log/log.hpp"

namespace mb::app {

namespace {

server::HttpServerOptions ServerOptions(const config::Config& config) {
  server::HttpServerOptions options;
  options.listen_address = config.GetString("server.listen_address");
  options.port = static_cast<int>(config.GetInt("server.port"));
  options.max_body_bytes = static_cast<size_t>(config.GetInt("server.max_request_bytes"));
  options.threads = static_cast<size_t>(config.GetInt("server.threads"));
  return options;
}

http::CurlOptions CurlOptionsFrom(const config::Config& config) {
  http::CurlOptions options;
  options.connect_timeout = config.GetDuration("http.connect_timeout");
  options.user_agent = std::string("Marketbridge/") + MB_VERSION + " (Language=C++)";
  return options;
}

http::RetryOptions RetryOptionsFrom(const config::Config& config, metrics::Registry& registry) {
  http::RetryOptions options;
  options.policy.max_attempts = static_cast<int>(config.GetInt("http.max_attempts"));
  options.policy.base_delay = config.GetDuration("http.backoff_base");
  options.policy.max_delay = config.GetDuration("http.backoff_max");
  auto& attempts =
      registry.AddCounter("mb_http_client_attempts_total",
                          "Outbound HTTP attempts by operation and outcome (status or error code)",
                          {"operation", "outcome"});
  options.observer = [&attempts](const http::AttemptReport& report) {
    std::string outcome =
        report.error ? std::string(ErrorName(*report.error)) : std::to_string(report.status);
    attempts.WithLabels({report.operation, outcome}).Inc();
  };
  return options;
}

// Every feature of the engine, in start order. A feature joins the engine by adding its factory
// here.
std::vector<ComponentFactory> ComponentFactories() {
  return {
      MakeDashboardComponent, MakeSettlementComponent, MakeStockComponent,
      MakeCatalogueComponent, MakeOrderComponent,
  };
}

}  // namespace

Engine::Engine(const config::Config& config, StateStore& store,
               std::shared_ptr<store::SqliteDatabase> sqlite, const Clock& clock)
    : config_(config),
      store_(store),
      clock_(clock),
      exceptions_(store, clock, &alerts_),
      server_(ServerOptions(config), metrics_),
      curl_(CurlOptionsFrom(config)),
      http_(curl_, clock, RetryOptionsFrom(config, metrics_)),
      context_{config, store, std::move(sqlite), clock, exceptions_, metrics_, server_, http_} {
  // The store answering a trivial read is what "healthy" means for an embedded engine.
  server_.AddHealthCheck("store", [this]() -> Status {
    auto probe = store_.GetCursor("healthz.probe");
    if (!probe) return tl::unexpected(probe.error());
    return {};
  });
}

Engine::~Engine() { Stop(); }

Status Engine::Start() {
  auto logger = log::Get("app");
  auto external = BuildExternalServices(config_, curl_, clock_, store_, metrics_);
  if (!external) return tl::unexpected(external.error());
  external_ = std::move(*external);
  context_.amazon = external_.amazon.get();
  context_.amazon_quotas = external_.governor.get();
  context_.order_notifications = external_.order_notifications.get();
  context_.scayle = external_.scayle.get();
  context_.scayle_webhooks = external_.scayle_webhooks.get();
  if (external_.scayle_webhooks) external_.scayle_webhooks->RegisterRoutes(server_);
  logger->info("amazon {}, scayle {}", context_.amazon ? "configured" : "not configured",
               context_.scayle ? "configured" : "not configured");
  // Embedded mode is one process: whatever a crashed run had in flight is due again now. The
  // idempotency keys make the repeats harmless.
  auto released = store_.ReleaseAbandonedClaims(clock_.Now());
  if (!released) return tl::unexpected(released.error());
  if (*released > 0)
    logger->warn("recovered {} effect(s) left in flight by the previous run", *released);
  // Components register their routes while being built, so they come before the server starts.
  for (ComponentFactory factory : ComponentFactories()) {
    auto component = factory(context_);
    if (!component) return tl::unexpected(component.error());
    if (*component) components_.push_back(std::move(*component));
  }
  if (auto started = server_.Start(); !started) return started;
  started_ = true;
  for (auto& component : components_) {
    if (auto ok = component->Start(); !ok) {
      Stop();
      return Fail(ok.error().code, std::string(component->name()) + ": " + ok.error().message);
    }
    logger->info("{} started", component->name());
  }
  logger->info("engine started: http://{}:{} (/healthz, /metrics), store {}",
               config_.GetString("server.listen_address"), server_.port(),
               config_.GetString("store.sqlite_path"));
  return {};
}

void Engine::Stop() {
  if (!started_) return;
  started_ = false;
  auto begin = std::chrono::steady_clock::now();
  // Ask every task to stop first, then cut the waits a step in flight may sit in (rate governor
  // quota, HTTP retry back-off: minutes at worst) before joining: joined first, Stop lasted as
  // long as the longest such wait. A call cut short fails and its effect stays in the outbox.
  for (auto& component : components_) component->RequestStop();
  external_.Stop();
  http_.Stop();
  curl_.Stop();  // an SQS long poll would otherwise hold Stop for up to 20 s
  // Reverse start order: a component may depend on one started before it.
  for (auto it = components_.rbegin(); it != components_.rend(); ++it) (*it)->Stop();
  server_.Stop();
  log::Get("app")->info("engine stopped in {} ms",
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - begin)
                            .count());
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForShutdownSignal(std::optional<std::chrono::seconds> limit) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  if (!limit) {
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
  }
  timespec timeout{static_cast<time_t>(limit->count()), 0};
  int sig = sigtimedwait(&set, nullptr, &timeout);
  return sig < 0 ? 0 : sig;
}

}  // namespace mb::app

#include "app/engine.hpp"

#include <signal.h>

#include <ctime>

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

}  // namespace

Engine::Engine(const config::Config& config, StateStore& store, const Clock& clock)
    : config_(config),
      store_(store),
      clock_(clock),
      exceptions_(store, clock, &alerts_),
      server_(ServerOptions(config), metrics_) {
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
  // Embedded mode is one process: whatever a crashed run had in flight is due again now. The
  // idempotency keys make the repeats harmless.
  auto released = store_.ReleaseAbandonedClaims(clock_.Now());
  if (!released) return tl::unexpected(released.error());
  if (*released > 0)
    logger->warn("recovered {} effect(s) left in flight by the previous run", *released);
  if (auto started = server_.Start(); !started) return started;
  started_ = true;
  logger->info("engine started: http://{}:{} (/healthz, /metrics), store {}",
               config_.GetString("server.listen_address"), server_.port(),
               config_.GetString("store.sqlite_path"));
  return {};
}

void Engine::Stop() {
  if (!started_) return;
  started_ = false;
  server_.Stop();
  log::Get("app")->info("engine stopped");
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

#include "app/engine.hpp"

#include <signal.h>

#include <ctime>

#include "log/log.hpp"

namespace mb::app {

Engine::Engine(const config::Config& config, StateStore& store, const Clock& clock)
    : config_(config), store_(store), clock_(clock), exceptions_(store, clock, &alerts_) {}

Engine::~Engine() { Stop(); }

Status Engine::Start() {
  auto logger = log::Get("app");
  // Embedded mode is one process: whatever a crashed run had in flight is due again now. The
  // idempotency keys make the repeats harmless.
  auto released = store_.ReleaseAbandonedClaims(clock_.Now());
  if (!released) return tl::unexpected(released.error());
  if (*released > 0)
    logger->warn("recovered {} effect(s) left in flight by the previous run", *released);
  started_ = true;
  logger->info("engine started (store {})", config_.GetString("store.sqlite_path"));
  return {};
}

void Engine::Stop() {
  if (!started_) return;
  started_ = false;
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

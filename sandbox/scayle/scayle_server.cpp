#include "sandbox/scayle/scayle_server.hpp"

#include <chrono>
#include <thread>

#include "sandbox/scayle/api_router.hpp"
#include "sandbox/scayle/routes.hpp"
#include "sandbox/scayle/scayle_json.hpp"

namespace sandbox::scayle {

ScayleServer::ScayleServer(ScayleWorld& world, ScayleServerConfig config)
    : world_(world),
      config_(std::move(config)),
      limiter_(world.clock(), config_.rate_limits),
      faults_(config_.fault_seed),
      hub_(world.clock(), config_.webhooks) {
  ApiRouter router(server_, config_.access_token, limiter_, faults_);
  RegisterCatalogueRoutes(router, world_);
  RegisterStockRoutes(router, world_);
  RegisterReservationRoutes(router, world_);
  RegisterOrderRoutes(router, world_);
  RegisterShopRoutes(router, world_);
  RegisterWebhookRoutes(router, hub_);
  RegisterControlRoutes(server_, *this);
  // Small JSON answers must not wait for Nagle + delayed ACK (~40 ms per keep-alive request).
  server_.set_tcp_nodelay(true);
  // Unknown paths answer in SCAYLE's error shape too.
  server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      res.set_content(ErrorBody({404, "ROUTE_NOT_FOUND", "no such endpoint"}).dump(),
                      "application/json");
    }
  });
  server_.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unexpected error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        }
        res.status = 500;
        res.set_content(ErrorBody({500, "INTERNAL_SERVER_ERROR", what}).dump(), "application/json");
      });
}

ScayleServer::~ScayleServer() { Stop(); }

std::string ScayleServer::base_url() const {
  return "http://" + config_.host + ":" + std::to_string(port_) + kApiBase;
}

bool ScayleServer::Start() {
  if (thread_.joinable()) return true;
  port_ = config_.port == 0
              ? server_.bind_to_any_port(config_.host)
              : (server_.bind_to_port(config_.host, config_.port) ? config_.port : -1);
  if (port_ <= 0) return false;
  world_.SetEventSink([this](const WorldEvent& e) { hub_.Publish(e.name, e.envelope); });
  hub_.Start();
  // The socket already listens, so requests queue until this thread accepts them.
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // httplib's stop() is a no-op until the accept loop runs: a Stop() right after Start() would
  // otherwise leave the loop running and hang the join.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

void ScayleServer::Stop() {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
  hub_.Stop();
  world_.SetEventSink(nullptr);
}

}  // namespace sandbox::scayle

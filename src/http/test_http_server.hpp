#pragma once
// Test-only: a cpp-httplib server on 127.0.0.1 at an ephemeral port, running on its own thread,
// that counts the distinct client connections it has seen (by remote port). Register handlers on
// server(), then Start(): httplib's handler tables must not change while it serves. Pass an
// httplib::SSLServer to serve HTTPS.

#include <httplib.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace mb::http {

class TestHttpServer {
 public:
  explicit TestHttpServer(std::unique_ptr<httplib::Server> server = nullptr,
                          std::string scheme = "http")
      : server_(server ? std::move(server) : std::make_unique<httplib::Server>()),
        scheme_(std::move(scheme)) {
    server_->set_keep_alive_max_count(100);
    // httplib writes headers and body separately; with Nagle on, each response waits ~40 ms
    // for the client's delayed ACK.
    server_->set_tcp_nodelay(true);
    server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard lock(mu_);
      ports_.insert(req.remote_port);
      ++requests_;
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // Bound and listening from here on: connections wait in the backlog until the thread accepts.
    port_ = server_->bind_to_any_port("127.0.0.1");
  }

  void Start() {
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }

  ~TestHttpServer() {
    if (!thread_.joinable()) return;
    // httplib's stop() is a no-op until the accept loop runs, and it offers nothing to wait on.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server_->stop();
    thread_.join();
  }

  httplib::Server& server() { return *server_; }
  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  size_t connections() const {
    std::lock_guard lock(mu_);
    return ports_.size();
  }
  size_t requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::string scheme_;
  int port_ = -1;
  std::thread thread_;
  mutable std::mutex mu_;
  std::set<int> ports_;
  size_t requests_ = 0;
};

}  // namespace mb::http

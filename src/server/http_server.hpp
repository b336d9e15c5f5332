#pragma once
// The engine's HTTP server: /healthz, /metrics and the routes other modules register (webhooks,
// REST, dashboard). Built on cpp-httplib, which stays behind this header: handlers see only the
// small Request/Response types below.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "metrics/registry.hpp"

namespace mb::server {

struct HttpServerOptions {
  std::string listen_address = "127.0.0.1";
  int port = 0;                              // 0: an ephemeral port, see HttpServer::port()
  std::size_t max_body_bytes = 1024 * 1024;  // larger requests get 413
  std::chrono::milliseconds read_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(5)};
  // An idle keep-alive connection is closed after this (whole seconds, at least 1). httplib
  // does not close idle connections on stop, so an idle client can hold up Stop() this long.
  std::chrono::seconds keep_alive_timeout{1};
  std::size_t threads = 4;
  // How long Stop() waits for requests in progress before saying so in the log.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
};

// Header names compare case-insensitively, as HTTP says.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};

struct Request {
  std::string method;
  std::string path;  // without the query string
  // Values of the `{name}` segments of the route pattern.
  std::map<std::string, std::string> path_params;
  std::multimap<std::string, std::string> query;
  std::multimap<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;
  std::string remote_addr;

  // The first value of a header or query parameter, or "" when absent.
  std::string Header(const std::string& name) const;
  std::string QueryParam(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body);
};

using Handler = std::function<Response(const Request&)>;
// A health check returns an error with an operator-readable message when its part is unwell.
using HealthCheck = std::function<Status()>;

class HttpServer {
 public:
  // The registry is served on /metrics and receives the server's own request metrics; it must
  // outlive the server.
  HttpServer(HttpServerOptions options, metrics::Registry& registry);
  // Stops the server if it is running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Registers a handler for `method` (GET, POST, PUT, PATCH, DELETE) and a path pattern in which
  // `{name}` matches one path segment, e.g. "/webhooks/scayle/{event}". The pattern (not the
  // path) labels the request metrics. Only before Start(); duplicates and bad patterns throw
  // std::logic_error.
  void Route(const std::string& method, const std::string& pattern, Handler handler);
  // Checks run in name order on each /healthz; the first failing one makes it 503. Can be added
  // at any time.
  void AddHealthCheck(const std::string& name, HealthCheck check);

  // Binds and starts serving on a thread of its own. Fails when the address cannot be bound.
  Status Start();
  // Stops accepting connections at once, lets requests in progress finish (logging if they take
  // longer than shutdown_grace), then joins the server's threads. A handler must bound its own
  // work: Stop() cannot interrupt it.
  void Stop();

  // The bound port (the ephemeral one when options.port was 0); 0 before Start().
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mb::server

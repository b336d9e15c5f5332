#include "server/http_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <thread>

#include "log/log.hpp"

namespace mb::server {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Label for requests answered before any route handler ran (404, 413, malformed requests).
const std::string kNoRoute = "none";

const std::set<std::string>& KnownMethods() {
  static const std::set<std::string> kMethods = {"GET",    "HEAD",    "POST",  "PUT",
                                                 "DELETE", "OPTIONS", "PATCH", "TRACE"};
  return kMethods;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// "/webhooks/{event}" -> "/webhooks/([^/]+)" with names {"event"}; everything else is literal.
std::string CompilePattern(const std::string& pattern, std::vector<std::string>& names) {
  if (pattern.empty() || pattern[0] != '/') {
    throw std::logic_error("server: route pattern must start with '/': " + pattern);
  }
  std::string regex;
  for (std::size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '{') {
      auto close = pattern.find('}', i);
      std::string name =
          close == std::string::npos ? std::string() : pattern.substr(i + 1, close - i - 1);
      if (!IsIdentifier(name)) {
        throw std::logic_error("server: bad parameter in route pattern: " + pattern);
      }
      names.push_back(name);
      regex += "([^/]+)";
      i = close + 1;
      continue;
    }
    if (c == '}') throw std::logic_error("server: unmatched '}' in route pattern: " + pattern);
    if (std::strchr("\\^$.|?*+()[]", c) != nullptr) regex += '\\';
    regex += c;
    ++i;
  }
  return regex;
}

std::string ReasonFor(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 413:
      return "request body too large";
    case 414:
      return "request URI too long";
    case 500:
      return "internal error";
    default:
      return "http status " + std::to_string(status);
  }
}

std::string ErrorBody(const std::string& message) {
  return nlohmann::json{{"error", message}}.dump();
}

struct RouteEntry {
  std::string method;
  std::string pattern;
  std::vector<std::string> param_names;
  Handler handler;
};

// What the request metrics need to know about the request this worker thread is serving.
// httplib serves a request on one pool thread from routing to logging, so a thread-local carries
// it from the pre-routing hook and the route handler to the logger.
struct RequestScope {
  SteadyClock::time_point start{};
  const RouteEntry* route = nullptr;
};
thread_local RequestScope t_scope;

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string Request::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::QueryParam(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

Response Response::Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::Text(int status, std::string body) {
  Response r = Json(status, std::move(body));
  r.content_type = "text/plain; charset=utf-8";
  return r;
}

struct HttpServer::Impl {
  Impl(HttpServerOptions o, metrics::Registry& r)
      : options(std::move(o)),
        registry(r),
        requests(r.AddCounter("mb_http_requests_total",
                              "HTTP requests served, by route and status.",
                              {"method", "route", "status"})),
        duration(r.AddHistogram("mb_http_request_duration_seconds",
                                "Time from routing a request to writing its response.",
                                {"method", "route"}, metrics::DefaultLatencyBuckets())),
        in_flight_gauge(
            r.AddGauge("mb_http_requests_in_flight", "Requests being handled right now.").Get()) {}

  void Serve(const RouteEntry& route, const httplib::Request& in, httplib::Response& out);
  void Count(const httplib::Request& in, const httplib::Response& out);
  Response Health();

  HttpServerOptions options;
  std::shared_ptr<spdlog::logger> logger = log::Get("server");
  metrics::Registry& registry;
  metrics::CounterFamily& requests;
  metrics::HistogramFamily& duration;
  metrics::Gauge& in_flight_gauge;
  std::atomic<int> in_flight{0};

  httplib::Server server;
  std::vector<std::unique_ptr<RouteEntry>> routes;  // stable addresses: the scope points at them

  std::mutex health_mu;
  std::map<std::string, HealthCheck> health_checks;

  std::mutex lifecycle_mu;
  enum class State { kNew, kRunning, kStopped } state = State::kNew;
  std::atomic<int> port{0};
  std::thread thread;
  std::mutex done_mu;
  std::condition_variable done_cv;
  bool done = false;  // the listen loop has returned and its worker threads are joined
};

void HttpServer::Impl::Serve(const RouteEntry& route, const httplib::Request& in,
                             httplib::Response& out) {
  t_scope.route = &route;
  struct InFlight {
    Impl& impl;
    explicit InFlight(Impl& i) : impl(i) {
      ++impl.in_flight;
      impl.in_flight_gauge.Inc();
    }
    ~InFlight() {
      impl.in_flight_gauge.Dec();
      --impl.in_flight;
    }
  } in_flight_guard(*this);
  Request request;
  request.method = in.method;
  request.path = in.path;
  for (std::size_t i = 0; i < route.param_names.size() && i + 1 < in.matches.size(); ++i) {
    request.path_params[route.param_names[i]] = in.matches[i + 1].str();
  }
  request.query.insert(in.params.begin(), in.params.end());
  request.headers.insert(in.headers.begin(), in.headers.end());
  request.body = in.body;
  request.remote_addr = in.remote_addr;

  Response response;
  // The top of a handler is where failures stop; a throwing handler is a bug, answered with 500.
  try {
    response = route.handler(request);
  } catch (const std::exception& e) {
    logger->error("handler for {} {} threw: {}", route.method, route.pattern, e.what());
    response = Response::Json(500, ErrorBody("internal error"));
  }
  out.status = response.status;
  for (const auto& [name, value] : response.headers) out.set_header(name, value);
  out.set_content(response.body, response.content_type);
}

// Called by httplib after each response is written, routed or not.
void HttpServer::Impl::Count(const httplib::Request& in, const httplib::Response& out) {
  RequestScope scope = std::exchange(t_scope, RequestScope{});
  const std::string& route = scope.route != nullptr ? scope.route->pattern : kNoRoute;
  // Clients choose the method: keep the label set bounded.
  const std::string method = KnownMethods().count(in.method) > 0 ? in.method : "other";
  requests.WithLabels({method, route, std::to_string(out.status)}).Inc();
  if (scope.start == SteadyClock::time_point{}) return;  // rejected before routing
  double seconds = std::chrono::duration<double>(SteadyClock::now() - scope.start).count();
  duration.WithLabels({method, route}).Observe(seconds);
  // Route pattern only: paths and query strings can carry credentials (webhook URLs do).
  logger->debug("{} {} -> {} in {:.1f} ms", method, route, out.status, seconds * 1000);
}

Response HttpServer::Impl::Health() {
  std::map<std::string, HealthCheck> checks;
  {
    std::lock_guard lock(health_mu);
    checks = health_checks;
  }
  nlohmann::json names = nlohmann::json::array();
  for (const auto& [name, check] : checks) {
    Status status;
    try {
      status = check();
    } catch (const std::exception& e) {
      status = Fail(ErrorCode::kInternal, std::string("health check threw: ") + e.what());
    }
    if (!status) {
      return Response::Json(503, nlohmann::json{{"status", "failing"},
                                                {"check", name},
                                                {"message", status.error().message}}
                                     .dump());
    }
    names.push_back(name);
  }
  return Response::Json(200, nlohmann::json{{"status", "ok"}, {"checks", names}}.dump());
}

HttpServer::HttpServer(HttpServerOptions options, metrics::Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), registry)) {
  const auto& o = impl_->options;
  auto& server = impl_->server;
  std::size_t threads = std::max<std::size_t>(1, o.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(o.max_body_bytes);
  server.set_read_timeout(o.read_timeout);
  server.set_write_timeout(o.write_timeout);
  server.set_keep_alive_timeout(std::max<time_t>(1, o.keep_alive_timeout.count()));
  // httplib writes headers and body separately; without TCP_NODELAY, Nagle and delayed ACKs add
  // ~40 ms to each response on a keep-alive connection.
  server.set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, which lets a second process bind the same port and
  // silently share the traffic. SO_REUSEADDR alone still allows a quick restart.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_scope = RequestScope{SteadyClock::now(), nullptr};
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Errors httplib answers itself (404, 413, ...) get the same JSON shape as ours.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        res.set_content(ErrorBody(ReasonFor(res.status)), "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_logger([impl = impl_.get()](const httplib::Request& in, const httplib::Response& out) {
    impl->Count(in, out);
  });

  Route("GET", "/healthz", [impl = impl_.get()](const Request&) { return impl->Health(); });
  Route("GET", "/metrics", [impl = impl_.get()](const Request&) {
    Response r = Response::Text(200, impl->registry.Expose());
    r.content_type = "text/plain; version=0.0.4";
    return r;
  });
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Route(const std::string& method, const std::string& pattern, Handler handler) {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (impl_->state != Impl::State::kNew) {
    throw std::logic_error("server: route " + method + " " + pattern + " added after Start()");
  }
  for (const auto& r : impl_->routes) {
    if (r->method == method && r->pattern == pattern) {
      throw std::logic_error("server: route " + method + " " + pattern + " registered twice");
    }
  }
  auto entry = std::make_unique<RouteEntry>();
  entry->method = method;
  entry->pattern = pattern;
  entry->handler = std::move(handler);
  std::string regex = CompilePattern(pattern, entry->param_names);
  auto serve = [impl = impl_.get(), route = entry.get()](const httplib::Request& in,
                                                         httplib::Response& out) {
    impl->Serve(*route, in, out);
  };
  auto& server = impl_->server;
  if (method == "GET") {
    server.Get(regex, serve);
  } else if (method == "POST") {
    server.Post(regex, serve);
  } else if (method == "PUT") {
    server.Put(regex, serve);
  } else if (method == "PATCH") {
    server.Patch(regex, serve);
  } else if (method == "DELETE") {
    server.Delete(regex, serve);
  } else {
    throw std::logic_error("server: unsupported method " + method + " for " + pattern);
  }
  impl_->routes.push_back(std::move(entry));
}

void HttpServer::AddHealthCheck(const std::string& name, HealthCheck check) {
  std::lock_guard lock(impl_->health_mu);
  impl_->health_checks[name] = std::move(check);
}

Status HttpServer::Start() {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (impl_->state != Impl::State::kNew) throw std::logic_error("server: started twice");
  const auto& o = impl_->options;
  auto& server = impl_->server;
  int port = o.port == 0 ? server.bind_to_any_port(o.listen_address)
                         : (server.bind_to_port(o.listen_address, o.port) ? o.port : -1);
  if (port < 0) {
    return Fail(ErrorCode::kConfigError, "server: cannot listen on " + o.listen_address + ":" +
                                             std::to_string(o.port) +
                                             " (port in use, or not an address of this machine)");
  }
  impl_->port = port;
  impl_->state = Impl::State::kRunning;
  impl_->thread = std::thread([impl = impl_.get()] {
    impl->server.listen_after_bind();
    {
      std::lock_guard done_lock(impl->done_mu);
      impl->done = true;
    }
    impl->done_cv.notify_all();
  });
  // httplib 0.11 ignores stop() until its listen loop has marked itself running and has no
  // "wait until ready": wait for that here, so that a Stop() right after Start() is not lost.
  // The socket is already listening, so no connection is refused meanwhile.
  while (!server.is_running()) {
    {
      std::lock_guard done_lock(impl_->done_mu);
      if (impl_->done) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->logger->info("listening on {}:{}", o.listen_address, port);
  return {};
}

void HttpServer::Stop() {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (impl_->state != Impl::State::kRunning) return;
  impl_->state = Impl::State::kStopped;
  // Closes the listening socket: from here on new connections are refused, while connections
  // already accepted are served to the end.
  impl_->server.stop();
  {
    std::unique_lock done_lock(impl_->done_mu);
    if (!impl_->done_cv.wait_for(done_lock, impl_->options.shutdown_grace,
                                 [&] { return impl_->done; })) {
      impl_->logger->warn("{} requests still running {} ms after stop; waiting for them",
                          impl_->in_flight.load(), impl_->options.shutdown_grace.count());
    }
  }
  impl_->thread.join();
  impl_->logger->info("stopped");
}

int HttpServer::port() const { return impl_->port; }

}  // namespace mb::server

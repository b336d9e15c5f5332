#include "server/http_server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mb::server {
namespace {

using namespace std::chrono_literals;

// The lines of one metric family (HELP, TYPE and samples) out of a /metrics page.
std::string FamilyLines(const std::string& page, const std::string& name) {
  std::istringstream in(page);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    bool comment =
        line.rfind("# HELP " + name + " ", 0) == 0 || line.rfind("# TYPE " + name + " ", 0) == 0;
    bool sample = false;
    for (const char* suffix : {"", "_bucket", "_sum", "_count"}) {
      std::string n = name + suffix;
      if (line.rfind(n + "{", 0) == 0 || line.rfind(n + " ", 0) == 0) sample = true;
    }
    if (comment || sample) out += line + "\n";
  }
  return out;
}

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerOptions Options() {
    HttpServerOptions o;
    o.max_body_bytes = 1024;
    o.threads = 4;
    return o;
  }
  void StartServer() {
    auto started = server_.Start();
    ASSERT_TRUE(started) << started.error().ToString();
    ASSERT_NE(server_.port(), 0);
  }
  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_.port());
    client.set_connection_timeout(2s);
    client.set_read_timeout(5s);
    return client;
  }

  metrics::Registry registry_;
  HttpServer server_{Options(), registry_};
};

TEST_F(HttpServerTest, HealthzIsOkWhenEveryCheckPasses) {
  server_.AddHealthCheck("store", [] { return Status{}; });
  server_.AddHealthCheck("amazon", [] { return Status{}; });
  StartServer();
  auto res = Client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->body, R"({"checks":["amazon","store"],"status":"ok"})");
}

TEST_F(HttpServerTest, HealthzIs503WithTheFailingCheck) {
  StartServer();
  server_.AddHealthCheck("amazon", [] { return Status{}; });
  server_.AddHealthCheck(
      "store", [] { return Status(Fail(ErrorCode::kStorageError, "store: database is locked")); });
  auto res = Client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->body,
            R"({"check":"store","message":"store: database is locked","status":"failing"})");
}

TEST_F(HttpServerTest, MetricsPageIsTheRegistryInTextFormat) {
  auto& orders = registry_.AddCounter("mb_orders_seen_total", "Amazon orders seen.", {"region"});
  orders.WithLabels({"eu"}).Inc(3);
  orders.WithLabels({"na"}).Inc();
  StartServer();
  auto res = Client().Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  // No request has finished yet, so the request families have no children; the scrape itself is
  // in flight.
  EXPECT_EQ(res->body,
            "# HELP mb_http_requests_in_flight Requests being handled right now.\n"
            "# TYPE mb_http_requests_in_flight gauge\n"
            "mb_http_requests_in_flight 1\n"
            "# HELP mb_orders_seen_total Amazon orders seen.\n"
            "# TYPE mb_orders_seen_total counter\n"
            "mb_orders_seen_total{region=\"eu\"} 3\n"
            "mb_orders_seen_total{region=\"na\"} 1\n");
}

TEST_F(HttpServerTest, CountsRequestsByRoutePatternAndStatus) {
  server_.Route("GET", "/orders/{id}", [](const Request& req) {
    if (req.path_params.at("id") == "missing") return Response::Json(404, R"({"error":"no"})");
    return Response::Json(200, "{}");
  });
  StartServer();
  auto client = Client();
  // One keep-alive connection: the server finishes (and counts) each request before it reads the
  // next, so the scrape sees exactly the requests before it.
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/orders/1"));
  ASSERT_TRUE(client.Get("/orders/2"));
  ASSERT_TRUE(client.Get("/orders/missing"));
  ASSERT_TRUE(client.Get("/nowhere"));
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(FamilyLines(res->body, "mb_http_requests_total"),
            "# HELP mb_http_requests_total HTTP requests served, by route and status.\n"
            "# TYPE mb_http_requests_total counter\n"
            "mb_http_requests_total{method=\"GET\",route=\"/orders/{id}\",status=\"200\"} 2\n"
            "mb_http_requests_total{method=\"GET\",route=\"/orders/{id}\",status=\"404\"} 1\n"
            "mb_http_requests_total{method=\"GET\",route=\"none\",status=\"404\"} 1\n");
  auto latency = FamilyLines(res->body, "mb_http_request_duration_seconds");
  EXPECT_NE(latency.find("mb_http_request_duration_seconds_count{method=\"GET\",route=\"/orders/"
                         "{id}\"} 3\n"),
            std::string::npos)
      << latency;
  EXPECT_NE(latency.find("mb_http_request_duration_seconds_bucket{method=\"GET\",route=\"none\","
                         "le=\"+Inf\"} 1\n"),
            std::string::npos)
      << latency;
}

TEST_F(HttpServerTest, RegisteredRouteSeesParamsQueryHeadersAndBody) {
  server_.Route("POST", "/webhooks/scayle/{event}", [](const Request& req) {
    Response r = Response::Text(202, req.path_params.at("event") + "|" + req.QueryParam("shop") +
                                         "|" + req.Header("x-delivery-id") + "|" + req.body + "|" +
                                         req.Header("absent"));
    r.headers.emplace_back("X-Handled-By", "test");
    return r;
  });
  StartServer();
  httplib::Headers headers = {{"X-Delivery-Id", "d-42"}};
  auto res =
      Client().Post("/webhooks/scayle/order-package-shipped?shop=7", headers, "{\"id\":1}", "a/b");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 202);
  EXPECT_EQ(res->body, "order-package-shipped|7|d-42|{\"id\":1}|");
  EXPECT_EQ(res->get_header_value("X-Handled-By"), "test");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; charset=utf-8");

  // The pattern matches whole segments only.
  auto nested = Client().Post("/webhooks/scayle/a/b", "", "text/plain");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->status, 404);
  EXPECT_EQ(nested->body, R"({"error":"not found"})");
}

TEST_F(HttpServerTest, ThrowingHandlerGives500AndServerKeepsServing) {
  server_.Route("GET", "/bug",
                [](const Request&) -> Response { throw std::runtime_error("oops"); });
  StartServer();
  auto res = Client().Get("/bug");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->body, R"({"error":"internal error"})");
  auto health = Client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(HttpServerTest, OversizedBodyGets413) {
  bool called = false;
  server_.Route("POST", "/upload", [&](const Request&) {
    called = true;
    return Response::Json(200, "{}");
  });
  StartServer();
  auto ok = Client().Post("/upload", std::string(1024, 'x'), "text/plain");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  called = false;
  auto res = Client().Post("/upload", std::string(1025, 'x'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(res->body, R"({"error":"request body too large"})");
  EXPECT_FALSE(called);
}

TEST_F(HttpServerTest, RoutesAreFixedBeforeStartAndPatternsChecked) {
  auto ok = [](const Request&) { return Response::Json(200, "{}"); };
  EXPECT_THROW(server_.Route("GET", "/healthz", ok), std::logic_error);
  EXPECT_THROW(server_.Route("GET", "no-slash", ok), std::logic_error);
  EXPECT_THROW(server_.Route("GET", "/a/{", ok), std::logic_error);
  EXPECT_THROW(server_.Route("GET", "/a/{1x}", ok), std::logic_error);
  EXPECT_THROW(server_.Route("BREW", "/coffee", ok), std::logic_error);
  StartServer();
  EXPECT_THROW(server_.Route("GET", "/late", ok), std::logic_error);
}

TEST_F(HttpServerTest, StartFailsWhenThePortIsTaken) {
  StartServer();
  auto options = Options();
  options.port = server_.port();
  metrics::Registry other_registry;
  HttpServer second(options, other_registry);
  auto started = second.Start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kConfigError);
  EXPECT_NE(started.error().message.find(std::to_string(server_.port())), std::string::npos);
}

TEST_F(HttpServerTest, StopLetsInFlightRequestFinishAndRefusesNewConnections) {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool release = false;
  server_.Route("GET", "/slow", [&](const Request&) {
    std::unique_lock lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return Response::Json(200, R"({"done":true})");
  });
  StartServer();
  const int port = server_.port();

  int slow_status = 0;
  std::string slow_body;
  std::thread slow_client([&] {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(10s);
    if (auto res = client.Get("/slow")) {
      slow_status = res->status;
      slow_body = res->body;
    }
  });
  {
    std::unique_lock lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, 5s, [&] { return entered; }));
  }

  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_.Stop();
    stopped = true;
  });
  // Stop() closes the listening socket first: new connections are refused from then on.
  bool refused = false;
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       !refused && std::chrono::steady_clock::now() < deadline;) {
    httplib::Client probe("127.0.0.1", port);
    probe.set_connection_timeout(200ms);
    auto res = probe.Get("/healthz");
    refused = !res && res.error() == httplib::Error::Connection;
  }
  EXPECT_TRUE(refused);
  EXPECT_FALSE(stopped) << "Stop() returned while a request was in flight";

  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  slow_client.join();
  stopper.join();
  EXPECT_TRUE(stopped);
  EXPECT_EQ(slow_status, 200);
  EXPECT_EQ(slow_body, R"({"done":true})");
}

TEST_F(HttpServerTest, StopWithoutStartAndTwiceIsHarmless) {
  server_.Stop();
  StartServer();
  server_.Stop();
  server_.Stop();
  httplib::Client probe("127.0.0.1", server_.port());
  probe.set_connection_timeout(200ms);
  EXPECT_FALSE(probe.Get("/healthz"));
}

}  // namespace
}  // namespace mb::server

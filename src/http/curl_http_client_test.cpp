#include "http/curl_http_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <thread>

#include "http/test_http_server.hpp"

namespace mb::http {
namespace {

using namespace std::chrono_literals;

// A loopback port nobody listens on: bound once to learn a free number, then closed.
int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A throw-away self-signed certificate for 127.0.0.1, made in memory for the TLS tests.
class SelfSignedCertificate {
 public:
  SelfSignedCertificate() : key_(EVP_EC_gen("P-256")), cert_(X509_new()) {
    X509_set_version(cert_, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert_), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert_), 3600);
    X509_set_pubkey(cert_, key_);
    X509_NAME* name = X509_get_subject_name(cert_);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert_, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert_, cert_, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
    X509_add_ext(cert_, san, -1);
    X509_EXTENSION_free(san);
    X509_sign(cert_, key_, EVP_sha256());
  }
  ~SelfSignedCertificate() {
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }
  X509* cert() const { return cert_; }
  EVP_PKEY* key() const { return key_; }
  // Writes the certificate as a PEM file (the client's CA bundle) and returns its path.
  std::string WritePem(const std::string& file_name) const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert_);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    const std::string path = ::testing::TempDir() + file_name;
    std::ofstream(path) << std::string(data, static_cast<size_t>(size));
    BIO_free(bio);
    return path;
  }

 private:
  EVP_PKEY* key_;
  X509* cert_;
};

TEST(CurlHttpClient, GetRoundTripWithHeaders) {
  TestHttpServer server;
  std::string seen_token, seen_agent, seen_encoding;
  server.server().Get("/orders", [&](const httplib::Request& req, httplib::Response& res) {
    seen_token = req.get_header_value("x-amz-access-token");
    seen_agent = req.get_header_value("User-Agent");
    seen_encoding = req.get_header_value("Accept-Encoding");
    res.set_header("X-RateLimit-Remaining", "41");
    res.set_content(R"({"orders":[]})", "application/json");
  });
  server.Start();

  CurlHttpClient client;
  HttpRequest request(HttpMethod::kGet, server.Url("/orders?limit=5"), "amazon.searchOrders");
  request.headers.Add("x-amz-access-token", "Atza|token");
  auto response = client.Send(request);
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"orders":[]})");
  EXPECT_EQ(response->headers.Find("x-ratelimit-remaining"), "41");
  EXPECT_EQ(response->headers.Find("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(seen_token, "Atza|token");
  EXPECT_EQ(seen_agent, "marketbridge/0.1");
  EXPECT_NE(seen_encoding.find("gzip"), std::string::npos) << seen_encoding;
}

TEST(CurlHttpClient, EveryMethodSendsItsBody) {
  TestHttpServer server;
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    res.status = req.method == "POST" ? 201 : 200;
    res.set_content(req.method + " " + req.get_header_value("Content-Type") + " " + req.body,
                    "text/plain");
  };
  server.server().Post("/r", echo).Put("/r", echo).Patch("/r", echo).Delete("/r", echo);
  server.Start();

  CurlHttpClient client;
  for (auto method : {HttpMethod::kPost, HttpMethod::kPut, HttpMethod::kPatch}) {
    HttpRequest request(method, server.Url("/r"));
    request.headers.Add("Content-Type", "application/json");
    request.body = R"({"quantity":3})";
    auto response = client.Send(request);
    ASSERT_TRUE(response.has_value()) << response.error().ToString();
    EXPECT_EQ(response->status, method == HttpMethod::kPost ? 201 : 200);
    EXPECT_EQ(response->body,
              std::string(MethodName(method)) + R"( application/json {"quantity":3})");
  }
  auto deleted = client.Send(HttpRequest(HttpMethod::kDelete, server.Url("/r")));
  ASSERT_TRUE(deleted.has_value()) << deleted.error().ToString();
  EXPECT_EQ(deleted->body, "DELETE  ");
}

TEST(CurlHttpClient, ErrorStatusesAndRedirectsAreResponses) {
  TestHttpServer server;
  server.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"errors":[{"errorKey":"VARIANT_NOT_FOUND"}]})", "application/json");
  });
  server.server().Get("/moved", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/elsewhere", 302);
  });
  server.Start();

  CurlHttpClient client;
  auto missing = client.Send(HttpRequest(HttpMethod::kGet, server.Url("/missing")));
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("VARIANT_NOT_FOUND"), std::string::npos);
  auto moved = client.Send(HttpRequest(HttpMethod::kGet, server.Url("/moved")));
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->status, 302);
  EXPECT_EQ(moved->headers.Find("Location"), "/elsewhere");
  EXPECT_EQ(server.requests(), 2u);  // the redirect was not followed
}

TEST(CurlHttpClient, ReusesOneConnectionForSequentialRequests) {
  TestHttpServer server;
  server.server().Get("/ping", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("pong", "text/plain");
  });
  server.Start();

  CurlHttpClient client;
  for (int i = 0; i < 10; ++i) {
    auto response = client.Send(HttpRequest(HttpMethod::kGet, server.Url("/ping")));
    ASSERT_TRUE(response.has_value()) << response.error().ToString();
    EXPECT_EQ(response->body, "pong");
  }
  EXPECT_EQ(server.requests(), 10u);
  EXPECT_EQ(server.connections(), 1u);

  // Control: without a pooled handle every request opens its own connection.
  CurlOptions no_pool;
  no_pool.max_idle_handles = 0;
  CurlHttpClient unpooled(no_pool);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(unpooled.Send(HttpRequest(HttpMethod::kGet, server.Url("/ping"))));
  EXPECT_EQ(server.connections(), 4u);
}

TEST(CurlHttpClient, ConcurrentCallersEachGetTheirAnswer) {
  TestHttpServer server;
  server.server().Get(R"(/echo/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.matches[1].str(), "text/plain");
  });
  server.Start();

  CurlHttpClient client;
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::string id = std::to_string(t * 100 + i);
        auto response = client.Send(HttpRequest(HttpMethod::kGet, server.Url("/echo/" + id)));
        if (response && response->body == id) ++correct;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(correct.load(), 20);
  // Handles are pooled, so connections are bounded by concurrency, not by request count.
  EXPECT_LE(server.connections(), 4u);
}

TEST(CurlHttpClient, GzipResponsesAreDecoded) {
  TestHttpServer server;
  const std::string report(20000, 'x');
  server.server().Get("/report", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(report, "text/plain");
  });
  server.Start();

  CurlHttpClient client;
  auto response = client.Send(HttpRequest(HttpMethod::kGet, server.Url("/report")));
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_TRUE(response->headers.Has("Content-Encoding"));
  EXPECT_EQ(response->body, report);
}

TEST(CurlHttpClient, TimeoutIsAnErrorWithinItsBound) {
  TestHttpServer server;
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  server.server().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, 5s, [&] { return released; });
    res.set_content("late", "text/plain");
  });
  server.Start();

  CurlHttpClient client;
  HttpRequest request(HttpMethod::kGet, server.Url("/slow"), "scayle.getStocks");
  request.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  auto response = client.Send(request);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
  EXPECT_NE(response.error().message.find("scayle.getStocks"), std::string::npos);
  EXPECT_GE(elapsed, 190ms);
  EXPECT_LT(elapsed, 2s);
}

TEST(CurlHttpClient, StopAbandonsALongPollButNotOtherRequests) {
  TestHttpServer server;
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  bool released = false;
  server.server().Post("/", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu);
    ++arrived;
    cv.notify_all();
    cv.wait_for(lock, 10s, [&] { return released; });  // SQS holds a long poll up to 20 s
    res.set_content("{}", "application/x-amz-json-1.0");
  });
  server.server().Get("/ok", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server.Start();

  CurlHttpClient client;
  HttpRequest poll(HttpMethod::kPost, server.Url("/"), "sqs.ReceiveMessage");
  poll.timeout = 30s;
  poll.long_poll = true;
  Result<HttpResponse> polled;
  std::thread poller([&] { polled = client.Send(poll); });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return arrived == 1; }));
  }
  const auto start = std::chrono::steady_clock::now();
  client.Stop();
  poller.join();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  ASSERT_FALSE(polled.has_value());
  EXPECT_EQ(polled.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(polled.error().message.find("abandoned"), std::string::npos) << polled.error().message;
  EXPECT_LT(elapsed, 3s);  // curl looks at the flag about once a second while idle
  // Later long polls do not start; ordinary requests still go.
  auto refused = client.Send(poll);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  auto ok = client.Send(HttpRequest(HttpMethod::kGet, server.Url("/ok"), "test.ok"));
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->body, "ok");
  std::lock_guard lock(mu);
  EXPECT_EQ(arrived, 1);
}

TEST(CurlHttpClient, RefusedConnectionIsConnectionFailedAndHidesUrlCredentials) {
  CurlHttpClient client;
  const std::string url = "http://hook:hunter2@127.0.0.1:" + std::to_string(ClosedPort()) + "/x";
  auto response = client.Send(HttpRequest(HttpMethod::kGet, url));
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kConnectionFailed);
  EXPECT_EQ(response.error().message.find("hunter2"), std::string::npos)
      << response.error().message;
}

TEST(CurlHttpClient, RejectsHeaderInjectionAndOversizedBodies) {
  TestHttpServer server;
  server.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(1000, 'b'), "application/octet-stream");
  });
  server.Start();

  CurlOptions options;
  options.max_response_bytes = 100;
  CurlHttpClient client(options);
  HttpRequest injected(HttpMethod::kGet, server.Url("/big"));
  injected.headers.Add("X-Note", "a\r\nX-Evil: 1");
  auto rejected = client.Send(injected);
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().code, ErrorCode::kInvalidInput);

  auto big = client.Send(HttpRequest(HttpMethod::kGet, server.Url("/big")));
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, ErrorCode::kMalformedResponse);
}

TEST(CurlHttpClient, VerifiesTlsCertificates) {
  SelfSignedCertificate certificate;
  TestHttpServer server(std::make_unique<httplib::SSLServer>(certificate.cert(), certificate.key()),
                        "https");
  server.server().Get("/secure", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("secret stock", "text/plain");
  });
  server.Start();

  // Not in the system store: refused before any request is sent, and not worth retrying.
  CurlHttpClient untrusting;
  auto refused = untrusting.Send(HttpRequest(HttpMethod::kGet, server.Url("/secure")));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kConfigError) << refused.error().ToString();
  EXPECT_EQ(server.requests(), 0u);

  CurlOptions options;
  options.ca_file = certificate.WritePem("mb_http_test_ca_" + std::to_string(::getpid()) + ".pem");
  CurlHttpClient trusting(options);
  auto response = trusting.Send(HttpRequest(HttpMethod::kGet, server.Url("/secure")));
  ::unlink(options.ca_file.c_str());
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->body, "secret stock");
}

}  // namespace
}  // namespace mb::http

#include "http/retrying_http_client.hpp"

#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <future>
#include <set>
#include <sstream>

#include "core/timestamp.hpp"
#include "http/curl_http_client.hpp"
#include "http/fake_http_client.hpp"
#include "http/test_http_server.hpp"

namespace mb::http {
namespace {

using namespace std::chrono_literals;

// A retrying client over a scripted fake whose waits are recorded and move the fake clock, so
// back-off of minutes takes no real time.
class RetryTest : public ::testing::Test {
 protected:
  void Build(RetryOptions options = {}) {
    if (!options.seed) options.seed = 42;
    options.observer = [this](const AttemptReport& r) { reports_.push_back(r); };
    client_ = std::make_unique<RetryingHttpClient>(fake_, clock_, std::move(options));
    client_->SetSleeperForTesting([this](Duration d) {
      waits_.push_back(d);
      clock_.Advance(d);
      return true;
    });
  }

  static HttpRequest Get() {
    return HttpRequest(HttpMethod::kGet, "https://api.example.com/v1/stocks", "scayle.getStocks");
  }

  FakeClock clock_{MakeTime(2026, 11, 28, 9, 0, 0)};
  FakeHttpClient fake_;
  std::unique_ptr<RetryingHttpClient> client_;
  std::vector<Duration> waits_;
  std::vector<AttemptReport> reports_;
};

TEST_F(RetryTest, RetriesA503ThenSucceedsAgainstARealServer) {
  TestHttpServer server;
  int calls = 0;
  server.server().Get("/stocks", [&](const httplib::Request&, httplib::Response& res) {
    res.status = ++calls == 1 ? 503 : 200;
    res.set_content(res.status == 200 ? "ok" : "busy", "text/plain");
  });
  server.Start();

  CurlHttpClient curl;
  RetryOptions options;
  options.seed = 7;
  options.observer = [this](const AttemptReport& r) { reports_.push_back(r); };
  // The real wait, on a fake clock: RealDuration is zero, so nothing sleeps.
  RetryingHttpClient client(curl, clock_, options);
  auto response = client.Send(HttpRequest(HttpMethod::kGet, server.Url("/stocks"), "scayle.x"));
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");
  EXPECT_EQ(server.requests(), 2u);
  ASSERT_EQ(reports_.size(), 2u);
  EXPECT_EQ(reports_[0].operation, "scayle.x");
  EXPECT_EQ(reports_[0].status, 503);
  EXPECT_TRUE(reports_[0].retrying);
  EXPECT_LE(reports_[0].wait, RetryPolicy{}.base_delay);
  EXPECT_EQ(reports_[1].status, 200);
  EXPECT_FALSE(reports_[1].retrying);
}

TEST_F(RetryTest, RetryAfterSecondsIsHonoured) {
  Build();
  fake_.PushResponse(429, "", {{"Retry-After", "7"}});
  fake_.PushResponse(200, "ok");
  auto response = client_->Send(Get());
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(waits_, std::vector<Duration>{7s});
  EXPECT_EQ(reports_[0].wait, 7s);
}

// The SP-API client paces 429s through its rate governor; retrying them here would go around it.
TEST_F(RetryTest, ThrottledResponsesComeBackWhenTheCallerPacesThem) {
  RetryOptions options;
  options.policy.retry_throttled = false;
  Build(std::move(options));
  fake_.PushResponse(429, "", {{"Retry-After", "7"}});
  fake_.PushResponse(503, "");
  fake_.PushResponse(200, "ok");
  auto throttled = client_->Send(Get());
  ASSERT_TRUE(throttled.has_value());
  EXPECT_EQ(throttled->status, 429);
  EXPECT_TRUE(waits_.empty());
  auto recovered = client_->Send(Get());
  ASSERT_TRUE(recovered.has_value());
  EXPECT_EQ(recovered->status, 200) << "other retryable statuses are still retried";
}

TEST_F(RetryTest, RetryAfterHttpDateIsHonoured) {
  Build();
  // The clock reads 2026-11-28 09:00:00 UTC, a Saturday.
  fake_.PushResponse(503, "", {{"retry-after", "Sat, 28 Nov 2026 09:00:30 GMT"}});
  fake_.PushResponse(200);
  ASSERT_TRUE(client_->Send(Get()).has_value());
  EXPECT_EQ(waits_, std::vector<Duration>{30s});
}

TEST_F(RetryTest, ServerWaitsAreCapped) {
  RetryOptions options;
  options.policy.max_server_wait = 45s;
  options.policy.max_total = 10min;
  Build(options);
  fake_.PushResponse(429, "", {{"Retry-After", "3600"}});
  fake_.PushResponse(200);
  ASSERT_TRUE(client_->Send(Get()).has_value());
  EXPECT_EQ(waits_, std::vector<Duration>{45s});
}

TEST_F(RetryTest, RateLimitResetIsHonouredWhenThrottled) {
  Build();
  fake_.PushResponse(429, "", {{"X-RateLimit-Limit", "300"}, {"X-RateLimit-Reset", "12"}});
  fake_.PushResponse(200);
  ASSERT_TRUE(client_->Send(Get()).has_value());
  EXPECT_EQ(waits_, std::vector<Duration>{12s});
}

TEST_F(RetryTest, RateLimitResetOnA503IsNotAThrottleHint) {
  Build();
  // SCAYLE sends the header on every response; a 503 gets ordinary back-off.
  fake_.PushResponse(503, "", {{"X-RateLimit-Reset", "50"}});
  fake_.PushResponse(200);
  ASSERT_TRUE(client_->Send(Get()).has_value());
  ASSERT_EQ(waits_.size(), 1u);
  EXPECT_LE(waits_[0], RetryPolicy{}.base_delay);
}

TEST_F(RetryTest, ThrottleHookCoversAnUnconfirmedStatus) {
  RetryOptions options;
  options.is_throttled = [](const HttpResponse& r) {
    return r.body.find("RATE_LIMIT_EXCEED") != std::string::npos;
  };
  Build(options);
  fake_.PushResponse(400, R"({"errors":[{"errorKey":"RATE_LIMIT_EXCEED"}]})",
                     {{"X-RateLimit-Reset", "5"}});
  fake_.PushResponse(200);
  ASSERT_TRUE(client_->Send(Get()).has_value());
  EXPECT_EQ(waits_, std::vector<Duration>{5s});
}

TEST_F(RetryTest, NeverRetriesOtherClientErrors) {
  Build();
  for (int status : {400, 401, 403, 404, 409, 422}) {
    fake_.PushResponse(status);
    fake_.PushResponse(200);
    auto response = client_->Send(Get());
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, status);
    ASSERT_TRUE(client_->Send(Get()).has_value());  // drains the 200
  }
  EXPECT_EQ(fake_.request_count(), 12u);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(RetryTest, RetriesEveryRetryableStatusAndTransportFailure) {
  RetryOptions options;
  options.policy.max_attempts = 10;
  Build(options);
  for (int status : {408, 429, 500, 502, 503, 504}) fake_.PushResponse(status);
  fake_.PushError(ErrorCode::kTimeout);
  fake_.PushError(ErrorCode::kConnectionFailed);
  fake_.PushResponse(200, "done");
  auto response = client_->Send(Get());
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "done");
  EXPECT_EQ(fake_.request_count(), 9u);
  EXPECT_EQ(reports_[6].error, ErrorCode::kTimeout);
  EXPECT_EQ(reports_[6].status, 0);
}

TEST_F(RetryTest, PermanentTransportFailuresAreNotRetried) {
  Build();
  fake_.PushError(ErrorCode::kConfigError, "certificate does not verify");
  auto response = client_->Send(Get());
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kConfigError);
  EXPECT_EQ(fake_.request_count(), 1u);
}

TEST_F(RetryTest, PostAndPatchAreRetriedOnlyWhenMarkedSafe) {
  Build();
  for (auto method : {HttpMethod::kPost, HttpMethod::kPatch}) {
    HttpRequest unsafe(method, "https://api.example.com/reservations", "scayle.createReservation");
    fake_.PushResponse(503);
    auto first = client_->Send(unsafe);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->status, 503);
    fake_.PushError(ErrorCode::kTimeout);
    EXPECT_FALSE(client_->Send(unsafe).has_value());
  }
  EXPECT_EQ(fake_.request_count(), 4u);

  HttpRequest keyed(HttpMethod::kPost, "https://api.example.com/reservations");
  keyed.retry_safe = true;  // carries an idempotency key
  fake_.PushError(ErrorCode::kTimeout);
  fake_.PushResponse(201);
  auto created = client_->Send(keyed);
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->status, 201);
  EXPECT_EQ(fake_.request_count(), 6u);

  // And a GET the caller forbids to repeat is sent once.
  HttpRequest once = Get();
  once.retry_safe = false;
  fake_.PushResponse(503);
  EXPECT_EQ(client_->Send(once)->status, 503);
  EXPECT_EQ(fake_.request_count(), 7u);
}

TEST_F(RetryTest, MaxAttemptsIsRespectedAndTheLastResponseReturned) {
  RetryOptions options;
  options.policy.max_attempts = 3;
  Build(options);
  fake_.SetHandler([](const HttpRequest&) { return HttpResponse{503, {}, "still down"}; });
  auto response = client_->Send(Get());
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(fake_.request_count(), 3u);
  EXPECT_EQ(waits_.size(), 2u);
  ASSERT_EQ(reports_.size(), 3u);
  EXPECT_TRUE(reports_[1].retrying);
  EXPECT_FALSE(reports_[2].retrying);
  EXPECT_EQ(reports_[2].attempt, 3);
  EXPECT_EQ(reports_[2].wait, 0ms);
}

TEST_F(RetryTest, MaxTotalTimeStopsRetrying) {
  RetryOptions options;
  options.policy.max_attempts = 100;
  options.policy.max_total = 25s;
  Build(options);
  fake_.SetHandler([](const HttpRequest&) {
    return HttpResponse{503, {{"Retry-After", "10"}}, ""};
  });
  auto response = client_->Send(Get());
  ASSERT_TRUE(response.has_value());
  // Waits at 0 s and 10 s fit; a third would end at 30 s > 25 s.
  EXPECT_EQ(fake_.request_count(), 3u);
  EXPECT_EQ(waits_, (std::vector<Duration>{10s, 10s}));
}

TEST_F(RetryTest, JitterIsBoundedByTheExponentialCeilingAndVaries) {
  RetryOptions options;
  options.policy.max_attempts = 7;
  options.policy.base_delay = 100ms;
  options.policy.max_delay = 1s;
  options.policy.max_total = 1h;
  std::set<int64_t> first_waits;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    options.seed = seed;
    Build(options);
    waits_.clear();
    fake_.SetHandler([](const HttpRequest&) { return HttpResponse{500, {}, ""}; });
    ASSERT_TRUE(client_->Send(Get()).has_value());
    ASSERT_EQ(waits_.size(), 6u);
    for (size_t n = 0; n < waits_.size(); ++n) {
      const Duration ceiling = std::min<Duration>(1s, 100ms * (1 << n));
      EXPECT_GE(waits_[n], 0ms);
      EXPECT_LE(waits_[n], ceiling) << "retry " << n + 1 << " seed " << seed;
    }
    first_waits.insert(waits_[0].count());
  }
  EXPECT_GT(first_waits.size(), 20u);  // spread, not one fixed value

  // The same seed gives the same waits.
  options.seed = 9;
  Build(options);
  waits_.clear();
  ASSERT_TRUE(client_->Send(Get()).has_value());
  const auto first_run = waits_;
  Build(options);
  waits_.clear();
  ASSERT_TRUE(client_->Send(Get()).has_value());
  EXPECT_EQ(waits_, first_run);
}

TEST(RetryingHttpClient, StopCutsAWaitShort) {
  SystemClock clock;
  FakeHttpClient fake;
  fake.SetHandler([](const HttpRequest&) {
    return HttpResponse{503, {{"Retry-After", "30"}}, ""};
  });
  std::promise<void> waiting;
  RetryOptions options;
  options.observer = [&](const AttemptReport& r) {
    if (r.retrying) waiting.set_value();
  };
  RetryingHttpClient client(fake, clock, options);

  const auto start = std::chrono::steady_clock::now();
  auto sent = std::async(std::launch::async, [&] {
    return client.Send(HttpRequest(HttpMethod::kGet, "http://x/", "op"));
  });
  ASSERT_EQ(waiting.get_future().wait_for(5s), std::future_status::ready);
  client.Stop();
  ASSERT_EQ(sent.wait_for(5s), std::future_status::ready);
  const auto response = sent.get();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // not the 30 s asked for
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(fake.request_count(), 1u);

  // Once stopped, nothing waits or retries.
  EXPECT_EQ(client.Send(HttpRequest(HttpMethod::kGet, "http://x/"))->status, 503);
  EXPECT_EQ(fake.request_count(), 2u);
}

// Installs a capturing "http" logger at debug level for the test's lifetime.
class CapturedHttpLog {
 public:
  CapturedHttpLog() : previous_(spdlog::get("http")) {
    spdlog::drop("http");
    auto logger = std::make_shared<spdlog::logger>(
        "http", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger->set_level(spdlog::level::debug);
    spdlog::register_logger(logger);
  }
  ~CapturedHttpLog() {
    spdlog::drop("http");
    if (previous_) spdlog::register_logger(previous_);
  }
  std::string text() const { return out_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream out_;
};

TEST(HttpLogging, RetriesAndTransportFailuresAreLoggedWithoutSecrets) {
  CapturedHttpLog log;
  FakeClock clock(MakeTime(2026, 1, 1));
  CurlHttpClient curl;
  RetryOptions options;
  options.policy.max_attempts = 2;
  RetryingHttpClient client(curl, clock, options);
  // Port 1 on loopback: nothing listens there, the connection is refused.
  HttpRequest request(HttpMethod::kGet,
                      "http://hook:hunter2@127.0.0.1:1/docs?X-Amz-Signature=S3CR3T",
                      "amazon.getReportDocument");
  request.headers.Add("x-amz-access-token", "Atza|IwEB");
  auto response = client.Send(request);
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kConnectionFailed);

  const std::string text = log.text();
  EXPECT_NE(text.find("amazon.getReportDocument"), std::string::npos) << text;
  EXPECT_NE(text.find("retrying in"), std::string::npos) << text;
  EXPECT_NE(text.find("connection_failed after 2 attempts"), std::string::npos) << text;
  for (const char* secret : {"hunter2", "S3CR3T", "Atza"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked: " << text;
  }
}

TEST(HttpDate, ParsesAllThreeFormsAndRejectsGarbage) {
  const TimePoint expected = MakeTime(1994, 11, 6, 8, 49, 37);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), expected);
  EXPECT_FALSE(ParseHttpDate("Sun, 31 Feb 1994 08:49:37 GMT"));
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 25:49:37 GMT"));
  EXPECT_FALSE(ParseHttpDate("tomorrow"));
  EXPECT_FALSE(ParseHttpDate(""));
}

TEST(RetryAfter, SecondsDatesAndNonsense) {
  const TimePoint now = MakeTime(2026, 1, 1, 12, 0, 0);
  EXPECT_EQ(ParseRetryAfter("120", now), 120s);
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), 0s);
  EXPECT_EQ(ParseRetryAfter("1.5", now), 1500ms);
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 12:01:00 GMT", now), 60s);
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 11:00:00 GMT", now), 0s);  // past: now
  EXPECT_FALSE(ParseRetryAfter("-5", now));
  EXPECT_FALSE(ParseRetryAfter("soon", now));
  EXPECT_TRUE(IsRetryableStatus(503));
  EXPECT_FALSE(IsRetryableStatus(501));
}

}  // namespace
}  // namespace mb::http

#include "http/fake_http_client.hpp"

#include <gtest/gtest.h>

namespace mb::http {
namespace {

TEST(FakeHttpClient, AnswersInOrderThenByHandlerAndRecordsRequests) {
  FakeHttpClient fake;
  fake.PushResponse(503);
  fake.PushError(ErrorCode::kTimeout);
  fake.SetHandler([](const HttpRequest& r) {
    return HttpResponse{200, {{"X-Echo", r.url}}, r.body};
  });

  HttpRequest request(HttpMethod::kPost, "https://a/b");
  request.headers.Add("K", "V");
  request.body = "payload";
  auto first = fake.Send(request);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 503);
  auto second = fake.Send(request);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kTimeout);
  auto third = fake.Send(request);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->status, 200);
  EXPECT_EQ(third->body, "payload");
  EXPECT_EQ(third->headers.Find("x-echo"), "https://a/b");

  ASSERT_EQ(fake.request_count(), 3u);
  EXPECT_EQ(fake.requests()[0].headers.Find("k"), "V");
  EXPECT_EQ(fake.pending(), 0u);
}

TEST(FakeHttpClient, UnscriptedRequestIsAnError) {
  FakeHttpClient fake;
  auto outcome = fake.Send(HttpRequest(HttpMethod::kGet, "https://x/y"));
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, ErrorCode::kInternal);
  EXPECT_NE(outcome.error().message.find("GET https://x/y"), std::string::npos);
}

TEST(HttpHeaders, CaseInsensitiveLookupAndSet) {
  HttpHeaders h{{"Content-Type", "a"}, {"set-cookie", "1"}, {"Set-Cookie", "2"}};
  EXPECT_EQ(h.Find("CONTENT-TYPE"), "a");
  EXPECT_FALSE(h.Find("Content-Length").has_value());
  h.Set("SET-COOKIE", "3");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.Find("set-cookie"), "3");
}

TEST(HttpRequest, RetrySafetyFollowsTheMethodUnlessTheCallerSays) {
  HttpRequest r;
  for (auto m : {HttpMethod::kGet, HttpMethod::kHead, HttpMethod::kPut, HttpMethod::kDelete}) {
    r.method = m;
    EXPECT_TRUE(r.SafeToRetry()) << MethodName(m);
  }
  for (auto m : {HttpMethod::kPost, HttpMethod::kPatch}) {
    r.method = m;
    EXPECT_FALSE(r.SafeToRetry()) << MethodName(m);
  }
  r.retry_safe = true;
  EXPECT_TRUE(r.SafeToRetry());
  r.method = HttpMethod::kGet;
  r.retry_safe = false;
  EXPECT_FALSE(r.SafeToRetry());
}

}  // namespace
}  // namespace mb::http

#include "http/redact.hpp"

#include <gtest/gtest.h>

namespace mb::http {
namespace {

void ExpectNoSecret(const std::string& text) {
  for (const char* secret : {"S3CR3T", "Atza|IwEB", "hunter2", "sk_live", "AKIAEXAMPLE"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked in: " << text;
  }
}

TEST(Redact, SecretHeadersAreMaskedWhateverTheirCase) {
  HttpHeaders headers{{"x-amz-access-token", "Atza|IwEB123"},
                      {"X-Access-Token", "sk_live_abc"},
                      {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/..."},
                      {"proxy-authorization", "Basic hunter2"},
                      {"Cookie", "session=S3CR3T"},
                      {"Set-Cookie", "id=S3CR3T; HttpOnly"},
                      {"X-Amz-Security-Token", "S3CR3T"},
                      {"Content-Type", "application/json"}};
  const std::string line = RedactHeaders(headers);
  ExpectNoSecret(line);
  EXPECT_EQ(line,
            "x-amz-access-token: ***, X-Access-Token: ***, Authorization: ***, "
            "proxy-authorization: ***, Cookie: ***, Set-Cookie: ***, X-Amz-Security-Token: ***, "
            "Content-Type: application/json");
}

TEST(Redact, CredentialsInUrls) {
  EXPECT_EQ(RedactUrl("https://user:hunter2@example.com/webhooks?x=1"),
            "https://***@example.com/webhooks?x=1");
  EXPECT_EQ(RedactUrl("http://token@host:8080"), "http://***@host:8080");
  EXPECT_EQ(RedactUrl("https://sellingpartnerapi-eu.amazon.com/orders/2026-01-01/orders"),
            "https://sellingpartnerapi-eu.amazon.com/orders/2026-01-01/orders");
  // An @ in the path is not a credential.
  EXPECT_EQ(RedactUrl("https://host/users/a@b.com"), "https://host/users/a@b.com");
}

TEST(Redact, SecretQueryParametersOfPresignedUrls) {
  const std::string url =
      "https://bucket.s3.amazonaws.com/doc?X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAEXAMPLE%2F20260101&X-Amz-Signature=S3CR3T"
      "&X-Amz-Security-Token=S3CR3T&nextToken=page2#frag";
  const std::string redacted = RedactUrl(url);
  ExpectNoSecret(redacted);
  EXPECT_EQ(redacted,
            "https://bucket.s3.amazonaws.com/doc?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***"
            "&nextToken=page2#frag");
}

TEST(Redact, FormBodyFields) {
  const std::string body =
      "grant_type=refresh_token&refresh_token=Atza|IwEB999&client_id=amzn1.app"
      "&client_secret=S3CR3T&password=hunter2&secret=sk_live&access_token=Atza|IwEBx";
  const std::string redacted = RedactBody(body, "application/x-www-form-urlencoded");
  ExpectNoSecret(redacted);
  EXPECT_EQ(redacted,
            "grant_type=refresh_token&refresh_token=***&client_id=amzn1.app"
            "&client_secret=***&password=***&secret=***&access_token=***");
}

TEST(Redact, JsonBodyFieldsAtAnyDepthAndInAnySpelling) {
  const std::string body = R"({"access_token":"Atza|IwEB1","token_type":"bearer",
    "nested": {"refresh_token" : "Atza|IwEB2", "list": [{"password": "hunter2"}]},
    "clientSecret":"S3CR3T", "secret": 12345, "credentials": {"user": "u", "pass": "hunter2"},
    "escaped": "a\"b", "Password":"hunter2\"quoted", "note": "password"})";
  const std::string redacted = RedactBody(body);
  ExpectNoSecret(redacted);
  EXPECT_NE(redacted.find(R"("access_token":"***")"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find(R"("refresh_token" : "***")"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find(R"("secret": "***")"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find(R"("credentials": "***")"), std::string::npos) << redacted;
  // Fields that are not secrets, and a value that merely says "password", stay readable.
  EXPECT_NE(redacted.find(R"("token_type":"bearer")"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find(R"("note": "password")"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find(R"("escaped": "a\"b")"), std::string::npos) << redacted;
}

TEST(Redact, TruncatedJsonIsStillRedacted) {
  ExpectNoSecret(RedactBody(R"({"a":1,"refresh_token":"Atza|IwEB)"));
  ExpectNoSecret(RedactBody(R"({"refresh_token":)"));
}

TEST(Redact, UrlCredentialsInsideBodies) {
  const std::string body = R"({"url":"https://mb:hunter2@engine.example.com/webhooks/scayle"})";
  EXPECT_EQ(RedactBody(body), R"({"url":"https://***@engine.example.com/webhooks/scayle"})");
}

TEST(Redact, LongAndBinaryBodiesAreShortened) {
  EXPECT_EQ(RedactBody(std::string(5000, 'a'), "", 10), "aaaaaaaaaa...(5000 bytes)");
  EXPECT_EQ(RedactBody(std::string("\x1f\x8b\x08\x00", 4)), "<4 bytes binary>");
}

TEST(Redact, WholeRequestAndResponse) {
  HttpRequest request;
  request.method = HttpMethod::kPost;
  request.url = "https://api.amazon.com/auth/o2/token";
  request.operation = "lwa.token";
  request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
  request.body = "grant_type=refresh_token&refresh_token=Atza|IwEB1&client_secret=S3CR3T";
  EXPECT_EQ(RedactForLog(request),
            "POST https://api.amazon.com/auth/o2/token [lwa.token] headers: Content-Type: "
            "application/x-www-form-urlencoded body: grant_type=refresh_token&refresh_token=***"
            "&client_secret=***");

  HttpResponse response{200,
                        {{"Content-Type", "application/json"}, {"Set-Cookie", "a=S3CR3T"}},
                        R"({"access_token":"Atza|IwEB2","expires_in":3600})"};
  const std::string line = RedactForLog(response);
  ExpectNoSecret(line);
  EXPECT_EQ(line, R"(200 headers: Content-Type: application/json, Set-Cookie: *** body: )"
                  R"({"access_token":"***","expires_in":3600})");
}

}  // namespace
}  // namespace mb::http

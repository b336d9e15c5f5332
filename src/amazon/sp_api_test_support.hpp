#pragma once
// Test-only: an SpApiClient over a FakeHttpClient whose LWA endpoint always grants a token, so
// typed-operation tests script only the SP-API answers they are about.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_client.hpp"
#include "core/timestamp.hpp"
#include "http/fake_http_client.hpp"

namespace mb::amazon::testing {

inline constexpr char kLwaUrl[] = "https://lwa.test/auth/o2/token";
inline constexpr char kEndpoint[] = "https://sp.test";

// Answers LWA with numbered tokens and passes everything else to the scripted queue/handler.
class SpApiFixture {
 public:
  explicit SpApiFixture(const Clock& clock, SpApiSettings settings = Defaults())
      : tokens_(lwa_http_, clock, {kLwaUrl, "client", "secret", "Atzr|refresh"}),
        governor_(clock),
        client_(http_, tokens_, governor_, clock, std::move(settings)) {
    lwa_http_.SetHandler([this](const HttpRequest&) -> Result<HttpResponse> {
      ++tokens_issued_;
      return HttpResponse{
          200,
          {},
          R"({"access_token":"Atza|)" + std::to_string(tokens_issued_) + R"(","expires_in":3600})"};
    });
  }

  static SpApiSettings Defaults() {
    SpApiSettings settings;
    settings.endpoint = kEndpoint;
    settings.region = "eu";
    settings.seller_id = "A2SELLER";
    return settings;
  }

  http::FakeHttpClient& http() { return http_; }
  http::FakeHttpClient& lwa_http() { return lwa_http_; }
  RateGovernor& governor() { return governor_; }
  SpApiClient& client() { return client_; }
  HttpRequest last() const { return http_.requests().back(); }

 private:
  http::FakeHttpClient http_;
  http::FakeHttpClient lwa_http_;
  int tokens_issued_ = 0;
  LwaTokenProvider tokens_;
  RateGovernor governor_;
  SpApiClient client_;
};

// Base of the typed-operation tests: the API over a fixture on a fake clock.
class AmazonApiTest : public ::testing::Test {
 protected:
  FakeClock clock_{MakeTime(2026, 11, 28, 9, 0, 0)};
  SpApiFixture fixture_{clock_};
  SpApiAmazonApi api_{fixture_.client(), fixture_.governor(), "eu"};
};

}  // namespace mb::amazon::testing

#pragma once
// One SP-API call done right: the regional host, the LWA token in `x-amz-access-token`, a token
// from the rate governor before anything leaves, the governor told about the answer, and Amazon's
// error body turned into an mb::Error an operator can act on (with the x-amzn-RequestId Amazon
// support asks for). The typed operations (listings_api.cpp, feeds_api.cpp ...) build on this.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "amazon/lwa_token_provider.hpp"
#include "amazon/rate_governor.hpp"
#include "amazon/url_encoding.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "ports/amazon_api.hpp"
#include "ports/http_client.hpp"

namespace mb::amazon {

// `https://sellingpartnerapi-eu.amazon.com` for "eu" (also "na", "fe"); empty when unknown.
std::string ProductionEndpoint(std::string_view region);

struct SpApiSettings {
  std::string endpoint;  // base URL without a trailing slash; empty: ProductionEndpoint(region)
  std::string region = "eu";
  std::string seller_id;
  // A 429 is retried this many times, each after waiting for the governor's next token (a
  // throttled request was not processed, so even a POST is safe to repeat).
  int max_throttle_retries = 2;
  // Longest a call waits for quota before failing with kThrottled; per priority, urgent first.
  Duration max_quota_wait_urgent{std::chrono::seconds(30)};
  Duration max_quota_wait_normal{std::chrono::minutes(5)};
  Duration max_quota_wait_bulk{std::chrono::minutes(30)};
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

struct SpApiRequest {
  HttpMethod method = HttpMethod::kGet;
  // Already encoded; build it with PathSegment() for ids and SKUs.
  std::string path;
  QueryParams query;
  std::optional<std::string> body;  // JSON text
  // The model's operationId: the governor's bucket and the `amazon.<operation>` label.
  std::string operation;
  CallPriority priority = CallPriority::kNormal;
  // Further buckets the call spends from (the per-feed-type limit of createFeed).
  std::vector<std::string> extra_quotas;
  // Grantless operations (Notifications destinations) use a client_credentials token.
  std::optional<std::string> grantless_scope;
};

struct SpApiResponse {
  int status = 0;
  std::string body;
  HttpHeaders headers;
  std::string request_id;
};

// One path segment, percent-encoded (SKUs may hold `/`, spaces, `#`).
inline std::string PathSegment(std::string_view text) { return UrlEncode(text); }

class SpApiClient {
 public:
  // Everything passed by reference must outlive the client.
  SpApiClient(HttpClient& http, LwaTokenProvider& tokens, RateGovernor& governor,
              const Clock& clock, SpApiSettings settings);

  // A 2xx response, or the mapped error: 429 kThrottled, 401/403 kUnauthorized (after one
  // retry with a fresh token), 404 kNotFound, 400 kInvalidInput, other 4xx kRejected,
  // 5xx kUnavailable; transport failures keep their code.
  Result<SpApiResponse> Call(const SpApiRequest& request);
  // Call() and parse the body (an empty body gives a null value).
  Result<nlohmann::json> CallJson(const SpApiRequest& request);

  const std::string& seller_id() const { return settings_.seller_id; }
  const std::string& endpoint() const { return endpoint_; }
  const Clock& clock() const { return clock_; }
  HttpClient& http() { return http_; }

 private:
  Status AcquireQuota(const SpApiRequest& request, const std::vector<QuotaKey>& keys);
  Duration MaxQuotaWait(CallPriority priority) const;

  HttpClient& http_;
  LwaTokenProvider& tokens_;
  RateGovernor& governor_;
  const Clock& clock_;
  SpApiSettings settings_;
  std::string endpoint_;
  std::string user_agent_;
};

// Amazon's `{"errors":[{code,message,details}]}` (or anything else) as an mb::Error; exposed for
// the typed operations that meet errors inside 2xx bodies.
Error SpApiError(const SpApiRequest& request, int status, std::string_view body,
                 std::string_view request_id);

}  // namespace mb::amazon

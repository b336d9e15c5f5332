#pragma once
// One SCAYLE Admin API call done right: base URL from scayle.endpoint, `X-Access-Token`, JSON in
// and out, identifiers by id or `key=<referenceKey>`, cursor pagination, and SCAYLE's error body
// turned into an mb::Error that names the errorKey. Retries (408, 5xx, rate limits honouring
// X-RateLimit-Reset) belong to the RetryingHttpClient the app passes in, with
// IsScayleRateLimited() as its `is_throttled`.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "ports/http_client.hpp"

namespace mb::scayle {

struct ScayleSettings {
  std::string endpoint;  // e.g. https://acme-live.admin.api.scayle.cloud/api/admin/v1
  std::string access_token;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  int page_size = 100;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes one URL component (RFC 3986 unreserved characters stay).
std::string EncodeComponent(std::string_view text);
// A `{...Identifier}` path segment: the numeric SCAYLE id as is, or `key=<referenceKey>`
// URL-encoded (`key%3DSKU-123-M`).
std::string IdentifierById(int64_t id);
std::string IdentifierByKey(std::string_view reference_key);

struct ScayleRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string path;  // below the base URL, already encoded, e.g. "/variants/key%3DSKU/stocks"
  QueryParams query;
  std::optional<std::string> body;  // JSON text
  // Operation label for metrics and logs: `scayle.<operation>`.
  std::string operation;
  // For error messages: what the call was about (a SKU, an order), e.g. "SKU-123-M".
  std::string subject;
};

// SCAYLE answers a rate limit with errorKey RATE_LIMIT_EXCEED; its status is not documented, so a
// 429 or that key both count.
bool IsScayleRateLimited(const HttpResponse& response);

class ScayleClient {
 public:
  // `http` must outlive the client.
  ScayleClient(HttpClient& http, ScayleSettings settings);

  // The parsed body of a 2xx answer (null for an empty one), or the mapped error: rate limit
  // kThrottled (with X-RateLimit-Reset in the message), 408 kTimeout, 5xx kUnavailable,
  // 401/403 kUnauthorized, 404 kNotFound, 409 kConflict, 400 kInvalidInput, other 4xx kRejected.
  Result<nlohmann::json> Call(const ScayleRequest& request);

  // GETs every page of a collection (`{entities, cursor:{next}}`), passing each page's entities
  // to `page`; stops at the first error, from SCAYLE or from `page`.
  Status ForEachPage(ScayleRequest request,
                     const std::function<Status(const nlohmann::json& entities)>& page);

  const ScayleSettings& settings() const { return settings_; }

 private:
  HttpClient& http_;
  ScayleSettings settings_;
};

// `{"errors":[{errorKey,message,context}]}` as an mb::Error, e.g. `scayle: POST /reservations
// returned 409 for SKU-123-M: RESERVATION_KEY_USED reservation key already used`.
Error ScayleError(const ScayleRequest& request, const HttpResponse& response);

}  // namespace mb::scayle

#include "amazon/sp_api_client.hpp"

#include <nlohmann/json.hpp>

#include "log/log.hpp"

#ifndef MB_VERSION
#define MB_VERSION "0.0.0"
#endif

namespace mb::amazon {

namespace {

ErrorCode CodeForStatus(int status) {
  if (status == 429) return ErrorCode::kThrottled;
  if (status == 401 || status == 403) return ErrorCode::kUnauthorized;
  if (status == 404) return ErrorCode::kNotFound;
  if (status == 400) return ErrorCode::kInvalidInput;
  if (status >= 500) return ErrorCode::kUnavailable;
  return ErrorCode::kRejected;
}

}  // namespace

std::string ProductionEndpoint(std::string_view region) {
  if (region == "na") return "https://sellingpartnerapi-na.amazon.com";
  if (region == "eu") return "https://sellingpartnerapi-eu.amazon.com";
  if (region == "fe") return "https://sellingpartnerapi-fe.amazon.com";
  return {};
}

Error SpApiError(const SpApiRequest& request, int status, std::string_view body,
                 std::string_view request_id) {
  std::string message = "amazon: " + std::string(MethodName(request.method)) + " " + request.path +
                        " (" + request.operation + ") returned " + std::to_string(status);
  auto json = nlohmann::json::parse(body, nullptr, false);
  bool described = false;
  if (json.is_object() && json.contains("errors") && json["errors"].is_array()) {
    for (const auto& error : json["errors"]) {
      if (!error.is_object()) continue;
      message += described ? "; " : ": ";
      message += error.value("code", "");
      if (auto text = error.value("message", ""); !text.empty()) message += " " + text;
      if (auto it = error.find("details");
          it != error.end() && it->is_string() && !it->get<std::string>().empty()) {
        message += " (" + it->get<std::string>() + ")";
      }
      described = true;
    }
  }
  if (!described && !body.empty()) {
    message += ": " + std::string(body.substr(0, 300));
  }
  if (!request_id.empty()) message += " [x-amzn-RequestId " + std::string(request_id) + "]";
  return Error{CodeForStatus(status), std::move(message)};
}

SpApiClient::SpApiClient(HttpClient& http, LwaTokenProvider& tokens, RateGovernor& governor,
                         const Clock& clock, SpApiSettings settings)
    : http_(http),
      tokens_(tokens),
      governor_(governor),
      clock_(clock),
      settings_(std::move(settings)),
      user_agent_(std::string("Marketbridge/") + MB_VERSION + " (Language=C++)") {
  endpoint_ =
      settings_.endpoint.empty() ? ProductionEndpoint(settings_.region) : settings_.endpoint;
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
}

Duration SpApiClient::MaxQuotaWait(CallPriority priority) const {
  switch (priority) {
    case CallPriority::kUrgent:
      return settings_.max_quota_wait_urgent;
    case CallPriority::kNormal:
      return settings_.max_quota_wait_normal;
    case CallPriority::kBulk:
      return settings_.max_quota_wait_bulk;
  }
  return settings_.max_quota_wait_normal;
}

Status SpApiClient::AcquireQuota(const SpApiRequest& request, const std::vector<QuotaKey>& keys) {
  for (const auto& key : keys) {
    if (auto acquired = governor_.Acquire(key, request.priority, MaxQuotaWait(request.priority));
        !acquired) {
      return acquired;
    }
  }
  return {};
}

Result<SpApiResponse> SpApiClient::Call(const SpApiRequest& request) {
  if (endpoint_.empty()) {
    return Fail(ErrorCode::kConfigError,
                "amazon: no SP-API endpoint: set amazon.endpoint or a known amazon.region");
  }
  std::vector<QuotaKey> keys{{settings_.seller_id, settings_.region, request.operation}};
  for (const auto& extra : request.extra_quotas) {
    keys.push_back({settings_.seller_id, settings_.region, extra});
  }

  HttpRequest http_request(request.method, endpoint_ + request.path, "amazon." + request.operation);
  if (!request.query.empty()) http_request.url += "?" + EncodeQuery(request.query);
  http_request.headers.Set("Accept", "application/json");
  http_request.headers.Set("User-Agent", user_agent_);
  if (request.body) {
    http_request.headers.Set("Content-Type", "application/json");
    http_request.body = *request.body;
  }
  http_request.timeout = settings_.timeout;

  bool refreshed_token = false;
  int throttle_retries = 0;
  while (true) {
    if (auto quota = AcquireQuota(request, keys); !quota) return tl::unexpected(quota.error());
    auto token = request.grantless_scope ? tokens_.GrantlessToken(*request.grantless_scope)
                                         : tokens_.AccessToken();
    if (!token) return tl::unexpected(token.error());
    http_request.headers.Set("x-amz-access-token", *token);

    auto response = http_.Send(http_request);
    if (!response) {
      for (const auto& key : keys) governor_.OnResponse(key, 0, {});
      return Fail(response.error().code, "amazon: " + std::string(MethodName(request.method)) +
                                             " " + request.path + " (" + request.operation +
                                             ") failed: " + response.error().message);
    }
    // Only the operation's own bucket learns the rate from the header; every bucket learns of a
    // 429, since Amazon does not say which limit was hit.
    governor_.OnResponse(keys.front(), response->status, response->headers);
    for (size_t i = 1; i < keys.size(); ++i) {
      governor_.OnResponse(keys[i], response->status, {});
    }
    std::string request_id(response->headers.Find("x-amzn-RequestId").value_or(""));
    if (response->ok()) {
      return SpApiResponse{response->status, std::move(response->body),
                           std::move(response->headers), std::move(request_id)};
    }
    if (response->status == 429 && throttle_retries < settings_.max_throttle_retries) {
      ++throttle_retries;
      continue;
    }
    if ((response->status == 401 || response->status == 403) && !refreshed_token) {
      // An access token can be revoked or expire early; one fresh token settles which it is.
      tokens_.Invalidate(*token);
      refreshed_token = true;
      continue;
    }
    Error error = SpApiError(request, response->status, response->body, request_id);
    if (response->status >= 500 || response->status == 401 || response->status == 403) {
      log::Get("amazon")->warn("{}", error.message);
    }
    return tl::unexpected(std::move(error));
  }
}

Result<nlohmann::json> SpApiClient::CallJson(const SpApiRequest& request) {
  auto response = Call(request);
  if (!response) return tl::unexpected(response.error());
  if (response->body.empty()) return nlohmann::json();
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (json.is_discarded()) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: " + request.operation + " answered " + std::to_string(response->status) +
                    " with a body that is not JSON [x-amzn-RequestId " + response->request_id +
                    "]");
  }
  return json;
}

}  // namespace mb::amazon

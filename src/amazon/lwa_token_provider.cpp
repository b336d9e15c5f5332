#include "amazon/lwa_token_provider.hpp"

#include <nlohmann/json.hpp>

#include "amazon/url_encoding.hpp"

namespace mb::amazon {

namespace {

constexpr auto kSafetyMargin = std::chrono::seconds(60);
// LWA answers in well under a second; a hung token request must not hold every caller.
constexpr auto kTokenTimeout = std::chrono::seconds(15);

// LWA's error codes (those its Java client knows) by what the operator must do about them.
ErrorCode LwaErrorCode(std::string_view error, int status) {
  if (error == "server_error" || error == "temporarily_unavailable") return ErrorCode::kUnavailable;
  if (error == "invalid_request" || error == "invalid_scope") return ErrorCode::kInvalidInput;
  if (error == "invalid_grant" || error == "invalid_client" || error == "unauthorized_client" ||
      error == "access_denied") {
    return ErrorCode::kUnauthorized;
  }
  if (status == 429) return ErrorCode::kThrottled;
  if (status >= 500) return ErrorCode::kUnavailable;
  if (status == 401 || status == 403) return ErrorCode::kUnauthorized;
  return ErrorCode::kRejected;
}

}  // namespace

LwaTokenProvider::LwaTokenProvider(HttpClient& http, const Clock& clock, LwaCredentials credentials)
    : http_(http), clock_(clock), credentials_(std::move(credentials)) {}

Result<std::string> LwaTokenProvider::AccessToken() { return Token(""); }

Result<std::string> LwaTokenProvider::GrantlessToken(std::string_view scope) {
  if (scope.empty())
    return Fail(ErrorCode::kInvalidInput, "amazon lwa: grantless token needs a scope");
  return Token(std::string(scope));
}

void LwaTokenProvider::Invalidate(std::string_view rejected) {
  std::lock_guard lock(mu_);
  std::erase_if(cache_, [&](const auto& entry) { return entry.second.token == rejected; });
}

int LwaTokenProvider::refreshes() const {
  std::lock_guard lock(mu_);
  return refreshes_;
}

Result<std::string> LwaTokenProvider::Token(const std::string& scope) {
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.Now();
  if (auto it = cache_.find(scope); it != cache_.end() && now < it->second.refresh_at) {
    return it->second.token;
  }
  auto fetched = Fetch(scope);
  if (!fetched) return tl::unexpected(fetched.error());
  ++refreshes_;
  cache_[scope] = *fetched;
  return fetched->token;
}

Result<LwaTokenProvider::CachedToken> LwaTokenProvider::Fetch(const std::string& scope) {
  const std::string what = scope.empty() ? "seller token" : "grantless token (" + scope + ")";
  if (credentials_.client_id.empty() || credentials_.client_secret.empty() ||
      (scope.empty() && credentials_.refresh_token.empty())) {
    return Fail(ErrorCode::kConfigError,
                "amazon lwa: cannot request a " + what +
                    ": set amazon.lwa_client_id, amazon.lwa_client_secret" +
                    (scope.empty() ? " and amazon.lwa_refresh_token" : ""));
  }
  QueryParams form;
  if (scope.empty()) {
    form = {{"grant_type", "refresh_token"},
            {"refresh_token", credentials_.refresh_token},
            {"client_id", credentials_.client_id},
            {"client_secret", credentials_.client_secret}};
  } else {
    form = {{"grant_type", "client_credentials"},
            {"scope", scope},
            {"client_id", credentials_.client_id},
            {"client_secret", credentials_.client_secret}};
  }
  HttpRequest request(HttpMethod::kPost, credentials_.endpoint, "amazon.lwa.token");
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
  request.headers.Set("Accept", "application/json");
  request.body = EncodeQuery(form);
  request.timeout = kTokenTimeout;
  // Exchanging a token changes nothing on Amazon's side, so a retry is harmless.
  request.retry_safe = true;

  const TimePoint sent_at = clock_.Now();
  auto response = http_.Send(request);
  if (!response) {
    return Fail(response.error().code,
                "amazon lwa: " + what + " request failed: " + response.error().message);
  }
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (!response->ok()) {
    std::string error = "unknown";
    std::string description;
    if (body.is_object()) {
      error = body.value("error", error);
      description = body.value("error_description", "");
    }
    std::string message =
        "amazon lwa: " + what + " refused (" + std::to_string(response->status) + " " + error + ")";
    if (!description.empty()) message += ": " + description;
    if (error == "invalid_grant") message += "; the seller must authorise the application again";
    if (error == "invalid_client") message += "; check amazon.lwa_client_id and the client secret";
    return Fail(LwaErrorCode(error, response->status), std::move(message));
  }
  if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string() ||
      body["access_token"].get<std::string>().empty()) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon lwa: " + what + " response has no access_token");
  }
  int64_t expires_in = 3600;
  if (auto it = body.find("expires_in"); it != body.end() && it->is_number_integer()) {
    expires_in = it->get<int64_t>();
  }
  // Counted from when the request left, so time spent waiting for LWA is not trusted as validity.
  const auto lifetime = std::chrono::seconds(expires_in) - kSafetyMargin;
  CachedToken token{
      body["access_token"].get<std::string>(),
      sent_at + std::chrono::duration_cast<Duration>(std::max(lifetime, std::chrono::seconds(0)))};
  return token;
}

}  // namespace mb::amazon

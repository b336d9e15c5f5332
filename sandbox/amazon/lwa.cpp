#include "sandbox/amazon/lwa.hpp"

namespace sandbox::amazon {
namespace {

TokenAnswer LwaError(int status, std::string error, std::string description) {
  return {status, {{"error", std::move(error)}, {"error_description", std::move(description)}}};
}

std::string Field(const std::map<std::string, std::string>& form, const std::string& key) {
  auto it = form.find(key);
  return it == form.end() ? std::string() : it->second;
}

}  // namespace

LwaAuthority::LwaAuthority(LwaApplication app, unsigned seed) : app_(std::move(app)), rng_(seed) {}

std::string LwaAuthority::NewToken() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token = "Atza|";
  for (int i = 0; i < 64; ++i) token += kAlphabet[rng_() % (sizeof kAlphabet - 1)];
  return token;
}

TokenAnswer LwaAuthority::Exchange(const std::map<std::string, std::string>& form, SimTime now) {
  const std::string grant_type = Field(form, "grant_type");
  if (grant_type.empty()) {
    return LwaError(400, "invalid_request",
                    "The request is missing a required parameter : grant_type");
  }
  if (grant_type != "refresh_token" && grant_type != "client_credentials") {
    return LwaError(400, "unsupported_grant_type", "Unsupported grant type : " + grant_type);
  }
  if (Field(form, "client_id") != app_.client_id ||
      Field(form, "client_secret") != app_.client_secret) {
    return LwaError(401, "invalid_client", "Client authentication failed");
  }
  AccessGrant grant;
  grant.expires_at = now + kTokenLifetime;
  if (grant_type == "refresh_token") {
    const std::string refresh = Field(form, "refresh_token");
    if (refresh.empty()) {
      return LwaError(400, "invalid_request",
                      "The request is missing a required parameter : refresh_token");
    }
    auto it = app_.refresh_tokens.find(refresh);
    if (it == app_.refresh_tokens.end()) {
      return LwaError(400, "invalid_grant",
                      "The request has an invalid grant parameter : refresh_token");
    }
    grant.seller_id = it->second;
  } else {
    grant.scope = Field(form, "scope");
    if (grant.scope != "sellingpartnerapi::notifications" &&
        grant.scope != "sellingpartnerapi::client_credential:rotation") {
      return LwaError(400, "invalid_scope", "An unknown scope was requested");
    }
  }
  std::lock_guard lock(mu_);
  if (tokens_.size() >= kPruneAbove) {  // long runs refresh hourly; forget what has expired
    std::erase_if(tokens_, [&](const auto& entry) { return now >= entry.second.expires_at; });
  }
  std::string token = NewToken();
  tokens_[token] = grant;
  nlohmann::json body = {
      {"access_token", token}, {"token_type", "bearer"}, {"expires_in", kTokenLifetime.count()}};
  if (!grant.scope.empty()) body["scope"] = grant.scope;
  return {200, body};
}

TokenCheck LwaAuthority::Check(const std::string& access_token, SimTime now,
                               AccessGrant* grant) const {
  if (access_token.empty()) return TokenCheck::kMissing;
  std::lock_guard lock(mu_);
  auto it = tokens_.find(access_token);
  if (it == tokens_.end()) return TokenCheck::kInvalid;
  if (now >= it->second.expires_at) return TokenCheck::kExpired;
  if (grant != nullptr) *grant = it->second;
  return TokenCheck::kValid;
}

}  // namespace sandbox::amazon

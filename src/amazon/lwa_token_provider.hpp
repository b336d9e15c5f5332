#pragma once
// Login with Amazon (LWA) access tokens for SP-API calls: the seller's token (refresh_token grant)
// and grantless tokens (client_credentials + scope, for Notifications destinations). Tokens live
// an hour; each is cached until 60 s before it expires on the injected Clock, so a call never
// leaves with a token that dies in flight. One refresh at a time: concurrent callers wait for it
// instead of all asking Amazon.

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ports/http_client.hpp"

namespace mb::amazon {

struct LwaCredentials {
  std::string endpoint = "https://api.amazon.com/auth/o2/token";
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
};

// Scope of the grantless calls of the Notifications API (destinations, subscriptions by id).
inline constexpr std::string_view kNotificationsScope = "sellingpartnerapi::notifications";

class LwaTokenProvider {
 public:
  // `http` and `clock` must outlive the provider.
  LwaTokenProvider(HttpClient& http, const Clock& clock, LwaCredentials credentials);

  // The seller-authorised access token.
  Result<std::string> AccessToken();
  // A grantless token for `scope`.
  Result<std::string> GrantlessToken(std::string_view scope);

  // Drops `rejected` from the cache (Amazon answered 403 with it, e.g. revoked early). A token
  // that was already replaced by another thread's refresh is left alone.
  void Invalidate(std::string_view rejected);

  // Tokens fetched from LWA so far (tests and metrics).
  int refreshes() const;

 private:
  struct CachedToken {
    std::string token;
    TimePoint refresh_at{};
  };

  // `scope` empty means the seller token.
  Result<std::string> Token(const std::string& scope);
  Result<CachedToken> Fetch(const std::string& scope);

  HttpClient& http_;
  const Clock& clock_;
  LwaCredentials credentials_;

  mutable std::mutex mu_;  // held during a refresh: one request to LWA at a time
  std::map<std::string, CachedToken> cache_;
  int refreshes_ = 0;
};

}  // namespace mb::amazon

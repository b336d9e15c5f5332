#pragma once
// Login with Amazon: exchanges a refresh token (seller-authorised calls) or client credentials
// (grantless calls) for an access token that lives 3600 s of sandbox time.

#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::amazon {

struct LwaApplication {
  std::string client_id = "amzn1.application-oa2-client.marketbridgesandbox";
  std::string client_secret = "amzn1.oa2-cs.v1.sandbox-secret";
  std::map<std::string, std::string> refresh_tokens;  // refresh token -> seller id (merchant token)
};

struct TokenAnswer {
  int http_status;
  nlohmann::json body;  // success JSON or {"error","error_description"}
};

struct AccessGrant {
  std::string seller_id;  // empty for grantless tokens
  std::string scope;      // set for grantless tokens
  SimTime expires_at;
};

enum class TokenCheck { kValid, kMissing, kInvalid, kExpired };

class LwaAuthority {
 public:
  static constexpr std::chrono::seconds kTokenLifetime{3600};

  LwaAuthority(LwaApplication app, unsigned seed);

  // `form` holds the body's fields whether they came form-encoded or as JSON.
  TokenAnswer Exchange(const std::map<std::string, std::string>& form, SimTime now);
  TokenCheck Check(const std::string& access_token, SimTime now, AccessGrant* grant) const;

 private:
  static constexpr size_t kPruneAbove = 1024;
  std::string NewToken();

  LwaApplication app_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  std::map<std::string, AccessGrant> tokens_;
};

}  // namespace sandbox::amazon

#pragma once
// The smallest config with which the engine builds its order loop (tests only): Amazon at
// `amazon_url` (LWA under /auth/o2/token), SCAYLE on a loopback port that refuses connections,
// and the slow tasks (open orders, backstop, shipment poll) hourly.

#include <map>
#include <string>

#include "config/config.hpp"

namespace mb::test_support {

inline void ConfigureOrderLoop(config::Config& config, const std::string& amazon_url) {
  config.Set("orders.enabled", true);
  config.Set("orders.marketplace_shops",
             std::map<std::string, std::string>{{"A1PA6795UKMFR9", "ms/DE/amazon_de"}});
  config.Set("orders.carrier_codes", std::map<std::string, std::string>{{"dhl", "DHL"}});
  config.Set("orders.pii_key", config::Secret(std::string(64, 'a'), "env:TEST"));
  config.Set("scayle.endpoint", std::string("http://127.0.0.1:1/api/admin/v1"));
  config.Set("scayle.access_token", config::Secret("t", "env:TEST"));
  config.Set("amazon.endpoint", amazon_url);
  // Loopback only: no test may reach Amazon's real token endpoint.
  config.Set("amazon.lwa_endpoint", amazon_url + "/auth/o2/token");
  config.Set("amazon.seller_id", std::string("A2MB"));
  config.Set("amazon.lwa_client_id", std::string("client"));
  config.Set("amazon.lwa_client_secret", config::Secret("s", "env:TEST"));
  config.Set("amazon.lwa_refresh_token", config::Secret("r", "env:TEST"));
  config.Set("orders.process_interval", Duration(std::chrono::hours(1)));
  config.Set("orders.backstop_interval", Duration(std::chrono::hours(1)));
  config.Set("orders.shipment_poll_interval", Duration(std::chrono::hours(1)));
}

}  // namespace mb::test_support

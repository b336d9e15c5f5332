#pragma once
// The adapters to the outside world, built once per engine from the config and shared by every
// component: one LWA token cache, one SP-API rate governor (all loops draw from the same Amazon
// quotas), one SCAYLE client, one webhook receiver. A side that is not configured stays null, and
// the components that need it are not started.

#include <memory>

#include "amazon/lwa_token_provider.hpp"
#include "amazon/rate_governor.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "amazon/sp_api_client.hpp"
#include "amazon/sqs_client.hpp"
#include "config/config.hpp"
#include "http/retrying_http_client.hpp"
#include "metrics/registry.hpp"
#include "scayle/scayle_admin_api.hpp"
#include "scayle/scayle_client.hpp"
#include "scayle/scayle_webhook_receiver.hpp"

namespace mb::app {

struct ExternalServices {
  // Amazon: present when amazon.seller_id, amazon.lwa_client_id and the LWA secrets are set.
  std::unique_ptr<http::RetryingHttpClient> sp_api_http;  // retries 5xx, leaves 429 to the governor
  std::unique_ptr<amazon::LwaTokenProvider> lwa;
  std::unique_ptr<amazon::RateGovernor> governor;
  std::unique_ptr<amazon::SpApiClient> sp_api;
  std::unique_ptr<amazon::SpApiAmazonApi> amazon;
  // ORDER_CHANGE notifications: present when amazon.sqs_queue_url and the AWS keys are set.
  std::unique_ptr<amazon::SqsClient> order_notifications;
  // SCAYLE: present when scayle.endpoint and scayle.access_token are set.
  std::unique_ptr<http::RetryingHttpClient> scayle_http;
  std::unique_ptr<scayle::ScayleClient> scayle_client;
  std::unique_ptr<scayle::ScayleAdminApi> scayle;
  // Always present; refuses every delivery until scayle.webhook_password is set.
  std::unique_ptr<scayle::ScayleWebhookReceiver> scayle_webhooks;

  // Wakes waits in retries and the governor so shutdown is prompt.
  void Stop();
};

// `transport` is the raw HTTP client (no retries); each side gets its own retry policy on top.
Result<ExternalServices> BuildExternalServices(const config::Config& config, HttpClient& transport,
                                               const Clock& clock, Outbox& outbox,
                                               metrics::Registry& metrics);

}  // namespace mb::app

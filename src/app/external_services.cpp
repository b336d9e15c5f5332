#include "app/external_services.hpp"

namespace mb::app {

namespace {

http::RetryPolicy PolicyFrom(const config::Config& config) {
  http::RetryPolicy policy;
  policy.max_attempts = static_cast<int>(config.GetInt("http.max_attempts"));
  policy.base_delay = config.GetDuration("http.backoff_base");
  policy.max_delay = config.GetDuration("http.backoff_max");
  return policy;
}

std::string SecretOrEmpty(const config::Config& config, std::string_view key) {
  auto secret = config.GetSecret(key);
  return secret ? secret->Reveal() : std::string();
}

Status BuildAmazon(const config::Config& config, HttpClient& transport, const Clock& clock,
                   metrics::Registry& metrics, ExternalServices& out) {
  amazon::LwaCredentials credentials;
  credentials.endpoint = config.GetString("amazon.lwa_endpoint");
  credentials.client_id = config.GetString("amazon.lwa_client_id");
  credentials.client_secret = SecretOrEmpty(config, "amazon.lwa_client_secret");
  credentials.refresh_token = SecretOrEmpty(config, "amazon.lwa_refresh_token");
  const std::string seller_id = config.GetString("amazon.seller_id");
  if (seller_id.empty() || credentials.client_id.empty()) return {};
  if (credentials.client_secret.empty() || credentials.refresh_token.empty()) {
    return Fail(
        ErrorCode::kConfigError,
        "amazon.seller_id is set but amazon.lwa_client_secret or amazon.lwa_refresh_token is not");
  }

  http::RetryOptions retry;
  retry.policy = PolicyFrom(config);
  retry.policy.retry_throttled = false;
  out.sp_api_http = std::make_unique<http::RetryingHttpClient>(transport, clock, std::move(retry));
  out.lwa = std::make_unique<amazon::LwaTokenProvider>(*out.sp_api_http, clock, credentials);
  out.governor = std::make_unique<amazon::RateGovernor>(clock, &metrics);
  amazon::SpApiSettings settings;
  settings.endpoint = config.GetString("amazon.endpoint");
  settings.region = config.GetString("amazon.region");
  settings.seller_id = seller_id;
  settings.max_throttle_retries = static_cast<int>(config.GetInt("amazon.max_throttle_retries"));
  settings.timeout = config.GetDuration("http.request_timeout");
  out.sp_api = std::make_unique<amazon::SpApiClient>(*out.sp_api_http, *out.lwa, *out.governor,
                                                     clock, settings);
  out.amazon =
      std::make_unique<amazon::SpApiAmazonApi>(*out.sp_api, *out.governor, settings.region);

  const std::string queue_url = config.GetString("amazon.sqs_queue_url");
  if (!queue_url.empty()) {
    amazon::SqsSettings sqs;
    sqs.queue_url = queue_url;
    sqs.region = config.GetString("amazon.sqs_region");
    sqs.credentials.access_key_id = SecretOrEmpty(config, "amazon.aws_access_key_id");
    sqs.credentials.secret_access_key = SecretOrEmpty(config, "amazon.aws_secret_access_key");
    sqs.credentials.session_token = SecretOrEmpty(config, "amazon.aws_session_token");
    sqs.visibility_timeout = config.GetDuration("amazon.sqs_visibility_timeout");
    auto client = amazon::SqsClient::Create(*out.sp_api_http, clock, std::move(sqs));
    if (!client) return tl::unexpected(client.error());
    out.order_notifications = std::move(*client);
  }
  return {};
}

void BuildScayle(const config::Config& config, HttpClient& transport, const Clock& clock,
                 ExternalServices& out) {
  const std::string endpoint = config.GetString("scayle.endpoint");
  const std::string token = SecretOrEmpty(config, "scayle.access_token");
  if (endpoint.empty() || token.empty()) return;
  http::RetryOptions retry;
  retry.policy = PolicyFrom(config);
  retry.is_throttled = scayle::IsScayleRateLimited;
  out.scayle_http = std::make_unique<http::RetryingHttpClient>(transport, clock, std::move(retry));
  scayle::ScayleSettings settings;
  settings.endpoint = endpoint;
  settings.access_token = token;
  settings.timeout = config.GetDuration("http.request_timeout");
  out.scayle_client = std::make_unique<scayle::ScayleClient>(*out.scayle_http, settings);
  out.scayle = std::make_unique<scayle::ScayleAdminApi>(*out.scayle_client);
}

}  // namespace

void ExternalServices::Stop() {
  if (governor) governor->Stop();
  if (sp_api_http) sp_api_http->Stop();
  if (scayle_http) scayle_http->Stop();
}

Result<ExternalServices> BuildExternalServices(const config::Config& config, HttpClient& transport,
                                               const Clock& clock, Outbox& outbox,
                                               metrics::Registry& metrics) {
  ExternalServices out;
  if (auto amazon = BuildAmazon(config, transport, clock, metrics, out); !amazon) {
    return tl::unexpected(amazon.error());
  }
  BuildScayle(config, transport, clock, out);
  scayle::WebhookSettings webhooks;
  webhooks.username = config.GetString("scayle.webhook_username");
  webhooks.password = SecretOrEmpty(config, "scayle.webhook_password");
  out.scayle_webhooks =
      std::make_unique<scayle::ScayleWebhookReceiver>(webhooks, outbox, clock, &metrics);
  return out;
}

}  // namespace mb::app

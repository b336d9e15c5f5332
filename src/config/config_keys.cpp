// The one declaration of every configuration key. Add a key here and it is validated, defaulted and
// documented (run `marketbridge config-reference > docs/config.md`; a test checks the file is
// current).
#include <array>

#include "config/config.hpp"

namespace mb::config {

namespace {

constexpr std::array kKeys = {
    // server
    KeySpec{"server.listen_address", KeyType::kString, "127.0.0.1",
            "Address the HTTP server (webhooks, /metrics, /healthz, dashboard) listens on."},
    KeySpec{"server.port", KeyType::kInt, "8080",
            "TCP port of the HTTP server; 0 picks a free port.", 0, 65535},
    KeySpec{"server.max_request_bytes", KeyType::kInt, "1048576",
            "Largest request body accepted; larger requests get 413.", 1024, 1 << 30},
    KeySpec{"server.threads", KeyType::kInt, "4", "Worker threads of the HTTP server.", 1, 64},
    // store
    KeySpec{"store.backend", KeyType::kEnum, "sqlite", "State store implementation.", INT64_MIN,
            INT64_MAX, "sqlite"},
    KeySpec{"store.sqlite_path", KeyType::kString, "marketbridge.db",
            "SQLite database file (created if missing; WAL mode)."},
    // logging
    KeySpec{"log.level", KeyType::kEnum, "info", "Lowest log level written.", INT64_MIN, INT64_MAX,
            "trace|debug|info|warn|error"},
    KeySpec{"log.format", KeyType::kEnum, "text",
            "`text` for people, `json` (one object per line) for log shippers.", INT64_MIN,
            INT64_MAX, "text|json"},
    // outbound HTTP
    KeySpec{"http.connect_timeout", KeyType::kDuration, "5s", "Time allowed to open a connection."},
    KeySpec{"http.request_timeout", KeyType::kDuration, "30s", "Time allowed for a whole request."},
    KeySpec{"http.max_attempts", KeyType::kInt, "5",
            "Attempts per request for retryable failures (timeouts, 429, 5xx), the first included.",
            1, 20},
    KeySpec{"http.backoff_base", KeyType::kDuration, "500ms",
            "First retry back-off; doubles per attempt, with jitter."},
    KeySpec{"http.backoff_max", KeyType::kDuration, "30s",
            "Longest back-off between two attempts."},
    // Amazon
    KeySpec{"amazon.region", KeyType::kEnum, "eu", "SP-API region of the seller account.",
            INT64_MIN, INT64_MAX, "na|eu|fe"},
    KeySpec{"amazon.endpoint", KeyType::kString, "",
            "SP-API base URL; empty means the production host of `amazon.region`."},
    KeySpec{"amazon.lwa_endpoint", KeyType::kString, "https://api.amazon.com/auth/o2/token",
            "Login with Amazon token endpoint."},
    KeySpec{"amazon.seller_id", KeyType::kString, "", "Merchant token (seller id) of the account."},
    KeySpec{"amazon.marketplace_ids", KeyType::kStringList, "[\"A1PA6795UKMFR9\"]",
            "Marketplaces Marketbridge sells in (e.g. A1PA6795UKMFR9 = amazon.de)."},
    KeySpec{"amazon.lwa_client_id", KeyType::kString, "",
            "LWA client id of the SP-API application."},
    KeySpec{"amazon.lwa_client_secret", KeyType::kSecret, "", "LWA client secret."},
    KeySpec{"amazon.lwa_refresh_token", KeyType::kSecret, "",
            "LWA refresh token of the seller authorisation."},
    KeySpec{"amazon.max_throttle_retries", KeyType::kInt, "2",
            "Times an SP-API call answered 429 is sent again, each after the rate governor's "
            "next token.",
            0, 10},
    // Amazon notifications (SQS)
    KeySpec{"amazon.sqs_queue_url", KeyType::kString, "",
            "SQS queue SP-API delivers ORDER_CHANGE notifications to, e.g. "
            "https://sqs.eu-west-1.amazonaws.com/123456789012/spapi-notifications; empty "
            "disables the fast path (the searchOrders backstop still runs)."},
    KeySpec{"amazon.sqs_region", KeyType::kString, "",
            "AWS region of the queue for request signing; empty means the one in the queue URL."},
    KeySpec{"amazon.aws_access_key_id", KeyType::kSecret, "",
            "AWS access key id of the IAM user or role allowed to receive from the queue."},
    KeySpec{"amazon.aws_secret_access_key", KeyType::kSecret, "",
            "AWS secret access key belonging to amazon.aws_access_key_id."},
    KeySpec{"amazon.aws_session_token", KeyType::kSecret, "",
            "Session token, only for temporary (STS) credentials."},
    KeySpec{"amazon.sqs_visibility_timeout", KeyType::kDuration, "60s",
            "How long a received notification stays hidden from other consumers before it is "
            "redelivered unless deleted."},
    // SCAYLE
    KeySpec{"scayle.endpoint", KeyType::kString, "",
            "Admin API base URL, e.g. https://acme-live.admin.api.scayle.cloud/api/admin/v1."},
    KeySpec{"scayle.access_token", KeyType::kSecret, "", "Admin API key (sent as X-Access-Token)."},
    KeySpec{"scayle.webhook_username", KeyType::kString, "marketbridge",
            "User name SCAYLE must present (HTTP Basic) when delivering webhooks."},
    KeySpec{"scayle.webhook_password", KeyType::kSecret, "",
            "Password SCAYLE must present when delivering webhooks."},
    // order loop (issue 5)
    KeySpec{"orders.enabled", KeyType::kBool, "false",
            "Run the order-to-fulfilment loop (needs amazon.* and scayle.* credentials; "
            "ORDER_CHANGE from "
            "amazon.sqs_queue_url when set, else the searchOrders backstop only)."},
    KeySpec{"orders.warehouse", KeyType::kString, "wh-main",
            "SCAYLE warehouseReferenceKey reservations for Amazon orders are made in."},
    KeySpec{"orders.merchant_reference_key", KeyType::kString, "",
            "SCAYLE merchantReferenceKey of reservations and order items; empty: none sent."},
    KeySpec{"orders.marketplace_shops", KeyType::kStringMap, "",
            "Amazon marketplace id = \"shop/COUNTRY/channel\" the orders are created in, e.g. "
            "A1PA6795UKMFR9 = \"ms/DE/amazon_de\"."},
    KeySpec{"orders.reservation_ttl", KeyType::kDuration, "22d",
            "Lifetime of a SCAYLE reservation; Amazon orders may stay Pending up to 21 days."},
    KeySpec{
        "orders.hold_within", KeyType::kDuration, "5m",
        "An order not held in SCAYLE this long after it was seen raises order_not_held_in_time."},
    KeySpec{"orders.create_within", KeyType::kDuration, "30m",
            "An Unshipped order not created in SCAYLE within this raises order_not_held_in_time."},
    KeySpec{"orders.ship_by_warnings", KeyType::kStringList, "[\"24h\", \"4h\", \"1h\"]",
            "Lead times before LatestShipDate at which an unconfirmed order raises "
            "ship_by_at_risk. A lead time already passed when the order was first seen is "
            "skipped, except the shortest (an order seen that close to, or past, its deadline "
            "warns at once)."},
    KeySpec{"orders.carrier_codes", KeyType::kStringMap, "",
            "SCAYLE carrier key = Amazon carrierCode (exactly as on Amazon's list), e.g. "
            "DHL_STD_NATIONAL = \"DHL\"."},
    KeySpec{"orders.carrier_list_file", KeyType::kString, "",
            "Amazon's carrierCode list, one a line; empty: the copy in the source tree "
            "(reference/amazon/carrier-codes.txt)."},
    KeySpec{"orders.carrier_other_names", KeyType::kStringMap, "",
            "SCAYLE carrier key = carrierName sent with carrierCode \"Other\" (only carriers "
            "Amazon does not list)."},
    KeySpec{"orders.pii_key", KeyType::kSecret, "",
            "AES-256 key (base64 or hex) encrypting buyer names and addresses at rest; "
            "`marketbridge order new-pii-key` makes one."},
    KeySpec{"orders.pii_retention", KeyType::kDuration, "30d",
            "Personal data is purged this long after delivery or cancellation."},
    KeySpec{"orders.process_interval", KeyType::kDuration, "30s",
            "Pass over open orders: retries, ship-by clock, ghost checks, purge."},
    KeySpec{"orders.backstop_interval", KeyType::kDuration, "5m",
            "searchOrders backstop period (searchOrders allows one call per 3 minutes)."},
    KeySpec{"orders.backstop_overlap", KeyType::kDuration, "10m",
            "How far each backstop pass reaches back before the previous cut-off."},
    KeySpec{"orders.shipment_poll_interval", KeyType::kDuration, "10m",
            "Polling backstop for SCAYLE shipments whose webhook was lost."},
    // settlement
    KeySpec{"settlement.enabled", KeyType::kBool, "false",
            "Discover and import Amazon settlement reports in the running engine (needs Amazon "
            "configured)."},
    KeySpec{"settlement.discovery_interval", KeyType::kDuration, "4h",
            "How often Amazon is asked for new settlement reports (they cannot be requested)."},
    KeySpec{"settlement.rules_file", KeyType::kString, "",
            "Settlement rule table (CSV, see docs/settlement.md); empty means the built-in table."},
    KeySpec{"settlement.split_at_month_end", KeyType::kBool, "false",
            "One journal per calendar month a settlement spans, plus a deposit journal."},
    // stock and price loop (docs/stock.md)
    KeySpec{"stock.enabled", KeyType::kBool, "false",
            "Run the stock and price loop (needs the Amazon and SCAYLE settings)."},
    KeySpec{"stock.region", KeyType::kString, "EU",
            "Name of the Amazon region the stock is listed in (one quantity per SKU)."},
    KeySpec{"stock.warehouses", KeyType::kStringList, "[\"wh-main\"]",
            "SCAYLE warehouse referenceKeys whose sellable stock serves Amazon."},
    KeySpec{"stock.marketplace_prices", KeyType::kStringMap, "",
            "Marketplace id to `COUNTRY:CURRENCY` of the SCAYLE price it takes, e.g. "
            "`A1PA6795UKMFR9 = \"DE:EUR\"`."},
    KeySpec{"stock.push_prices", KeyType::kBool, "true",
            "Push SCAYLE prices as `our_price` (only on change)."},
    KeySpec{"stock.price_floor_minor", KeyType::kInt, "0",
            "Prices below this (minor units) are held, not pushed; 0 = no floor.", 0, 100000000},
    KeySpec{"stock.price_ceiling_minor", KeyType::kInt, "0",
            "Prices above this (minor units) are held, not pushed; 0 = no ceiling.", 0, 100000000},
    KeySpec{"stock.product_type", KeyType::kString, "PRODUCT",
            "Amazon product type sent with stock and price patches."},
    KeySpec{"stock.handling_time_days", KeyType::kInt, "2",
            "lead_time_to_ship_max_days sent with every quantity.", 0, 30},
    KeySpec{"stock.handling_time_by_sku", KeyType::kStringMap, "",
            "Per-SKU handling time in days, overriding stock.handling_time_days."},
    KeySpec{"stock.buffer_default", KeyType::kString, "",
            "Default buffer rule, e.g. `fixed=1,percent=10,max=50,zero_below=2`; empty = none."},
    KeySpec{"stock.buffer_rules", KeyType::kStringMap, "",
            "Buffer rules by `sku:KEY`, `product:KEY` or `category:PATH`; the most specific wins."},
    KeySpec{"stock.large_drop_units", KeyType::kInt, "10",
            "A drop of this many units goes in the urgent (per-item) lane.", 1, 1000000},
    KeySpec{"stock.large_drop_percent", KeyType::kInt, "50",
            "A drop of this percent of the listed quantity goes in the urgent lane.", 1, 100},
    KeySpec{"stock.urgent_at_or_below", KeyType::kInt, "3",
            "A drop to this many units or fewer goes in the urgent lane (0: only drops to zero).",
            0, 1000},
    KeySpec{"stock.push_interval", KeyType::kDuration, "1s",
            "How often pending pushes are sent (webhooks also wake the loop)."},
    KeySpec{"stock.feed_interval", KeyType::kDuration, "60s",
            "Least time between two JSON_LISTINGS_FEED submissions (Amazon allows 5 per 5 "
            "minutes per region: one a minute spreads them evenly)."},
    KeySpec{"stock.feed_poll_interval", KeyType::kDuration, "30s",
            "How often submitted feeds are checked and read back."},
    KeySpec{"stock.snapshot_interval", KeyType::kDuration, "30m",
            "How often SCAYLE is read in full (stock and prices)."},
    KeySpec{"stock.audit_interval", KeyType::kDuration, "1h",
            "How often Amazon's quantities are compared with the intent."},
    KeySpec{"stock.drift_tolerance", KeyType::kInt, "0",
            "Units Amazon may differ from the intent before stock_drift is raised.", 0, 1000000},
    KeySpec{"stock.max_attempts", KeyType::kInt, "3",
            "Rejected or unapplied pushes of a SKU before stock_push_failed is raised.", 1, 100},
    KeySpec{"stock.quota_exhausted_after", KeyType::kDuration, "5m",
            "Throttling lasting this long raises quota_exhausted."},
    // catalogue alignment (docs/catalogue-mapping.md)
    KeySpec{"catalogue.enabled", KeyType::kBool, "false",
            "Run the catalogue loop: SCAYLE variants become Amazon listings."},
    KeySpec{"catalogue.mapping_file", KeyType::kString, "catalogue-mapping.toml",
            "The catalogue mapping (config/catalogue-mapping.example.toml shows every feature)."},
    KeySpec{"catalogue.period", KeyType::kDuration, "1h",
            "Full SCAYLE read and Amazon drift audit; SCAYLE product webhooks run it sooner."},
    KeySpec{"catalogue.feed_threshold", KeyType::kInt, "20",
            "More changed listings than this per marketplace go as one JSON_LISTINGS_FEED.", 0,
            25000},
    KeySpec{"catalogue.validation_preview", KeyType::kBool, "false",
            "Let Amazon validate a new listing (VALIDATION_PREVIEW) before creating it."},
    KeySpec{"catalogue.definitions_cache_dir", KeyType::kString, "product-type-definitions",
            "Directory of downloaded product type schemas, kept by checksum; empty: memory only."},
    KeySpec{"catalogue.definitions_refresh", KeyType::kDuration, "24h",
            "How long a product type definition is used before Amazon is asked again."},
    KeySpec{"catalogue.issue_locale", KeyType::kString, "en_US",
            "Language of Amazon's listing issue messages (problems are classified by code)."},
};

}  // namespace

std::span<const KeySpec> AllKeys() { return kKeys; }

}  // namespace mb::config

#include "sandbox/market/scenario.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sandbox/amazon/iso_time.hpp"
#include "sandbox/amazon/order_notification.hpp"

namespace sandbox::market {

namespace {

constexpr const char* kAwsAccessKeyId = "AKIAMBSANDBOX0000001";
constexpr const char* kAwsSecret = "marketbridge-sandbox-aws-secret";
constexpr const char* kQueue = "marketbridge-order-change";
constexpr const char* kApplicationId = "amzn1.sellerapps.app.marketbridge-sandbox";

template <class T>
void Read(const nlohmann::json& obj, const char* key, T& out) {
  if (!obj.is_object() || !obj.contains(key)) return;
  try {
    out = obj.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error(std::string("scenario: field \"") + key + "\" has the wrong type");
  }
}

std::chrono::seconds Seconds(double s) { return std::chrono::seconds(static_cast<int64_t>(s)); }

void ReadSeconds(const nlohmann::json& obj, const char* key, double unit_seconds,
                 std::chrono::seconds& out) {
  double v = -1;
  Read(obj, key, v);
  if (v >= 0) out = Seconds(v * unit_seconds);
}

}  // namespace

Scenario ParseScenario(const nlohmann::json& doc) {
  if (!doc.is_object()) throw std::runtime_error("scenario: the document must be a JSON object");
  Scenario s;
  Read(doc, "name", s.name);
  Read(doc, "seed", s.seed);
  Read(doc, "timeScale", s.time_scale);
  std::string start;
  Read(doc, "start", start);
  if (!start.empty()) {
    s.start = amazon::ParseIso(start);
    if (!s.start) throw std::runtime_error("scenario: \"start\" is not ISO 8601: " + start);
  }
  double hours = -1;
  Read(doc, "durationHours", hours);
  if (hours >= 0) s.duration = Seconds(hours * 3600);
  MarketConfig& m = s.market;
  m.seed = s.seed;
  if (doc.contains("catalogue")) {
    const auto& c = doc["catalogue"];
    Read(c, "skus", m.catalogue_skus);
    Read(c, "maxStockPerWarehouse", m.max_stock_per_warehouse);
    Read(c, "zeroStockShare", m.zero_stock_share);
  }
  if (doc.contains("demand")) {
    m.demand.clear();
    for (const auto& p : doc["demand"]) {
      DemandPhase phase;
      Read(p, "fromHour", phase.from_hour);
      Read(p, "d2cPerHour", phase.d2c_per_hour);
      Read(p, "amazonPerHour", phase.amazon_per_hour);
      m.demand.push_back(phase);
    }
  }
  if (doc.contains("flashSales")) {
    for (const auto& f : doc["flashSales"]) {
      FlashSale sale;
      Read(f, "atHour", sale.at_hour);
      Read(f, "hours", sale.hours);
      Read(f, "hotSkus", sale.hot_skus);
      Read(f, "stockPerSku", sale.stock_per_sku);
      Read(f, "d2cPerHour", sale.d2c_per_hour);
      Read(f, "amazonPerHour", sale.amazon_per_hour);
      m.flash_sales.push_back(sale);
    }
  }
  if (doc.contains("orders")) {
    const auto& o = doc["orders"];
    ReadSeconds(o, "paymentDelaySeconds", 1, m.payment_delay);
    ReadSeconds(o, "preorderReleaseHours", 3600, m.preorder_release);
    ReadSeconds(o, "shipWithinHours", 3600, m.ship_within);
    Read(o, "cancelShare", m.cancel_share);
    Read(o, "preorderShare", m.preorder_share);
    Read(o, "multiItemShare", m.multi_item_share);
    Read(o, "multiQuantityShare", m.multi_quantity_share);
    Read(o, "marketplaceId", m.marketplace_id);
  }
  if (doc.contains("warehouse")) {
    const auto& w = doc["warehouse"];
    ReadSeconds(w, "handlingDelayMinutes", 60, m.handling_delay);
    ReadSeconds(w, "handlingJitterMinutes", 60, m.handling_jitter);
    ReadSeconds(w, "intervalSeconds", 1, m.warehouse_interval);
    Read(w, "splitPackageShare", m.split_package_share);
  }
  if (doc.contains("settlement")) {
    const auto& st = doc["settlement"];
    ReadSeconds(st, "everyHours", 3600, m.settlement_every);
    Read(st, "commissionRate", m.commission_rate);
    Read(st, "promotionShare", m.promotion_share);
    Read(st, "refundShare", m.refund_share);
    Read(st, "reserveRate", m.reserve_rate);
  }
  if (m.settlement_every.count() <= 0 || m.warehouse_interval.count() <= 0) {
    throw std::runtime_error(
        "scenario: settlement.everyHours and warehouse.intervalSeconds must be > 0");
  }
  if (doc.contains("faults")) {
    const auto& f = doc["faults"];
    if (f.contains("amazon")) s.amazon_faults = f["amazon"];
    if (f.contains("scayle")) s.scayle_faults = f["scayle"];
    if (f.contains("webhooks")) {
      Read(f["webhooks"], "duplicateProbability", s.webhook_duplicate_probability);
      Read(f["webhooks"], "outOfOrderProbability", s.webhook_out_of_order_probability);
    }
    if (f.contains("feeds")) {
      Read(f["feeds"], "silentlyDropEveryNth", s.feed_silently_drop_every_nth);
      Read(f["feeds"], "silentlyDroppedSkus", s.feed_silently_dropped_skus);
    }
    if (f.contains("sqs")) {
      Read(f["sqs"], "duplicateDelivery", s.sqs_duplicate_delivery);
      ReadSeconds(f["sqs"], "visibilitySeconds", 1, s.sqs_visibility);
    }
  }
  return s;
}

Scenario LoadScenarioFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("scenario: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, false, true);
  if (doc.is_discarded()) throw std::runtime_error("scenario: " + path + " is not valid JSON");
  return ParseScenario(doc);
}

namespace {

amazon::AmazonConfig AmazonConfigFor(const Scenario& s) {
  amazon::AmazonConfig c;
  c.seed = static_cast<unsigned>(s.seed);
  c.feed_silently_drop_every_nth = s.feed_silently_drop_every_nth;
  c.feed_silently_dropped_skus = s.feed_silently_dropped_skus;
  return c;
}

sqs::SqsConfig SqsConfigFor(const Scenario& s) {
  sqs::SqsConfig c;
  c.secrets_by_access_key[kAwsAccessKeyId] = kAwsSecret;
  c.queues = {kQueue};
  c.default_visibility = s.sqs_visibility;
  return c;
}

SimTime StartOf(const Scenario& s) {
  if (s.start) return *s.start;
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace

ScenarioRunner::ScenarioRunner(Scenario scenario, SandboxPorts ports)
    : scenario_(std::move(scenario)),
      ports_(ports),
      clock_(StartOf(scenario_), scenario_.time_scale),
      amazon_world_(clock_, AmazonConfigFor(scenario_)),
      scayle_world_(clock_),
      sqs_server_(SqsConfigFor(scenario_), clock_),
      market_(clock_, amazon_world_, scayle_world_, scenario_.market) {
  notifications_ = std::make_unique<sqs::NotificationSubscriptions>(
      sqs_server_, clock_, kApplicationId, std::string(MB_SHARED_DIR) + "/reference/amazon/models");
  amazon::AmazonServerOptions amazon_options;
  amazon_options.port = ports_.amazon;
  amazon_options.mount_extra_routes = [this](httplib::Server& server) {
    notifications_->RegisterRoutes(server);
  };
  // The catalogue loop reads product type definitions and their schemas from the same host, and
  // listings are checked against them.
  amazon_options.product_types = &product_types_;
  amazon_server_ = std::make_unique<amazon::AmazonServer>(amazon_world_, amazon_options);
  scayle::ScayleServerConfig scayle_config;
  scayle_config.port = ports_.scayle;
  scayle_config.fault_seed = scenario_.seed + 2;
  scayle_config.webhooks.seed = scenario_.seed + 3;
  scayle_server_ = std::make_unique<scayle::ScayleServer>(scayle_world_, scayle_config);
  amazon_world_.AddOrderObserver([this](const amazon::Order& order) { PublishOrderChange(order); });
}

ScenarioRunner::~ScenarioRunner() { Stop(); }

void ScenarioRunner::PublishOrderChange(const amazon::Order& order) {
  notifications_->PublishOrderChange(amazon::OrderChangeFactsOf(order));
}

void ScenarioRunner::Start() {
  if (started_) return;
  scayle_world_.SeedDefaultTenant();
  catalogue_ = market_.Setup();
  for (const auto& spec : scenario_.amazon_faults) {
    std::string problem;
    auto rule = amazon::FaultRuleFromJson(spec, &problem);
    if (!rule) throw std::runtime_error("scenario: amazon fault: " + problem);
    amazon_server_->faults().Add(spec.value("operation", "*"), *rule);
  }
  for (const auto& spec : scenario_.scayle_faults) {
    auto fault = scayle::ParseRouteFault(spec);
    if (!fault) throw std::runtime_error("scenario: scayle fault: " + spec.dump());
    scayle_server_->faults().Add(*fault);
  }
  scayle_server_->webhooks().SetFaults(
      {scenario_.webhook_duplicate_probability, scenario_.webhook_out_of_order_probability});
  sqs_server_.SetDuplicateDelivery(scenario_.sqs_duplicate_delivery);
  sqs_server_.Start(ports_.sqs);
  amazon_server_->Start();
  if (!scayle_server_->Start()) {
    throw std::runtime_error("scayle sandbox: cannot bind 127.0.0.1:" +
                             std::to_string(ports_.scayle));
  }
  started_ = true;
}

void ScenarioRunner::Stop() {
  if (!started_) return;
  scayle_server_->Stop();
  amazon_server_->Stop();
  sqs_server_.Stop();
  started_ = false;
}

void ScenarioRunner::Tick() {
  amazon_world_.ProcessDue();
  market_.AdvanceTo(clock_.Now());
}

bool ScenarioRunner::Done() const {
  return scenario_.duration && clock_.Now() >= market_.start() + *scenario_.duration;
}

bool ScenarioRunner::RunUntilDone(const std::atomic<bool>& stop, std::chrono::milliseconds tick) {
  for (;;) {
    Tick();
    if (Done()) return true;
    if (stop.load()) return false;
    std::this_thread::sleep_for(tick);
  }
}

nlohmann::json ScenarioRunner::Report() const {
  nlohmann::json report = market_.Metrics();
  report["scenario"] = {{"name", scenario_.name},
                        {"seed", scenario_.seed},
                        {"timeScale", scenario_.time_scale},
                        {"start", amazon::FormatIso(market_.start())},
                        {"end", amazon::FormatIso(clock_.Now())}};
  report["catalogue"] = {{"masters", catalogue_.masters},
                         {"products", catalogue_.products},
                         {"variants", catalogue_.variants},
                         {"units", catalogue_.units}};
  nlohmann::json calls = nlohmann::json::object();
  for (const auto& [op, c] : amazon_server_->Counters()) {
    calls["amazon " + op] = {{"calls", c.calls}, {"throttled", c.throttled}};
  }
  for (const auto& [op, c] : scayle_server_->rate_limits().OperationCounters()) {
    calls["scayle " + op] = {{"calls", c.calls}, {"throttled", c.rate_limited}};
  }
  report["calls"] = calls;
  const auto w = scayle_server_->webhooks().Counters();
  report["webhooks"] = {{"published", w.published},
                        {"attempts", w.attempts},
                        {"delivered", w.delivered},
                        {"abandoned", w.abandoned}};
  return report;
}

std::string ScenarioRunner::amazon_url() const { return amazon_server_->base_url(); }
std::string ScenarioRunner::scayle_url() const {
  return "http://127.0.0.1:" + std::to_string(scayle_server_->port()) + "/api/admin/v1";
}
std::string ScenarioRunner::sqs_url() const {
  return "http://127.0.0.1:" + std::to_string(sqs_server_.port());
}
std::string ScenarioRunner::sqs_queue_url() const { return sqs_server_.QueueUrl(kQueue); }
std::string ScenarioRunner::control_url() const { return amazon_url() + "/_sandbox"; }

SandboxCredentials ScenarioRunner::Credentials() const {
  const auto& lwa = amazon_server_->lwa_application();
  const auto& seller = amazon_world_.config().sellers.front();
  return {lwa.client_id,
          lwa.client_secret,
          seller.refresh_token,
          seller.seller_id,
          scayle_server_->config().access_token,
          kAwsAccessKeyId,
          kAwsSecret,
          kQueue};
}

}  // namespace sandbox::market

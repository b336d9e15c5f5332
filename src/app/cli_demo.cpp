// `marketbridge demo`: the whole engine against the built-in sandbox. Spawns marketbridge-sandbox
// (Amazon SP-API + LWA + SQS, SCAYLE Admin API, a market) on ephemeral loopback ports, configures
// every loop from the sandbox's startup lines, runs the engine on the sandbox's simulated clock,
// subscribes SCAYLE's webhooks to the engine through the Admin API, and at the end prints what
// happened (docs/sandbox.md "marketbridge demo").
#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/sinks/basic_file_sink.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>

#include "app/cli.hpp"
#include "app/engine.hpp"
#include "app/sandbox_process.hpp"
#include "core/timestamp.hpp"
#include "crypto/pii_cipher.hpp"
#include "http/curl_http_client.hpp"
#include "log/log.hpp"
#include "scayle/scayle_admin_api.hpp"
#include "scayle/scayle_client.hpp"
#include "store/sqlite_order_store.hpp"
#include "store/sqlite_settlement_store.hpp"
#include "store/sqlite_stock_store.hpp"

namespace mb::app {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kMarketplaceDe = "A1PA6795UKMFR9";
constexpr const char* kWebhookUser = "marketbridge";

struct DemoOptions {
  int duration = 0;  // seconds; 0: until Ctrl-C
  std::string dir;
  std::string sandbox;
  std::string mapping = MB_SOURCE_DIR "/config/catalogue-mapping.demo.toml";
  double time_scale = 60;
  int skus = 1000;
  int port = 8080;
  uint64_t seed = 1;
  std::string scenario;  // empty: DemoScenario()
};

// The market of a short demo: enough Amazon buyers, a quick warehouse and hourly settlements, so
// a couple of simulated hours show every loop at work.
json DemoScenario() {
  return {{"name", "marketbridge-demo"},
          {"demand", json::array({{{"fromHour", 0}, {"d2cPerHour", 240}, {"amazonPerHour", 120}}})},
          {"orders",
           {{"paymentDelaySeconds", 300},
            {"cancelShare", 0.03},
            {"shipWithinHours", 48},
            {"marketplaceId", kMarketplaceDe}}},
          {"warehouse",
           {{"handlingDelayMinutes", 20}, {"handlingJitterMinutes", 10}, {"intervalSeconds", 60}}},
          {"settlement", {{"everyHours", 1}}}};
}

fs::path SandboxBesideThisBinary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (ec ? fs::path(".") : self.parent_path()) / "marketbridge-sandbox";
}

// Letters and digits only, so it can stand in a URL's userinfo unescaped.
Result<std::string> NewWebhookPassword() {
  auto key = crypto::NewKeyText();
  if (!key) return tl::unexpected(key.error());
  std::string out;
  for (char c : *key)
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  return out;
}

Result<config::Config> DemoConfig(const Context& ctx, const DemoOptions& options,
                                  const SandboxEndpoints& sandbox, const fs::path& dir,
                                  const std::string& webhook_password) {
  auto loaded = ctx.config_path.empty() ? Result<config::Config>(config::DefaultConfig())
                                        : config::LoadConfigFile(ctx.config_path);
  if (!loaded) return loaded;
  config::Config c = std::move(*loaded);
  auto cred = [&](const char* name) { return sandbox.Credential(name); };
  for (const char* name : {"lwa-client-id", "lwa-client-secret", "refresh-token", "seller-id",
                           "scayle-token", "aws-access-key-id", "aws-secret-access-key"}) {
    if (auto ok = cred(name); !ok) return tl::unexpected(ok.error());
  }
  auto secret = [](const std::string& value) { return config::Secret(value, "sandbox"); };
  c.Set("store.sqlite_path", (dir / "marketbridge.db").string());
  c.Set("server.listen_address", std::string("127.0.0.1"));
  c.Set("server.port", static_cast<int64_t>(options.port));
  c.Set("amazon.region", std::string("eu"));
  c.Set("amazon.endpoint", sandbox.amazon_url);
  c.Set("amazon.lwa_endpoint", sandbox.amazon_url + "/auth/o2/token");
  c.Set("amazon.seller_id", *cred("seller-id"));
  c.Set("amazon.marketplace_ids", std::vector<std::string>{kMarketplaceDe});
  c.Set("amazon.lwa_client_id", *cred("lwa-client-id"));
  c.Set("amazon.lwa_client_secret", secret(*cred("lwa-client-secret")));
  c.Set("amazon.lwa_refresh_token", secret(*cred("refresh-token")));
  c.Set("amazon.sqs_queue_url", sandbox.sqs_queue_url);
  c.Set("amazon.sqs_region", std::string("eu-west-1"));
  c.Set("amazon.aws_access_key_id", secret(*cred("aws-access-key-id")));
  c.Set("amazon.aws_secret_access_key", secret(*cred("aws-secret-access-key")));
  c.Set("scayle.endpoint", sandbox.scayle_url);
  c.Set("scayle.access_token", secret(*cred("scayle-token")));
  c.Set("scayle.webhook_username", std::string(kWebhookUser));
  c.Set("scayle.webhook_password", secret(webhook_password));

  c.Set("stock.enabled", true);
  c.Set("stock.warehouses", std::vector<std::string>{"wh-main"});
  c.Set("stock.marketplace_prices", std::map<std::string, std::string>{{kMarketplaceDe, "DE:EUR"}});
  c.Set("orders.enabled", true);
  c.Set("orders.warehouse", std::string("wh-main"));
  c.Set("orders.marketplace_shops",
        std::map<std::string, std::string>{{kMarketplaceDe, "ms/DE/amazon_de"}});
  // The sandbox's SCAYLE carriers (docs/sandbox.md) to Amazon's carrier codes.
  c.Set("orders.carrier_codes", std::map<std::string, std::string>{{"DHL_STD_NATIONAL", "DHL"},
                                                                   {"DPD", "DPD"},
                                                                   {"UPS", "UPS"},
                                                                   {"HERMES", "Hermes"},
                                                                   {"ROYAL_MAIL", "Royal Mail"},
                                                                   {"COLISSIMO", "Colissimo"}});
  auto pii_key = crypto::NewKeyText();
  if (!pii_key) return tl::unexpected(pii_key.error());
  c.Set("orders.pii_key", secret(*pii_key));
  c.Set("settlement.enabled", true);
  c.Set("settlement.discovery_interval", Duration(std::chrono::minutes(30)));
  c.Set("catalogue.enabled", true);
  c.Set("catalogue.mapping_file", options.mapping);
  c.Set("catalogue.definitions_cache_dir", (dir / "product-type-definitions").string());
  return c;
}

// SCAYLE sends webhooks to subscribed URLs; the demo subscribes the engine's receivers the way an
// operator would, through the Admin API (POST /webhooks/subscriptions).
Status SubscribeWebhooks(const config::Config& config, const std::string& password, int port) {
  http::CurlHttpClient curl;
  scayle::ScayleSettings settings;
  settings.endpoint = config.GetString("scayle.endpoint");
  settings.access_token = config.GetSecret("scayle.access_token")->Reveal();
  scayle::ScayleClient client(curl, settings);
  scayle::ScayleAdminApi api(client);
  const std::string base = std::string("http://") + kWebhookUser + ":" + password +
                           "@127.0.0.1:" + std::to_string(port) + "/webhooks/scayle";
  const std::vector<std::pair<std::string, std::string>> subscriptions = {
      {"product-variant-stock-updated", base + "/product-variant-stock-updated"},
      {"product-variant-prices-updated", base + "/product-variant-prices-updated"},
      {"order-package-shipped", base + "/order-package-shipped"},
      {"product-updated", base + "/catalogue"},
      {"product-variant-deleted", base + "/catalogue"},
  };
  for (const auto& [event, url] : subscriptions) {
    ScayleWebhookSubscription subscription;
    subscription.event = event;
    subscription.version = 1;
    subscription.url = url;
    if (auto created = api.CreateWebhookSubscription(subscription); !created) {
      return Fail(created.error().code,
                  "subscribing " + event + " webhooks: " + created.error().message);
    }
  }
  return {};
}

// Waits for SIGINT/SIGTERM, the duration, or the sandbox ending by itself; calls `progress`
// every `every`. Returns why it stopped.
std::string WaitForEnd(SandboxProcess& sandbox, int duration_seconds, std::chrono::seconds every,
                       const std::function<void()>& progress) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::seconds(duration_seconds);
  auto next_progress = start + every;
  for (;;) {
    timespec one_second{1, 0};
    int sig = sigtimedwait(&set, nullptr, &one_second);
    if (sig > 0) return "signal " + std::to_string(sig);
    if (!sandbox.Running()) return "the sandbox ended";
    const auto now = std::chrono::steady_clock::now();
    if (duration_seconds > 0 && now >= end) return std::to_string(duration_seconds) + "s passed";
    if (now >= next_progress) {
      progress();
      next_progress += every;
    }
  }
}

struct EngineOutcome {
  int64_t orders_seen = 0, held = 0, created = 0, confirmed = 0, cancelled = 0;
  size_t skus_pushed = 0, settlements = 0;
  int64_t exceptions_open = 0;
  std::map<std::string, int64_t> exceptions;  // type key → count
};

EngineOutcome ReadOutcome(StateStore& state, const std::shared_ptr<store::SqliteDatabase>& db) {
  EngineOutcome out;
  store::SqliteOrderStore orders(db);
  if (auto seen = orders.ListOrdersSeen(TimePoint{}, TimePoint::max()); seen) {
    for (const auto& o : *seen) {
      ++out.orders_seen;
      out.held += o.held_at ? 1 : 0;
      out.created += o.created_at ? 1 : 0;
      out.confirmed += o.confirmed_at ? 1 : 0;
      out.cancelled += o.cancelled_at ? 1 : 0;
    }
  }
  store::SqliteStockStore stock(db);
  if (auto landed = stock.LastLandedPushes(); landed) {
    std::set<std::string> skus;
    for (const auto& push : *landed)
      if (push.kind == "quantity") skus.insert(push.sku);
    out.skus_pushed = skus.size();
  }
  store::SqliteSettlementStore settlements(db);
  if (auto list = settlements.List(100000); list) out.settlements = list->size();
  ExceptionFilter filter;
  filter.limit = 100000;
  if (auto raised = state.ListExceptions(filter); raised) {
    for (const auto& e : *raised) {
      ++out.exceptions[std::string(InfoFor(e.type).key)];
      out.exceptions_open += e.open() ? 1 : 0;
    }
  }
  return out;
}

void PrintSummary(const EngineOutcome& engine, const json& report, const fs::path& dir,
                  const std::string& dashboard, std::chrono::milliseconds engine_cpu,
                  std::chrono::milliseconds sandbox_cpu) {
  auto num = [&](const char* pointer) {
    auto p = json::json_pointer(pointer);
    return report.contains(p) ? report.at(p).dump() : std::string("?");
  };
  std::cout << "\nmarketbridge demo summary (simulated " << num("/scenario/start") << " to "
            << num("/scenario/end") << ")\n"
            << "  engine:  " << engine.skus_pushed << " SKUs with stock pushed to Amazon; "
            << engine.orders_seen << " Amazon orders seen, " << engine.held << " held in SCAYLE, "
            << engine.created << " created in SCAYLE, " << engine.confirmed
            << " shipments confirmed, " << engine.cancelled << " cancelled; " << engine.settlements
            << " settlements compiled\n"
            << "  market:  " << num("/market/amazonOrders") << " Amazon orders, "
            << num("/market/d2cSales") << " D2C sales, " << num("/market/packagesShipped")
            << " packages shipped, " << num("/market/settlements") << " settlements published, "
            << num("/oversoldUnits") << " units oversold, " << num("/lateShipments")
            << " late shipments\n";
  int64_t total = 0;
  std::string kinds;
  for (const auto& [key, count] : engine.exceptions) {
    total += count;
    kinds += (kinds.empty() ? "" : ", ") + key + " " + std::to_string(count);
  }
  std::cout << "  exceptions raised: " << total << ", " << engine.exceptions_open << " still open"
            << (kinds.empty() ? "" : " (" + kinds + ")") << "\n"
            << "  sandbox report: " << (dir / "sandbox-report.json").string()
            << "; engine log: " << (dir / "marketbridge.log").string() << "\n"
            << "  CPU time: engine " << engine_cpu.count() / 1000.0 << " s, sandbox "
            << sandbox_cpu.count() / 1000.0 << " s\n"
            << "  dashboard was " << dashboard << "\n";
}

int RunDemo(Context& ctx, const DemoOptions& options) {
  BlockShutdownSignals();
  fs::path dir = options.dir;
  if (dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "marketbridge-demo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      return ReportError(Error{ErrorCode::kInvalidInput, "cannot create a directory in /tmp"});
    dir = pattern;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  // Every demo starts from a fresh state store: the sandbox starts a new world each time.
  for (const char* name : {"marketbridge.db", "marketbridge.db-wal", "marketbridge.db-shm"})
    fs::remove(dir / name, ec);
  fs::path scenario_file = options.scenario;
  if (scenario_file.empty()) {
    scenario_file = dir / "scenario.json";
    std::ofstream scenario(scenario_file);
    scenario << DemoScenario().dump(2) << "\n";
    if (!scenario)
      return ReportError(Error{ErrorCode::kInvalidInput, "cannot write in " + dir.string()});
  }

  SandboxProcess sandbox;
  const std::string executable =
      options.sandbox.empty() ? SandboxBesideThisBinary().string() : options.sandbox;
  char scale[32];
  std::snprintf(scale, sizeof scale, "%g", options.time_scale);
  auto spawned =
      sandbox.Start(executable,
                    {"--scenario", fs::absolute(scenario_file).string(), "--report",
                     (dir / "sandbox-report.json").string(), "--time-scale", scale, "--skus",
                     std::to_string(options.skus), "--seed", std::to_string(options.seed)},
                    (dir / "sandbox.log").string(), std::chrono::seconds(120));
  if (!spawned) return ReportError(spawned.error());
  const SandboxEndpoints& endpoints = sandbox.endpoints();

  auto password = NewWebhookPassword();
  if (!password) return ReportError(password.error());
  auto config = DemoConfig(ctx, options, endpoints, dir, *password);
  if (!config) return ReportError(config.error(), kExitUsage);
  if (ctx.log_format.empty()) config->Set("log.format", std::string("text"));
  ctx.UseConfig(std::move(*config));
  auto loaded = ctx.LoadConfig();
  if (!loaded) return ReportError(loaded.error(), kExitUsage);
  try {
    // The console shows the demo's own lines; the engine's log goes to the demo directory.
    log::UseSink(std::make_shared<spdlog::sinks::basic_file_sink_mt>(
        (dir / "marketbridge.log").string(), true));
  } catch (const std::exception& e) {
    return ReportError(Error{ErrorCode::kInvalidInput, e.what()});
  }
  auto store = ctx.OpenStore();
  if (!store) return ReportError(store.error());

  // The engine runs on the sandbox's simulated time: ship-by dates, "2 minutes before now" and
  // every rate limit agree on both sides.
  ScaledClock clock(endpoints.sim_now, endpoints.time_scale);
  Engine engine(**loaded, **store, (*store)->database(), clock);
  if (auto started = engine.Start(); !started) return ReportError(started.error());
  const std::string dashboard = "http://127.0.0.1:" + std::to_string(engine.http_port()) + "/";
  if (auto subscribed = SubscribeWebhooks(**loaded, *password, engine.http_port()); !subscribed) {
    engine.Stop();
    return ReportError(subscribed.error());
  }
  std::cout << "marketbridge demo: engine against marketbridge-sandbox (pid " << sandbox.pid()
            << "), " << options.skus << " SKUs, simulated time from "
            << FormatTimestamp(endpoints.sim_now) << " at " << endpoints.time_scale << "x\n"
            << "  dashboard  " << dashboard << "\n"
            << "  amazon     " << endpoints.amazon_url << "\n"
            << "  scayle     " << endpoints.scayle_url << "\n"
            << "  state      " << dir.string() << " (engine log: marketbridge.log)\n"
            << (options.duration > 0
                    ? "  stops after " + std::to_string(options.duration) + "s (Ctrl-C stops now)"
                    : std::string("  Ctrl-C stops"))
            << std::endl;

  const std::string why = WaitForEnd(sandbox, options.duration, std::chrono::seconds(15), [&] {
    auto now = ReadOutcome(**store, (*store)->database());
    std::cout << "  [" << FormatTimestamp(clock.Now()) << "] " << now.skus_pushed
              << " SKUs pushed, " << now.orders_seen << " orders seen, " << now.created
              << " created in SCAYLE, " << now.confirmed << " confirmed, " << now.exceptions_open
              << " exceptions open" << std::endl;
  });
  log::Get("app")->info("demo ending: {}", why);
  // The market stops first, so its figures cover the time the engine was listening; then the
  // engine, so nothing it does while stopping meets a vanished Amazon or SCAYLE; then the sandbox
  // writes its report.
  sandbox.StopTrading();
  engine.Stop();
  sandbox.Stop();
  json report = json::object();
  std::ifstream in(dir / "sandbox-report.json");
  if (in) report = json::parse(in, nullptr, false);
  if (report.is_discarded()) report = json::object();
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  const auto engine_cpu = std::chrono::milliseconds(
      static_cast<int64_t>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) * 1000 +
      (self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1000);
  PrintSummary(ReadOutcome(**store, (*store)->database()), report, dir, dashboard, engine_cpu,
               sandbox.CpuTime());
  return kExitOk;
}

}  // namespace

void AddDemoCommands(CLI::App& app, Context& ctx) {
  auto* demo = app.add_subcommand(
      "demo", "Run the engine against the built-in sandbox (SQLite, no accounts needed)");
  auto options = std::make_shared<DemoOptions>();
  demo->add_option("--duration", options->duration,
                   "Stop after this many seconds (0: until Ctrl-C)")
      ->check(CLI::NonNegativeNumber);
  demo->add_option("--dir", options->dir,
                   "Directory for the demo's state, scenario and report (default: a new one in "
                   "/tmp)");
  demo->add_option("--sandbox", options->sandbox,
                   "The marketbridge-sandbox executable (default: next to this binary)");
  demo->add_option("--time-scale", options->time_scale,
                   "Simulated seconds per real second (engine and sandbox)")
      ->check(CLI::Range(1.0, 10000.0));
  demo->add_option("--skus", options->skus, "Catalogue size")->check(CLI::Range(1, 1000000));
  demo->add_option("--port", options->port, "Dashboard port on 127.0.0.1 (0: any free one)")
      ->check(CLI::Range(0, 65535));
  demo->add_option("--mapping", options->mapping, "Catalogue mapping file")
      ->check(CLI::ExistingFile);
  demo->add_option("--seed", options->seed, "Random seed of the market");
  demo->add_option("--scenario", options->scenario,
                   "Sandbox scenario file (default: a short demo day; --time-scale, --skus and "
                   "--seed override it)")
      ->check(CLI::ExistingFile);
  OnRun(demo, [&ctx, options] { return RunDemo(ctx, *options); });
}

}  // namespace mb::app

#include "app/cli.hpp"

#include <iostream>

#include "log/log.hpp"
#include "store/sqlite_migrations.hpp"

namespace mb::app {

namespace {
int g_exit_code = kExitOk;
}  // namespace

void OnRun(CLI::App* cmd, Action action) {
  cmd->callback([action = std::move(action)] { g_exit_code = action(); });
}

int ReportError(const Error& error, int code) {
  std::cerr << "marketbridge: " << error.message << "\n";
  return code;
}

Result<const config::Config*> Context::LoadConfig() {
  if (logging_ready_) return config_.get();
  if (config_) {
    // Set by UseConfig().
  } else if (config_path.empty()) {
    config_ = std::make_unique<config::Config>(config::DefaultConfig());
  } else {
    auto loaded = config::LoadConfigFile(config_path);
    if (!loaded) return tl::unexpected(loaded.error());
    config_ = std::make_unique<config::Config>(std::move(*loaded));
  }
  // Command-line options win over the file.
  auto format =
      log::ParseFormat(log_format.empty() ? config_->GetString("log.format") : log_format);
  if (!format) return tl::unexpected(format.error());
  auto init = log::Init(log_level.empty() ? config_->GetString("log.level") : log_level, *format);
  if (!init) return tl::unexpected(init.error());
  logging_ready_ = true;
  return config_.get();
}

Result<store::SqliteStateStore*> Context::OpenStore() {
  if (store_) return store_.get();
  auto config = LoadConfig();
  if (!config) return tl::unexpected(config.error());
  const auto migrations = store::AllSqliteMigrations();
  auto opened = store::OpenSqliteStateStore((*config)->GetString("store.sqlite_path"), migrations,
                                            clock.Now());
  if (!opened) return tl::unexpected(opened.error());
  store_ = std::move(*opened);
  return store_.get();
}

int Main(int argc, char** argv) {
  CLI::App app{
      "Marketbridge: SCAYLE as the master of stock and catalogue, Amazon Seller Central as a sales "
      "channel.",
      "marketbridge"};
  app.set_version_flag("--version", std::string("marketbridge ") + MB_VERSION);
  app.require_subcommand(1);
  Context ctx;
  app.add_option("-c,--config", ctx.config_path, "TOML configuration file (docs/config.md)")
      ->check(CLI::ExistingFile);
  app.add_option("--log-format", ctx.log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--log-level", ctx.log_level,
                 "trace, debug, info, warn or error (overrides log.level)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.fallthrough();

  // Parent of the benchmark subcommands each feature adds (`marketbridge bench flash-sale` ...).
  app.add_subcommand("bench", "Run a benchmark and write its JSON report")->require_subcommand(1);
  AddCoreCommands(app, ctx);
  AddDemoCommands(app, ctx);
  AddExceptionCommands(app, ctx);
  AddCatalogueCommands(app, ctx);
  AddOrderCommands(app, ctx);
  AddSettlementCommands(app, ctx);
  AddStockCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here too, with exit code 0.
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return g_exit_code;
}

}  // namespace mb::app

#pragma once
// The `marketbridge` command line: subcommands are registered by feature (cli_*.cpp), each adding
// its own with one Add*Commands function listed in cli.cpp.

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "core/clock.hpp"
#include "store/sqlite_state_store.hpp"

namespace mb::app {

// Exit codes: 0 success, 1 the operation failed, 2 bad usage or configuration.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Shared by every subcommand: the global options and lazily created services.
struct Context {
  std::string config_path;
  std::string log_format;  // empty: log.format from the config
  std::string log_level;
  SystemClock clock;

  // Loads --config (or the defaults when none is given) and sets up logging once.
  Result<const config::Config*> LoadConfig();
  // Uses `config` instead of reading --config (the demo builds its own).
  void UseConfig(config::Config config) {
    config_ = std::make_unique<config::Config>(std::move(config));
  }
  // Opens the configured state store and applies pending migrations.
  Result<store::SqliteStateStore*> OpenStore();

 private:
  std::unique_ptr<config::Config> config_;
  bool logging_ready_ = false;
  std::unique_ptr<store::SqliteStateStore> store_;
};

// A subcommand's body; its return value is the exit code.
using Action = std::function<int()>;

// Registers `cmd` so that when it is chosen, `action` runs after parsing.
void OnRun(CLI::App* cmd, Action action);

// Prints "marketbridge: <message>" on stderr and returns `code`: the one way commands report
// errors.
int ReportError(const Error& error, int code = kExitFailure);

void AddCoreCommands(CLI::App& app, Context& ctx);  // run, check-config, migrate, config-reference
void AddDemoCommands(CLI::App& app, Context& ctx);  // demo: the engine against the sandbox
void AddExceptionCommands(CLI::App& app, Context& ctx);
void AddCatalogueCommands(CLI::App& app, Context& ctx);  // catalogue preview|check|push
void AddOrderCommands(CLI::App& app, Context& ctx);      // order trace, order new-pii-key
// Features add their commands below (and their benchmarks under app.get_subcommand("bench")).
// settlement import|list|show|export|recompile, and `bench settlement`.
void AddSettlementCommands(CLI::App& app, Context& ctx);
void AddStockCommands(CLI::App& app, Context& ctx);  // sku explain

int Main(int argc, char** argv);

}  // namespace mb::app

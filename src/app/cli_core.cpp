// The foundation's subcommands: run, check-config, migrate, config-reference.
#include <filesystem>
#include <iostream>

#include "app/cli.hpp"
#include "app/engine.hpp"
#include "log/log.hpp"
#include "store/sqlite_migrations.hpp"

namespace mb::app {

namespace {

int RunEngine(Context& ctx, std::optional<std::chrono::seconds> duration) {
  BlockShutdownSignals();
  auto config = ctx.LoadConfig();
  if (!config) return ReportError(config.error(), kExitUsage);
  auto store = ctx.OpenStore();
  if (!store) return ReportError(store.error());
  Engine engine(**config, **store, (*store)->database(), ctx.clock);
  if (auto started = engine.Start(); !started) return ReportError(started.error());
  int sig = WaitForShutdownSignal(duration);
  if (sig != 0) {
    log::Get("app")->info("shutting down on signal {}", sig);
  } else {
    log::Get("app")->info("shutting down after {}s", duration ? duration->count() : 0);
  }
  engine.Stop();
  return kExitOk;
}

}  // namespace

void AddCoreCommands(CLI::App& app, Context& ctx) {
  auto* run =
      app.add_subcommand("run", "Run the engine: HTTP server and sync loops, until SIGINT/SIGTERM");
  OnRun(run, [&ctx] {
    if (ctx.config_path.empty()) {
      return ReportError(
          Error{ErrorCode::kConfigError, "run needs --config FILE (see docs/config.md)"},
          kExitUsage);
    }
    return RunEngine(ctx, std::nullopt);
  });

  auto* check = app.add_subcommand("check-config", "Validate a configuration file");
  auto file = std::make_shared<std::string>();
  check->add_option("FILE", *file, "TOML configuration file")->required();
  OnRun(check, [file] {
    auto loaded = config::LoadConfigFile(*file);
    if (!loaded) {
      std::cerr << loaded.error().message << "\n";
      return kExitUsage;
    }
    int set = 0;
    for (const auto& spec : config::AllKeys()) set += loaded->IsSet(spec.name) ? 1 : 0;
    std::cout << *file << ": ok (" << set << " keys set, the others default)\n";
    return kExitOk;
  });

  auto* migrate = app.add_subcommand("migrate", "Create or upgrade the state store");
  OnRun(migrate, [&ctx] {
    auto config = ctx.LoadConfig();
    if (!config) return ReportError(config.error(), kExitUsage);
    auto opened = store::SqliteDatabase((*config)->GetString("store.sqlite_path"));
    auto applied = opened.Migrate(store::AllSqliteMigrations(), ctx.clock.Now());
    if (!applied) return ReportError(applied.error());
    if (applied->empty()) std::cout << "state store is up to date\n";
    for (const auto& m : *applied)
      std::cout << "applied " << m.module << "/" << m.version << ": " << m.description << "\n";
    return kExitOk;
  });

  auto* reference =
      app.add_subcommand("config-reference", "Print the configuration reference (docs/config.md)");
  OnRun(reference, [] {
    std::cout << config::RenderReference();
    return kExitOk;
  });
}

}  // namespace mb::app

// `marketbridge exceptions`: the raised business exceptions, filtered by team and state.
#include <nlohmann/json.hpp>

#include <iostream>

#include "app/cli.hpp"
#include "app/exception_json.hpp"
#include "core/exception_registry.hpp"
#include "core/timestamp.hpp"

namespace mb::app {

namespace {

void PrintTable(const std::vector<RaisedException>& list, TimePoint now) {
  if (list.empty()) {
    std::cout << "no exceptions\n";
    return;
  }
  for (const auto& e : list) {
    const auto& info = InfoFor(e.type);
    std::string status = !e.open() ? "resolved" : e.act_by() < now ? "OVERDUE" : "open";
    std::cout << "#" << e.id << "  " << status << "  " << info.key
              << "  team=" << TeamName(info.owner) << "  severity=" << SeverityName(info.severity)
              << "  act-by=" << FormatTimestamp(e.act_by()) << "  seen=" << e.occurrences
              << "x\n    " << e.dedup_key << ": " << e.message
              << "\n    playbook: docs/playbook.md#" << info.key << "\n";
  }
}

}  // namespace

void AddExceptionCommands(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("exceptions", "List business exceptions (newest first)");
  auto team = std::make_shared<std::string>();
  auto type = std::make_shared<std::string>();
  auto open_only = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  auto limit = std::make_shared<int>(200);
  cmd->add_option("--team", *team, "Only exceptions owned by this team")
      ->check(CLI::IsMember({"ecommerce", "ops", "finance", "platform"}));
  cmd->add_option("--type", *type, "Only this exception type (e.g. ghost_order)");
  cmd->add_flag("--open", *open_only, "Only open exceptions");
  cmd->add_flag("--json", *json, "One JSON array instead of text");
  cmd->add_option("--limit", *limit, "At most this many")->check(CLI::Range(1, 100000));
  OnRun(cmd, [&ctx, team, type, open_only, json, limit] {
    ExceptionFilter filter;
    filter.open_only = *open_only;
    filter.limit = *limit;
    if (!team->empty()) filter.team = *ParseTeam(*team);
    if (!type->empty()) {
      auto parsed = ParseExceptionType(*type);
      if (!parsed) return ReportError(parsed.error(), kExitUsage);
      filter.type = *parsed;
    }
    auto store = ctx.OpenStore();
    if (!store) return ReportError(store.error());
    ExceptionRegistry registry(**store, ctx.clock, nullptr);
    auto list = registry.List(filter);
    if (!list) return ReportError(list.error());
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : *list) out.push_back(ExceptionToJson(e, ctx.clock.Now()));
      std::cout << out.dump(2) << "\n";
    } else {
      PrintTable(*list, ctx.clock.Now());
    }
    return kExitOk;
  });
}

}  // namespace mb::app

// `marketbridge settlement import | list | show | export | recompile`: Amazon settlement reports
// as journals finance posts (docs/settlement.md).
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.hpp"
#include "app/settlement_rules.hpp"
#include "core/exception_registry.hpp"
#include "core/settlement/flat_file_parser.hpp"
#include "core/settlement/journal_export.hpp"
#include "core/settlement/settlement_import.hpp"
#include "core/timestamp.hpp"
#include "store/sqlite_order_store.hpp"
#include "store/sqlite_settlement_store.hpp"
#include "sync/settlement_order_ledger.hpp"

#ifdef MB_HAVE_SETTLEMENT_BENCH
#include "settlement_bench.hpp"
#endif

namespace mb::app {

namespace {

using namespace mb::settlement;

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, path + ": cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Amount(const Money& m) {
  return m.ToDecimalString() + " " + std::string(m.currency().code());
}

void PrintJournal(const SettlementJournal& j) {
  std::cout << j.Summary() << "\n"
            << "  source " << j.source << ", " << j.row_count << " rows, content " << j.content_hash
            << ", rule table " << j.rule_table_version << "\n";
  for (const auto& journal : j.journals) {
    std::cout << "\n  journal " << journal.reference << " dated " << FormatDate(journal.date)
              << " (balance " << Amount(journal.Balance()) << ")\n";
    std::cout << "    account  category                     debit          credit    rows  name\n";
    for (const auto& l : journal.lines) {
      char line[256];
      const std::string debit = l.amount.is_negative() ? "" : l.amount.ToDecimalString();
      const std::string credit = l.amount.is_negative() ? (-l.amount).ToDecimalString() : "";
      std::snprintf(line, sizeof line, "    %-8s %-28s %14s %14s %6lld  %s\n",
                    l.account.code.c_str(), l.category.c_str(), debit.c_str(), credit.c_str(),
                    static_cast<long long>(l.rows), l.account.name.c_str());
      std::cout << line;
    }
  }
  if (!j.unmapped.empty()) {
    std::cout << "\n  unmapped (posting blocked until a rule maps them):\n";
    for (const auto& u : j.unmapped) {
      std::cout << "    " << u.transaction_type << " / " << u.amount_type << " / "
                << u.amount_description << ": " << u.rows << " rows, " << Amount(u.total);
      if (!u.ambiguity.empty()) std::cout << " (" << u.ambiguity << ")";
      std::cout << "\n";
      for (const auto& s : u.samples) {
        std::cout << "      line " << s.line << ": order "
                  << (s.order_id.empty() ? "-" : s.order_id) << ", sku "
                  << (s.sku.empty() ? "-" : s.sku) << ", amount " << s.amount << ", posted "
                  << s.posted << "\n";
      }
    }
  }
}

void PrintOrderCheck(const std::optional<OrderCheck>& check, Currency currency) {
  if (!check) {
    std::cout << "\n  orders not checked (imported before the order check existed)\n";
    return;
  }
  std::cout << "\n  " << check->Summary() << "\n";
  for (const auto& f : check->findings) {
    std::cout << "    " << OrderFindingKindName(f.kind) << "  order " << f.order_id << ", sku "
              << (f.sku.empty() ? "-" : f.sku) << ", " << f.rows << " rows, "
              << Amount(Money(f.amount_minor, currency)) << ", line " << f.first_line << "\n";
  }
}

struct Services {
  Services(store::SqliteStateStore& state, const Clock& clock)
      : settlements(state.database()),
        orders(state.database()),
        ledger(orders),
        exceptions(state, clock, nullptr),
        service(settlements, exceptions, &ledger) {}
  store::SqliteSettlementStore settlements;
  store::SqliteOrderStore orders;  // the order loop's ledger, read only
  sync::OrderStoreLedgerView ledger;
  ExceptionRegistry exceptions;
  SettlementService service;
};

Result<std::unique_ptr<Services>> OpenServices(Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store) return tl::unexpected(store.error());
  return std::make_unique<Services>(**store, ctx.clock);
}

// `marketbridge bench settlement --report FILE.json` (bench/settlement_bench.hpp), when the
// benchmarks are part of the build.
void AddSettlementBench([[maybe_unused]] CLI::App& app) {
#ifdef MB_HAVE_SETTLEMENT_BENCH
  auto* cmd = app.get_subcommand("bench")->add_subcommand(
      "settlement",
      "Parse + compile ~100 MB of generated settlement files against a Python baseline");
  auto options = std::make_shared<bench::SettlementBenchOptions>();
  auto report_path = std::make_shared<std::string>();
  auto mb = std::make_shared<int64_t>(100);
  cmd->add_option("--report", *report_path, "Write the JSON report to this file");
  cmd->add_option("--mb", *mb, "Megabytes (10^6 bytes) of settlement files to generate")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--runs", options->runs, "Best of this many runs")->check(CLI::Range(1, 100));
  cmd->add_option("--baseline-runs", options->baseline_runs, "Best of this many baseline runs")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--work-dir", options->work_dir, "Where the generated files go");
  OnRun(cmd, [options, report_path, mb] {
    options->target_bytes = *mb * 1'000'000;
    auto report = bench::RunSettlementBench(*options);
    if (!report) return ReportError(report.error());
    std::cout << report->ToText();
    if (!report_path->empty()) {
      std::ofstream out(*report_path);
      out << report->ToJson();
      if (!out)
        return ReportError(Error{ErrorCode::kInternal, *report_path + ": cannot be written"});
      std::cout << "report written to " << *report_path << "\n";
    }
    return kExitOk;
  });
#endif
}

}  // namespace

void AddSettlementCommands(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("settlement", "Amazon settlement reports as balanced journals");
  cmd->require_subcommand(1);

  auto* import = cmd->add_subcommand(
      "import", "Import a GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 file (once per settlement)");
  auto file = std::make_shared<std::string>();
  auto rules_path = std::make_shared<std::string>();
  auto split = std::make_shared<bool>(false);
  auto decimal = std::make_shared<std::string>();
  auto replace = std::make_shared<bool>(false);
  import->add_option("FILE", *file, "The settlement report (tab-separated, as downloaded)")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--rules", *rules_path, "Rule table CSV (default: the built-in table)")
      ->check(CLI::ExistingFile);
  import->add_flag("--split-months", *split, "One journal per calendar month plus the deposit");
  import->add_flag("--replace", *replace,
                   "Replace a stored settlement of the same id whose content differs (a re-issue "
                   "or corrected download you have checked)");
  import->add_option("--decimal", *decimal, "Force the number format: dot (1,234.56) or comma")
      ->check(CLI::IsMember({"dot", "comma"}));
  OnRun(import, [&ctx, file, rules_path, split, decimal, replace] {
    auto rules = LoadSettlementRules(*rules_path);
    if (!rules) return ReportError(rules.error(), kExitUsage);
    auto bytes = ReadFile(*file);
    if (!bytes) return ReportError(bytes.error());
    ParseOptions parse;
    if (!decimal->empty()) {
      parse.decimal_style =
          *decimal == "dot" ? DecimalStyle::kDotDecimal : DecimalStyle::kCommaDecimal;
    }
    // All or nothing: a file that does not parse leaves no trace in the store.
    auto report = ParseSettlementBytes(std::move(*bytes), *file, parse);
    if (!report) return ReportError(report.error());
    auto services = OpenServices(ctx);
    if (!services) return ReportError(services.error());
    CompileOptions options;
    options.split_at_month_end = *split;
    auto outcome = (*services)->service.Import(*report, *rules, options, ctx.clock.Now(), *replace);
    if (!outcome) return ReportError(outcome.error());
    std::cout << outcome->message << "\n";
    if (outcome->kind == ImportKind::kReissue && !outcome->replaced) {
      std::cout << "to replace the stored version with this file: marketbridge settlement import "
                << *file << " --replace\n";
      return kExitFailure;
    }
    if (outcome->kind != ImportKind::kDuplicate && outcome->status != SettlementStatus::kPostable) {
      std::cout << "see `marketbridge settlement show " << outcome->settlement_id
                << "` and `marketbridge exceptions --team finance --open`\n";
    }
    return kExitOk;
  });

  auto* list = cmd->add_subcommand("list", "Imported settlements, newest period first");
  auto json = std::make_shared<bool>(false);
  auto limit = std::make_shared<int>(50);
  list->add_flag("--json", *json, "JSON lines instead of a table");
  list->add_option("--limit", *limit, "At most this many")->check(CLI::Range(1, 100000));
  OnRun(list, [&ctx, json, limit] {
    auto services = OpenServices(ctx);
    if (!services) return ReportError(services.error());
    auto listed = (*services)->settlements.List(*limit);
    if (!listed) return ReportError(listed.error());
    if (listed->empty() && !*json) std::cout << "no settlements imported\n";
    for (const auto& l : *listed) {
      if (*json) {
        std::cout << "{\"settlement_id\": \"" << l.settlement_id << "\", \"status\": \""
                  << SettlementStatusName(l.status) << "\", \"start\": \"" << FormatDate(l.start)
                  << "\", \"end\": \"" << FormatDate(l.end) << "\", \"deposit\": \""
                  << l.total_amount.ToDecimalString() << "\", \"currency\": \""
                  << l.total_amount.currency().code() << "\", \"difference\": \""
                  << l.difference.ToDecimalString() << "\", \"unmapped\": " << l.unmapped
                  << ", \"reissues\": " << l.reissues << "}\n";
        continue;
      }
      std::cout << l.settlement_id << "  " << SettlementStatusName(l.status) << "  "
                << FormatDate(l.start) << " to " << FormatDate(l.end) << "  deposit "
                << Amount(l.total_amount);
      if (!l.difference.is_zero()) std::cout << "  difference " << Amount(l.difference);
      if (l.unmapped) std::cout << "  unmapped " << l.unmapped;
      if (l.reissues) std::cout << "  re-issued " << l.reissues << "x";
      std::cout << "  rules " << l.rule_table_version << "\n";
    }
    return kExitOk;
  });

  auto* show = cmd->add_subcommand("show", "One settlement: status, journal lines, unmapped lines");
  auto show_id = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  show->add_option("ID", *show_id, "Settlement id")->required();
  show->add_flag("--json", *show_json, "The journal as JSON (as `export --format json`)");
  OnRun(show, [&ctx, show_id, show_json] {
    auto services = OpenServices(ctx);
    if (!services) return ReportError(services.error());
    auto stored = (*services)->settlements.Load(*show_id);
    if (!stored) return ReportError(stored.error());
    if (!*stored) {
      return ReportError(
          Error{ErrorCode::kNotFound, "settlement " + *show_id + " has not been imported"});
    }
    if (*show_json) {
      std::cout << JournalToJson((*stored)->journal);
    } else {
      PrintJournal((*stored)->journal);
      PrintOrderCheck((*stored)->order_check, (*stored)->journal.total_amount.currency());
      if ((*stored)->reissues) {
        std::cout << "\n  Amazon re-issued this settlement " << (*stored)->reissues
                  << " time(s) with other content; the stored version is the first import\n";
      }
    }
    return kExitOk;
  });

  auto* exp =
      cmd->add_subcommand("export", "Write a settlement's journal as CSV, JSON or Xero CSV");
  auto exp_id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("csv");
  auto output = std::make_shared<std::string>();
  auto xero = std::make_shared<XeroOptions>();
  exp->add_option("ID", *exp_id, "Settlement id")->required();
  exp->add_option("--format", *format, "csv, json or xero (manual journal import)")
      ->check(CLI::IsMember({"csv", "json", "xero"}));
  exp->add_option("-o,--output", *output, "File to write (default: standard output)");
  exp->add_option("--xero-tax-rate", xero->tax_rate, "Xero tax rate name on every line");
  exp->add_option("--xero-tracking-name", xero->tracking_name, "Xero tracking category name");
  exp->add_option("--xero-tracking-option", xero->tracking_option, "Xero tracking option");
  OnRun(exp, [&ctx, exp_id, format, output, xero] {
    auto services = OpenServices(ctx);
    if (!services) return ReportError(services.error());
    auto stored = (*services)->settlements.Load(*exp_id);
    if (!stored) return ReportError(stored.error());
    if (!*stored) {
      return ReportError(
          Error{ErrorCode::kNotFound, "settlement " + *exp_id + " has not been imported"});
    }
    std::string text;
    if (*format == "csv") {
      text = JournalToCsv((*stored)->journal);
    } else if (*format == "json") {
      text = JournalToJson((*stored)->journal);
    } else {
      auto x = JournalToXeroCsv((*stored)->journal, *xero);
      if (!x) return ReportError(x.error());
      text = std::move(*x);
    }
    if (output->empty()) {
      std::cout << text;
    } else {
      std::ofstream out(*output, std::ios::binary);
      out << text;
      if (!out) return ReportError(Error{ErrorCode::kInternal, *output + ": cannot be written"});
    }
    return kExitOk;
  });

  // A person's decision that the engine cannot make: keep the stored version of a re-issued
  // settlement, or the settled orders that did not match are explained.
  auto* resolve = cmd->add_subcommand(
      "resolve", "Close a settlement's re-issue or order-mismatch exception after checking it");
  auto res_id = std::make_shared<std::string>();
  auto res_what = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  resolve->add_option("ID", *res_id, "Settlement id")->required();
  resolve
      ->add_option("WHAT", *res_what,
                   "reissue (keep the stored version) or orders (every order explained)")
      ->required()
      ->check(CLI::IsMember({"reissue", "orders"}));
  resolve->add_option("--note", *note, "What you checked or decided (kept with the exception)")
      ->required();
  OnRun(resolve, [&ctx, res_id, res_what, note] {
    auto services = OpenServices(ctx);
    if (!services) return ReportError(services.error());
    const ExceptionType type = *res_what == "reissue" ? ExceptionType::kSettlementReissued
                                                      : ExceptionType::kSettlementOrderMismatch;
    auto resolved = (*services)->exceptions.Resolve(type, *res_id, *note);
    if (!resolved) return ReportError(resolved.error());
    if (!*resolved) {
      return ReportError(Error{ErrorCode::kNotFound, "settlement " + *res_id + " has no open " +
                                                         std::string(InfoFor(type).key) +
                                                         " exception"});
    }
    std::cout << "resolved " << InfoFor(type).key << " for settlement " << *res_id << "\n";
    return kExitOk;
  });

  AddSettlementBench(app);

  auto* recompile = cmd->add_subcommand(
      "recompile", "Compile a stored settlement again with the current rule table");
  auto re_id = std::make_shared<std::string>();
  auto re_rules = std::make_shared<std::string>();
  recompile->add_option("ID", *re_id, "Settlement id")->required();
  recompile->add_option("--rules", *re_rules, "Rule table CSV (default: the built-in table)")
      ->check(CLI::ExistingFile);
  OnRun(recompile, [&ctx, re_id, re_rules] {
    auto rules = LoadSettlementRules(*re_rules);
    if (!rules) return ReportError(rules.error(), kExitUsage);
    auto services = OpenServices(ctx);
    if (!services) return ReportError(services.error());
    auto journal = (*services)->service.Recompile(*re_id, *rules, ctx.clock.Now());
    if (!journal) return ReportError(journal.error());
    std::cout << "recompiled " << journal->Summary() << "\n";
    return kExitOk;
  });
}

}  // namespace mb::app

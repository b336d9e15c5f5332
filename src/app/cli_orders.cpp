// `marketbridge order ...`: the order loop's commands. `order trace` prints one order's timeline
// across Amazon, the engine and SCAYLE from the ledger, its outbox effects and its exceptions;
// personal data is never printed.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

#include "app/cli.hpp"
#include "core/exception_registry.hpp"
#include "core/orders/order_ledger.hpp"
#include "core/timestamp.hpp"
#include "crypto/pii_cipher.hpp"
#include "store/sqlite_order_store.hpp"

#ifdef MB_HAVE_ORDERS_BENCH
#include <fstream>

#include "orders_bench.hpp"
#endif

namespace mb::app {

namespace {

struct TraceLine {
  TimePoint at;
  std::string source;
  std::string event;
  std::string detail;
};

std::string Opt(const std::optional<TimePoint>& t) { return t ? FormatTimestamp(*t) : "-"; }

// The outbox effects the order's steps recorded, as timeline lines.
std::vector<TraceLine> EffectLines(Outbox& outbox, const orders::OrderRecord& r) {
  std::vector<IdempotencyKey> keys{orders::CreateEffectKey(r.order_id)};
  for (const auto& u : r.units) {
    std::string key = orders::ReservationKey(r.order_id, u.order_item_id, u.index);
    keys.push_back(orders::ReserveEffectKey(key));
    keys.push_back(orders::ReleaseEffectKey(key));
    keys.push_back(orders::CancelEffectKey(r.order_id, u.order_item_id, u.index));
  }
  for (const auto& p : r.packages)
    keys.push_back(orders::ConfirmEffectKey(r.order_id, p.package_reference_id));
  std::vector<TraceLine> out;
  for (const auto& key : keys) {
    auto effect = outbox.FindEffect(key);
    if (!effect || !*effect) continue;
    const Effect& e = **effect;
    std::string detail =
        std::string(EffectStateName(e.state)) + ", " + std::to_string(e.attempts) + " attempt(s)";
    if (!e.last_error.empty()) detail += ", last error: " + e.last_error;
    out.push_back({e.created_at, "engine", "effect " + key.value(), detail});
  }
  return out;
}

std::vector<RaisedException> OrderExceptions(ExceptionRegistry& registry, const AmazonOrderId& id) {
  std::vector<RaisedException> out;
  for (ExceptionType type :
       {ExceptionType::kGhostOrder, ExceptionType::kOrderNotHeldInTime,
        ExceptionType::kShipByAtRisk, ExceptionType::kCarrierRejected,
        ExceptionType::kConfirmationFailed, ExceptionType::kUnknownOrderStatus}) {
    ExceptionFilter f;
    f.type = type;
    f.limit = 100000;
    auto list = registry.List(f);
    if (!list) continue;
    for (const auto& e : *list) {
      if (e.dedup_key == id.value() || e.dedup_key.rfind(id.value() + ":", 0) == 0)
        out.push_back(e);
    }
  }
  return out;
}

int Trace(Context& ctx, const std::string& order_id, bool as_json) {
  auto state = ctx.OpenStore();
  if (!state) return ReportError(state.error());
  store::SqliteOrderStore orders((*state)->database());
  AmazonOrderId id(order_id);
  auto record = orders.LoadOrder(id);
  if (!record) return ReportError(record.error());
  if (!*record)
    return ReportError(
        Error{ErrorCode::kNotFound,
              "order " + order_id +
                  " is not in the ledger (check the id; the "
                  "backstop picks up orders updated in the last 24 h on its first run)"});
  const orders::OrderRecord& r = **record;
  auto timeline = orders.Timeline(id);
  if (!timeline) return ReportError(timeline.error());
  std::vector<TraceLine> lines;
  for (const auto& e : *timeline) lines.push_back({e.at, e.source, e.event, e.detail});
  for (auto& l : EffectLines(**state, r)) lines.push_back(std::move(l));
  std::stable_sort(lines.begin(), lines.end(),
                   [](const TraceLine& a, const TraceLine& b) { return a.at < b.at; });
  ExceptionRegistry registry(**state, ctx.clock, nullptr);
  auto exceptions = OrderExceptions(registry, id);
  auto pii = orders.LoadPii(id);
  bool has_pii = pii && *pii;

  if (as_json) {
    nlohmann::json j = {{"amazon_order_id", r.order_id.value()},
                        {"marketplace_id", r.marketplace_id.value()},
                        {"state", std::string(orders::OrderStateName(r.State()))},
                        {"amazon_status", r.raw_status},
                        {"scayle_order_id", r.scayle_order_id},
                        {"latest_ship_date", Opt(r.latest_ship_date)},
                        {"personal_data", has_pii ? "stored (encrypted)" : "none"},
                        {"timeline", nlohmann::json::array()},
                        {"exceptions", nlohmann::json::array()}};
    for (const auto& l : lines)
      j["timeline"].push_back({{"at", FormatTimestamp(l.at)},
                               {"source", l.source},
                               {"event", l.event},
                               {"detail", l.detail}});
    for (const auto& e : exceptions)
      j["exceptions"].push_back({{"type", InfoFor(e.type).key},
                                 {"status", e.open() ? "open" : "resolved"},
                                 {"message", e.message}});
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "order " << r.order_id << "  marketplace " << r.marketplace_id << "\n"
            << "  state " << orders::OrderStateName(r.State()) << ", Amazon status " << r.raw_status
            << (r.merchant_fulfilled ? "" : " (fulfilled by Amazon)") << "\n"
            << "  SCAYLE order "
            << (r.scayle_order_id ? std::to_string(r.scayle_order_id) : std::string("-")) << "\n"
            << "  seen " << FormatTimestamp(r.first_seen_at) << ", held " << Opt(r.held_at)
            << ", created " << Opt(r.created_at) << ", confirmed " << Opt(r.confirmed_at)
            << ", cancelled " << Opt(r.cancelled_at) << "\n"
            << "  ship by " << Opt(r.latest_ship_date) << "\n"
            << "  units " << r.units.size() << ", packages " << r.packages.size()
            << ", personal data " << (has_pii ? "stored (encrypted)" : "none") << ", purge after "
            << Opt(r.pii_purge_after) << "\n\n";
  for (const auto& l : lines) {
    std::cout << FormatTimestamp(l.at) << "  " << l.source
              << std::string(8 - std::min<size_t>(7, l.source.size()), ' ') << l.event
              << (l.detail.empty() ? "" : ": " + l.detail) << "\n";
  }
  if (!exceptions.empty()) std::cout << "\nexceptions:\n";
  for (const auto& e : exceptions) {
    std::cout << "  " << (e.open() ? "open" : "resolved") << "  " << InfoFor(e.type).key << "  "
              << e.message << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddOrderCommands(CLI::App& app, Context& ctx) {
  auto* order =
      app.add_subcommand("order", "The order loop: inspect Amazon orders")->require_subcommand(1);
  auto* trace = order->add_subcommand(
      "trace", "The order's timeline across Amazon, the engine and SCAYLE (no personal data)");
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  trace->add_option("AMAZON_ORDER_ID", *id, "e.g. 302-1234567-1234567")->required();
  trace->add_flag("--json", *json, "One JSON object instead of text");
  OnRun(trace, [&ctx, id, json] { return Trace(ctx, *id, *json); });

  auto* key = order->add_subcommand(
      "new-pii-key",
      "Print a fresh AES-256 key (base64) for orders.pii_key; keep it in the environment");
  OnRun(key, [] {
    auto k = crypto::NewKeyText();
    if (!k) return ReportError(k.error());
    std::cout << *k << "\n";
    return kExitOk;
  });

#ifdef MB_HAVE_ORDERS_BENCH
  auto* bench = app.get_subcommand("bench")->add_subcommand(
      "orders", "A simulated trading day of Amazon orders through the order loop (sandbox worlds)");
  auto report = std::make_shared<std::string>();
  auto options = std::make_shared<bench::OrdersBenchOptions>();
  bench->add_option("--report", *report, "Write the JSON report here")->required();
  bench->add_option("--orders", options->orders, "Orders placed during the day")
      ->check(CLI::Range(1, 1000000));
  bench->add_option("--seed", options->seed, "Random seed of the day");
  OnRun(bench, [report, options] {
    nlohmann::json result = bench::RunOrdersBench(*options);
    std::ofstream(*report) << result.dump(2) << "\n";
    std::cout << result.dump(2) << "\n";
    return kExitOk;
  });
#endif
}

}  // namespace mb::app

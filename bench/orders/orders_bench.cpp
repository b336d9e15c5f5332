#include "orders_bench.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <queue>
#include <random>
#include <set>

#include "order_world_ports.hpp"
#include "sandbox/scayle/catalogue_generator.hpp"
#include "tests/order_loop.hpp"

namespace mb::bench {

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using order_test::OrderLoop;
using sandbox::SimTime;

constexpr const char* kSeller = "A2MBSANDBOX1";
constexpr const char* kDe = "A1PA6795UKMFR9";

enum class Kind {
  kPlace,
  kPay,
  kCancel,
  kCancelLate,
  kShip,
  kShipRest,
  kOutageStart,
  kOutageEnd,
  kKill
};

struct Event {
  SimTime at;
  uint64_t seq;
  Kind kind;
  std::string order_id;
  bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

json ListingBody() {
  return {{"productType", "SHIRT"},
          {"attributes",
           {{"item_name", {{{"value", "Shirt"}, {"language_tag", "de_DE"}}}},
            {"fulfillment_availability",
             {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", 1000000}}}},
            {"purchasable_offer",
             {{{"currency", "EUR"},
               {"our_price", {{{"schedule", {{{"value_with_tax", 29.95}}}}}}}}}}}}};
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

json RunOrdersBench(const OrdersBenchOptions& o) {
  auto wall_start = std::chrono::steady_clock::now();
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto chance = [&](double p) { return unit(rng) < p; };
  auto between = [&](Duration lo, Duration hi) {
    return Duration(
        static_cast<int64_t>(lo.count() + unit(rng) * static_cast<double>((hi - lo).count())));
  };

  const SimTime day_start(std::chrono::hours(496000));
  sandbox::SimClock sim(day_start, 0.0);
  order_test::SimClockAdapter clock(sim);
  sandbox::amazon::AmazonWorld amazon_world(sim, sandbox::amazon::AmazonConfig{});
  sandbox::scayle::ScayleWorld scayle_world(sim);
  sandbox::sqs::SqsQueue queue("marketbridge-orders", sim);
  queue.SetDuplicateDelivery(o.sqs_duplicates);
  WorldAmazonApi amazon(amazon_world, kSeller);
  WorldScayleApi scayle(scayle_world);
  WorldQueue port(queue);

  // The tenant: 300 SKUs with ample stock in the Amazon warehouse, all listed on amazon.de, plus
  // ten SKUs listed on Amazon that SCAYLE does not have.
  scayle_world.SeedDefaultTenant();
  sandbox::scayle::CatalogueSpec spec;
  spec.seed = o.seed;
  spec.target_skus = 300;
  sandbox::scayle::GenerateFashionCatalogue(scayle_world, spec);
  std::vector<std::string> skus = scayle_world.Skus();
  for (const auto& sku : skus) {
    sandbox::scayle::StockUpdate up;
    up.warehouse_key = "wh-main";
    up.quantity = 100000;
    (void)scayle_world.SetStock(sandbox::scayle::Identifier{std::nullopt, sku}, up);
    (void)amazon_world.PutListing(kSeller, kDe, sku, ListingBody(), false);
  }
  std::vector<std::string> ghost_skus;
  for (int i = 1; i <= 10; ++i) {
    ghost_skus.push_back("GHOST-" + std::to_string(i));
    (void)amazon_world.PutListing(kSeller, kDe, ghost_skus.back(), ListingBody(), false);
  }

  std::mutex world_events_mu;
  std::vector<sandbox::scayle::WorldEvent> world_events;
  scayle_world.SetEventSink([&](const sandbox::scayle::WorldEvent& e) {
    if (e.name != "order-confirmed" && e.name != "order-package-shipped") return;
    std::lock_guard lock(world_events_mu);
    world_events.push_back(e);
  });

  std::string dir = o.db_dir;
  if (dir.empty())
    dir = std::filesystem::exists("/dev/shm") ? "/dev/shm"
                                              : std::filesystem::temp_directory_path().string();
  std::string db_path = dir + "/mb-orders-bench-" + std::to_string(::getpid()) + ".db";
  auto remove_db = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
  };
  remove_db();
  sync::IntakeSettings intake;
  intake.long_poll = 0ms;
  intake.marketplace_ids = {MarketplaceId(kDe)};
  auto start_engine = [&] {
    return std::make_unique<OrderLoop>(db_path, amazon, scayle, clock,
                                       order_test::DefaultOrderSettings(), intake);
  };
  auto loop = start_engine();

  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  uint64_t seq = 0;
  auto schedule = [&](SimTime at, Kind kind, std::string id = "") {
    events.push(Event{at, seq++, kind, std::move(id)});
  };
  const Duration spacing = std::chrono::duration_cast<Duration>(24h) / o.orders;
  for (int i = 0; i < o.orders; ++i)
    schedule(day_start + spacing * i + between(0ms, spacing), Kind::kPlace);
  if (o.scayle_outage_minutes > 0) {
    schedule(day_start + 10h, Kind::kOutageStart);
    schedule(day_start + 10h + std::chrono::minutes(o.scayle_outage_minutes), Kind::kOutageEnd);
  }
  if (o.restart_with_kill) schedule(day_start + 12h, Kind::kKill);

  std::map<std::string, std::string> status;  // Amazon order id -> what the simulation did
  std::set<std::string> ghost_orders, lost_notifications, multi_package;
  int notifications = 0, restarts = 0, carrier_unmapped_packages = 0;
  bool kill_armed = false;
  scayle.after_reserve = [&](const auto&) {
    if (kill_armed) {
      kill_armed = false;
      throw order_test::EngineKilled();
    }
  };
  auto notify = [&](const std::string& id) {
    if (chance(o.lost_notification_share)) {
      lost_notifications.insert(id);
      return;
    }
    auto order = amazon_world.GetOrder(id);
    queue.Send(order_test::OrderChangeBody(*order, ++notifications));
  };
  const std::vector<std::string> carriers{"DHL_STD_NATIONAL", "UPS", "DPD"};
  auto ship = [&](const std::string& id, bool rest) {
    auto so = scayle_world.FindOrder("ms", "DE", sandbox::scayle::Identifier{std::nullopt, id});
    if (!so) return;
    std::vector<int64_t> open_items;
    for (const auto& item : so->items)
      if (!item.package_id && item.status != "cancelled") open_items.push_back(item.id);
    if (open_items.empty()) return;
    sandbox::scayle::PackageSpec spec;
    spec.carrier_key =
        chance(o.unmapped_carrier_share) ? "HERMES" : carriers[rng() % carriers.size()];
    if (spec.carrier_key == "HERMES") ++carrier_unmapped_packages;
    spec.shipment_key = "TRK" + std::to_string(so->id) + (rest ? "B" : "A");
    if (!rest && open_items.size() >= 2 && chance(o.multi_package_share)) {
      multi_package.insert(id);
      spec.item_ids.assign(open_items.begin(), open_items.begin() + open_items.size() / 2);
      schedule(sim.Now() + between(10min, 2h), Kind::kShipRest, id);
    }
    (void)scayle_world.ShipOrder(so->id, {spec});
  };

  // Runs the engine's share of work at the current instant; an EngineKilled restarts it.
  auto run_engine = [&](bool periodic_process, bool backstop, bool ship_poll) {
    for (;;) {
      try {
        for (int i = 0; i < 100 && queue.VisibleCount() > 0; ++i)
          (void)loop->intake.PollQueue(port);
        std::vector<sandbox::scayle::WorldEvent> batch;
        {
          std::lock_guard lock(world_events_mu);
          batch.swap(world_events);
        }
        for (const auto& e : batch) {
          json payload = e.envelope.value("payload", json::object());
          std::string ref = payload.value("referenceKey", json()).is_string()
                                ? payload["referenceKey"].get<std::string>()
                                : std::string();
          if (e.name == "order-confirmed") {
            // The warehouse ships within 1–30 h, before the 48 h ship-by.
            if (!ref.empty()) schedule(sim.Now() + between(1h, 30h), Kind::kShip, ref);
            continue;
          }
          if (chance(o.confirm_fault_share)) amazon.fail_next_confirms = 1;
          (void)loop->Deliver(e.name, e.envelope.dump());
        }
        // The engine's orders.retry task (every second): failed steps whose retry is due.
        (void)loop->processor.ProcessDueRetries();
        if (periodic_process) (void)loop->processor.ProcessOpen();
        if (backstop) (void)loop->intake.RunBackstop();
        if (ship_poll) (void)loop->watcher.Poll();
        return;
      } catch (const order_test::EngineKilled&) {
        loop.reset();
        loop = start_engine();
        ++restarts;
        periodic_process = true;  // a restarted engine first works through its open orders
      }
    }
  };

  SimTime next_process = day_start + 5min, next_backstop = day_start + 5min,
          next_poll = day_start + 30min;
  SimTime last_event = day_start;
  while (!events.empty() || sim.Now() < last_event + 2h) {
    auto retry = loop->processor.NextRetryDue();
    SimTime next_retry = retry ? SimTime(retry->time_since_epoch()) : SimTime::max();
    SimTime t = std::min({events.empty() ? SimTime::max() : events.top().at, next_process,
                          next_backstop, next_poll, std::max(next_retry, sim.Now())});
    if (t > sim.Now()) sim.Advance(t - sim.Now());
    queue.Wake();
    while (!events.empty() && events.top().at <= sim.Now()) {
      Event e = events.top();
      events.pop();
      last_event = std::max(last_event, e.at);
      switch (e.kind) {
        case Kind::kPlace: {
          sandbox::amazon::PlaceOrderRequest req;
          req.seller_id = kSeller;
          req.marketplace_id = kDe;
          int lines = chance(0.05) ? 3 : chance(0.2) ? 2 : 1;
          std::set<std::string> used;
          bool ghost = chance(o.unmapped_share);
          for (int l = 0; l < lines; ++l) {
            std::string sku =
                ghost && l == 0 ? ghost_skus[rng() % ghost_skus.size()] : skus[rng() % skus.size()];
            if (!used.insert(sku).second) continue;
            int qty = chance(0.05) ? 3 : chance(0.15) ? 2 : 1;
            req.lines.push_back({sku, qty, std::nullopt});
          }
          auto placed = amazon_world.PlaceOrder(req);
          if (!placed) break;
          const std::string id = placed->order_id;
          status[id] = "pending";
          if (ghost) ghost_orders.insert(id);
          notify(id);
          if (chance(o.cancel_share))
            schedule(sim.Now() + between(1min, 20min), Kind::kCancel, id);
          else
            schedule(sim.Now() + between(1min, 30min), Kind::kPay, id);
          break;
        }
        case Kind::kPay:
          (void)amazon_world.SetOrderStatus(e.order_id, "UNSHIPPED");
          status[e.order_id] = "unshipped";
          notify(e.order_id);
          // Some buyers cancel after paying: the SCAYLE order exists by then, and the warehouse
          // may already have shipped it (SCAYLE refuses; ops is told).
          if (chance(o.late_cancel_share))
            schedule(sim.Now() + between(10min, 6h), Kind::kCancelLate, e.order_id);
          break;
        case Kind::kCancelLate:
          if (!amazon_world.CancelOrder(e.order_id)) break;  // Amazon has it shipped already
          status[e.order_id] = "cancelled_late";
          notify(e.order_id);
          break;
        case Kind::kCancel:
          (void)amazon_world.CancelOrder(e.order_id);
          status[e.order_id] = "cancelled";
          notify(e.order_id);
          break;
        case Kind::kShip:
          ship(e.order_id, false);
          break;
        case Kind::kShipRest:
          ship(e.order_id, true);
          break;
        case Kind::kOutageStart:
          scayle.fail_next_calls = 1 << 30;
          break;
        case Kind::kOutageEnd:
          scayle.fail_next_calls = 0;
          break;
        case Kind::kKill:
          kill_armed = true;
          break;
      }
    }
    bool process = sim.Now() >= next_process, backstop = sim.Now() >= next_backstop,
         poll = sim.Now() >= next_poll;
    if (process) next_process += 5min;
    if (backstop) next_backstop += 5min;
    if (poll) next_poll += 30min;
    run_engine(process, backstop, poll);
  }

  // ---- the day's figures, from the worlds (what happened) and the ledger (when) ----
  auto records =
      loop->orders.ListOrdersSeen(clock.Now() - std::chrono::hours(24 * 30), clock.Now() + 1h);
  std::map<std::string, orders::OrderRecord> ledger;
  if (records)
    for (auto& r : *records) ledger.emplace(r.order_id.value(), std::move(r));
  std::map<std::string, int> first_confirmations;
  std::map<std::string, std::vector<sandbox::amazon::ShipmentConfirmation>> late_confirmations;
  std::map<std::string, SimTime> confirmed_at;  // by tracking number: Amazon's first receipt
  for (const auto& c : amazon_world.Confirmations()) {
    if (c.edit) continue;
    ++first_confirmations[c.order_id];
    if (c.late) late_confirmations[c.order_id].push_back(c);
    confirmed_at.emplace(c.tracking_number, c.confirmed_at);
  }
  // Latencies from the worlds' own clocks: held = the engine's hold (stamped on the shared
  // simulated clock when SCAYLE accepted it) minus the order's creation on Amazon; confirm =
  // Amazon's receipt of the confirmation minus SCAYLE's shipment of the package.
  std::vector<double> held_s, confirm_s;
  for (const auto& [id, r] : ledger) {
    auto ao = amazon_world.GetOrder(id);
    if (r.held_at && ao)
      held_s.push_back(Seconds(*r.held_at - TimePoint(ao->created_time.time_since_epoch())));
    if (!r.scayle_order_id) continue;
    auto so =
        scayle_world.FindOrder("ms", "DE", sandbox::scayle::Identifier{r.scayle_order_id, ""});
    if (!so) continue;
    for (const auto& p : so->packages) {
      auto c = confirmed_at.find(p.shipment_key);
      if (c != confirmed_at.end())
        confirm_s.push_back(std::chrono::duration<double>(c->second - p.shipped_at).count());
    }
  }
  int created = 0, duplicates = 0, lost = 0, confirmed_orders = 0, not_in_ledger = 0,
      created_after_cancel = 0, unconfirmed_packages = 0, late_by_engine = 0, not_held = 0,
      late_cancelled = 0, scayle_cancelled = 0, scayle_items_left_after_cancel = 0;
  for (const auto& [id, what] : status) {
    auto so = scayle_world.FindOrder("ms", "DE", sandbox::scayle::Identifier{std::nullopt, id});
    auto ao = amazon_world.GetOrder(id);
    if (!ledger.count(id)) ++not_in_ledger;
    // Every order Amazon still wants and SCAYLE can hold must have been held.
    if (ledger.count(id) && what == "unshipped" && !ghost_orders.count(id) &&
        !ledger.at(id).held_at)
      ++not_held;
    if (what == "cancelled_late") {
      ++late_cancelled;
      if (so) {
        int open_items = 0;
        for (const auto& item : so->items)
          open_items += item.status != "cancelled" && !item.package_id;
        scayle_items_left_after_cancel += open_items;
        scayle_cancelled += so->status == "cancellation_completed";
      }
    }
    if (so) {
      ++created;
      if (what == "cancelled") ++created_after_cancel;
      size_t mapped_packages = 0;
      for (const auto& p : so->packages) mapped_packages += p.carrier_key != "HERMES";
      // More Amazon shipments than SCAYLE packages would be a duplicate confirmation.
      duplicates += std::max(0, first_confirmations[id] - static_cast<int>(so->packages.size()));
      // (A package shipped before the buyer cancelled cannot be confirmed: Amazon refuses it.)
      if (what != "cancelled_late" && first_confirmations[id] < static_cast<int>(mapped_packages))
        unconfirmed_packages += static_cast<int>(mapped_packages) - first_confirmations[id];
      // Late on Amazon although SCAYLE shipped in time: the engine's fault.
      for (const auto& p : so->packages) {
        for (const auto& c : late_confirmations[id]) {
          if (p.shipped_at <= c.latest_ship_date && c.tracking_number == p.shipment_key)
            ++late_by_engine;
        }
      }
    } else if (what == "unshipped" && !ghost_orders.count(id)) {
      ++lost;  // Amazon wants it shipped, SCAYLE never got it
    }
    if (ao && ao->status == "SHIPPED") ++confirmed_orders;
  }
  lost += unconfirmed_packages + not_in_ledger;
  ExceptionFilter refusals;
  refusals.type = ExceptionType::kScayleCancellationRefused;
  refusals.limit = 1000000;
  auto refused_list = loop->exceptions.List(refusals);
  int64_t cancellations_refused = refused_list ? static_cast<int64_t>(refused_list->size()) : 0;
  ExceptionFilter ghosts;
  ghosts.type = ExceptionType::kGhostOrder;
  ghosts.limit = 1000000;
  std::set<std::string> flagged;
  if (auto list = loop->exceptions.List(ghosts))
    for (const auto& e : *list) flagged.insert(e.dedup_key.substr(0, e.dedup_key.find(':')));
  int ghost_flagged = 0;
  for (const auto& id : ghost_orders) ghost_flagged += flagged.count(id) > 0;
  auto counters = amazon_world.Counters();
  double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  json report = {
      {"orders", static_cast<int64_t>(status.size())},
      {"held_p50_s", Percentile(held_s, 0.5)},
      {"held_p99_s", Percentile(held_s, 0.99)},
      {"held_max_s", held_s.empty() ? 0.0 : *std::max_element(held_s.begin(), held_s.end())},
      {"created_in_scayle", created},
      {"duplicates", duplicates},
      {"lost", lost},
      {"ghost_orders", static_cast<int64_t>(ghost_orders.size())},
      {"ghost_orders_flagged", ghost_flagged},
      {"confirmed", confirmed_orders},
      {"packages_confirmed", counters.shipments_confirmed},
      {"confirm_p50_s", Percentile(confirm_s, 0.5)},
      {"confirm_p99_s", Percentile(confirm_s, 0.99)},
      {"late_shipments", counters.late_shipments},
      {"late_shipments_caused_by_engine", late_by_engine},
      {"context",
       {{"cancelled_while_pending",
         std::count_if(status.begin(), status.end(),
                       [](const auto& s) { return s.second == "cancelled"; })},
        {"created_after_cancel", created_after_cancel},
        {"not_held", not_held},
        {"cancelled_after_created", late_cancelled},
        {"scayle_orders_cancelled", scayle_cancelled},
        {"scayle_cancellations_refused_raised", cancellations_refused},
        {"scayle_items_left_open_after_cancel", scayle_items_left_after_cancel},
        {"multi_package_orders", static_cast<int64_t>(multi_package.size())},
        {"packages_with_unmapped_carrier", carrier_unmapped_packages},
        {"open_carrier_rejected",
         static_cast<int64_t>(loop->Open(ExceptionType::kCarrierRejected).size())},
        {"notifications_sent", notifications},
        {"notifications_lost", static_cast<int64_t>(lost_notifications.size())},
        {"sqs_messages_received", port.received.load()},
        {"sqs_redeliveries", port.redelivered.load()},
        {"scayle_outage_minutes", o.scayle_outage_minutes},
        {"engine_restarts_after_kill", restarts},
        {"not_in_ledger", not_in_ledger},
        {"amazon_get_order_calls", amazon.get_order_calls.load()},
        {"amazon_search_orders_calls", amazon.search_calls.load()},
        {"simulated_hours", Seconds(clock.Now() - TimePoint(day_start.time_since_epoch())) / 3600},
        {"wall_seconds", wall},
        {"seed", o.seed}}}};
  loop.reset();
  remove_db();
  return report;
}

}  // namespace mb::bench

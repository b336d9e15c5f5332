#include "sync/order_processor.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <tuple>

#include "core/timestamp.hpp"
#include "log/log.hpp"

namespace mb::sync {

namespace {

using nlohmann::json;
using orders::OrderRecord;
using orders::UnitRef;

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

std::string Plural(size_t n, std::string_view what) {
  return std::to_string(n) + " " + std::string(what) + (n == 1 ? "" : "s");
}

// SCAYLE addresses carry ISO 3166-1 alpha-3 countries; Amazon sends alpha-2 (ADMIN_API.md §5).
std::optional<std::string> Alpha3(std::string_view alpha2) {
  static const std::map<std::string, std::string, std::less<>> kCountries = {
      {"AE", "ARE"}, {"AT", "AUT"}, {"AU", "AUS"}, {"BE", "BEL"}, {"BR", "BRA"}, {"CA", "CAN"},
      {"CH", "CHE"}, {"CZ", "CZE"}, {"DE", "DEU"}, {"DK", "DNK"}, {"EG", "EGY"}, {"ES", "ESP"},
      {"FI", "FIN"}, {"FR", "FRA"}, {"GB", "GBR"}, {"IE", "IRL"}, {"IN", "IND"}, {"IT", "ITA"},
      {"JP", "JPN"}, {"LU", "LUX"}, {"MX", "MEX"}, {"NL", "NLD"}, {"NO", "NOR"}, {"PL", "POL"},
      {"PT", "PRT"}, {"SA", "SAU"}, {"SE", "SWE"}, {"SG", "SGP"}, {"TR", "TUR"}, {"US", "USA"},
      {"ZA", "ZAF"}};
  auto it = kCountries.find(alpha2);
  if (it == kCountries.end()) return std::nullopt;
  return it->second;
}

// SCAYLE keeps the house number apart (OrderCreateRequest.json: street "Domstrasse", houseNumber
// "10"); Amazon sends one line. A trailing ("Domstrasse 10", "Hauptstr. 5a") or leading ("10
// Downing Street") token starting with a digit is the number; any other line stays whole.
std::pair<std::string, std::string> SplitStreet(const std::string& line) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto last = line.find_last_of(' ');
  if (last != std::string::npos && last + 1 < line.size() && digit(line[last + 1]))
    return {line.substr(0, last), line.substr(last + 1)};
  auto first = line.find(' ');
  if (first != std::string::npos && !line.empty() && digit(line[0]))
    return {line.substr(first + 1), line.substr(0, first)};
  return {line, ""};
}

ScayleRecipient SplitName(const std::string& name) {
  ScayleRecipient r;
  auto space = name.find_last_of(' ');
  if (space == std::string::npos) {
    r.last_name = name;
  } else {
    r.first_name = name.substr(0, space);
    r.last_name = name.substr(space + 1);
  }
  r.gender = "n";
  return r;
}

std::optional<TimePoint> OptTimestamp(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  auto t = ParseTimestamp(j[key].get<std::string>());
  if (!t) return std::nullopt;
  return *t;
}

std::vector<orders::ScayleItemRef> ItemRefs(const ScayleOrder& order) {
  std::vector<orders::ScayleItemRef> refs;
  for (const auto& item : order.items)
    refs.push_back({item.id, item.variant.sku.value(), item.reservation_key});
  return refs;
}

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

// ---- snapshots ----

orders::AmazonOrderSnapshot SnapshotOf(const AmazonOrder& order) {
  orders::AmazonOrderSnapshot s;
  s.order_id = order.order_id;
  s.marketplace_id = order.marketplace_id;
  s.status = order.fulfillment_status;
  s.merchant_fulfilled = order.fulfilled_by != "AMAZON";
  s.purchase_date = order.created_time;
  s.last_updated = order.last_updated_time;
  s.latest_ship_date = order.ship_by_latest;
  s.latest_delivery_date = order.deliver_by_latest;
  bool cancelled =
      orders::ParseAmazonStatus(order.fulfillment_status) == orders::AmazonStatus::kCanceled;
  for (const auto& item : order.items) {
    orders::AmazonLineSnapshot line;
    line.order_item_id = item.order_item_id;
    line.sku = item.seller_sku;
    line.quantity = item.quantity_ordered;
    line.quantity_cancelled = cancelled ? item.quantity_ordered : 0;
    line.unit_price = item.unit_price;
    s.lines.push_back(std::move(line));
  }
  return s;
}

Result<orders::AmazonOrderSnapshot> ParseOrderChange(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Fail(ErrorCode::kParseError, "ORDER_CHANGE message is not JSON");
  if (Str(j, "NotificationType") != "ORDER_CHANGE")
    return Fail(ErrorCode::kInvalidInput,
                "notification type '" + Str(j, "NotificationType") + "' is not ORDER_CHANGE");
  const json& n = j.value("Payload", json::object()).value("OrderChangeNotification", json());
  if (!n.is_object() || Str(n, "AmazonOrderId").empty())
    return Fail(ErrorCode::kInvalidInput,
                "ORDER_CHANGE without Payload.OrderChangeNotification.AmazonOrderId");
  const json summary = n.value("Summary", json::object());
  orders::AmazonOrderSnapshot s;
  s.order_id = AmazonOrderId(Str(n, "AmazonOrderId"));
  s.marketplace_id = MarketplaceId(Str(summary, "MarketplaceId"));
  s.status = Str(summary, "OrderStatus");
  s.merchant_fulfilled = Str(summary, "FulfillmentType") != "AFN";
  s.purchase_date = OptTimestamp(summary, "PurchaseDate");
  s.latest_ship_date = OptTimestamp(summary, "LatestShipDate");
  s.latest_delivery_date = OptTimestamp(summary, "LatestDeliveryDate");
  auto changed = OptTimestamp(n.value("OrderChangeTrigger", json::object()), "TimeOfOrderChange");
  if (!changed) changed = OptTimestamp(j, "EventTime");
  if (!changed) return Fail(ErrorCode::kInvalidInput, "ORDER_CHANGE without a change time");
  s.last_updated = *changed;
  if (s.status.empty())
    return Fail(ErrorCode::kInvalidInput,
                "ORDER_CHANGE for " + s.order_id.value() + " without OrderStatus");
  bool cancelled = orders::ParseAmazonStatus(s.status) == orders::AmazonStatus::kCanceled;
  for (const auto& item : summary.value("OrderItems", json::array())) {
    orders::AmazonLineSnapshot line;
    line.order_item_id = AmazonOrderItemId(Str(item, "OrderItemId"));
    line.sku = Sku(Str(item, "SellerSKU"));
    line.quantity = item.value("Quantity", int64_t{0});
    bool item_cancelled = cancelled || Str(item, "OrderItemStatus") == "Canceled";
    line.quantity_cancelled = item_cancelled ? line.quantity : 0;
    if (line.order_item_id.empty() || line.quantity <= 0) continue;
    s.lines.push_back(std::move(line));
  }
  return s;
}

// ---- events ----

void OrderEventHub::Subscribe(Handler handler) {
  std::lock_guard lock(mu_);
  handlers_.push_back(std::move(handler));
}

AmazonOrderEvent OrderEventHub::EventFor(const OrderRecord& r, TimePoint now) {
  AmazonOrderEvent e;
  e.order_id = r.order_id;
  e.marketplace_id = r.marketplace_id;
  e.state = std::string(orders::OrderStateName(r.State()));
  e.finished = r.Terminal();
  e.at = now;
  for (const auto& line : r.lines) {
    auto it = std::find_if(e.skus.begin(), e.skus.end(),
                           [&](const AmazonOrderSkuUnits& u) { return u.sku == line.sku; });
    if (it == e.skus.end()) {
      e.skus.push_back(AmazonOrderSkuUnits{line.sku});
      it = e.skus.end() - 1;
    }
    for (const auto& u : r.units) {
      if (u.order_item_id != line.order_item_id) continue;
      ++it->ordered;
      if (u.cancelled) {
        ++it->cancelled;
      } else if (r.scayle_order_id != 0 || (u.held && !u.released)) {
        ++it->in_scayle;
      }
    }
  }
  for (auto& s : e.skus) s.not_yet_in_scayle = s.ordered - s.cancelled - s.in_scayle;
  return e;
}

void OrderEventHub::Publish(const OrderRecord& record, TimePoint now) {
  std::vector<Handler> handlers;
  {
    std::lock_guard lock(mu_);
    handlers = handlers_;
  }
  if (handlers.empty()) return;
  AmazonOrderEvent event = EventFor(record, now);
  for (const auto& h : handlers) h(event);
}

// ---- processor ----

OrderProcessor::OrderProcessor(OrderSettings settings, OrderStore& store, Outbox& outbox,
                               ScayleApi& scayle, AmazonApi& amazon, ExceptionRegistry& exceptions,
                               const PiiCipher* cipher, orders::CarrierMapper carriers,
                               OrderEventHub& events, const Clock& clock,
                               metrics::Registry* registry)
    : settings_(std::move(settings)),
      store_(store),
      outbox_(outbox),
      scayle_(scayle),
      amazon_(amazon),
      exceptions_(exceptions),
      cipher_(cipher),
      carriers_(std::move(carriers)),
      events_(events),
      clock_(clock) {
  if (registry) {
    steps_ = &registry->AddCounter("mb_order_steps_total", "Order loop steps by step and outcome",
                                   {"step", "outcome"});
    std::vector<double> bounds{1, 2, 5, 10, 30, 60, 300, 1800, 3600};
    held_seconds_ = &registry->AddHistogram(
        "mb_order_held_seconds", "Time from an Amazon order's purchase to its stock held in SCAYLE",
        {}, bounds);
    confirm_seconds_ = &registry->AddHistogram(
        "mb_order_confirm_seconds",
        "Time from SCAYLE shipping a package to its confirmation on Amazon", {}, bounds);
    late_rate_ = &registry->AddGauge(
        "mb_order_late_shipment_rate",
        "Late Shipment Rate of MFN orders confirmed since start (Amazon wants < 0.04)");
  }
}

std::mutex& OrderProcessor::LockFor(const AmazonOrderId& id) {
  return locks_[std::hash<std::string>{}(id.value()) % locks_.size()];
}

void OrderProcessor::Event(Pass& pass, std::string source, std::string event, std::string detail) {
  pass.events.push_back({clock_.Now(), std::move(source), std::move(event), std::move(detail)});
}

Status OrderProcessor::Save(Pass& pass) {
  auto saved = store_.SaveOrder(pass.record, pass.events);
  if (!saved) return saved;
  pass.events.clear();
  TimePoint now = clock_.Now();
  // Only now that the ledger holds the fact is its effect done; a crash before this leaves the
  // effect pending, and the ledger (not the outbox) decides what runs again.
  for (size_t i = 0; i < pass.effects_done.size(); ++i) {
    auto done = outbox_.MarkEffectDone(pass.effects_done[i], pass.effect_results[i].second, now);
    if (!done) return done;
  }
  pass.effects_done.clear();
  pass.effect_results.clear();
  events_.Publish(pass.record, now);
  return {};
}

bool OrderProcessor::Due(const RecordOutcome& recorded) const {
  if (recorded.created) return true;
  const Effect& e = recorded.effect;
  if (e.state == EffectState::kFailed) return false;
  return e.next_attempt_at <= clock_.Now();
}

void OrderProcessor::RetryLater(Pass& pass, int64_t effect_id, const Error& error, Duration delay) {
  TimePoint now = clock_.Now();
  if (error.Retryable()) {
    // Transient: soon, then backing off to `delay`, so a blip costs seconds and an outage does
    // not turn into a storm of calls.
    int failures = 0;
    {
      std::lock_guard lock(retry_mu_);
      if (auto it = retries_.find(pass.record.order_id); it != retries_.end())
        failures = it->second.failures;
    }
    delay = std::min(delay, settings_.first_retry_delay * (int64_t{1} << std::min(failures, 16)));
  }
  (void)outbox_.MarkEffectFailed(effect_id, error, now + delay, now);
  if (!pass.retry_at || now + delay < *pass.retry_at) pass.retry_at = now + delay;
}

void OrderProcessor::Raise(ExceptionType type, const std::string& key, const std::string& message,
                           const std::string& details) {
  auto raised = exceptions_.Raise(type, key, message, details);
  if (!raised)
    log::Get("orders")->error("could not raise {}: {}", InfoFor(type).key, raised.error().message);
}

void OrderProcessor::Resolve(ExceptionType type, const std::string& key, const std::string& why) {
  (void)exceptions_.Resolve(type, key, why);
}

Status OrderProcessor::Ingest(const orders::AmazonOrderSnapshot& snapshot,
                              std::string_view source) {
  if (snapshot.order_id.empty()) return Fail(ErrorCode::kInvalidInput, "order without id");
  std::lock_guard lock(LockFor(snapshot.order_id));
  auto existing = store_.LoadOrder(snapshot.order_id);
  if (!existing) return tl::unexpected(existing.error());
  Pass pass;
  bool is_new = !existing->has_value();
  if (!is_new) pass.record = std::move(**existing);
  TimePoint now = clock_.Now();
  auto outcome = orders::ApplySnapshot(pass.record, snapshot, now, is_new);
  if (!outcome.changed) return {};
  Event(pass, "amazon", std::string(source),
        snapshot.status + (outcome.stale ? " (older than the ledger: status ignored)" : "") +
            (snapshot.lines.empty() ? "" : ", " + Plural(snapshot.lines.size(), "line")));
  if (outcome.status_unknown) {
    Raise(ExceptionType::kUnknownOrderStatus, snapshot.order_id.value(),
          "order " + snapshot.order_id.value() + " has Amazon status '" + snapshot.status +
              "' the engine does not know; it is held but not created in SCAYLE",
          json{{"amazon_order_id", snapshot.order_id.value()}, {"status", snapshot.status}}.dump());
  } else if (!is_new && pass.record.status != orders::AmazonStatus::kUnknown) {
    Resolve(ExceptionType::kUnknownOrderStatus, snapshot.order_id.value(),
            "order reached status " + pass.record.raw_status);
  }
  if (outcome.became_cancelled) orders::UpdatePurgeTime(pass.record, settings_.pii_retention);
  if (steps_) steps_->WithLabels({"ingest", is_new ? "new" : "update"}).Inc();
  return Save(pass);
}

Status OrderProcessor::RecordShipment(const ScayleShipmentFacts& facts, std::string_view source) {
  std::lock_guard lock(LockFor(facts.order_id));
  auto loaded = store_.LoadOrder(facts.order_id);
  if (!loaded) return tl::unexpected(loaded.error());
  if (!loaded->has_value())
    return Fail(ErrorCode::kNotFound, "SCAYLE shipped order " + facts.order_id.value() +
                                          " which the ledger does not know");
  Pass pass;
  pass.record = std::move(**loaded);
  OrderRecord& r = pass.record;
  TimePoint now = clock_.Now();
  if (r.scayle_order_id == 0 && facts.order.id != 0) {
    auto adopted = Adopt(pass, facts.order);
    if (!adopted) return adopted;
  }
  size_t before = r.packages.size();
  for (const auto& package : facts.order.packages) {
    if (r.FindPackage(package.id)) continue;
    orders::ShippedPackage shipped;
    shipped.scayle_package_id = package.id;
    shipped.carrier_key = package.carrier_key;
    shipped.tracking_number =
        !package.shipment_key.empty() ? package.shipment_key : package.tracking_id;
    shipped.shipped_at = package.shipped_at;
    std::map<AmazonOrderItemId, int64_t> counts;
    for (const auto& item : facts.order.items) {
      if (item.package_id != package.id) continue;
      // Our reservation keys lead from each SCAYLE item back to its Amazon unit.
      const orders::OrderUnit* unit = nullptr;
      for (const auto& u : r.units) {
        if (item.reservation_key == orders::ReservationKey(r.order_id, u.order_item_id, u.index) ||
            (u.scayle_item_id && *u.scayle_item_id == item.id)) {
          unit = &u;
          break;
        }
      }
      if (!unit) {
        for (const auto& l : r.lines) {
          if (l.sku == item.variant.sku) {
            counts[l.order_item_id] += 1;
            break;
          }
        }
        continue;
      }
      counts[unit->order_item_id] += 1;
    }
    for (const auto& [item, n] : counts) shipped.items.emplace_back(item, n);
    auto ref = orders::RecordPackage(r, shipped, now);
    if (!ref) {
      Event(pass, "scayle", "package_ignored", ref.error().message);
      continue;
    }
    Event(pass, "scayle", "package_shipped",
          "package " + std::to_string(package.id) + " as packageReferenceId " + *ref +
              ", carrier " + package.carrier_key + ", " + Plural(shipped.items.size(), "item") +
              " (" + std::string(source) + ")");
  }
  if (r.packages.size() == before && pass.events.empty()) return {};
  return Save(pass);
}

Status OrderProcessor::Process(const AmazonOrderId& id) {
  std::lock_guard lock(LockFor(id));
  return ProcessLocked(id);
}

Status OrderProcessor::ProcessLocked(const AmazonOrderId& id) {
  auto loaded = store_.LoadOrder(id);
  if (!loaded) return tl::unexpected(loaded.error());
  if (!loaded->has_value()) return Fail(ErrorCode::kNotFound, "no order " + id.value());
  Pass pass;
  pass.record = std::move(**loaded);
  RecheckGhostLines(pass.record);
  Status first_error;
  auto note = [&](Status s) {
    if (!s && first_error) first_error = s;
  };
  note(FindUnrecordedScayleOrder(pass));
  orders::NextSteps steps = orders::PlanSteps(pass.record);
  if (!steps.cancel_in_scayle.empty()) note(CancelInScayle(pass, steps.cancel_in_scayle));
  steps = orders::PlanSteps(pass.record);
  if (!steps.release.empty()) note(Release(pass, steps.release));
  if (pass.record.cancelled_at) ResolveIfReleased(pass.record);
  if (!steps.reserve.empty()) note(Reserve(pass, steps.reserve));
  if (orders::PlanSteps(pass.record).create_in_scayle) note(Create(pass));
  for (const auto& ref : orders::PlanSteps(pass.record).confirm) note(Confirm(pass, ref));
  if (!pass.events.empty() || !pass.effects_done.empty()) note(Save(pass));
  ScheduleRetry(pass);
  Check(pass.record);
  return first_error;
}

void OrderProcessor::ScheduleRetry(const Pass& pass) {
  std::lock_guard lock(retry_mu_);
  auto it = retries_.find(pass.record.order_id);
  if (pass.retry_at) {
    RetryState& state = retries_[pass.record.order_id];
    state.due = *pass.retry_at;
    ++state.failures;
  } else if (it != retries_.end() && it->second.due <= clock_.Now()) {
    retries_.erase(it);  // the retry ran (or was due anyway) and nothing failed again
  }
}

std::optional<TimePoint> OrderProcessor::NextRetryDue() {
  std::lock_guard lock(retry_mu_);
  std::optional<TimePoint> next;
  for (const auto& [id, state] : retries_)
    if (!next || state.due < *next) next = state.due;
  return next;
}

Status OrderProcessor::ProcessDueRetries() {
  std::vector<AmazonOrderId> due;
  {
    std::lock_guard lock(retry_mu_);
    TimePoint now = clock_.Now();
    for (auto& [id, state] : retries_) {
      if (state.due > now) continue;
      due.push_back(id);
      state.due = now;  // taken: a pass that fails again reschedules it, one that does not ends it
    }
  }
  Status first_error;
  for (const auto& id : due) {
    auto s = Process(id);
    if (!s && first_error) first_error = s;
    std::lock_guard lock(retry_mu_);
    // Not processed to the end (the order vanished, the store failed): the full pass takes over.
    if (auto it = retries_.find(id); it != retries_.end() && it->second.due <= clock_.Now())
      retries_.erase(it);
  }
  return first_error;
}

Status OrderProcessor::ForEachOpenOrder(
    const std::function<Status(const orders::OrderRecord&)>& visit, std::stop_token stop) {
  Status first_error;
  std::optional<OrderRecord> last;
  for (;;) {
    auto page = store_.ListOpenOrders(settings_.batch_limit, last ? &*last : nullptr);
    if (!page) return tl::unexpected(page.error());
    for (const auto& record : *page) {
      if (stop.stop_requested()) return first_error;
      auto s = visit(record);
      if (!s && first_error) first_error = s;
    }
    if (page->size() < static_cast<size_t>(settings_.batch_limit)) break;
    last = std::move(page->back());
  }
  return first_error;
}

void OrderProcessor::RecheckGhostLines(OrderRecord& record) {
  for (auto& line : record.lines) {
    if (!line.unmapped) continue;
    auto effect = outbox_.FindEffect(
        orders::ReserveEffectKey(orders::ReservationKey(record.order_id, line.order_item_id, 1)));
    if (effect && *effect && (*effect)->state == EffectState::kPending &&
        (*effect)->next_attempt_at <= clock_.Now())
      line.unmapped = false;
  }
}

Status OrderProcessor::Reserve(Pass& pass, const std::vector<UnitRef>& units) {
  OrderRecord& r = pass.record;
  TimePoint now = clock_.Now();
  std::vector<ScayleReservationRequest> requests;
  std::vector<std::pair<UnitRef, int64_t>> pending;  // unit, effect id
  for (const auto& unit : units) {
    const orders::OrderLine* line = r.FindLine(unit.order_item_id);
    if (!line) continue;
    std::string key = orders::ReservationKey(r.order_id, unit.order_item_id, unit.index);
    json payload{{"order", r.order_id.value()},
                 {"item", unit.order_item_id.value()},
                 {"unit", unit.index},
                 {"sku", line->sku.value()}};
    auto recorded =
        outbox_.RecordEffect(kReserveEffect, orders::ReserveEffectKey(key), payload.dump(), now);
    if (!recorded) return tl::unexpected(recorded.error());
    if (recorded->effect.state == EffectState::kDone) {
      // Done in the outbox but not in the ledger: the ledger save after it was lost. Trust the
      // outbox's recorded outcome.
      (void)orders::MarkUnitHeld(r, unit, 0, now);
      continue;
    }
    if (!Due(*recorded)) continue;
    ScayleReservationRequest req;
    req.reference_key = key;
    req.warehouse = WarehouseKey(settings_.warehouse_key);
    req.variant.sku = line->sku;
    req.variant.id = line->variant_id;
    req.merchant_reference_key = settings_.merchant_reference_key;
    req.ttl_seconds = settings_.reservation_ttl_seconds;
    requests.push_back(std::move(req));
    pending.emplace_back(unit, recorded->effect.id);
  }
  if (requests.empty()) return {};
  auto outcomes = scayle_.CreateReservations(requests);
  if (!outcomes) {
    for (const auto& [unit, effect] : pending)
      RetryLater(pass, effect, outcomes.error(), settings_.retry_delay);
    if (steps_)
      steps_->WithLabels({"reserve", std::string(ErrorName(outcomes.error().code))}).Inc();
    Event(pass, "scayle", "reserve_failed", outcomes.error().message);
    return tl::unexpected(outcomes.error());
  }
  size_t held = 0;
  std::vector<std::string> failures;
  for (size_t i = 0; i < pending.size(); ++i) {
    const auto& [unit, effect] = pending[i];
    const std::string& key = requests[i].reference_key;
    auto it =
        std::find_if(outcomes->begin(), outcomes->end(),
                     [&](const ScayleReservationOutcome& o) { return o.reference_key == key; });
    if (it == outcomes->end()) {
      RetryLater(pass, effect, Error{ErrorCode::kMalformedResponse, "no answer for " + key},
                 settings_.retry_delay);
      continue;
    }
    bool already = it->error_key.find("ALREADY") != std::string::npos;
    if (it->ok() || already) {
      // "Already exists" is our own earlier request, sent before a crash: the unit is held.
      (void)orders::MarkUnitHeld(r, unit, it->id.value_or(0), now);
      pass.effects_done.push_back(effect);
      pass.effect_results.emplace_back(effect, json{{"id", it->id.value_or(0)}}.dump());
      ++held;
      continue;
    }
    orders::OrderLine* line = r.FindLine(unit.order_item_id);
    if (it->error_key == "VARIANT_NOT_FOUND" && line) {
      line->unmapped = true;
      r.ghost = true;
      RetryLater(pass, effect, Error{ErrorCode::kUnmapped, key + ": " + it->error_message},
                 settings_.ghost_recheck);
    } else {
      RetryLater(pass, effect,
                 Error{ErrorCode::kRejected, key + ": " + it->error_key + " " + it->error_message},
                 settings_.retry_delay);
    }
    failures.push_back(key + " " + it->error_key);
  }
  if (held > 0) {
    Event(pass, "scayle", "reserved", Plural(held, "unit") + " held");
    if (steps_) steps_->WithLabels({"reserve", "ok"}).Inc(held);
    // Every unit that can be held is held: resolve the timing exception and the ghost of lines
    // that now map.
    if (r.State() != orders::OrderState::kSeen) {
      if (held_seconds_)
        held_seconds_->Get().Observe(Seconds(now - r.purchase_date.value_or(r.first_seen_at)));
      Resolve(ExceptionType::kOrderNotHeldInTime, r.order_id.value(), "stock held in SCAYLE");
    }
    for (const auto& line : r.lines) {
      if (!line.unmapped)
        Resolve(ExceptionType::kGhostOrder, r.order_id.value() + ":" + line.sku.value(),
                "the SKU maps to a SCAYLE variant again");
    }
  }
  if (!failures.empty()) {
    std::string joined;
    for (const auto& f : failures) joined += (joined.empty() ? "" : ", ") + f;
    Event(pass, "scayle", "reserve_refused", joined);
    if (steps_) steps_->WithLabels({"reserve", "refused"}).Inc(failures.size());
  }
  return {};
}

Result<ScayleNewOrder> OrderProcessor::BuildScayleOrder(const OrderRecord& r,
                                                        const MarketplaceRoute& route) {
  // Personal data: fetched here, only to create the SCAYLE order.
  GetOrderRequest get;
  get.order_id = r.order_id;
  get.included_data = {"BUYER", "RECIPIENT", "FULFILLMENT", "PROCEEDS"};
  auto order = amazon_.GetOrder(get);
  if (!order) return tl::unexpected(order.error());
  ScayleNewOrder o;
  o.shop_key = route.shop_key;
  o.country_code = route.country_code;
  o.channel_key = route.channel_key;
  o.reference_key = orders::OrderCreationKey(r.order_id);
  o.created_at = r.purchase_date;
  o.customer_email = order->buyer_email;
  if (order->delivery_address) {
    const AmazonAddress& a = *order->delivery_address;
    auto country = Alpha3(a.country_code);
    if (!country)
      return Fail(ErrorCode::kUnmapped, "order " + r.order_id.value() + ": delivery country '" +
                                            a.country_code + "' has no ISO alpha-3 mapping");
    o.shipping_address.recipient = SplitName(a.name);
    std::tie(o.shipping_address.street, o.shipping_address.house_number) =
        SplitStreet(a.address_line1);
    o.shipping_address.additional = a.address_line2;
    if (!a.address_line3.empty())
      o.shipping_address.additional +=
          (o.shipping_address.additional.empty() ? "" : ", ") + a.address_line3;
    o.shipping_address.zip_code = a.postal_code;
    o.shipping_address.city = a.city;
    o.shipping_address.country_code = *country;
    o.shipping_address.state = a.state_or_region;
    o.shipping_address.phone = a.phone;
    o.billing_address = o.shipping_address;
  }
  o.customer =
      SplitName(order->buyer_name.empty() && order->delivery_address ? order->delivery_address->name
                                                                     : order->buyer_name);
  o.customer.gender.clear();  // an order's customer carries no gender (ADMIN_API.md §5)
  // Prices as Amazon charged them: the getOrder answer, else what the ledger recorded.
  std::map<AmazonOrderItemId, Money> prices;
  for (const auto& item : order->items) {
    if (item.unit_price) prices.emplace(item.order_item_id, *item.unit_price);
  }
  for (const auto& u : r.units) {
    if (u.cancelled) continue;
    const orders::OrderLine* line = r.FindLine(u.order_item_id);
    if (!line) continue;
    auto price = prices.count(u.order_item_id) ? std::optional<Money>(prices.at(u.order_item_id))
                                               : line->unit_price;
    if (!price)
      return Fail(ErrorCode::kInvalidInput, "order " + r.order_id.value() +
                                                ": Amazon gave no price for item " +
                                                u.order_item_id.value());
    ScayleNewOrderItem item;
    item.variant.sku = line->sku;
    item.variant.id = line->variant_id;
    item.price_with_tax = *price;
    item.merchant_reference_key = settings_.merchant_reference_key;
    if (u.held) item.reservation_key = orders::ReservationKey(r.order_id, u.order_item_id, u.index);
    o.items.push_back(std::move(item));
    if (o.currency_code.empty()) o.currency_code = std::string(price->currency().code());
  }
  // What the buyer paid for shipping, as Amazon charged it: the order's delivery fee.
  std::optional<Money> shipping;
  for (const auto& item : order->items) {
    auto fee = item.proceeds_breakdown.find("SHIPPING");
    if (fee == item.proceeds_breakdown.end() || fee->second.minor_units() == 0) continue;
    if (!shipping) {
      shipping = fee->second;
    } else if (shipping->currency() == fee->second.currency()) {
      shipping = Money(shipping->minor_units() + fee->second.minor_units(), shipping->currency());
    }
  }
  o.shipping_cost_with_tax = shipping;
  if (cipher_) {
    json pii{{"buyer_name", order->buyer_name},
             {"buyer_email", order->buyer_email},
             {"address", json::object()}};
    if (order->delivery_address) {
      const AmazonAddress& a = *order->delivery_address;
      pii["address"] = {
          {"name", a.name},  {"line1", a.address_line1},     {"line2", a.address_line2},
          {"city", a.city},  {"postal_code", a.postal_code}, {"country", a.country_code},
          {"phone", a.phone}};
    }
    auto sealed = cipher_->Encrypt(pii.dump(), r.order_id.value());
    if (!sealed) return tl::unexpected(sealed.error());
    auto saved = store_.SavePii(r.order_id, *sealed, clock_.Now());
    if (!saved) return tl::unexpected(saved.error());
  }
  return o;
}

Status OrderProcessor::Adopt(Pass& pass, const ScayleOrder& order) {
  OrderRecord& r = pass.record;
  auto marked = orders::MarkCreatedInScayle(r, order.id, clock_.Now());
  if (!marked) return marked;
  orders::LinkScayleItems(r, ItemRefs(order));
  Event(
      pass, "scayle", "created",
      "SCAYLE order " + std::to_string(order.id) + " (" + Plural(order.items.size(), "item") + ")");
  Resolve(ExceptionType::kOrderNotHeldInTime, r.order_id.value(), "order created in SCAYLE");
  return {};
}

Status OrderProcessor::Create(Pass& pass) {
  OrderRecord& r = pass.record;
  TimePoint now = clock_.Now();
  auto route = settings_.routes.find(r.marketplace_id.value());
  if (route == settings_.routes.end()) {
    Raise(
        ExceptionType::kGhostOrder, r.order_id.value(),
        "order " + r.order_id.value() + ": marketplace " + r.marketplace_id.value() +
            " has no SCAYLE shop country (orders.marketplace_shops)",
        json{{"amazon_order_id", r.order_id.value()}, {"marketplace_id", r.marketplace_id.value()}}
            .dump());
    return Fail(ErrorCode::kConfigError, "no route for marketplace " + r.marketplace_id.value());
  }
  auto recorded = outbox_.RecordEffect(kCreateEffect, orders::CreateEffectKey(r.order_id),
                                       json{{"order", r.order_id.value()}}.dump(), now);
  if (!recorded) return tl::unexpected(recorded.error());
  if (!Due(*recorded)) return {};
  const MarketplaceRoute& rt = route->second;
  // A previous attempt may have reached SCAYLE before the engine stopped: look before creating
  // (unless this pass already looked).
  if (!recorded->created && !pass.scayle_order_absent) {
    auto existing = scayle_.GetOrderByReferenceKey(rt.shop_key, rt.country_code,
                                                   orders::OrderCreationKey(r.order_id));
    if (existing) {
      auto adopted = Adopt(pass, *existing);
      if (!adopted) return adopted;
      pass.effects_done.push_back(recorded->effect.id);
      pass.effect_results.emplace_back(recorded->effect.id,
                                       json{{"scayle_order_id", existing->id}}.dump());
      return {};
    }
    if (existing.error().code != ErrorCode::kNotFound) {
      RetryLater(pass, recorded->effect.id, existing.error(), settings_.retry_delay);
      return tl::unexpected(existing.error());
    }
  }
  auto order = BuildScayleOrder(r, rt);
  if (!order) {
    RetryLater(pass, recorded->effect.id, order.error(), settings_.retry_delay);
    Event(pass, "engine", "create_postponed", order.error().message);
    return tl::unexpected(order.error());
  }
  auto created = scayle_.CreateOrder(*order);
  if (!created && created.error().code == ErrorCode::kConflict) {
    created = scayle_.GetOrderByReferenceKey(rt.shop_key, rt.country_code,
                                             orders::OrderCreationKey(r.order_id));
  }
  if (!created) {
    Duration delay =
        created.error().Retryable() ? settings_.retry_delay : settings_.retry_delay * 10;
    RetryLater(pass, recorded->effect.id, created.error(), delay);
    Event(pass, "scayle", "create_failed", created.error().message);
    if (steps_) steps_->WithLabels({"create", std::string(ErrorName(created.error().code))}).Inc();
    return tl::unexpected(created.error());
  }
  auto adopted = Adopt(pass, *created);
  if (!adopted) return adopted;
  pass.effects_done.push_back(recorded->effect.id);
  pass.effect_results.emplace_back(recorded->effect.id,
                                   json{{"scayle_order_id", created->id}}.dump());
  if (steps_) steps_->WithLabels({"create", "ok"}).Inc();
  return {};
}

Status OrderProcessor::Release(Pass& pass, const std::vector<UnitRef>& units) {
  OrderRecord& r = pass.record;
  TimePoint now = clock_.Now();
  size_t released = 0;
  Status result;
  for (const auto& unit : units) {
    std::string key = orders::ReservationKey(r.order_id, unit.order_item_id, unit.index);
    auto recorded = outbox_.RecordEffect(kReleaseEffect, orders::ReleaseEffectKey(key),
                                         json{{"reservation", key}}.dump(), now);
    if (!recorded) return tl::unexpected(recorded.error());
    if (recorded->effect.state == EffectState::kDone) {
      (void)orders::MarkUnitReleased(r, unit, now);
      continue;
    }
    if (!Due(*recorded)) continue;
    auto deleted = scayle_.DeleteReservationByKey(key);
    if (!deleted && deleted.error().code != ErrorCode::kNotFound) {
      RetryLater(pass, recorded->effect.id, deleted.error(), settings_.retry_delay);
      if (result) result = deleted;
      continue;
    }
    (void)orders::MarkUnitReleased(r, unit, now);
    pass.effects_done.push_back(recorded->effect.id);
    pass.effect_results.emplace_back(recorded->effect.id, deleted ? "released" : "already gone");
    ++released;
  }
  if (released > 0) {
    Event(pass, "scayle", "released", Plural(released, "reservation") + " released");
    if (steps_) steps_->WithLabels({"release", "ok"}).Inc(released);
  }
  return result;
}

void OrderProcessor::ResolveIfReleased(const OrderRecord& r) {
  if (r.State() != orders::OrderState::kReleased) return;
  Resolve(ExceptionType::kOrderNotHeldInTime, r.order_id.value(), "order cancelled on Amazon");
  for (const auto& line : r.lines)
    Resolve(ExceptionType::kGhostOrder, r.order_id.value() + ":" + line.sku.value(),
            "order cancelled on Amazon");
  Resolve(ExceptionType::kShipByAtRisk, r.order_id.value(), "order cancelled on Amazon");
}

Status OrderProcessor::FindUnrecordedScayleOrder(Pass& pass) {
  OrderRecord& r = pass.record;
  if (r.scayle_order_id != 0) return {};
  bool cancelled = r.cancelled_at.has_value();
  // An open order not yet Unshipped was never sent to SCAYLE; one with every unit held leaves
  // the lookup to the create step.
  if (!cancelled && (!r.unshipped_at || orders::PlanSteps(r).reserve.empty())) return {};
  auto create = outbox_.FindEffect(orders::CreateEffectKey(r.order_id));
  if (!create) return tl::unexpected(create.error());
  if (!*create || (*create)->state == EffectState::kDone) return {};
  // A create attempt that ended in an error and waits for its retry left no order behind.
  if (!cancelled && !Due(RecordOutcome{**create, false})) return {};
  auto route = settings_.routes.find(r.marketplace_id.value());
  if (route == settings_.routes.end()) return {};
  TimePoint now = clock_.Now();
  auto existing = scayle_.GetOrderByReferenceKey(route->second.shop_key, route->second.country_code,
                                                 orders::OrderCreationKey(r.order_id));
  if (!existing) {
    if (existing.error().code != ErrorCode::kNotFound) return tl::unexpected(existing.error());
    pass.scayle_order_absent = true;
    // SCAYLE never got it: for a cancelled order the create step is over for good.
    if (cancelled)
      (void)outbox_.MarkEffectFailed((*create)->id,
                                     Error{ErrorCode::kConflict, "order cancelled on Amazon first"},
                                     std::nullopt, now);
    return {};
  }
  if (cancelled) {
    orders::RecordScayleOrderOfCancelled(r, existing->id);
    orders::LinkScayleItems(r, ItemRefs(*existing));
    Event(pass, "scayle", "found_after_cancel",
          "SCAYLE order " + std::to_string(existing->id) +
              " was created before the engine stopped; cancelling it");
  } else {
    // Its items consumed the reservations of units the ledger never recorded as held:
    // reserving them again would hold a second unit each.
    auto adopted = Adopt(pass, *existing);
    if (!adopted) return adopted;
  }
  pass.effects_done.push_back((*create)->id);
  pass.effect_results.emplace_back((*create)->id, json{{"scayle_order_id", existing->id}}.dump());
  return {};
}

Status OrderProcessor::CancelInScayle(Pass& pass, const std::vector<UnitRef>& units) {
  OrderRecord& r = pass.record;
  TimePoint now = clock_.Now();
  auto route = settings_.routes.find(r.marketplace_id.value());
  if (route == settings_.routes.end())
    return Fail(ErrorCode::kConfigError, "no route for marketplace " + r.marketplace_id.value());
  struct ItemToCancel {
    UnitRef unit;
    int64_t item_id;
    int64_t effect_id;
  };
  std::vector<ItemToCancel> due;
  for (const auto& unit : units) {
    const orders::OrderUnit* u = nullptr;
    for (const auto& x : r.units)
      if (x.order_item_id == unit.order_item_id && x.index == unit.index) u = &x;
    if (!u || !u->scayle_item_id) continue;
    json payload{{"order", r.order_id.value()},
                 {"scayle_order_id", r.scayle_order_id},
                 {"scayle_item_id", *u->scayle_item_id}};
    auto recorded = outbox_.RecordEffect(
        kCancelEffect, orders::CancelEffectKey(r.order_id, unit.order_item_id, unit.index),
        payload.dump(), now);
    if (!recorded) return tl::unexpected(recorded.error());
    if (recorded->effect.state == EffectState::kDone) {
      (void)orders::MarkUnitCancelledInScayle(r, unit, now);
      continue;
    }
    if (!Due(*recorded)) continue;
    due.push_back({unit, *u->scayle_item_id, recorded->effect.id});
  }
  if (due.empty()) return {};
  const MarketplaceRoute& rt = route->second;
  auto call = [&](const std::vector<ItemToCancel>& batch) {
    std::vector<int64_t> ids;
    for (const auto& d : batch) ids.push_back(d.item_id);
    return scayle_.CancelOrderItems(rt.shop_key, rt.country_code, r.scayle_order_id, ids);
  };
  // One request for the order; when SCAYLE refuses it, each item on its own, so one shipped item
  // does not keep the others from being cancelled.
  std::vector<std::pair<ItemToCancel, Status>> outcomes;
  auto all = call(due);
  if (all || all.error().Retryable() || due.size() == 1) {
    for (const auto& d : due) outcomes.emplace_back(d, all);
  } else {
    for (const auto& d : due) outcomes.emplace_back(d, call({d}));
  }
  size_t cancelled = 0;
  std::vector<std::string> refused;
  Status result;
  for (const auto& [d, outcome] : outcomes) {
    if (outcome) {
      (void)orders::MarkUnitCancelledInScayle(r, d.unit, now);
      pass.effects_done.push_back(d.effect_id);
      pass.effect_results.emplace_back(d.effect_id, "cancelled");
      ++cancelled;
      continue;
    }
    const Error& e = outcome.error();
    if (e.Retryable()) {
      RetryLater(pass, d.effect_id, e, settings_.retry_delay);
      if (result) result = outcome;
      continue;
    }
    (void)outbox_.MarkEffectFailed(d.effect_id, e, std::nullopt, now);
    (void)orders::MarkUnitCancelRefused(r, d.unit, e.message, now);
    refused.push_back("item " + std::to_string(d.item_id) + " (" + d.unit.order_item_id.value() +
                      " unit " + std::to_string(d.unit.index) + "): " + e.message);
  }
  if (cancelled > 0) {
    Event(pass, "scayle", "cancelled",
          Plural(cancelled, "item") + " of SCAYLE order " + std::to_string(r.scayle_order_id) +
              " cancelled");
    if (steps_) steps_->WithLabels({"cancel", "ok"}).Inc(cancelled);
  }
  if (!refused.empty()) {
    std::string joined;
    for (const auto& f : refused) joined += (joined.empty() ? "" : "; ") + f;
    Event(pass, "scayle", "scayle_cancel_refused", joined);
    if (steps_) steps_->WithLabels({"cancel", "refused"}).Inc(refused.size());
    json items = json::array();
    for (const auto& [d, outcome] : outcomes)
      if (!outcome && !outcome.error().Retryable())
        items.push_back({{"scayle_item_id", d.item_id},
                         {"amazon_order_item_id", d.unit.order_item_id.value()},
                         {"unit", d.unit.index},
                         {"scayle_reason", outcome.error().message}});
    Raise(ExceptionType::kScayleCancellationRefused, r.order_id.value(),
          "order " + r.order_id.value() + " was cancelled on Amazon but SCAYLE refused to cancel " +
              Plural(refused.size(), "item") + " of SCAYLE order " +
              std::to_string(r.scayle_order_id) + ": " + joined,
          json{{"amazon_order_id", r.order_id.value()},
               {"scayle_order_id", r.scayle_order_id},
               {"items", items}}
              .dump());
  }
  return result;
}

Status OrderProcessor::Confirm(Pass& pass, const std::string& ref) {
  OrderRecord& r = pass.record;
  TimePoint now = clock_.Now();
  auto pkg = std::find_if(r.packages.begin(), r.packages.end(), [&](const orders::OrderPackage& p) {
    return p.package_reference_id == ref;
  });
  if (pkg == r.packages.end()) return {};
  std::string dedup = r.order_id.value() + ":" + ref;
  auto carrier = carriers_.Map(pkg->carrier_key);
  if (!carrier) {
    Raise(ExceptionType::kCarrierRejected, dedup,
          "order " + r.order_id.value() + " package " + ref + ": " + carrier.error().message,
          json{{"amazon_order_id", r.order_id.value()},
               {"package_reference_id", ref},
               {"scayle_carrier", pkg->carrier_key},
               {"tracking_number", pkg->tracking_number}}
              .dump());
    if (steps_) steps_->WithLabels({"confirm", "carrier_unmapped"}).Inc();
    return {};  // waits for the mapping; checked again on every pass
  }
  if (pkg->tracking_number.empty()) {
    Raise(ExceptionType::kConfirmationFailed, dedup,
          "order " + r.order_id.value() + " package " + ref +
              ": SCAYLE reported no tracking number; Amazon requires one",
          json{{"amazon_order_id", r.order_id.value()}, {"package_reference_id", ref}}.dump());
    return {};
  }
  ConfirmShipmentRequest req;
  req.order_id = r.order_id;
  req.marketplace_id = r.marketplace_id;
  req.package_reference_id = ref;
  req.carrier_code = carrier->code;
  req.carrier_name = carrier->name;
  req.tracking_number = pkg->tracking_number;
  req.ship_date = pkg->shipped_at.value_or(now);
  for (const auto& [item, qty] : pkg->items) req.items.push_back({item, qty, {}});
  json payload{{"order", r.order_id.value()},
               {"packageReferenceId", ref},
               {"carrierCode", req.carrier_code},
               {"trackingNumber", req.tracking_number}};
  auto recorded = outbox_.RecordEffect(kConfirmEffect, orders::ConfirmEffectKey(r.order_id, ref),
                                       payload.dump(), now);
  if (!recorded) return tl::unexpected(recorded.error());
  if (recorded->effect.state == EffectState::kDone) {
    (void)orders::MarkPackageConfirmed(r, ref, recorded->effect.updated_at);
    return {};
  }
  if (!Due(*recorded)) return {};
  // Re-sending a packageReferenceId edits that shipment on Amazon (SPAPI.md §4.5): a repeat after
  // a crash cannot create a second one.
  auto confirmed = amazon_.ConfirmShipment(req);
  if (!confirmed) {
    const Error& e = confirmed.error();
    if (e.Retryable()) {
      RetryLater(pass, recorded->effect.id, e, settings_.retry_delay);
      if (steps_) steps_->WithLabels({"confirm", std::string(ErrorName(e.code))}).Inc();
      return tl::unexpected(e);
    }
    (void)outbox_.MarkEffectFailed(recorded->effect.id, e, std::nullopt, now);
    (void)orders::MarkPackageRejected(r, ref, e.message);
    Event(pass, "amazon", "confirm_rejected", "package " + ref + ": " + e.message);
    bool carrier_problem = e.message.find("arrier") != std::string::npos;
    Raise(carrier_problem ? ExceptionType::kCarrierRejected : ExceptionType::kConfirmationFailed,
          dedup,
          "Amazon rejected the shipment confirmation of order " + r.order_id.value() + " package " +
              ref + ": " + e.message,
          json{{"amazon_order_id", r.order_id.value()},
               {"package_reference_id", ref},
               {"carrier_code", req.carrier_code},
               {"tracking_number", req.tracking_number},
               {"amazon_message", e.message}}
              .dump());
    if (steps_) steps_->WithLabels({"confirm", "rejected"}).Inc();
    return {};
  }
  (void)orders::MarkPackageConfirmed(r, ref, now);
  pass.effects_done.push_back(recorded->effect.id);
  pass.effect_results.emplace_back(recorded->effect.id, "204");
  Event(pass, "amazon", "confirmed",
        "package " + ref + " (" + carrier->code + ", tracking " + pkg->tracking_number + ")");
  if (steps_) steps_->WithLabels({"confirm", "ok"}).Inc();
  if (confirm_seconds_ && pkg->shipped_at)
    confirm_seconds_->Get().Observe(Seconds(now - *pkg->shipped_at));
  Resolve(ExceptionType::kCarrierRejected, dedup, "shipment confirmed on Amazon");
  Resolve(ExceptionType::kConfirmationFailed, dedup, "shipment confirmed on Amazon");
  if (r.State() == orders::OrderState::kConfirmed) {
    Resolve(ExceptionType::kShipByAtRisk, r.order_id.value(), "shipment confirmed on Amazon");
    orders::UpdatePurgeTime(r, settings_.pii_retention);
    std::lock_guard lock(late_mu_);
    late_.Add(r);
    if (late_rate_) late_rate_->Get().Set(late_.Rate());
  }
  return {};
}

void OrderProcessor::Check(const OrderRecord& record) {
  TimePoint now = clock_.Now();
  for (const auto& f : orders::DetectGhosts(record, now, settings_.ghost)) {
    Raise(f.kind == orders::FindingKind::kGhostOrder ? ExceptionType::kGhostOrder
                                                     : ExceptionType::kOrderNotHeldInTime,
          f.dedup_key, f.message, f.details_json);
  }
  if (auto w = orders::ShipByWarning(record, now, settings_.ship_by))
    Raise(ExceptionType::kShipByAtRisk, w->dedup_key, w->message, w->details_json);
}

Status OrderProcessor::ProcessOpen(std::stop_token stop) {
  Status first_error = ForEachOpenOrder(
      [&](const OrderRecord& record) -> Status {
        orders::NextSteps steps = orders::PlanSteps(record);
        bool ghost_due = std::any_of(record.lines.begin(), record.lines.end(),
                                     [](const orders::OrderLine& l) { return l.unmapped; });
        if (steps.reserve.empty() && steps.release.empty() && steps.confirm.empty() &&
            steps.cancel_in_scayle.empty() && !steps.create_in_scayle && !ghost_due) {
          Check(record);  // nothing to do but watch the clocks: no reload, no lock needed
          return {};
        }
        return Process(record.order_id);
      },
      stop);
  if (stop.stop_requested()) return first_error;
  auto purged = store_.PurgePii(clock_.Now());
  if (!purged) return tl::unexpected(purged.error());
  if (*purged > 0)
    log::Get("orders")->info("purged personal data of {} finished order(s)", *purged);
  return first_error;
}

}  // namespace mb::sync

#include "sync/stock_loop.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/timestamp.hpp"
#include "log/log.hpp"
#include "sync/stock_messages.hpp"

namespace mb::sync {

using nlohmann::json;
using stock::CompleteResult;
using stock::Lane;
using stock::PushIntent;
using stock::PushKey;
using stock::PushKind;
using stock::Via;

namespace {

constexpr std::string_view kItemEffect = "amazon.stock_push";
constexpr std::string_view kFeedEffect = "amazon.stock_feed";
constexpr const char* kPatchOperation = "patchListingsItem";

std::vector<stock::RegionConfig> LedgerRegions(const std::vector<StockRegion>& regions) {
  std::vector<stock::RegionConfig> out;
  for (const auto& region : regions) out.push_back({region.name, region.warehouses});
  return out;
}

std::string IssuesText(const std::vector<ListingsIssue>& issues) {
  std::string text;
  for (const auto& issue : issues) {
    if (!text.empty()) text += "; ";
    text += issue.code + " (" + issue.severity + "): " + issue.message;
  }
  return text;
}

bool HasError(const std::vector<ListingsIssue>& issues) {
  return std::any_of(issues.begin(), issues.end(),
                     [](const ListingsIssue& issue) { return issue.severity == "ERROR"; });
}

std::optional<int64_t> DefaultChannelQuantity(const ListingsItem& item) {
  for (const auto& availability : item.fulfillment_availability)
    if (availability.fulfillment_channel_code == "DEFAULT") return availability.quantity;
  return std::nullopt;
}

std::string ValueText(const PushIntent& intent) {
  if (intent.key.kind == PushKind::kQuantity) return std::to_string(intent.value);
  auto currency = Currency::Parse(intent.currency);
  if (!currency) return std::to_string(intent.value) + " " + intent.currency;
  return Money(intent.value, *currency).ToString();
}

stock::PriceCandidate Candidate(const ScaylePrice& price) {
  stock::PriceCandidate c;
  c.key = price.key;
  c.amount_minor = price.price.minor_units();
  c.currency = std::string(price.price.currency().code());
  c.country = price.country_code;
  c.valid_from = price.valid_from;
  c.valid_to = price.valid_to;
  c.group_key = price.group_key;
  c.promotion_key = price.promotion_key;
  return c;
}

std::string JoinPath(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& part : path) out += (out.empty() ? "" : "/") + part;
  return out;
}

Status AddPushes(StockStore& store, stock::SkuExplanation& e) {
  auto pushes = store.PushesFor(e.sku, 10);
  if (!pushes) return tl::unexpected(pushes.error());
  for (const auto& p : *pushes) {
    stock::PushRecord record;
    record.kind = p.kind;
    auto currency = Currency::Parse(p.currency);
    record.value = p.kind == "price" && currency ? Money(p.value, *currency).ToString()
                                                 : std::to_string(p.value);
    record.version = p.version;
    record.at = p.submitted_at;
    record.via = p.via + (p.feed_id.empty() ? "" : " " + p.feed_id);
    record.amazon_status = p.amazon_status;
    record.amazon_answer = p.amazon_answer;
    e.pushes.push_back(std::move(record));
  }
  return {};
}

}  // namespace

StockLoop::StockLoop(StockLoopSettings settings, const stock::BufferPolicies& policies,
                     ScayleApi& scayle, AmazonApi& amazon, StockStore& store, Outbox& outbox,
                     ExceptionRegistry& exceptions, const Clock& clock)
    : settings_(std::move(settings)),
      policies_(policies),
      scayle_(scayle),
      amazon_(amazon),
      store_(store),
      outbox_(outbox),
      exceptions_(exceptions),
      clock_(clock),
      ledger_(LedgerRegions(settings_.regions), policies_),
      coalescer_(settings_.coalescer) {}

const StockRegion* StockLoop::RegionNamed(const std::string& name) const {
  for (const auto& region : settings_.regions)
    if (region.name == name) return &region;
  return nullptr;
}

const StockRegion* StockLoop::RegionOfMarketplace(const MarketplaceId& marketplace) const {
  for (const auto& region : settings_.regions)
    for (const auto& m : region.marketplaces)
      if (m.id == marketplace) return &region;
  return nullptr;
}

PushKey StockLoop::QuantityKey(const std::string& sku, const std::string& region) const {
  return PushKey{sku, region, PushKind::kQuantity};
}

std::string StockLoop::ProductTypeOf(const std::string& sku) const {
  auto it = settings_.product_type_by_sku.find(sku);
  return it == settings_.product_type_by_sku.end() ? settings_.product_type : it->second;
}

int StockLoop::HandlingTimeOf(const std::string& sku) const {
  auto it = settings_.handling_time_by_sku.find(sku);
  return it == settings_.handling_time_by_sku.end() ? settings_.handling_time_days : it->second;
}

ListingsPatch StockLoop::PatchFor(const PushIntent& intent) const {
  if (intent.key.kind == PushKind::kQuantity)
    return QuantityPatch(intent.value, HandlingTimeOf(intent.key.sku));
  return PricePatch(MarketplaceId(intent.key.region),
                    Money(intent.value, Currency::Of(intent.currency)));
}

IdempotencyKey StockLoop::EffectKey(const PushIntent& intent, const std::string& via) const {
  return IdempotencyKey("stock:" + settings_.run_id + ":" + intent.key.sku + ":" +
                        intent.key.region + ":" + std::string(PushKindName(intent.key.kind)) + ":" +
                        std::to_string(intent.version) + ":" + via + ":" +
                        std::to_string(intent.attempts));
}

// ---- inputs ----

Status StockLoop::Restore() {
  auto levels = store_.LoadStockLevels();
  if (!levels) return tl::unexpected(levels.error());
  auto orders = store_.LoadOpenOrders();
  if (!orders) return tl::unexpected(orders.error());
  auto landed = store_.LastLandedPushes();
  if (!landed) return tl::unexpected(landed.error());
  std::lock_guard lock(mu_);
  for (const auto& level : *levels)
    ledger_.ApplyStock(level.sku, level.warehouse, level.quantity, level.changed_at);
  for (const auto& order : *orders) {
    if (auto applied = ledger_.ApplyAmazonOrder(order.region, order.sku, order.order_key,
                                                order.units, order.ordered_at);
        !applied)
      return tl::unexpected(applied.error());
    if (order.held_at)
      (void)ledger_.MarkOrderHeld(order.order_key, *order.held_at, order.held_warehouse);
  }
  for (const auto& push : *landed) {
    PushIntent done;
    done.key = PushKey{push.sku, push.region,
                       push.kind == "price" ? PushKind::kPrice : PushKind::kQuantity};
    done.value = push.value;
    done.currency = push.currency;
    done.version = 0;  // versions restart with the process; only the value matters
    coalescer_.RestoreDone(done);
  }
  ledger_.ForEachSku([&](const std::string& sku) { OfferQuantityLocked(sku, false); });
  return {};
}

void StockLoop::OfferQuantityLocked(const std::string& sku, bool urgent_hint,
                                    const std::string& verify_region) {
  TimePoint now = clock_.Now();
  for (const auto& region : settings_.regions) {
    auto value = ledger_.Compute(sku, region.name);
    if (!value) continue;
    PushIntent intent;
    intent.key = QuantityKey(sku, region.name);
    intent.value = value->quantity;
    intent.version = value->version;
    intent.computed_at = now;
    if (urgent_hint && coalescer_.InFlightFor(intent.key)) intent.lane = Lane::kUrgent;
    if (region.name == verify_region) intent.lane = Lane::kVerify;
    coalescer_.Offer(intent);
  }
}

void StockLoop::OfferPricesLocked(const std::string& sku) {
  if (!settings_.push_prices) return;
  auto candidates = prices_.find(sku);
  if (candidates == prices_.end()) return;
  TimePoint now = clock_.Now();
  ++price_version_;
  for (const auto& region : settings_.regions) {
    for (const auto& marketplace : region.marketplaces) {
      auto currency = Currency::Parse(marketplace.currency);
      if (!currency) continue;
      auto decision = stock::SelectPrice(candidates->second, marketplace.country, *currency, now,
                                         settings_.price_bounds);
      price_reasons_[sku + "|" + marketplace.id.value()] = decision.reason;
      if (!decision.price) continue;
      PushIntent intent;
      intent.key = PushKey{sku, marketplace.id.value(), PushKind::kPrice};
      intent.value = decision.price->minor_units();
      intent.currency = marketplace.currency;
      intent.version = price_version_;
      intent.computed_at = now;
      coalescer_.Offer(intent);
    }
  }
}

Status StockLoop::Snapshot(std::stop_token stop) {
  std::vector<std::string> touched;
  bool stopped = false;
  auto stopping = [&]() -> Status {
    stopped = true;
    return Fail(ErrorCode::kUnavailable, "stock: snapshot ended early: the engine is stopping");
  };
  Status walked = scayle_.ForEachProduct([&](const std::vector<ScayleProduct>& page) -> Status {
    if (stop.stop_requested()) return stopping();
    std::vector<StockLevelRow> rows;
    for (const auto& product : page) {
      for (const auto& variant : product.variants) {
        const std::string& sku = variant.ref.sku.value();
        if (sku.empty()) continue;
        std::vector<ScayleStock> stocks = variant.stocks;
        if (stocks.empty()) {
          if (stop.stop_requested()) return stopping();
          auto fetched = scayle_.GetVariantStocks(variant.ref);
          if (!fetched) return tl::unexpected(fetched.error());
          stocks = std::move(*fetched);
        }
        for (const auto& s : stocks) {
          rows.push_back(StockLevelRow{sku, s.warehouse.value(), s.quantity,
                                       s.changed_at.value_or(TimePoint{})});
        }
        stock::SkuPlacement placement{sku, product.reference_key, {}};
        for (const auto& path : product.category_paths)
          placement.categories.push_back(JoinPath(path));
        std::vector<stock::PriceCandidate> candidates;
        for (const auto& price : variant.prices) candidates.push_back(Candidate(price));
        std::lock_guard lock(mu_);
        ledger_.SetPlacement(std::move(placement));
        for (const auto& s : stocks) {
          ledger_.ApplyStock(sku, s.warehouse.value(), s.quantity,
                             s.changed_at.value_or(TimePoint{}));
        }
        if (!candidates.empty()) prices_[sku] = std::move(candidates);
        touched.push_back(sku);
      }
    }
    return store_.SaveStockLevels(rows);
  });
  if (stopped) return {};
  if (!walked) return walked;
  std::lock_guard lock(mu_);
  for (const auto& sku : touched) {
    OfferQuantityLocked(sku, false);
    OfferPricesLocked(sku);
  }
  log::Get("stock")->info("snapshot: {} SCAYLE variants read, {} pushes pending", touched.size(),
                          coalescer_.PendingTotal());
  return {};
}

Status StockLoop::OnWebhook(const ScayleWebhookEvent& event) {
  if (event.name == "product-variant-stock-updated" && event.stock) {
    const ScayleStockChange& change = *event.stock;
    const std::string& sku = change.variant.sku.value();
    if (sku.empty())
      return Fail(ErrorCode::kInvalidInput,
                  "stock: webhook " + event.key + " names no variant referenceKey");
    TimePoint changed_at = change.created_at.value_or(event.occurred_at);
    StockLevelRow row{sku, change.warehouse.value(), change.quantity, changed_at};
    if (auto saved = store_.SaveStockLevel(row); !saved) return saved;
    std::lock_guard lock(mu_);
    auto applied = ledger_.ApplyStock(sku, row.warehouse, row.quantity, changed_at);
    if (applied != stock::ApplyResult::kApplied) {
      ++counters_.webhooks_ignored;  // a duplicate or an older reading: nothing regresses
      return {};
    }
    ++counters_.webhooks_applied;
    OfferQuantityLocked(sku, false);
    return {};
  }
  if (event.name == "product-variant-prices-updated" && event.variant) {
    auto prices = scayle_.GetVariantPrices(*event.variant);
    if (!prices) return tl::unexpected(prices.error());
    std::vector<stock::PriceCandidate> candidates;
    for (const auto& price : *prices) candidates.push_back(Candidate(price));
    std::lock_guard lock(mu_);
    const std::string& sku = event.variant->sku.value();
    prices_[sku] = std::move(candidates);
    ++counters_.webhooks_applied;
    OfferPricesLocked(sku);
    return {};
  }
  return {};
}

Status StockLoop::OnAmazonOrder(const std::string& region, const Sku& sku,
                                const std::string& order_key, int64_t units, TimePoint ordered_at) {
  {
    std::lock_guard lock(mu_);
    auto applied = ledger_.ApplyAmazonOrder(region, sku.value(), order_key, units, ordered_at);
    if (!applied) return tl::unexpected(applied.error());
    if (*applied != stock::ApplyResult::kApplied) return {};
    auto key = QuantityKey(sku.value(), region);
    if (settings_.verify_order_drops && !coalescer_.PendingFor(key) &&
        !coalescer_.InFlightFor(key)) {
      // Amazon lowered the listing itself when the buyer ordered (unless our last push landed
      // after the order): read it back before spending a push on it.
      OfferQuantityLocked(sku.value(), false, region);
    } else {
      // A value computed before this order may be travelling or waiting: the correction goes
      // first.
      OfferQuantityLocked(sku.value(), true);
    }
  }
  return store_.SaveOpenOrder(
      OpenOrderRow{order_key, region, sku.value(), units, ordered_at, std::nullopt, ""});
}

Status StockLoop::OnOrderHeld(const std::string& order_key, TimePoint held_at,
                              const std::string& warehouse) {
  std::lock_guard lock(mu_);
  auto applied = ledger_.MarkOrderHeld(order_key, held_at, warehouse);
  if (!applied) return tl::unexpected(applied.error());
  auto orders = store_.LoadOpenOrders();
  if (!orders) return tl::unexpected(orders.error());
  for (auto& order : *orders) {
    if (order.order_key != order_key) continue;
    order.held_at = held_at;
    order.held_warehouse = warehouse;
    return store_.SaveOpenOrder(order);
  }
  return {};
}

Status StockLoop::OnOrderCancelled(const std::string& order_key) {
  std::string sku;
  {
    std::lock_guard lock(mu_);
    auto applied = ledger_.CancelOrder(order_key);
    if (!applied) return tl::unexpected(applied.error());
  }
  return store_.DeleteOpenOrder(order_key);
}

Status StockLoop::OnAmazonOrderEvent(const AmazonOrderEvent& event) {
  const StockRegion* region = RegionOfMarketplace(event.marketplace_id);
  if (region == nullptr) return {};  // a marketplace this loop does not list on
  {
    std::lock_guard lock(mu_);
    ++counters_.order_events;
  }
  Status first_error;
  auto keep_first = [&](Status status) {
    if (!status && first_error) first_error = std::move(status);
  };
  for (const auto& line : event.skus) {
    std::string key = event.order_id.value() + "/" + line.sku.value();
    int64_t open = line.ordered - line.cancelled;
    bool known;
    {
      std::lock_guard lock(mu_);
      known = ledger_.Knows(line.sku.value());
    }
    // A SKU SCAYLE does not have is the catalogue's and the order loop's problem, not the ledger's.
    if (!known) continue;
    if (open <= 0 || (event.finished && line.in_scayle == 0)) {
      // Cancelled or released before SCAYLE held it: Amazon gives the units back itself. An
      // order never seen is no error here.
      auto cancelled = OnOrderCancelled(key);
      if (!cancelled && cancelled.error().code != ErrorCode::kNotFound) keep_first(cancelled);
      continue;
    }
    // A partial cancellation keeps the first count subtracted until SCAYLE shows the hold: it
    // under-lists for a while, never over-lists. The purchase time is not in the event; its
    // time is only shown by `sku explain`.
    keep_first(OnAmazonOrder(region->name, line.sku, key, open, event.at));
    if (line.in_scayle >= open) keep_first(OnOrderHeld(key, event.at, ""));
  }
  return first_error;
}

// ---- pushing ----

Status StockLoop::PushStep() {
  // Drops Amazon made itself need no push; the rest of them join the urgent lane.
  if (auto ok = VerifyOrderDrops(); !ok) return ok;
  // Urgent first, zero-crossings first within it, as far as the per-item quota goes.
  if (auto ok = PushItems(Lane::kUrgent, SIZE_MAX); !ok) return ok;
  // Spare per-item capacity carries ordinary changes while the urgent lane is idle, so they do
  // not always wait for a feed.
  size_t urgent_pending;
  {
    std::lock_guard lock(mu_);
    urgent_pending = coalescer_.Pending(Lane::kUrgent);
    // Urgent values left after the per-item quota ran out: the urgent lane takes every token for
    // now, so ordinary changes kept for the per-item lane would wait; they go by feed instead.
    item_lane_saturated_ = urgent_pending > 0;
  }
  if (urgent_pending == 0 && settings_.normal_per_item_max > 0)
    if (auto ok = PushItems(Lane::kNormal, settings_.normal_per_item_max); !ok) return ok;
  for (const auto& region : settings_.regions)
    if (auto ok = PushFeed(region, false); !ok) return ok;
  return {};
}

size_t StockLoop::UrgentKeepLocked() const {
  double seconds = std::chrono::duration<double>(settings_.feed_landing_estimate).count();
  return static_cast<size_t>(std::max(0.0, settings_.per_item_rate * seconds));
}

size_t StockLoop::NormalKeepLocked() const {
  if (settings_.normal_per_item_max == 0 || item_lane_saturated_) return 0;
  size_t capacity = UrgentKeepLocked();
  size_t urgent = coalescer_.Pending(Lane::kUrgent);
  return urgent >= capacity ? 0 : std::min(capacity - urgent, settings_.normal_per_item_max);
}

Status StockLoop::VerifyOrderDrops() {
  constexpr size_t kPerSearch = 20;  // searchListingsItems identifiers per call
  while (true) {
    if (amazon_.QuotaWait("searchListingsItems", CallPriority::kUrgent) > Duration(0)) return {};
    std::vector<PushIntent> batch;
    {
      std::lock_guard lock(mu_);
      batch = coalescer_.Take(Lane::kVerify, kPerSearch, Via::kItem);
    }
    if (batch.empty()) return {};
    // One region per call (almost always the only one).
    const StockRegion* region = RegionNamed(batch.front().key.region);
    std::map<std::string, int64_t> shown;
    bool read = false;
    if (region && !region->marketplaces.empty()) {
      SearchListingsItemsRequest search;
      search.marketplace_ids = {region->marketplaces.front().id};
      for (const auto& intent : batch)
        if (intent.key.region == region->name) search.identifiers.push_back(intent.key.sku);
      search.identifiers_type = "SKU";
      search.included_data = {"fulfillmentAvailability"};
      search.priority = CallPriority::kUrgent;
      auto page = amazon_.SearchListingsItems(search);
      if (page) {
        read = true;
        NoteCallSucceeded("searchListingsItems");
        for (const auto& item : page->items)
          if (auto q = DefaultChannelQuantity(item)) shown[item.sku.value()] = *q;
      } else if (page.error().code == ErrorCode::kThrottled) {
        NoteThrottled("searchListingsItems");
      }
    }
    std::lock_guard lock(mu_);
    for (const auto& intent : batch) {
      auto it = shown.find(intent.key.sku);
      bool already = read && intent.key.region == region->name && it != shown.end() &&
                     it->second <= intent.value;
      if (already) {
        // Amazon shows no more than the ledger's value: nothing to send. (Less may be an order
        // the engine does not know yet; the drift audit looks at that.)
        coalescer_.Complete(intent.key, intent.version, true);
        ++counters_.order_drops_verified;
      } else {
        // Amazon shows more (our push landed after the order), or could not be read: push it.
        coalescer_.Complete(intent.key, intent.version, false);
        coalescer_.Escalate(intent.key);
      }
    }
    if (!read) return {};
  }
}

Status StockLoop::PushItems(Lane lane, size_t max) {
  // One pass sends what was pending when it began (a retry waits for the next pass), and takes
  // an intent only with a token in hand, so nothing is handed back.
  {
    std::lock_guard lock(mu_);
    max = std::min(max, coalescer_.Pending(lane));
  }
  const CallPriority priority =
      lane == Lane::kUrgent ? CallPriority::kUrgent : CallPriority::kNormal;
  for (size_t sent = 0; sent < max;) {
    if (amazon_.QuotaWait(kPatchOperation, priority) > Duration(0)) break;
    std::vector<PushIntent> batch;
    {
      std::lock_guard lock(mu_);
      batch = coalescer_.Take(lane, 1, Via::kItem);
      if (batch.empty()) break;
      batch = ParkUnlistedLocked(std::move(batch));
    }
    if (batch.empty()) continue;
    if (!PushItem(batch.front())) break;  // throttled: the quota is gone for now
    ++sent;
  }
  return {};
}

bool StockLoop::DropIfStaleLocked(const PushIntent& intent) {
  if (intent.key.kind != PushKind::kQuantity) return false;
  stock::AtsValue stamp;
  stamp.sku = intent.key.sku;
  stamp.region = intent.key.region;
  stamp.version = intent.version;
  // Never push a value computed before the newest order known: the newer value replaces it.
  if (ledger_.IsCurrent(stamp)) return false;
  ++counters_.stale_skipped;
  coalescer_.Complete(intent.key, intent.version, false);
  OfferQuantityLocked(intent.key.sku, true);
  return true;
}

StockPushRow StockLoop::RowFor(const PushIntent& intent, const std::string& via,
                               TimePoint now) const {
  StockPushRow row;
  row.sku = intent.key.sku;
  row.region = intent.key.region;
  row.kind = std::string(PushKindName(intent.key.kind));
  row.value = intent.value;
  row.currency = intent.currency;
  row.version = intent.version;
  row.lane = std::string(LaneName(intent.lane));
  row.via = via;
  row.submitted_at = now;
  return row;
}

bool StockLoop::PushItem(const PushIntent& intent) {
  TimePoint now = clock_.Now();
  const StockRegion* region = nullptr;
  MarketplaceId marketplace;
  if (intent.key.kind == PushKind::kQuantity) {
    region = RegionNamed(intent.key.region);
    if (region && !region->marketplaces.empty()) marketplace = region->marketplaces.front().id;
  } else {
    marketplace = MarketplaceId(intent.key.region);
  }
  {
    std::lock_guard lock(mu_);
    if (DropIfStaleLocked(intent)) return true;
  }
  auto effect = outbox_.RecordEffect(kItemEffect, EffectKey(intent, "item"),
                                     json({{"sku", intent.key.sku},
                                           {"scope", intent.key.region},
                                           {"kind", PushKindName(intent.key.kind)},
                                           {"value", intent.value},
                                           {"version", intent.version}})
                                         .dump(),
                                     now);
  auto push_id = store_.RecordPush(RowFor(intent, kPatchOperation, now));

  PatchListingsItemRequest request;
  request.sku = Sku(intent.key.sku);
  request.marketplace_ids = {marketplace};
  request.product_type = ProductTypeOf(intent.key.sku);
  request.patches = {PatchFor(intent)};
  request.issue_locale = "en_US";
  request.priority = intent.lane == Lane::kUrgent ? CallPriority::kUrgent : CallPriority::kNormal;
  auto answer = amazon_.PatchListingsItem(request);

  TimePoint answered = clock_.Now();
  bool landed = answer && answer->status == "ACCEPTED" && !HasError(answer->issues);
  std::string status = answer ? answer->status : std::string(ErrorName(answer.error().code));
  std::string text = answer ? IssuesText(answer->issues) : answer.error().message;
  if (push_id) (void)store_.RecordPushAnswer(*push_id, status, text, answered);
  if (effect) {
    if (landed)
      (void)outbox_.MarkEffectDone(effect->effect.id, status, answered);
    else
      (void)outbox_.MarkEffectFailed(effect->effect.id,
                                     answer ? Error{ErrorCode::kRejected, text} : answer.error(),
                                     std::nullopt, answered);
  }
  bool throttled = !answer && answer.error().code == ErrorCode::kThrottled;
  if (throttled)
    NoteThrottled(kPatchOperation);
  else
    NoteCallSucceeded(kPatchOperation);

  CompleteResult result;
  {
    std::lock_guard lock(mu_);
    ++counters_.item_pushes;
    result = coalescer_.Complete(intent.key, intent.version, landed);
  }
  if (landed) {
    if (push_failed_raised_.erase(intent.key.sku) > 0)
      (void)exceptions_.Resolve(ExceptionType::kStockPushFailed, intent.key.sku,
                                "a later push was accepted by Amazon");
    return true;
  }
  // A throttled call was not processed: it is a delay (quota_exhausted), not a failed push.
  if (!throttled) AfterFailure(intent, result, status + (text.empty() ? "" : ": " + text));
  return !throttled;
}

void StockLoop::AfterFailure(const PushIntent& intent, CompleteResult result,
                             const std::string& why) {
  if (result != CompleteResult::kRetry) return;
  if (intent.attempts + 1 < settings_.max_attempts) return;
  // Kept pending: the next value (or the next pass) tries again, but people must know now.
  push_failed_raised_.insert(intent.key.sku);
  std::string message = "amazon: " + std::string(PushKindName(intent.key.kind)) + " " +
                        ValueText(intent) + " for SKU " + intent.key.sku + " (" +
                        intent.key.region + ") not applied after " +
                        std::to_string(intent.attempts + 1) + " attempts: " + why;
  (void)exceptions_.Raise(ExceptionType::kStockPushFailed, intent.key.sku, message,
                          json({{"sku", intent.key.sku},
                                {"scope", intent.key.region},
                                {"kind", PushKindName(intent.key.kind)},
                                {"value", intent.value},
                                {"attempts", intent.attempts + 1},
                                {"amazon_answer", why}})
                              .dump());
}

void StockLoop::NoteThrottled(const std::string& operation) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  ++counters_.throttled;
  auto [it, inserted] = throttled_since_.try_emplace(operation, now);
  if (now - it->second < settings_.quota_exhausted_after) return;
  (void)exceptions_.Raise(
      ExceptionType::kQuotaExhausted, "amazon." + operation,
      "amazon: " + operation + " throttled for " +
          std::to_string(
              std::chrono::duration_cast<std::chrono::seconds>(now - it->second).count()) +
          " s without a success; stock updates are delayed",
      json({{"operation", operation}, {"since", FormatTimestamp(it->second)}}).dump());
}

void StockLoop::NoteCallSucceeded(const std::string& operation) {
  bool was_throttled;
  {
    std::lock_guard lock(mu_);
    was_throttled = throttled_since_.erase(operation) > 0;
  }
  if (was_throttled)
    (void)exceptions_.Resolve(ExceptionType::kQuotaExhausted, "amazon." + operation,
                              "calls succeed again");
}

Status StockLoop::PushFeed(const StockRegion& region, bool force) {
  TimePoint now = clock_.Now();
  std::vector<PushIntent> batch;
  {
    std::lock_guard lock(mu_);
    size_t pending = coalescer_.Pending(Lane::kNormal);
    size_t urgent = coalescer_.Pending(Lane::kUrgent);
    bool overflow = urgent > UrgentKeepLocked() || pending > NormalKeepLocked();
    if (!overflow) return {};
    auto last = last_feed_at_.find(region.name);
    bool due = force || last == last_feed_at_.end() ||
               now - last->second >= settings_.feed_interval ||
               pending >= settings_.feed_max_messages;
    if (!due) return {};
  }
  const std::string feed_quota = "createFeed:JSON_LISTINGS_FEED";
  if (amazon_.QuotaWait("createFeed", CallPriority::kNormal) > Duration(0) ||
      amazon_.QuotaWait(feed_quota, CallPriority::kNormal) > Duration(0))
    return {};
  {
    std::lock_guard lock(mu_);
    // Ordinary changes the per-item lane sends before this feed would land stay for it.
    auto taken = coalescer_.TakeOverflow(Lane::kNormal, NormalKeepLocked(),
                                         settings_.feed_max_messages, Via::kFeed);
    // The urgent values the per-item rate would send only after this feed lands go in it too.
    if (taken.size() < settings_.feed_max_messages) {
      auto spilled =
          coalescer_.TakeOverflow(Lane::kUrgent, UrgentKeepLocked(),
                                  settings_.feed_max_messages - taken.size(), Via::kFeed);
      counters_.spilled_to_feed += spilled.size();
      for (auto& intent : spilled) taken.push_back(std::move(intent));
    }
    // Only this region's keys: hand back the others' (rare with one region).
    for (auto& intent : taken) {
      bool ours = intent.key.kind == PushKind::kQuantity
                      ? intent.key.region == region.name
                      : std::any_of(region.marketplaces.begin(), region.marketplaces.end(),
                                    [&](const StockMarketplace& m) {
                                      return m.id.value() == intent.key.region;
                                    });
      if (ours) {
        batch.push_back(std::move(intent));
      } else {
        coalescer_.Complete(intent.key, intent.version, false);
      }
    }
  }
  if (batch.empty()) return {};
  // Drop values made stale by an order while they waited; their replacements are pending.
  std::vector<PushIntent> current;
  {
    std::lock_guard lock(mu_);
    for (auto& intent : ParkUnlistedLocked(std::move(batch)))
      if (!DropIfStaleLocked(intent)) current.push_back(std::move(intent));
  }
  if (current.empty()) return {};

  OpenFeed feed;
  feed.region = region.name;
  feed.submitted_at = now;
  std::vector<FeedMessage> messages;
  for (const auto& intent : current) {
    int64_t message_id = static_cast<int64_t>(messages.size()) + 1;
    messages.push_back(FeedMessage{
        message_id, Sku(intent.key.sku), ProductTypeOf(intent.key.sku), {PatchFor(intent)}});
    feed.intents[message_id] = intent;
  }
  std::string document = ListingsFeedDocument(settings_.seller, messages);
  std::string batch_key = "stock.feed:" + settings_.run_id + ":" + region.name + ":" +
                          current.front().key.sku + ":" + std::to_string(current.front().version) +
                          ":" + std::to_string(messages.size());
  auto effect = outbox_.RecordEffect(
      kFeedEffect, IdempotencyKey(batch_key),
      json({{"region", region.name}, {"messages", messages.size()}}).dump(), now);

  CreateFeedRequest request;
  for (const auto& marketplace : region.marketplaces)
    request.marketplace_ids.push_back(marketplace.id);
  request.priority = CallPriority::kNormal;
  auto feed_id = amazon_.SubmitFeed(request, "application/json; charset=UTF-8", document);
  TimePoint answered = clock_.Now();
  // One row per message, with the feed it went in (or why it did not).
  for (const auto& [message_id, intent] : feed.intents) {
    StockPushRow row = RowFor(intent, "JSON_LISTINGS_FEED", now);
    row.feed_id = feed_id ? feed_id->value() : "";
    row.amazon_status = feed_id ? "SUBMITTED" : std::string(ErrorName(feed_id.error().code));
    row.amazon_answer = feed_id ? "" : feed_id.error().message;
    auto push_id = store_.RecordPush(row);
    if (push_id) feed.push_of_message[message_id] = *push_id;
  }
  if (!feed_id) {
    if (feed_id.error().code == ErrorCode::kThrottled) NoteThrottled("createFeed");
    if (effect)
      (void)outbox_.MarkEffectFailed(effect->effect.id, feed_id.error(), std::nullopt, answered);
    std::lock_guard lock(mu_);
    for (const auto& [message_id, intent] : feed.intents)
      coalescer_.Complete(intent.key, intent.version, false);
    last_feed_at_[region.name] = now;
    return {};  // the values stay pending; the next pass tries again
  }
  NoteCallSucceeded("createFeed");
  feed.feed_id = *feed_id;
  (void)store_.RecordFeed(StockFeedRow{feed_id->value(), region.name, now,
                                       static_cast<int64_t>(messages.size()), "IN_QUEUE", 0, 0,
                                       std::nullopt});
  if (effect) (void)outbox_.MarkEffectDone(effect->effect.id, feed_id->value(), answered);
  std::lock_guard lock(mu_);
  ++counters_.feeds;
  counters_.feed_messages += messages.size();
  last_feed_at_[region.name] = now;
  open_feeds_[feed_id->value()] = std::move(feed);
  return {};
}

// ---- reading back ----

Status StockLoop::PollFeeds() {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, feed] : open_feeds_) ids.push_back(id);
  }
  for (const auto& id : ids) {
    auto status = amazon_.GetFeed(FeedId(id), CallPriority::kNormal);
    if (!status) {
      if (status.error().code == ErrorCode::kThrottled) {
        NoteThrottled("getFeed");
        break;
      }
      continue;
    }
    const auto& s = status->processing_status;
    if (s != "DONE" && s != "FATAL" && s != "CANCELLED") continue;
    OpenFeed feed;
    {
      std::lock_guard lock(mu_);
      auto it = open_feeds_.find(id);
      if (it == open_feeds_.end()) continue;
      feed = std::move(it->second);
      open_feeds_.erase(it);
    }
    if (auto ok = FinishFeed(feed, *status); !ok) return ok;
  }
  return {};
}

Status StockLoop::FinishFeed(OpenFeed& feed, const AmazonFeed& status) {
  TimePoint now = clock_.Now();
  std::map<int64_t, std::string> rejected;  // message id -> Amazon's words
  bool report_read = false;
  if (status.processing_status == "DONE" && !status.result_feed_document_id.empty()) {
    auto report =
        amazon_.GetListingsFeedReport(status.result_feed_document_id, CallPriority::kNormal);
    if (report) {
      report_read = true;
      for (const auto& issue : report->issues) {
        if (issue.severity != "ERROR") continue;
        if (!feed.intents.count(issue.message_id)) continue;
        auto& text = rejected[issue.message_id];
        text += (text.empty() ? "" : "; ") + issue.code + ": " + issue.message;
      }
    }
  }
  // What Amazon did not reject is checked against what it shows: a feed can finish DONE without
  // applying a message and without saying so.
  std::map<std::string, int64_t> listed;  // sku -> DEFAULT quantity
  std::set<std::string> read_back;        // SKUs Amazon was asked about, and answered
  std::set<std::string> present;          // ... and lists
  std::vector<std::string> to_verify;
  for (const auto& [message_id, intent] : feed.intents)
    if (!rejected.count(message_id) && intent.key.kind == PushKind::kQuantity)
      to_verify.push_back(intent.key.sku);
  const StockRegion* region = RegionNamed(feed.region);
  if (report_read && region && !region->marketplaces.empty()) {
    for (size_t i = 0; i < to_verify.size(); i += 20) {
      SearchListingsItemsRequest search;
      search.marketplace_ids = {region->marketplaces.front().id};
      search.identifiers.assign(
          to_verify.begin() + static_cast<std::ptrdiff_t>(i),
          to_verify.begin() + static_cast<std::ptrdiff_t>(std::min(i + 20, to_verify.size())));
      search.identifiers_type = "SKU";
      search.included_data = {"fulfillmentAvailability"};
      search.priority = CallPriority::kNormal;
      auto page = amazon_.SearchListingsItems(search);
      if (!page) break;  // unverified ones are treated as applied; the drift audit covers them
      read_back.insert(search.identifiers.begin(), search.identifiers.end());
      for (const auto& item : page->items) {
        present.insert(item.sku.value());
        if (auto q = DefaultChannelQuantity(item)) listed[item.sku.value()] = *q;
      }
    }
  }

  int64_t applied = 0;
  for (const auto& [message_id, intent] : feed.intents) {
    std::string outcome;
    std::string answer;
    bool landed = false;
    bool repush = false;
    if (!report_read) {
      outcome = status.processing_status == "DONE" ? "unreported" : status.processing_status;
      answer = "feed " + feed.feed_id.value() + " ended " + status.processing_status;
    } else if (auto r = rejected.find(message_id); r != rejected.end()) {
      outcome = "rejected";
      answer = r->second;
      ++counters_.rejected;
    } else if (intent.key.kind == PushKind::kQuantity && read_back.count(intent.key.sku) &&
               !present.count(intent.key.sku)) {
      // Accepted, and went nowhere: the value waits (done, as far as sending goes) until
      // Amazon lists the SKU.
      outcome = "not listed";
      answer = "Amazon does not list " + intent.key.sku + "; the value is sent once it does";
      landed = true;
      std::lock_guard lock(mu_);
      MarkUnlistedLocked(intent.key.sku, intent.key.region);
    } else if (auto l = listed.find(intent.key.sku); intent.key.kind == PushKind::kQuantity &&
                                                     l != listed.end() &&
                                                     l->second != intent.value) {
      std::lock_guard lock(mu_);
      std::optional<int64_t> target = coalescer_.Target(intent.key);
      // Amazon only lowers quantities by itself (orders): showing more than we sent means the
      // message was not applied. Showing less may be an order we do not know yet; re-sending
      // then would re-open a sold unit, so only the drift audit looks at it.
      if (l->second > intent.value || (target && l->second > *target)) {
        outcome = "unapplied";
        answer = "Amazon shows " + std::to_string(l->second) + " after feed " +
                 feed.feed_id.value() + " (sent " + std::to_string(intent.value) + ")";
        repush = true;
        ++counters_.unapplied;
      } else {
        outcome = "applied";
        landed = true;
      }
    } else {
      outcome = "applied";
      landed = true;
    }
    if (landed && outcome != "not listed") ++applied;
    if (auto push = feed.push_of_message.find(message_id); push != feed.push_of_message.end())
      (void)store_.RecordPushAnswer(push->second, outcome, answer, now);
    CompleteResult result;
    {
      std::lock_guard lock(mu_);
      result = coalescer_.Complete(intent.key, intent.version, landed);
      // Repair an unapplied value per item and at once: the listing shows too much. When a newer
      // value already landed (per item, overtaking this feed), Amazon showing more than it means
      // this older feed value was applied after it: send the newest again, first.
      if (repush && result == CompleteResult::kRetry && coalescer_.Escalate(intent.key))
        ++counters_.repaired;
      if (repush && result == CompleteResult::kSuperseded &&
          coalescer_.Resend(intent.key, Lane::kUrgent))
        ++counters_.repaired;
    }
    if (!landed) AfterFailure(intent, result, outcome + (answer.empty() ? "" : ": " + answer));
  }
  return store_.UpdateFeed(StockFeedRow{feed.feed_id.value(), feed.region, feed.submitted_at,
                                        static_cast<int64_t>(feed.intents.size()),
                                        status.processing_status, applied,
                                        static_cast<int64_t>(rejected.size()), now});
}

Status StockLoop::AuditDrift(size_t max_skus, std::stop_token stop) {
  const TimePoint now = clock_.Now();
  size_t checked = 0;
  for (const auto& region : settings_.regions) {
    if (region.marketplaces.empty()) continue;
    SearchListingsItemsRequest search;
    search.marketplace_ids = {region.marketplaces.front().id};
    search.included_data = {"summaries", "fulfillmentAvailability"};
    search.priority = CallPriority::kBulk;
    // A stable order: a complete walk must meet every listing to conclude one is missing.
    search.sort_by = "sku";
    search.sort_order = "ASC";
    std::set<std::string> seen;
    bool complete = false;
    while (checked < max_skus) {
      if (stop.stop_requested()) return {};
      auto page = amazon_.SearchListingsItems(search);
      if (!page) return tl::unexpected(page.error());
      for (const auto& item : page->items) {
        ++checked;
        const std::string& sku = item.sku.value();
        seen.insert(sku);
        {
          std::lock_guard lock(mu_);
          MarkListedLocked(sku, region.name, false);
        }
        std::optional<int64_t> shown = DefaultChannelQuantity(item);
        std::optional<int64_t> intended;
        bool busy;
        bool known;
        {
          std::lock_guard lock(mu_);
          known = ledger_.Knows(sku);
          auto key = QuantityKey(sku, region.name);
          busy = coalescer_.PendingFor(key).has_value() || coalescer_.InFlightFor(key);
          if (auto done = coalescer_.LastDone(key)) intended = done->value;
        }
        // Only a listing that offers a quantity has stock to manage: parent listings of a
        // variation family (and listings without an offer) carry none, and the catalogue loop
        // owns their drift.
        if (!known && shown) {
          (void)exceptions_.Raise(
              ExceptionType::kUnmappedSku, sku,
              "amazon: listing " + sku + " (" + region.name +
                  ") matches no SCAYLE variant referenceKey; its stock is not managed",
              json({{"sku", sku}, {"region", region.name}, {"listed", *shown}}).dump());
        }
        if (!known || busy || !intended) continue;
        if (!shown) {
          // Listed without any fulfilment channel: a full replace of the listing
          // (putListingsItem, feed UPDATE) dropped the quantity. Send the intent again. (A
          // listing fulfilled by Amazon only has its own channel and is left alone.)
          if (!item.fulfillment_availability.empty()) continue;
          std::lock_guard lock(mu_);
          if (coalescer_.Resend(QuantityKey(sku, region.name), Lane::kNormal)) ++counters_.repaired;
          continue;
        }
        int64_t difference = *shown - *intended;
        const std::string short_key = sku + "|" + region.name;
        if (std::llabs(difference) <= settings_.drift_tolerance) {
          drift_short_since_.erase(short_key);
          (void)exceptions_.Resolve(ExceptionType::kStockDrift, sku,
                                    "Amazon within tolerance of the intent again");
          continue;
        }
        // Amazon lowers a listing the moment a buyer orders; the order reaches the engine seconds
        // later and lowers the intent to match. So a shortfall is raised only when the next audit
        // (minutes later) still finds one: by then such orders are known, and what is left is
        // drift. Excusing "recent orders" instead would need the very orders not yet seen.
        std::optional<TimePoint> short_since;
        if (difference < 0) {
          auto [first, inserted] = drift_short_since_.try_emplace(short_key, now);
          if (inserted) continue;
          short_since = first->second;
        } else {
          drift_short_since_.erase(short_key);
        }
        json details = {{"sku", sku},
                        {"region", region.name},
                        {"amazon_quantity", *shown},
                        {"intended_quantity", *intended},
                        {"difference", difference},
                        {"tolerance", settings_.drift_tolerance}};
        if (short_since) details["short_since"] = FormatTimestamp(*short_since);
        (void)exceptions_.Raise(
            ExceptionType::kStockDrift, sku,
            "amazon: SKU " + sku + " (" + region.name + ") shows " + std::to_string(*shown) +
                ", the engine intended " + std::to_string(*intended) + " (tolerance " +
                std::to_string(settings_.drift_tolerance) + ")" +
                (short_since ? "; short since the audit of " + FormatTimestamp(*short_since) : ""),
            details.dump());
        // Showing more than intended risks an oversell: send the intent again, first. Showing
        // less may be Amazon orders not known yet; re-sending would re-open them.
        if (difference > 0) {
          std::lock_guard lock(mu_);
          if (coalescer_.Resend(QuantityKey(sku, region.name), Lane::kUrgent)) ++counters_.repaired;
        }
      }
      if (page->next_token.empty()) {
        complete = true;
        break;
      }
      search.page_token = page->next_token;
    }
    if (!complete) continue;
    // The whole listing read: what the ledger knows and Amazon does not list waits, unless the
    // catalogue loop announced its listing while the walk was under way (after the walk passed
    // its place).
    std::lock_guard lock(mu_);
    ledger_.ForEachSku([&](const std::string& sku) {
      if (seen.count(sku)) return;
      auto announced = announced_listed_.find(sku + "|" + region.name);
      if (announced != announced_listed_.end() && announced->second >= now) return;
      MarkUnlistedLocked(sku, region.name);
    });
  }
  return {};
}

// ---- what Amazon lists ----

bool StockLoop::UnlistedLocked(const PushKey& key) const {
  std::string region = key.region;
  if (key.kind != PushKind::kQuantity) {
    const StockRegion* r = RegionOfMarketplace(MarketplaceId(key.region));
    if (r == nullptr) return false;
    region = r->name;
  }
  auto it = unlisted_.find(region);
  return it != unlisted_.end() && it->second.count(key.sku) != 0;
}

std::vector<PushIntent> StockLoop::ParkUnlistedLocked(std::vector<PushIntent> taken) {
  if (unlisted_.empty()) return taken;
  std::vector<PushIntent> rest;
  for (auto& intent : taken) {
    if (!UnlistedLocked(intent.key)) {
      rest.push_back(std::move(intent));
      continue;
    }
    // Done as far as sending goes: MarkListedLocked sends the newest value again.
    coalescer_.Complete(intent.key, intent.version, true);
    ++counters_.parked_unlisted;
  }
  return rest;
}

void StockLoop::MarkUnlistedLocked(const std::string& sku, const std::string& region) {
  unlisted_[region].insert(sku);
}

void StockLoop::MarkListedLocked(const std::string& sku, const std::string& region, bool replaced) {
  auto it = unlisted_.find(region);
  bool was_unlisted = it != unlisted_.end() && it->second.erase(sku) != 0;
  if (was_unlisted && it->second.empty()) unlisted_.erase(it);
  if (!was_unlisted && !replaced) return;
  if (!coalescer_.Resend(QuantityKey(sku, region), Lane::kNormal)) OfferQuantityLocked(sku, false);
  if (const StockRegion* r = RegionNamed(region)) {
    for (const auto& marketplace : r->marketplaces)
      (void)coalescer_.Resend(PushKey{sku, marketplace.id.value(), PushKind::kPrice},
                              Lane::kNormal);
  }
}

void StockLoop::OnListingChange(const Sku& sku, const MarketplaceId& marketplace, bool listed) {
  const StockRegion* region = RegionOfMarketplace(marketplace);
  if (region == nullptr) return;
  std::lock_guard lock(mu_);
  const std::string key = sku.value() + "|" + region->name;
  if (listed) {
    // The catalogue's listing replaced every attribute, the quantity and price among them.
    MarkListedLocked(sku.value(), region->name, true);
    announced_listed_[key] = clock_.Now();
  } else {
    MarkUnlistedLocked(sku.value(), region->name);
    announced_listed_.erase(key);
  }
}

bool StockLoop::Unlisted(const Sku& sku, const std::string& region) const {
  std::lock_guard lock(mu_);
  return UnlistedLocked(QuantityKey(sku.value(), region));
}

// ---- explaining ----

Result<stock::SkuExplanation> StockLoop::Explain(const Sku& sku, const std::string& region) {
  stock::SkuExplanation e;
  e.sku = sku.value();
  e.region = region;
  {
    std::lock_guard lock(mu_);
    auto value = ledger_.Compute(sku.value(), region, true);
    if (value) {
      e.current = ledger_.IsCurrent(*value);
      e.ats = std::move(*value);
    } else if (value.error().code != ErrorCode::kNotFound) {
      return tl::unexpected(value.error());
    }
    if (auto pending = coalescer_.PendingFor(QuantityKey(sku.value(), region)))
      e.pending_quantity = pending->value;
    if (const StockRegion* r = RegionNamed(region)) {
      for (const auto& marketplace : r->marketplaces) {
        auto reason = price_reasons_.find(sku.value() + "|" + marketplace.id.value());
        if (reason != price_reasons_.end())
          e.price_reason +=
              (e.price_reason.empty() ? "" : "; ") + marketplace.id.value() + ": " + reason->second;
      }
    }
  }
  if (auto pushes = AddPushes(store_, e); !pushes) return tl::unexpected(pushes.error());
  return e;
}

Result<stock::SkuExplanation> ExplainFromStore(StockStore& store, const StockLoopSettings& settings,
                                               const stock::BufferPolicies& policies,
                                               const Sku& sku, const std::string& region) {
  stock::AtsLedger ledger(LedgerRegions(settings.regions), policies);
  auto levels = store.LoadStockLevels();
  if (!levels) return tl::unexpected(levels.error());
  for (const auto& level : *levels)
    if (level.sku == sku.value())
      ledger.ApplyStock(level.sku, level.warehouse, level.quantity, level.changed_at);
  auto orders = store.LoadOpenOrders();
  if (!orders) return tl::unexpected(orders.error());
  for (const auto& order : *orders) {
    if (order.sku != sku.value()) continue;
    if (auto applied = ledger.ApplyAmazonOrder(order.region, order.sku, order.order_key,
                                               order.units, order.ordered_at);
        !applied)
      return tl::unexpected(applied.error());
    if (order.held_at)
      (void)ledger.MarkOrderHeld(order.order_key, *order.held_at, order.held_warehouse);
  }
  stock::SkuExplanation e;
  e.sku = sku.value();
  e.region = region;
  auto value = ledger.Compute(sku.value(), region, true);
  if (value) {
    e.ats = std::move(*value);
  } else if (value.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(value.error());
  }
  if (auto pushes = AddPushes(store, e); !pushes) return tl::unexpected(pushes.error());
  return e;
}

StockLoopCounters StockLoop::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

size_t StockLoop::PendingPushes() const {
  std::lock_guard lock(mu_);
  return coalescer_.PendingTotal();
}

size_t StockLoop::OpenFeedCount() const {
  std::lock_guard lock(mu_);
  return open_feeds_.size();
}

Result<int64_t> StockLoop::Ats(const Sku& sku, const std::string& region) const {
  std::lock_guard lock(mu_);
  return ledger_.ComputeQuantity(sku.value(), region);
}

}  // namespace mb::sync

#pragma once
// The stock and price loop (DESIGN §2.1, issue 4): SCAYLE stock and prices in, Amazon quantities
// and prices out, seconds after a change and never re-opening a unit Amazon already sold.
//
// Inputs go into the AtsLedger (src/core/stock): a paged SCAYLE snapshot at start and on a
// schedule, product-variant-stock-updated / prices webhooks in between, and Amazon orders SCAYLE
// does not hold yet (from the order loop). Every change offers the new ATS to the PushCoalescer,
// which keeps the newest value per SKU and sorts it into a lane. PushStep drains the lanes: drops
// Amazon made itself (orders) are read back first and pushed only if Amazon shows more; urgent
// values per item (patchListingsItem, merge on fulfillment_availability), zero-crossings first;
// ordinary changes per item while the urgent lane is idle and the per-item quota has room; the
// rest, and the urgent overflow the per-item rate cannot clear before a feed would land, in
// JSON_LISTINGS_FEED batches.
// PollFeeds reads processing reports back and verifies what Amazon applied; AuditDrift compares
// Amazon's quantities with the intent.
//
// Every push is an outbox effect, recorded before the call and marked with Amazon's answer, and a
// row in the stock store (what `marketbridge sku explain` shows).
//
// Thread-safe: webhooks arrive on server threads while the periodic steps run. Network calls are
// made without the lock held.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exception_registry.hpp"
#include "core/stock/ats_ledger.hpp"
#include "core/stock/buffer_policy.hpp"
#include "core/stock/price_selection.hpp"
#include "core/stock/push_coalescer.hpp"
#include "core/stock/sku_explanation.hpp"
#include "ports/amazon_api.hpp"
#include "ports/amazon_order_events.hpp"
#include "ports/scayle_api.hpp"
#include "ports/state_store.hpp"
#include "ports/stock_store.hpp"

namespace mb::sync {

struct StockMarketplace {
  MarketplaceId id;
  std::string country;  // alpha-2: which SCAYLE price applies
  std::string currency;
};

struct StockRegion {
  std::string name;                     // e.g. "EU" (one quantity per SKU in a unified account)
  std::vector<std::string> warehouses;  // SCAYLE warehouses serving it
  std::vector<StockMarketplace> marketplaces;  // the first one carries quantity patches
};

struct StockLoopSettings {
  SellerId seller;
  std::vector<StockRegion> regions;
  std::string product_type = "PRODUCT";
  std::map<std::string, std::string> product_type_by_sku;
  int handling_time_days = 2;
  std::map<std::string, int> handling_time_by_sku;
  stock::CoalescerOptions coalescer;
  stock::PriceBounds price_bounds;
  bool push_prices = true;
  // Feeds: at most this many messages, and no more often than this (JSON_LISTINGS_FEED allows
  // five per 5 minutes per region; createFeed one per 2 minutes sustained with a burst of 15, which
  // the governor's QuotaWait enforces).
  size_t feed_max_messages = 25000;
  Duration feed_interval{std::chrono::seconds(60)};
  // Spill: the urgent values the per-item rate cannot send before a feed submitted now would be
  // applied go into that feed. The rate is patchListingsItem's documented 5/s; the landing time is
  // the sandbox's documented 45 s queue + 90 s processing (Amazon's own vary by minutes).
  double per_item_rate = 5.0;
  Duration feed_landing_estimate{std::chrono::seconds(135)};
  // Ordinary changes go per item, at most this many per step, while the urgent lane is empty and
  // the per-item quota has a token; those the per-item lane would send only after a feed
  // submitted now lands go in that feed. 0: ordinary changes always go by feed.
  size_t normal_per_item_max = SIZE_MAX;
  // A drop caused by an Amazon order is read back (searchListingsItems, 20 SKUs a call, its own
  // quota) before it is pushed: Amazon lowers the listing itself when a buyer orders.
  bool verify_order_drops = true;
  // A SKU whose push keeps failing is raised after this many attempts.
  int max_attempts = 3;
  // Drift audit: difference (units) tolerated between Amazon and the intent.
  int64_t drift_tolerance = 0;
  // Throttled without a success for this long: quota_exhausted.
  Duration quota_exhausted_after{std::chrono::minutes(5)};
  // Distinguishes this run's outbox keys from an earlier run's (ledger versions restart at 1).
  std::string run_id = "run";
};

struct StockLoopCounters {
  uint64_t item_pushes = 0;
  uint64_t feeds = 0;
  uint64_t feed_messages = 0;
  uint64_t rejected = 0;
  uint64_t unapplied = 0;
  uint64_t repaired = 0;
  uint64_t stale_skipped = 0;
  uint64_t throttled = 0;
  uint64_t webhooks_applied = 0;
  uint64_t webhooks_ignored = 0;
  uint64_t order_drops_verified = 0;  // Amazon already showed the drop: no push needed
  uint64_t spilled_to_feed = 0;       // urgent values sent in a feed (overflow)
  uint64_t order_events = 0;
  uint64_t parked_unlisted = 0;  // values kept back: Amazon does not list the SKU
};

class StockLoop {
 public:
  StockLoop(StockLoopSettings settings, const stock::BufferPolicies& policies, ScayleApi& scayle,
            AmazonApi& amazon, StockStore& store, Outbox& outbox, ExceptionRegistry& exceptions,
            const Clock& clock);

  // Rebuilds the ledger from the store and what Amazon was last told.
  Status Restore();
  // A full SCAYLE read (products, variants, stocks, prices); offers every change. When `stop` is
  // requested it ends before the next page or variant call and offers nothing (the next run
  // reads everything again).
  Status Snapshot(std::stop_token stop = {});
  // product-variant-stock-updated and product-variant-prices-updated; other events are ignored.
  Status OnWebhook(const ScayleWebhookEvent& event);
  // From the order loop: an Amazon order item SCAYLE does not hold yet.
  Status OnAmazonOrder(const std::string& region, const Sku& sku, const std::string& order_key,
                       int64_t units, TimePoint ordered_at);
  Status OnOrderHeld(const std::string& order_key, TimePoint held_at, const std::string& warehouse);
  Status OnOrderCancelled(const std::string& order_key);
  // The order loop's AmazonOrderEvents (src/ports/amazon_order_events.hpp): each event is the
  // order's whole picture; one ledger entry per order and SKU, keyed "ORDER-ID/SKU".
  Status OnAmazonOrderEvent(const AmazonOrderEvent& event);

  // Drains the lanes: urgent per item, ordinary per item within limits, then a feed if due.
  Status PushStep();
  // Reads back finished feeds, verifies and repairs.
  Status PollFeeds();
  // Compares up to `max_skus` Amazon listings with the intent (one page walk of the listings).
  // A walk that reaches the end also learns which SKUs Amazon does not list.
  // Ends before the next page when `stop` is requested.
  Status AuditDrift(size_t max_skus = SIZE_MAX, std::stop_token stop = {});

  // Amazon accepts a quantity for a SKU it does not list and applies nothing, without a word
  // (SPAPI: patch and JSON_LISTINGS_FEED PATCH alike). So values for a SKU that a read-back found
  // missing are kept back, not sent, until Amazon lists it: the catalogue loop says so when its
  // listing is accepted, or a later read finds it. Then the newest value and prices go out. A
  // listing the catalogue loop (re)submitted in full has lost them: they go out again too.
  void OnListingChange(const Sku& sku, const MarketplaceId& marketplace, bool listed);
  bool Unlisted(const Sku& sku, const std::string& region) const;

  Result<stock::SkuExplanation> Explain(const Sku& sku, const std::string& region);

  StockLoopCounters counters() const;
  size_t PendingPushes() const;
  size_t OpenFeedCount() const;
  // What the ledger says now (tests, benchmarks).
  Result<int64_t> Ats(const Sku& sku, const std::string& region) const;

 private:
  struct OpenFeed {
    FeedId feed_id;
    std::string region;
    TimePoint submitted_at{};
    std::map<int64_t, stock::PushIntent> intents;  // messageId -> intent
    std::map<int64_t, int64_t> push_of_message;    // messageId -> stock store push id
  };

  const StockRegion* RegionNamed(const std::string& name) const;
  const StockRegion* RegionOfMarketplace(const MarketplaceId& marketplace) const;
  // Offers the ledger's current value of `sku` in every region (mu_ held); in `verify_region` as
  // a drop Amazon probably made itself (an Amazon order).
  void OfferQuantityLocked(const std::string& sku, bool urgent_hint,
                           const std::string& verify_region = "");
  void OfferPricesLocked(const std::string& sku);
  std::string ProductTypeOf(const std::string& sku) const;
  int HandlingTimeOf(const std::string& sku) const;
  ListingsPatch PatchFor(const stock::PushIntent& intent) const;

  // Parks (completes without sending) the intents of SKUs Amazon does not list; returns the rest
  // (mu_ held).
  std::vector<stock::PushIntent> ParkUnlistedLocked(std::vector<stock::PushIntent> taken);
  bool UnlistedLocked(const stock::PushKey& key) const;
  void MarkUnlistedLocked(const std::string& sku, const std::string& region);
  // Amazon lists the SKU: sends its newest quantity and prices if they were kept back, or if
  // `replaced` (a full listing replace dropped them) (mu_ held).
  void MarkListedLocked(const std::string& sku, const std::string& region, bool replaced);
  // Completes and replaces a quantity computed before the newest order known (mu_ held).
  bool DropIfStaleLocked(const stock::PushIntent& intent);
  StockPushRow RowFor(const stock::PushIntent& intent, const std::string& via, TimePoint now) const;
  Status PushItems(stock::Lane lane, size_t max);
  // Reads back drops Amazon probably made itself; pushes (urgently) only where it shows more.
  Status VerifyOrderDrops();
  // Urgent values beyond what the per-item rate sends before a feed submitted now would land.
  size_t UrgentKeepLocked() const;
  // Ordinary changes the per-item capacity left over by the urgent lane sends before such a feed
  // would land (0 when ordinary changes never go per item).
  size_t NormalKeepLocked() const;
  // One patchListingsItem: outbox, store, call, answer. False when Amazon throttled it.
  bool PushItem(const stock::PushIntent& intent);
  Status PushFeed(const StockRegion& region, bool force);
  Status FinishFeed(OpenFeed& feed, const AmazonFeed& status);
  // After a push did not land: retry or give up and raise.
  void AfterFailure(const stock::PushIntent& intent, stock::CompleteResult result,
                    const std::string& why);
  void NoteThrottled(const std::string& operation);
  void NoteCallSucceeded(const std::string& operation);
  IdempotencyKey EffectKey(const stock::PushIntent& intent, const std::string& via) const;
  stock::PushKey QuantityKey(const std::string& sku, const std::string& region) const;

  const StockLoopSettings settings_;
  const stock::BufferPolicies& policies_;
  ScayleApi& scayle_;
  AmazonApi& amazon_;
  StockStore& store_;
  Outbox& outbox_;
  ExceptionRegistry& exceptions_;
  const Clock& clock_;

  mutable std::mutex mu_;
  stock::AtsLedger ledger_;
  stock::PushCoalescer coalescer_;
  std::map<std::string, std::vector<stock::PriceCandidate>> prices_;
  std::map<std::string, std::string> price_reasons_;  // sku|marketplace -> reason
  stock::Version price_version_ = 0;
  std::map<std::string, OpenFeed> open_feeds_;
  std::map<std::string, TimePoint> last_feed_at_;     // region -> submission time
  std::map<std::string, TimePoint> throttled_since_;  // operation -> first throttle in a row
  std::set<std::string> push_failed_raised_;          // SKUs with an open stock_push_failed
  // sku|region -> the audit that first found Amazon short of the intent (AuditDrift only; its
  // task runs one audit at a time).
  std::map<std::string, TimePoint> drift_short_since_;
  std::map<std::string, std::set<std::string>> unlisted_;  // region -> SKUs Amazon does not list
  std::map<std::string, TimePoint> announced_listed_;      // sku|region -> catalogue said "listed"
  bool item_lane_saturated_ = false;  // the last step left urgent values for lack of tokens
  StockLoopCounters counters_;
};

// `marketbridge sku explain` without a running engine: the ledger inputs and pushes as stored.
// Prices are held only in the running loop, so `price_reason` stays empty.
Result<stock::SkuExplanation> ExplainFromStore(StockStore& store, const StockLoopSettings& settings,
                                               const stock::BufferPolicies& policies,
                                               const Sku& sku, const std::string& region);

}  // namespace mb::sync

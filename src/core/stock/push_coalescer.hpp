#pragma once
// Per-SKU coalescing of what to push to Amazon, with priority lanes (DESIGN §2.1).
//
// - Newest wins: a value is identified by the ledger version it was computed from; an offer older
//   than what is pending, in flight or done for its key is dropped, so an older value is never sent
//   after a newer one.
// - Push only on change: an offer equal to what Amazon will show once everything sent has landed is
//   dropped.
// - Lanes: a drop to zero or a large drop is urgent (per-item patchListingsItem); other quantity
//   changes and prices are normal (JSON_LISTINGS_FEED batches); catalogue content goes last.
//   Within the urgent lane the value with the fewest units left goes first (zero-crossings
//   strictly first, then the last units, then large drops), FIFO among equals: the fewer units
//   Amazon still has to sell beyond the truth, the sooner an oversell.
// - A drop caused only by an Amazon order may ask for the verify lane: Amazon lowered the listing
//   itself when the buyer ordered, so the loop reads what Amazon shows (cheap, its own quota)
//   before spending a per-item push on it.
// - One submission per key at a time, except that an urgent value may overtake a value still
//   travelling in a feed (feeds take minutes). When that older feed value reports back after the
//   newer one, the newest value is queued again, so whatever Amazon applied last, it converges on
//   the newest.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/clock.hpp"
#include "core/stock/ats_ledger.hpp"

namespace mb::stock {

enum class Lane { kUrgent = 0, kNormal = 1, kCatalogue = 2, kVerify = 3 };
inline constexpr size_t kLaneCount = 4;
enum class PushKind { kQuantity, kPrice };
enum class Via { kItem, kFeed };

std::string_view LaneName(Lane lane);
std::string_view PushKindName(PushKind kind);
std::string_view ViaName(Via via);

struct PushKey {
  std::string sku;
  std::string region;
  PushKind kind = PushKind::kQuantity;
  friend auto operator<=>(const PushKey&, const PushKey&) = default;
};

struct PushIntent {
  PushKey key;
  int64_t value = 0;     // units, or price in minor units
  std::string currency;  // prices only
  Version version = 0;   // ledger (or price event) version the value was computed from
  TimePoint computed_at{};
  // Set by the caller to kUrgent to ask for the urgent lane for any drop (e.g. an Amazon order
  // arrived while an older value was in flight), or to kVerify for a drop Amazon probably made
  // itself (an Amazon order); the coalescer decides otherwise.
  Lane lane = Lane::kNormal;
  int attempts = 0;  // submissions that did not land
};

struct CoalescerOptions {
  // A drop of at least this many units, or to at most (100 - percent) % of the listed quantity,
  // is urgent.
  int64_t large_drop_units = 10;
  int large_drop_percent = 50;
  // Any drop to this many units or fewer is urgent: the last units are the ones oversold.
  int64_t urgent_at_or_below = 3;
};

enum class OfferResult { kQueued, kReplaced, kOlder, kUnchanged };
enum class CompleteResult {
  kDone,        // landed; nothing more to do
  kRetry,       // did not land; queued again (attempts + 1)
  kSuperseded,  // a newer value exists; nothing to retry for this one
  kRepush,      // an older value landed after a newer one: the newest is queued again
};

std::string_view OfferResultName(OfferResult result);
std::string_view CompleteResultName(CompleteResult result);

// Lane for a quantity going from `listed` (what Amazon shows or will show) to `next`.
Lane ClassifyQuantity(std::optional<int64_t> listed, int64_t next, const CoalescerOptions& options);

class PushCoalescer {
 public:
  explicit PushCoalescer(CoalescerOptions options = {}) : options_(options) {}

  // Quantity offers get their lane here; price offers are normal.
  OfferResult Offer(PushIntent intent);
  // Up to `max` pending intents of `lane` in priority order (urgent: fewest units first; others:
  // oldest first), moved in flight through `via`.
  std::vector<PushIntent> Take(Lane lane, size_t max, Via via);
  // The lowest-priority pending intents of `lane` beyond the first `keep`, at most `max`, moved in
  // flight through `via` (the urgent overflow a feed lands sooner than the per-item rate clears).
  std::vector<PushIntent> TakeOverflow(Lane lane, size_t keep, size_t max, Via via);
  // The answer for an intent in flight. `landed`: Amazon accepted it (or the feed applied it).
  CompleteResult Complete(const PushKey& key, Version version, bool landed);
  // Moves a pending quantity to the urgent lane (a repair that must not wait for a feed).
  bool Escalate(const PushKey& key);
  // Sends what Amazon was last told again (Amazon shows something else: drift, lost update).
  // False when something is pending or in flight (that will set it right) or nothing was sent.
  bool Resend(const PushKey& key, Lane lane);
  // After a restart: what Amazon was last told, so offers are compared against it.
  void RestoreDone(const PushIntent& intent);

  size_t Pending(Lane lane) const;
  size_t PendingTotal() const;
  size_t InFlight() const;
  bool InFlightFor(const PushKey& key) const;
  std::optional<PushIntent> PendingFor(const PushKey& key) const;
  std::optional<PushIntent> LastDone(const PushKey& key) const;
  // What Amazon shows once everything pending and in flight has landed.
  std::optional<int64_t> Target(const PushKey& key) const;

 private:
  struct InFlightEntry {
    PushIntent intent;
    Via via;
  };
  struct KeyState {
    std::optional<PushIntent> pending;
    uint64_t pending_seq = 0;
    std::vector<InFlightEntry> in_flight;
    std::optional<PushIntent> done;
  };

  // A lane's queue entry; stale once the key's pending_seq moved on (removed lazily).
  struct QueueEntry {
    int64_t rank = 0;  // urgent lane: the value (fewest units first); others 0
    uint64_t seq = 0;
    PushKey key;
    friend auto operator<=>(const QueueEntry&, const QueueEntry&) = default;
  };
  using Queue = std::set<QueueEntry>;

  static Version NewestVersion(const KeyState& state);
  static std::optional<int64_t> Listed(const KeyState& state);  // in flight or done
  void Enqueue(const PushKey& key, KeyState& state);
  // Moves the pending intent of the entry's key in flight, or says why not.
  enum class TakeOutcome { kTaken, kStale, kBlocked };
  TakeOutcome TryTake(const QueueEntry& entry, Lane lane, Via via, std::vector<PushIntent>& out);

  CoalescerOptions options_;
  std::map<PushKey, KeyState> keys_;
  Queue queues_[kLaneCount];
  uint64_t seq_ = 0;
  size_t pending_count_[kLaneCount] = {0, 0, 0, 0};
};

}  // namespace mb::stock

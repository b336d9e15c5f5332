#include "core/stock/push_coalescer.hpp"

#include <algorithm>

namespace mb::stock {

std::string_view LaneName(Lane lane) {
  switch (lane) {
    case Lane::kUrgent:
      return "urgent";
    case Lane::kNormal:
      return "normal";
    case Lane::kCatalogue:
      return "catalogue";
    case Lane::kVerify:
      return "verify";
  }
  return "normal";
}

std::string_view PushKindName(PushKind kind) {
  return kind == PushKind::kQuantity ? "quantity" : "price";
}

std::string_view ViaName(Via via) { return via == Via::kItem ? "patchListingsItem" : "feed"; }

std::string_view OfferResultName(OfferResult result) {
  switch (result) {
    case OfferResult::kQueued:
      return "queued";
    case OfferResult::kReplaced:
      return "replaced";
    case OfferResult::kOlder:
      return "older";
    case OfferResult::kUnchanged:
      return "unchanged";
  }
  return "queued";
}

std::string_view CompleteResultName(CompleteResult result) {
  switch (result) {
    case CompleteResult::kDone:
      return "done";
    case CompleteResult::kRetry:
      return "retry";
    case CompleteResult::kSuperseded:
      return "superseded";
    case CompleteResult::kRepush:
      return "repush";
  }
  return "done";
}

Lane ClassifyQuantity(std::optional<int64_t> listed, int64_t next,
                      const CoalescerOptions& options) {
  if (!listed) return next == 0 ? Lane::kUrgent : Lane::kNormal;  // unknown: zero is never late
  if (next >= *listed) return Lane::kNormal;
  if (next == 0 || next <= options.urgent_at_or_below) return Lane::kUrgent;
  int64_t drop = *listed - next;
  if (drop >= options.large_drop_units) return Lane::kUrgent;
  if (drop * 100 >= *listed * options.large_drop_percent) return Lane::kUrgent;
  return Lane::kNormal;
}

Version PushCoalescer::NewestVersion(const KeyState& state) {
  Version newest = 0;
  if (state.pending) newest = std::max(newest, state.pending->version);
  for (const auto& entry : state.in_flight) newest = std::max(newest, entry.intent.version);
  if (state.done) newest = std::max(newest, state.done->version);
  return newest;
}

std::optional<int64_t> PushCoalescer::Listed(const KeyState& state) {
  const PushIntent* newest = state.done ? &*state.done : nullptr;
  for (const auto& entry : state.in_flight)
    if (!newest || entry.intent.version > newest->version) newest = &entry.intent;
  if (!newest) return std::nullopt;
  return newest->value;
}

void PushCoalescer::Enqueue(const PushKey& key, KeyState& state) {
  state.pending_seq = ++seq_;
  const PushIntent& pending = *state.pending;
  int64_t rank =
      pending.lane == Lane::kUrgent && pending.key.kind == PushKind::kQuantity ? pending.value : 0;
  queues_[static_cast<int>(pending.lane)].insert(QueueEntry{rank, state.pending_seq, key});
}

OfferResult PushCoalescer::Offer(PushIntent intent) {
  KeyState& state = keys_[intent.key];
  bool has_any = state.pending || !state.in_flight.empty() || state.done;
  if (has_any && intent.version <= NewestVersion(state)) return OfferResult::kOlder;
  std::optional<int64_t> listed = Listed(state);
  if (intent.key.kind == PushKind::kQuantity) {
    Lane asked = intent.lane;
    intent.lane = ClassifyQuantity(listed, intent.value, options_);
    bool drop = listed && intent.value < *listed;
    if (asked == Lane::kUrgent && drop) intent.lane = Lane::kUrgent;
    if (asked == Lane::kVerify && drop) intent.lane = Lane::kVerify;
  } else
    intent.lane = Lane::kNormal;
  if (state.pending) {
    --pending_count_[static_cast<int>(state.pending->lane)];
    if (listed && *listed == intent.value) {
      // Back to what Amazon shows: nothing to send any more.
      state.pending.reset();
      return OfferResult::kUnchanged;
    }
    intent.attempts = 0;
    state.pending = intent;
    ++pending_count_[static_cast<int>(intent.lane)];
    Enqueue(intent.key, state);
    return OfferResult::kReplaced;
  }
  if (listed && *listed == intent.value) {
    // Keep the newest version as the reference so an older offer stays recognisably older.
    if (state.done && state.in_flight.empty()) state.done->version = intent.version;
    return OfferResult::kUnchanged;
  }
  state.pending = intent;
  ++pending_count_[static_cast<int>(intent.lane)];
  Enqueue(intent.key, state);
  return OfferResult::kQueued;
}

PushCoalescer::TakeOutcome PushCoalescer::TryTake(const QueueEntry& entry, Lane lane, Via via,
                                                  std::vector<PushIntent>& out) {
  auto it = keys_.find(entry.key);
  if (it == keys_.end()) return TakeOutcome::kStale;
  KeyState& state = it->second;
  if (!state.pending || state.pending_seq != entry.seq || state.pending->lane != lane)
    return TakeOutcome::kStale;
  // One submission per key at a time; a per-item push may overtake a feed.
  bool busy = std::any_of(
      state.in_flight.begin(), state.in_flight.end(),
      [&](const InFlightEntry& e) { return !(via == Via::kItem && e.via == Via::kFeed); });
  if (busy) return TakeOutcome::kBlocked;  // keeps its place in the queue
  state.in_flight.push_back(InFlightEntry{*state.pending, via});
  out.push_back(*state.pending);
  --pending_count_[static_cast<int>(lane)];
  state.pending.reset();
  return TakeOutcome::kTaken;
}

std::vector<PushIntent> PushCoalescer::Take(Lane lane, size_t max, Via via) {
  std::vector<PushIntent> taken;
  Queue& queue = queues_[static_cast<int>(lane)];
  for (auto it = queue.begin(); taken.size() < max && it != queue.end();) {
    if (TryTake(*it, lane, via, taken) == TakeOutcome::kBlocked)
      ++it;
    else
      it = queue.erase(it);
  }
  return taken;
}

std::vector<PushIntent> PushCoalescer::TakeOverflow(Lane lane, size_t keep, size_t max, Via via) {
  std::vector<PushIntent> taken;
  Queue& queue = queues_[static_cast<int>(lane)];
  auto it = queue.end();
  while (taken.size() < max && Pending(lane) > keep && it != queue.begin()) {
    --it;
    if (TryTake(*it, lane, via, taken) != TakeOutcome::kBlocked) it = queue.erase(it);
  }
  return taken;
}

CompleteResult PushCoalescer::Complete(const PushKey& key, Version version, bool landed) {
  auto it = keys_.find(key);
  if (it == keys_.end()) return CompleteResult::kSuperseded;
  KeyState& state = it->second;
  auto entry = std::find_if(state.in_flight.begin(), state.in_flight.end(),
                            [&](const InFlightEntry& e) { return e.intent.version == version; });
  if (entry == state.in_flight.end()) return CompleteResult::kSuperseded;
  PushIntent intent = entry->intent;
  state.in_flight.erase(entry);
  auto requeue_pending = [&]() {
    if (state.pending && state.in_flight.empty()) Enqueue(key, state);
  };
  if (landed) {
    if (!state.done || intent.version >= state.done->version) {
      state.done = intent;
      requeue_pending();
      return CompleteResult::kDone;
    }
    // An older value landed after a newer one: Amazon shows the older value now (the version
    // stays the newest, so older offers stay recognisably older). Send the newest again unless a
    // newer one is already on its way; a re-offer of the newest value is no longer "unchanged".
    PushIntent newest = *state.done;
    state.done->value = intent.value;
    if (!state.pending && state.in_flight.empty()) {
      PushIntent again = newest;
      // Amazon shows the older value now: a newest value below it is a drop like any other (a
      // zero that an older feed value re-opened goes first).
      again.lane = again.key.kind == PushKind::kQuantity
                       ? ClassifyQuantity(intent.value, again.value, options_)
                       : Lane::kNormal;
      again.attempts = 0;
      state.pending = again;
      ++pending_count_[static_cast<int>(again.lane)];
      Enqueue(key, state);
      return CompleteResult::kRepush;
    }
    requeue_pending();
    return CompleteResult::kSuperseded;
  }
  if (intent.version < NewestVersion(state) || state.pending) {
    requeue_pending();
    return CompleteResult::kSuperseded;
  }
  intent.attempts += 1;
  state.pending = intent;
  ++pending_count_[static_cast<int>(intent.lane)];
  if (state.in_flight.empty()) Enqueue(key, state);
  return CompleteResult::kRetry;
}

bool PushCoalescer::Escalate(const PushKey& key) {
  auto it = keys_.find(key);
  if (it == keys_.end() || !it->second.pending || it->second.pending->lane == Lane::kUrgent)
    return false;
  KeyState& state = it->second;
  --pending_count_[static_cast<int>(state.pending->lane)];
  state.pending->lane = Lane::kUrgent;
  ++pending_count_[static_cast<int>(Lane::kUrgent)];
  if (state.in_flight.empty()) Enqueue(key, state);
  return true;
}

bool PushCoalescer::Resend(const PushKey& key, Lane lane) {
  auto it = keys_.find(key);
  if (it == keys_.end()) return false;
  KeyState& state = it->second;
  if (state.pending || !state.in_flight.empty() || !state.done) return false;
  state.pending = *state.done;
  state.pending->lane = lane;
  state.pending->attempts = 0;
  ++pending_count_[static_cast<int>(lane)];
  Enqueue(key, state);
  return true;
}

void PushCoalescer::RestoreDone(const PushIntent& intent) {
  KeyState& state = keys_[intent.key];
  if (!state.done || intent.version > state.done->version) state.done = intent;
}

size_t PushCoalescer::Pending(Lane lane) const { return pending_count_[static_cast<int>(lane)]; }

size_t PushCoalescer::PendingTotal() const {
  size_t total = 0;
  for (size_t count : pending_count_) total += count;
  return total;
}

size_t PushCoalescer::InFlight() const {
  size_t count = 0;
  for (const auto& [key, state] : keys_) count += state.in_flight.size();
  return count;
}

bool PushCoalescer::InFlightFor(const PushKey& key) const {
  auto it = keys_.find(key);
  return it != keys_.end() && !it->second.in_flight.empty();
}

std::optional<PushIntent> PushCoalescer::PendingFor(const PushKey& key) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return std::nullopt;
  return it->second.pending;
}

std::optional<PushIntent> PushCoalescer::LastDone(const PushKey& key) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return std::nullopt;
  return it->second.done;
}

std::optional<int64_t> PushCoalescer::Target(const PushKey& key) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return std::nullopt;
  if (it->second.pending) return it->second.pending->value;
  return Listed(it->second);
}

}  // namespace mb::stock

#pragma once
// The StateStore port: everything the engine must remember across restarts. SQLite implements it
// for the embedded default (src/store); a PostgreSQL implementation must pass the same contract
// tests (src/store/state_store_contract.hpp) for scale-out.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exception_catalogue.hpp"
#include "core/ids.hpp"

namespace mb {

// One numbered schema change of one module. Each module (core, settlement, orders ...) keeps its
// own list with versions 1, 2, 3 ... so modules can grow their tables without coordinating numbers.
struct Migration {
  std::string_view module;
  int version;
  std::string_view description;
  std::string_view sql;
};

struct AppliedMigration {
  std::string module;
  int version = 0;
  std::string description;
  TimePoint applied_at{};
};

// The outbox: an external effect (a reservation, a stock push, a shipment confirmation) is recorded
// with its idempotency key *before* it is attempted, then marked done or failed. A crash at any
// point leaves the effect pending, so it is attempted again; the key makes the repeat harmless.
enum class EffectState { kPending, kInFlight, kDone, kFailed };

inline std::string_view EffectStateName(EffectState state) {
  switch (state) {
    case EffectState::kPending:
      return "pending";
    case EffectState::kInFlight:
      return "in_flight";
    case EffectState::kDone:
      return "done";
    case EffectState::kFailed:
      return "failed";
  }
  return "pending";
}

struct Effect {
  int64_t id = 0;
  std::string kind;  // e.g. "scayle.reservation", "amazon.confirmShipment"
  IdempotencyKey key;
  std::string payload;  // what to do (JSON text)
  EffectState state = EffectState::kPending;
  int attempts = 0;
  TimePoint created_at{};
  TimePoint updated_at{};
  TimePoint next_attempt_at{};
  std::optional<TimePoint> lease_until;  // while in flight: when another worker may take it over
  std::string result;                    // the outcome recorded with MarkDone
  std::string last_error;
};

struct RecordOutcome {
  Effect effect;
  bool created = false;  // false: the key was already recorded; `effect` is the earlier record
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Idempotent on `key`: recording the same key again returns the existing effect unchanged.
  virtual Result<RecordOutcome> RecordEffect(std::string_view kind, const IdempotencyKey& key,
                                             std::string_view payload, TimePoint now) = 0;
  // Claims up to `limit` due effects of `kind` for `lease`: pending ones whose next attempt is due
  // and in-flight ones whose lease ran out (their worker died). Increments `attempts`.
  virtual Result<std::vector<Effect>> ClaimDueEffects(std::string_view kind, TimePoint now,
                                                      Duration lease, int limit) = 0;
  virtual Status MarkEffectDone(int64_t id, std::string_view result, TimePoint now) = 0;
  // With `retry_at` the effect is pending again from then; without, it failed for good.
  virtual Status MarkEffectFailed(int64_t id, const Error& error, std::optional<TimePoint> retry_at,
                                  TimePoint now) = 0;
  virtual Result<std::optional<Effect>> FindEffect(const IdempotencyKey& key) = 0;
  // Single-process start-up: effects left in flight by a crashed run are due again at once.
  virtual Result<int> ReleaseAbandonedClaims(TimePoint now) = 0;
  // Forgets effects of `kind` that finished (done) before `done_before`; returns how many. For
  // kinds whose rows only guard against late duplicates (webhook deliveries), so the table does
  // not grow forever.
  virtual Result<int> PurgeDoneEffects(std::string_view kind, TimePoint done_before) = 0;
};

struct UpsertOutcome {
  RaisedException exception;
  bool newly_raised = false;  // false: an open exception with the same key was updated
};

class ExceptionStore {
 public:
  virtual ~ExceptionStore() = default;
  // De-duplicated by (type, dedup_key) among open exceptions: a repeat updates message, details,
  // last_seen and the count. An exception raised again after it was resolved opens a new one.
  virtual Result<UpsertOutcome> UpsertException(ExceptionType type, std::string_view dedup_key,
                                                std::string_view message, std::string_view details,
                                                TimePoint now) = 0;
  // Returns whether an open exception was resolved.
  virtual Result<bool> ResolveException(ExceptionType type, std::string_view dedup_key,
                                        std::string_view resolution, TimePoint now) = 0;
  // Newest first.
  virtual Result<std::vector<RaisedException>> ListExceptions(const ExceptionFilter& filter) = 0;
};

// Named positions of polling loops (e.g. the last `lastUpdatedAfter` of the order backstop).
class CursorStore {
 public:
  virtual ~CursorStore() = default;
  virtual Result<std::optional<std::string>> GetCursor(std::string_view name) = 0;
  virtual Status SetCursor(std::string_view name, std::string_view value, TimePoint now) = 0;
};

class StateStore : public Outbox, public ExceptionStore, public CursorStore {
 public:
  // Applies every migration not yet applied, per module in version order, each in a transaction.
  // Fails if the store holds a version this binary does not know (it is newer than the binary).
  virtual Result<std::vector<AppliedMigration>> Migrate(std::span<const Migration> migrations,
                                                        TimePoint now) = 0;
  virtual Result<std::vector<AppliedMigration>> AppliedMigrations() = 0;
};

}  // namespace mb

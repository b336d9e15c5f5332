#pragma once
// The order loop as the engine's component assembles it, on a SQLite file, plus what tests and
// bench/orders share to drive it against the sandbox: one clock for both sides, an engine kill,
// the ORDER_CHANGE notification Amazon would send.

#include <memory>
#include <stdexcept>
#include <string>

#include "core/clock.hpp"
#include "crypto/pii_cipher.hpp"
#include "sandbox/amazon/amazon_world.hpp"
#include "sandbox/common/sim_clock.hpp"
#include "scayle/scayle_webhook_receiver.hpp"
#include "store/sqlite_order_store.hpp"
#include "store/sqlite_state_store.hpp"
#include "sync/order_intake.hpp"
#include "sync/shipment_watcher.hpp"

namespace mb::order_test {

// Thrown by a hook to model the engine dying mid-step: nothing after the call runs.
struct EngineKilled : std::runtime_error {
  EngineKilled() : std::runtime_error("engine killed") {}
};

// The engine's Clock reading the sandbox clock: one timeline for both sides.
class SimClockAdapter final : public Clock {
 public:
  explicit SimClockAdapter(const sandbox::SimClock& sim) : sim_(sim) {}
  TimePoint Now() const override { return TimePoint(sim_.Now().time_since_epoch()); }
  std::chrono::nanoseconds RealDuration(Duration d) const override {
    return sim_.factor() <= 0
               ? std::chrono::nanoseconds(0)
               : std::chrono::duration_cast<std::chrono::nanoseconds>(d / sim_.factor());
  }

 private:
  const sandbox::SimClock& sim_;
};

// The ORDER_CHANGE notification Amazon would send for the order's current state.
std::string OrderChangeBody(const sandbox::amazon::Order& order, int sequence);

inline constexpr const char* kWebhookUser = "scayle";
inline constexpr const char* kWebhookPassword = "hook-secret";
inline constexpr const char* kPiiKeyHex =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// Carrier mapping used by tests and bench: the sandbox tenant's carriers, HERMES left unmapped.
sync::OrderSettings DefaultOrderSettings();
orders::CarrierMapper DefaultCarriers();

// Everything the engine keeps across a restart lives in the SQLite file; dropping an OrderLoop and
// building a new one on the same file is an engine restart.
struct OrderLoop {
  OrderLoop(const std::string& db_path, AmazonApi& amazon, ScayleApi& scayle, const Clock& clock,
            sync::OrderSettings settings = DefaultOrderSettings(),
            sync::IntakeSettings intake_settings = {});

  std::shared_ptr<store::SqliteDatabase> db;
  store::SqliteStateStore state;
  store::SqliteOrderStore orders;
  ExceptionRegistry exceptions;
  metrics::Registry metrics;
  crypto::AesGcmCipher cipher;
  sync::OrderEventHub events;
  sync::OrderProcessor processor;
  sync::OrderIntake intake;
  sync::ShipmentWatcher watcher;
  scayle::ScayleWebhookReceiver receiver;

  // A SCAYLE webhook delivery as the HTTP route would hand it over (Basic credentials included).
  int Deliver(const std::string& event_name, const std::string& envelope_json);
  std::vector<RaisedException> Open(ExceptionType type);
};

}  // namespace mb::order_test

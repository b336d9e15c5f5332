#pragma once
// The order loop's one owner of ledger records (DESIGN §2.2). Intake (SQS, backstop) and the
// shipment watcher hand it facts; it applies them to the record, runs the steps the record asks for
// (reserve per unit, create in SCAYLE, release on cancellation, confirm per package), each as an
// outbox effect recorded with its idempotency key before the call, and raises the loop's
// exceptions. Records are mutated under a per-order lock, so a webhook and a notification for the
// same order never overwrite each other's facts.

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/exception_registry.hpp"
#include "core/orders/carrier_mapper.hpp"
#include "core/orders/order_checks.hpp"
#include "core/orders/order_ledger.hpp"
#include "metrics/registry.hpp"
#include "ports/amazon_api.hpp"
#include "ports/amazon_order_events.hpp"
#include "ports/order_store.hpp"
#include "ports/scayle_api.hpp"
#include "ports/state_store.hpp"

namespace mb::sync {

// Where orders of one Amazon marketplace go in SCAYLE.
struct MarketplaceRoute {
  std::string shop_key;      // e.g. ms
  std::string country_code;  // shop country, alpha-2, e.g. DE
  std::string channel_key;   // the SCAYLE marketplace channel, e.g. amazon_de
};

struct OrderSettings {
  std::string warehouse_key = "wh-main";
  std::string merchant_reference_key;
  // Pending may last 21 days (SPAPI.md §4.4): the hold must outlive it.
  int64_t reservation_ttl_seconds = 22 * 24 * 3600;
  std::map<std::string, MarketplaceRoute> routes;  // by marketplace id
  orders::GhostSettings ghost;
  orders::ShipBySettings ship_by;
  Duration pii_retention{std::chrono::hours(24 * 30)};
  Duration retry_delay{std::chrono::seconds(30)};  // the longest wait after a transient failure
  Duration first_retry_delay{std::chrono::seconds(2)};
  // How long a ghost line waits before the engine tries its SKU again (ops may have mapped it).
  Duration ghost_recheck{std::chrono::minutes(10)};
  int batch_limit = 500;  // open orders per pass
};

// Effect kinds in the outbox.
inline constexpr std::string_view kReserveEffect = "scayle.reservation";
inline constexpr std::string_view kCreateEffect = "scayle.order";
inline constexpr std::string_view kReleaseEffect = "scayle.reservation_release";
inline constexpr std::string_view kConfirmEffect = "amazon.confirmShipment";
inline constexpr std::string_view kCancelEffect = "scayle.order_cancellation";

// Publishes ledger changes to subscribers (the stock loop's ATS ledger).
class OrderEventHub final : public AmazonOrderEvents {
 public:
  void Subscribe(Handler handler) override;
  void Publish(const orders::OrderRecord& record, TimePoint now);
  static AmazonOrderEvent EventFor(const orders::OrderRecord& record, TimePoint now);

 private:
  std::mutex mu_;
  std::vector<Handler> handlers_;
};

// What SCAYLE says about the order it holds (webhook or poll).
struct ScayleShipmentFacts {
  AmazonOrderId order_id;
  ScayleOrder order;
};

class OrderProcessor {
 public:
  // Everything passed by reference must outlive the processor. `cipher` may be null: then the
  // SCAYLE order is created from Amazon's answer and no personal data is stored at all.
  OrderProcessor(OrderSettings settings, OrderStore& store, Outbox& outbox, ScayleApi& scayle,
                 AmazonApi& amazon, ExceptionRegistry& exceptions, const PiiCipher* cipher,
                 orders::CarrierMapper carriers, OrderEventHub& events, const Clock& clock,
                 metrics::Registry* registry);

  // Records what Amazon says (notification summary or full order) durably. Does not call out.
  Status Ingest(const orders::AmazonOrderSnapshot& snapshot, std::string_view source);
  // Records packages SCAYLE shipped. kNotFound when the ledger has no such order.
  Status RecordShipment(const ScayleShipmentFacts& facts, std::string_view source);
  // Runs every due step of one order (reserve, create, release, confirm) and its checks.
  Status Process(const AmazonOrderId& id);
  // Every open order: steps and checks; then purges expired personal data. Returns the first
  // error after trying every order. The backstop: retries are driven by ProcessDueRetries.
  // Ends before the next order when `stop` is requested (the next pass visits them all again).
  Status ProcessOpen(std::stop_token stop = {});
  // Orders whose failed step is due again (scheduled in memory by the pass that failed): run
  // every second or so, it retries a transient failure within seconds, not at the next full pass.
  Status ProcessDueRetries();
  std::optional<TimePoint> NextRetryDue();
  // Visits every open order, batch_limit at a time; returns the first error of `visit` (or of the
  // store) after visiting them all, or those visited before `stop` was requested.
  Status ForEachOpenOrder(const std::function<Status(const orders::OrderRecord&)>& visit,
                          std::stop_token stop = {});

  const OrderSettings& settings() const { return settings_; }

 private:
  struct Pass {
    orders::OrderRecord record;
    std::vector<OrderTimelineEntry> events;
    std::vector<int64_t> effects_done;  // marked done after the record is saved
    std::vector<std::pair<int64_t, std::string>> effect_results;
    std::optional<TimePoint> retry_at;  // earliest retry a failed step asked for
    bool scayle_order_absent = false;   // SCAYLE was asked this pass: no order has its referenceKey
  };
  struct RetryState {
    TimePoint due{};
    int failures = 0;
  };

  std::mutex& LockFor(const AmazonOrderId& id);
  Status ProcessLocked(const AmazonOrderId& id);
  Status Save(Pass& pass);
  void Event(Pass& pass, std::string source, std::string event, std::string detail);
  // false when an earlier attempt failed and its retry is not yet due (or failed for good).
  bool Due(const RecordOutcome& recorded) const;
  void RetryLater(Pass& pass, int64_t effect_id, const Error& error, Duration delay);
  void ScheduleRetry(const Pass& pass);

  Status Reserve(Pass& pass, const std::vector<orders::UnitRef>& units);
  Status Create(Pass& pass);
  Status Release(Pass& pass, const std::vector<orders::UnitRef>& units);
  Status CancelInScayle(Pass& pass, const std::vector<orders::UnitRef>& units);
  // An order whose create step was sent but never recorded: SCAYLE may hold the order. Looked up
  // before reserving or cancelling, so a cancellation cancels it and no unit is reserved again
  // after the order consumed its reservation.
  Status FindUnrecordedScayleOrder(Pass& pass);
  // A cancelled order with nothing left to release or cancel: its open exceptions are over.
  void ResolveIfReleased(const orders::OrderRecord& record);
  Status Confirm(Pass& pass, const std::string& package_reference_id);
  Status Adopt(Pass& pass, const ScayleOrder& order);
  Result<ScayleNewOrder> BuildScayleOrder(const orders::OrderRecord& record,
                                          const MarketplaceRoute& route);
  void Check(const orders::OrderRecord& record);
  void Raise(ExceptionType type, const std::string& key, const std::string& message,
             const std::string& details);
  void Resolve(ExceptionType type, const std::string& key, const std::string& why);
  void RecheckGhostLines(orders::OrderRecord& record);

  OrderSettings settings_;
  OrderStore& store_;
  Outbox& outbox_;
  ScayleApi& scayle_;
  AmazonApi& amazon_;
  ExceptionRegistry& exceptions_;
  const PiiCipher* cipher_;
  orders::CarrierMapper carriers_;
  OrderEventHub& events_;
  const Clock& clock_;
  std::array<std::mutex, 64> locks_;

  metrics::CounterFamily* steps_ = nullptr;  // step, outcome
  metrics::HistogramFamily* held_seconds_ = nullptr;
  metrics::HistogramFamily* confirm_seconds_ = nullptr;
  metrics::GaugeFamily* late_rate_ = nullptr;
  orders::LateShipmentRate late_;
  std::mutex late_mu_;
  std::mutex retry_mu_;
  std::map<AmazonOrderId, RetryState> retries_;
};

// Amazon's answers as ledger snapshots.
orders::AmazonOrderSnapshot SnapshotOf(const AmazonOrder& order);
// ORDER_CHANGE notification body (SQS message) → snapshot of its summary (no personal data in it).
Result<orders::AmazonOrderSnapshot> ParseOrderChange(std::string_view body);

}  // namespace mb::sync

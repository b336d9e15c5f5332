#pragma once
// The engine's ports (AmazonApi, ScayleApi, NotificationQueue, Clock) on the sandbox worlds,
// in-process: the order loop's end-to-end tests and its benchmark run against the same emulated
// Amazon seller account, SCAYLE tenant and SQS queue the sandbox servers expose, without HTTP.
// Request and answer shapes go through the real JSON mappings of both sides (mb::scayle's OrderJson
// and ParseOrder, the sandbox's OrderJson), so only the transport is skipped.
//
// Hooks let a test stop the "engine" right after a call took effect and before its answer is
// recorded (by throwing EngineKilled), and inject failures.

#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>

#include "core/clock.hpp"
#include "ports/amazon_api.hpp"
#include "ports/scayle_api.hpp"
#include "sandbox/amazon/amazon_world.hpp"
#include "sandbox/common/sim_clock.hpp"
#include "sandbox/scayle/scayle_world.hpp"
#include "sandbox/sqs/sqs_queue.hpp"

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

class WorldAmazonApi final : public AmazonApi {
 public:
  WorldAmazonApi(sandbox::amazon::AmazonWorld& world, std::string seller_id)
      : world_(world), seller_id_(std::move(seller_id)) {}

  // Called after confirmShipment took effect in the world, before the engine sees the answer.
  std::function<void(const ConfirmShipmentRequest&)> after_confirm;
  std::atomic<int> fail_next_confirms{0};  // kUnavailable without effect
  std::atomic<int> get_order_calls{0};
  std::atomic<int> search_calls{0};
  int page_size = 100;

  Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest& request) override;
  Result<AmazonOrder> GetOrder(const GetOrderRequest& request) override;
  Status ConfirmShipment(const ConfirmShipmentRequest& request) override;
  Duration QuotaWait(std::string_view, CallPriority) override { return Duration(0); }

  Result<ListingsItem> GetListingsItem(const GetListingsItemRequest&) override { return Unused(); }
  Result<ListingsSubmission> PutListingsItem(const PutListingsItemRequest&) override {
    return Unused();
  }
  Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest&) override {
    return Unused();
  }
  Result<ListingsSubmission> DeleteListingsItem(const DeleteListingsItemRequest&) override {
    return Unused();
  }
  Result<ListingsItemsPage> SearchListingsItems(const SearchListingsItemsRequest&) override {
    return Unused();
  }
  Result<FeedDocumentUpload> CreateFeedDocument(std::string_view, CallPriority) override {
    return Unused();
  }
  Status UploadFeedDocument(const FeedDocumentUpload&, std::string_view,
                            std::string_view) override {
    return Unused();
  }
  Result<FeedId> CreateFeed(const CreateFeedRequest&) override { return Unused(); }
  Result<FeedId> SubmitFeed(const CreateFeedRequest&, std::string_view, std::string_view) override {
    return Unused();
  }
  Result<AmazonFeed> GetFeed(const FeedId&, CallPriority) override { return Unused(); }
  Result<std::string> GetFeedDocument(const std::string&, CallPriority) override {
    return Unused();
  }
  Result<ListingsFeedReport> GetListingsFeedReport(const std::string&, CallPriority) override {
    return Unused();
  }
  Result<AmazonReportsPage> GetReports(const GetReportsRequest&) override { return Unused(); }
  Result<AmazonReport> GetReport(const ReportId&, CallPriority) override { return Unused(); }
  Result<std::string> GetReportDocument(const std::string&, CallPriority) override {
    return Unused();
  }
  Result<ProductTypeDefinition> GetDefinitionsProductType(
      const GetProductTypeDefinitionRequest&) override {
    return Unused();
  }
  Result<std::string> DownloadSchema(const std::string&) override { return Unused(); }
  Result<NotificationDestination> CreateDestination(const CreateDestinationRequest&) override {
    return Unused();
  }
  Result<NotificationSubscription> CreateSubscription(const CreateSubscriptionRequest&) override {
    return Unused();
  }

  static AmazonOrder Convert(const sandbox::amazon::Order& order, bool with_pii);

 private:
  static tl::unexpected<Error> Unused() {
    return Fail(ErrorCode::kInternal, "not used by the order loop tests");
  }
  sandbox::amazon::AmazonWorld& world_;
  std::string seller_id_;
};

class WorldScayleApi final : public ScayleApi {
 public:
  explicit WorldScayleApi(sandbox::scayle::ScayleWorld& world) : world_(world) {}

  // Called after POST /reservations took effect, before the engine sees the answer.
  std::function<void(const std::vector<ScayleReservationRequest>&)> after_reserve;
  // Called after POST .../orders took effect, before the engine sees the answer.
  std::function<void(const ScayleNewOrder&)> after_create;
  std::string last_create_body;         // the JSON the engine sent, for contract checks
  std::atomic<int> fail_next_calls{0};  // kUnavailable without effect (SCAYLE down)
  std::atomic<int> reservation_calls{0};
  std::atomic<int> create_order_calls{0};

  Result<std::vector<ScayleReservationOutcome>> CreateReservations(
      const std::vector<ScayleReservationRequest>& reservations) override;
  Status DeleteReservationByKey(const std::string& reference_key) override;
  Status DeleteReservationById(int64_t id) override;
  Result<ScayleOrder> CreateOrder(const ScayleNewOrder& order) override;
  Result<ScayleOrder> GetOrderById(const std::string& shop_key, const std::string& country_code,
                                   int64_t id) override;
  Result<ScayleOrder> GetOrderByReferenceKey(const std::string& shop_key,
                                             const std::string& country_code,
                                             const std::string& reference_key) override;
  Status CancelOrderItems(const std::string& shop_key, const std::string& country_code,
                          int64_t order_id, const std::vector<int64_t>& order_item_ids) override;
  std::atomic<int> cancel_calls{0};

  Status ForEachProduct(const std::function<Status(const std::vector<ScayleProduct>&)>&) override {
    return Unused();
  }
  Result<std::vector<ScayleStock>> GetVariantStocks(const ScayleVariantRef&) override {
    return Unused();
  }
  Result<std::vector<ScaylePrice>> GetVariantPrices(const ScayleVariantRef&) override {
    return Unused();
  }
  Status ForEachOrder(const std::string&, const std::string&,
                      const std::function<Status(const std::vector<ScayleOrder>&)>&) override {
    return Unused();
  }
  Result<std::vector<ScayleCarrier>> ListCarriers() override { return Unused(); }
  Result<ScayleWebhookSubscription> CreateWebhookSubscription(
      const ScayleWebhookSubscription&) override {
    return Unused();
  }
  Result<std::vector<ScayleWebhookSubscription>> ListWebhookSubscriptions() override {
    return Unused();
  }

  // The sandbox order in the engine's terms (through both JSON mappings).
  Result<ScayleOrder> Convert(const sandbox::scayle::Order& order);

 private:
  static tl::unexpected<Error> Unused() {
    return Fail(ErrorCode::kInternal, "not used by the order loop tests");
  }
  Status Down();
  Result<ScayleOrder> Find(const std::string& shop, const std::string& cc,
                           const sandbox::scayle::Identifier& id);
  sandbox::scayle::ScayleWorld& world_;
};

class WorldQueue final : public NotificationQueue {
 public:
  explicit WorldQueue(sandbox::sqs::SqsQueue& queue) : queue_(queue) {}
  Result<std::vector<QueueMessage>> Receive(int max_messages, Duration wait) override;
  Status Delete(const std::string& receipt_handle) override;
  Status ChangeVisibility(const std::string& receipt_handle, Duration visibility) override;
  std::atomic<int> received{0};     // messages handed out, copies and redeliveries included
  std::atomic<int> redelivered{0};  // of those, receives after the first of the same message

 private:
  sandbox::sqs::SqsQueue& queue_;
};

// The ORDER_CHANGE notification Amazon would send for the order's current state.
std::string OrderChangeBody(const sandbox::amazon::Order& order, int sequence);

}  // namespace mb::order_test

// ---- the order loop assembled on a SQLite file, as the engine's component builds it ----

#include <memory>

#include "crypto/pii_cipher.hpp"
#include "scayle/scayle_webhook_receiver.hpp"
#include "store/sqlite_order_store.hpp"
#include "store/sqlite_state_store.hpp"
#include "sync/order_intake.hpp"
#include "sync/shipment_watcher.hpp"

namespace mb::order_test {

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

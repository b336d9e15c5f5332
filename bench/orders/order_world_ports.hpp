#pragma once
// The engine's ports (AmazonApi, ScayleApi, NotificationQueue) on the sandbox worlds, in-process:
// the order benchmark replays a trading day against the same emulated Amazon seller account,
// SCAYLE tenant and SQS queue the sandbox servers expose, without HTTP, for speed. Request and
// answer shapes go through the real JSON mappings of both sides (mb::scayle's OrderJson and
// ParseOrder, the sandbox's OrderJson), so only the transport is skipped. The order loop's
// end-to-end tests (tests/order_e2e_test.cpp) run the same loop over HTTP with the real adapters.
//
// Hooks let the bench stop the "engine" right after a reservation took effect and before its
// answer is recorded (by throwing EngineKilled), and inject failures.

#include <atomic>
#include <functional>
#include <string>

#include "ports/unused_ports.hpp"
#include "sandbox/amazon/amazon_world.hpp"
#include "sandbox/scayle/scayle_world.hpp"
#include "sandbox/sqs/sqs_queue.hpp"

namespace mb::bench {

class WorldAmazonApi final : public UnusedAmazonApi {
 public:
  WorldAmazonApi(sandbox::amazon::AmazonWorld& world, std::string seller_id)
      : world_(world), seller_id_(std::move(seller_id)) {}

  std::atomic<int> fail_next_confirms{0};  // kUnavailable without effect
  std::atomic<int> get_order_calls{0};
  std::atomic<int> search_calls{0};
  int page_size = 100;

  Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest& request) override;
  Result<AmazonOrder> GetOrder(const GetOrderRequest& request) override;
  Status ConfirmShipment(const ConfirmShipmentRequest& request) override;

  static AmazonOrder Convert(const sandbox::amazon::Order& order, bool with_pii);

 private:
  sandbox::amazon::AmazonWorld& world_;
  std::string seller_id_;
};

class WorldScayleApi final : public UnusedScayleApi {
 public:
  explicit WorldScayleApi(sandbox::scayle::ScayleWorld& world) : world_(world) {}

  // Called after POST /reservations took effect, before the engine sees the answer.
  std::function<void(const std::vector<ScayleReservationRequest>&)> after_reserve;
  std::atomic<int> fail_next_calls{0};  // kUnavailable without effect (SCAYLE down)

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

  // The sandbox order in the engine's terms (through both JSON mappings).
  Result<ScayleOrder> Convert(const sandbox::scayle::Order& order);

 private:
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

}  // namespace mb::bench

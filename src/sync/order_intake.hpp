#pragma once
// How Amazon orders reach the ledger (DESIGN §2.2, issue 5 "Intake"):
// - fast path: ORDER_CHANGE notifications from SQS, long-polled. A message is deleted only after
//   its order is durably recorded; a failure leaves it to reappear after the visibility timeout,
//   and a redelivery of a recorded change is a no-op (the ledger ignores what it already has).
// - backstop: searchOrders by lastUpdatedAfter (the cursor minus an overlap window) up to a cut-off
//   at least 2 minutes in the past, page by page, only when the rate governor has budget. It finds
//   orders whose notification was lost, and fills in prices and lines.

#include <stop_token>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "metrics/registry.hpp"
#include "ports/amazon_api.hpp"
#include "ports/state_store.hpp"
#include "sync/order_processor.hpp"

namespace mb::sync {

struct IntakeSettings {
  int max_messages = 10;                         // per receive (SQS maximum)
  Duration long_poll{std::chrono::seconds(20)};  // SQS maximum
  Duration backstop_overlap{std::chrono::minutes(10)};
  Duration backstop_cutoff{std::chrono::minutes(2)};       // Amazon requires ≥ 2 minutes
  Duration backstop_first_window{std::chrono::hours(24)};  // with no cursor yet
  // Skip a backstop pass when searchOrders would have to wait longer than this for quota.
  Duration backstop_max_quota_wait{std::chrono::seconds(5)};
  int backstop_max_pages = 20;
  std::vector<MarketplaceId> marketplace_ids;
};

inline constexpr std::string_view kBackstopCursor = "orders.backstop.last_updated_after";

class OrderIntake {
 public:
  OrderIntake(IntakeSettings settings, AmazonApi& amazon, CursorStore& cursors,
              OrderProcessor& processor, const Clock& clock, metrics::Registry* registry);

  // One long poll. Records each message's order, deletes the messages recorded, then runs the
  // steps of those orders (so stock is held within seconds of the notification).
  Status PollQueue(NotificationQueue& queue);
  // One backstop pass. When `stop` is requested it ends after the page in hand, leaving the
  // cursor where it was (the next pass reads those pages again; ingesting is idempotent).
  Status RunBackstop(std::stop_token stop = {});

 private:
  void Count(std::string_view source, std::string_view outcome);

  IntakeSettings settings_;
  AmazonApi& amazon_;
  CursorStore& cursors_;
  OrderProcessor& processor_;
  const Clock& clock_;
  metrics::CounterFamily* messages_ = nullptr;
};

}  // namespace mb::sync

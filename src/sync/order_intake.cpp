#include "sync/order_intake.hpp"

#include <set>

#include "core/timestamp.hpp"
#include "log/log.hpp"

namespace mb::sync {

OrderIntake::OrderIntake(IntakeSettings settings, AmazonApi& amazon, CursorStore& cursors,
                         OrderProcessor& processor, const Clock& clock, metrics::Registry* registry)
    : settings_(std::move(settings)),
      amazon_(amazon),
      cursors_(cursors),
      processor_(processor),
      clock_(clock) {
  if (registry)
    messages_ = &registry->AddCounter(
        "mb_order_intake_total", "Orders taken in, by source and outcome", {"source", "outcome"});
}

void OrderIntake::Count(std::string_view source, std::string_view outcome) {
  if (messages_) messages_->WithLabels({std::string(source), std::string(outcome)}).Inc();
}

Status OrderIntake::PollQueue(NotificationQueue& queue) {
  auto messages = queue.Receive(settings_.max_messages, settings_.long_poll);
  if (!messages) return tl::unexpected(messages.error());
  std::vector<AmazonOrderId> recorded;
  Status first_error;
  for (const auto& m : *messages) {
    auto snapshot = ParseOrderChange(m.body);
    if (!snapshot) {
      // It can never become valid: keep it out of the queue, and say which message it was.
      log::Get("orders")->warn("dropping SQS message {}: {}", m.message_id,
                               snapshot.error().message);
      Count("sqs", "malformed");
      (void)queue.Delete(m.receipt_handle);
      continue;
    }
    auto ingested = processor_.Ingest(*snapshot, "notification");
    if (!ingested) {
      // Not recorded: the message stays and comes back after its visibility timeout.
      Count("sqs", "not_recorded");
      if (first_error) first_error = ingested;
      continue;
    }
    Count("sqs", m.receive_count > 1 ? "redelivered" : "recorded");
    auto deleted = queue.Delete(m.receipt_handle);
    if (!deleted && first_error) first_error = deleted;
    recorded.push_back(snapshot->order_id);
  }
  std::set<AmazonOrderId> unique(recorded.begin(), recorded.end());
  for (const auto& id : unique) {
    auto s = processor_.Process(id);
    if (!s && first_error) first_error = s;
  }
  return first_error;
}

Status OrderIntake::RunBackstop(std::stop_token stop) {
  TimePoint now = clock_.Now();
  Duration wait = amazon_.QuotaWait("searchOrders", CallPriority::kNormal);
  if (wait > settings_.backstop_max_quota_wait) {
    Count("backstop", "skipped_quota");
    return {};
  }
  auto cursor = cursors_.GetCursor(kBackstopCursor);
  if (!cursor) return tl::unexpected(cursor.error());
  TimePoint cutoff = now - settings_.backstop_cutoff;
  TimePoint after = cutoff - settings_.backstop_first_window;
  if (*cursor) {
    auto parsed = ParseTimestamp(**cursor);
    if (!parsed) return tl::unexpected(parsed.error());
    after = *parsed - settings_.backstop_overlap;
  }
  if (after >= cutoff) return {};
  SearchOrdersRequest request;
  request.last_updated_after = after;
  request.last_updated_before = cutoff;
  request.marketplace_ids = settings_.marketplace_ids;
  request.fulfilled_by = {"MERCHANT"};
  request.included_data = {"FULFILLMENT"};
  std::set<AmazonOrderId> seen;
  Status first_error;
  for (int page = 0; page < settings_.backstop_max_pages; ++page) {
    auto result = amazon_.SearchOrders(request);
    if (!result) return tl::unexpected(result.error());
    for (const auto& order : result->orders) {
      auto s = processor_.Ingest(SnapshotOf(order), "backstop");
      if (!s) {
        if (first_error) first_error = s;
        continue;
      }
      seen.insert(order.order_id);
    }
    if (result->next_token.empty()) break;
    request.pagination_token = result->next_token;
    if (stop.stop_requested()) {
      Count("backstop", "stopped");
      return first_error;
    }
    if (page + 1 == settings_.backstop_max_pages) {
      // Out of pages for this pass: do not move the cursor past what was read.
      Count("backstop", "page_limit");
      return first_error;
    }
  }
  Count("backstop", "pass");
  if (!first_error) return first_error;
  auto set = cursors_.SetCursor(kBackstopCursor, FormatTimestamp(cutoff), now);
  if (!set) return set;
  for (const auto& id : seen) {
    // What is left stays open in the ledger: the open-orders pass takes it up after a restart.
    if (stop.stop_requested()) break;
    auto s = processor_.Process(id);
    if (!s && first_error) first_error = s;
  }
  return first_error;
}

}  // namespace mb::sync

#pragma once
// What SP-API's Notifications API says about an order of the world: its ORDER_CHANGE facts (v0
// status names, one entry per order item) and the SQS message body they make
// (reference/amazon/models/OrderChangeNotification.json). Used by the market and by tests, so both
// speak of an order in the same words.

#include <string>

#include "sandbox/amazon/amazon_world.hpp"
#include "sandbox/sqs/order_change_notification.hpp"

namespace sandbox::amazon {

// v0 OrderStatus name of a 2026-01-01 fulfillment status (ORDER_CHANGE uses v0 names); unknown
// values pass through unchanged.
std::string V0OrderStatus(const std::string& fulfillment_status);

// An order-level OrderStatusChange of the order as it stands now.
sqs::OrderChangeFacts OrderChangeFactsOf(const Order& order);

// The SQS message body of that notification.
std::string OrderChangeBody(const Order& order, const sqs::NotificationEnvelope& envelope);

}  // namespace sandbox::amazon

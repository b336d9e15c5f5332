#include "sandbox/amazon/rate_limits.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sandbox::amazon {

const std::vector<OperationLimit>& OperationLimits() {
  // Default usage plans, verbatim from the model descriptions (SPAPI.md §3).
  static const std::vector<OperationLimit> kLimits = {
      {"ordersV0.getOrders", "GET", "/orders/v0/orders", "0.0167", 20},
      {"ordersV0.getOrder", "GET", "/orders/v0/orders/{orderId}", "0.5", 30},
      {"ordersV0.getOrderItems", "GET", "/orders/v0/orders/{orderId}/orderItems", "0.5", 30},
      {"ordersV0.confirmShipment", "POST", "/orders/v0/orders/{orderId}/shipmentConfirmation", "2",
       10},
      {"ordersV0.updateShipmentStatus", "POST", "/orders/v0/orders/{orderId}/shipment", "5", 15},
      {"orders.searchOrders", "GET", "/orders/2026-01-01/orders", "0.0056", 20},
      {"orders.getOrder", "GET", "/orders/2026-01-01/orders/{orderId}", "0.5", 30},
      {"listings.getListingsItem", "GET", "/listings/2021-08-01/items/{sellerId}/{sku}", "5", 10},
      {"listings.putListingsItem", "PUT", "/listings/2021-08-01/items/{sellerId}/{sku}", "5", 10},
      {"listings.patchListingsItem", "PATCH", "/listings/2021-08-01/items/{sellerId}/{sku}", "5",
       5},
      {"listings.deleteListingsItem", "DELETE", "/listings/2021-08-01/items/{sellerId}/{sku}", "5",
       5},
      {"listings.searchListingsItems", "GET", "/listings/2021-08-01/items/{sellerId}", "5", 5},
      {"feeds.createFeedDocument", "POST", "/feeds/2021-06-30/documents", "0.5", 15},
      {"feeds.createFeed", "POST", "/feeds/2021-06-30/feeds", "0.0083", 15},
      {"feeds.getFeed", "GET", "/feeds/2021-06-30/feeds/{feedId}", "2", 15},
      {"feeds.cancelFeed", "DELETE", "/feeds/2021-06-30/feeds/{feedId}", "2", 15},
      {"feeds.getFeeds", "GET", "/feeds/2021-06-30/feeds", "0.0222", 10},
      {"feeds.getFeedDocument", "GET", "/feeds/2021-06-30/documents/{feedDocumentId}", "0.0222",
       10},
      {"reports.createReport", "POST", "/reports/2021-06-30/reports", "0.0167", 15},
      {"reports.getReports", "GET", "/reports/2021-06-30/reports", "0.0222", 10},
      {"reports.getReport", "GET", "/reports/2021-06-30/reports/{reportId}", "2", 15},
      {"reports.cancelReport", "DELETE", "/reports/2021-06-30/reports/{reportId}", "0.0222", 10},
      {"reports.getReportSchedules", "GET", "/reports/2021-06-30/schedules", "0.0222", 10},
      {"reports.createReportSchedule", "POST", "/reports/2021-06-30/schedules", "0.0222", 10},
      {"reports.getReportSchedule", "GET", "/reports/2021-06-30/schedules/{reportScheduleId}",
       "0.0222", 10},
      {"reports.cancelReportSchedule", "DELETE", "/reports/2021-06-30/schedules/{reportScheduleId}",
       "0.0222", 10},
      {"reports.getReportDocument", "GET", "/reports/2021-06-30/documents/{reportDocumentId}",
       "0.0167", 15},
      {"definitions.searchDefinitionsProductTypes", "GET", "/definitions/2020-09-01/productTypes",
       "5", 10},
      {"definitions.getDefinitionsProductType", "GET",
       "/definitions/2020-09-01/productTypes/{productType}", "5", 10},
      {"tokens.createRestrictedDataToken", "POST", "/tokens/2021-03-01/restrictedDataToken", "1",
       10},
      {"notifications.getSubscriptions", "GET", "/notifications/v1/subscriptions", "1", 5},
      {"notifications.getSubscription", "GET", "/notifications/v1/subscriptions/{notificationType}",
       "1", 5},
      {"notifications.createSubscription", "POST",
       "/notifications/v1/subscriptions/{notificationType}", "1", 5},
      {"notifications.getSubscriptionById", "GET",
       "/notifications/v1/subscriptions/{notificationType}/{subscriptionId}", "1", 5},
      {"notifications.deleteSubscriptionById", "DELETE",
       "/notifications/v1/subscriptions/{notificationType}/{subscriptionId}", "1", 5},
      {"notifications.getDestinations", "GET", "/notifications/v1/destinations", "1", 5},
      {"notifications.createDestination", "POST", "/notifications/v1/destinations", "1", 5},
      {"notifications.getDestination", "GET", "/notifications/v1/destinations/{destinationId}", "1",
       5},
      {"notifications.deleteDestination", "DELETE",
       "/notifications/v1/destinations/{destinationId}", "1", 5},
  };
  return kLimits;
}

const OperationLimit* FindOperationLimit(std::string_view operation) {
  for (const auto& limit : OperationLimits()) {
    if (limit.operation == operation) return &limit;
  }
  return nullptr;
}

TokenBucket::TokenBucket(double rate, int burst, SimTime now)
    : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}

bool TokenBucket::TryTake(SimTime now) {
  if (now > last_) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    last_ = now;
  }
  // A small epsilon so that rate × elapsed landing a hair under 1.0 (floating point) still counts.
  if (tokens_ < 1.0 - 1e-9) return false;
  tokens_ -= 1.0;
  return true;
}

bool RateLimiter::TryAcquire(const std::string& seller_id, std::string_view operation,
                             SimTime now) {
  const OperationLimit* limit = FindOperationLimit(operation);
  if (limit == nullptr) throw std::logic_error("no usage plan for " + std::string(operation));
  std::lock_guard lock(mu_);
  auto key = std::make_pair(seller_id, std::string(operation));
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    it = buckets_.emplace(key, TokenBucket(std::stod(std::string(limit->rate)), limit->burst, now))
             .first;
  }
  return it->second.TryTake(now);
}

bool RateLimiter::TryAcquireListingsFeed(const std::string& seller_id, std::string_view region,
                                         SimTime now) {
  std::lock_guard lock(mu_);
  auto& window = feed_windows_[{seller_id, std::string(region)}];
  while (!window.empty() && now - window.front() >= kListingsFeedWindow) window.pop_front();
  if (static_cast<int>(window.size()) >= kListingsFeedsPerWindow) return false;
  window.push_back(now);
  return true;
}

}  // namespace sandbox::amazon

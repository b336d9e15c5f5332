#include "order_world_ports.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "sandbox/scayle/scayle_json.hpp"
#include "scayle/scayle_json.hpp"

namespace mb::bench {

namespace {

TimePoint T(sandbox::SimTime t) { return TimePoint(t.time_since_epoch()); }

std::optional<Money> ToMoney(const sandbox::amazon::Money& m) {
  if (m.currency.empty()) return std::nullopt;
  return Money(m.minor, Currency::Of(m.currency));
}

Error FromScayle(const sandbox::scayle::ApiError& e) {
  ErrorCode code = e.status == 404   ? ErrorCode::kNotFound
                   : e.status == 409 ? ErrorCode::kConflict
                   : e.status >= 500 ? ErrorCode::kUnavailable
                                     : ErrorCode::kRejected;
  return Error{code, "scayle: " + std::to_string(e.status) + " " + e.key + ": " + e.message};
}

}  // namespace

// ---- Amazon ----

AmazonOrder WorldAmazonApi::Convert(const sandbox::amazon::Order& o, bool with_pii) {
  AmazonOrder a;
  a.order_id = AmazonOrderId(o.order_id);
  a.created_time = T(o.created_time);
  a.last_updated_time = T(o.last_updated_time);
  a.marketplace_id = MarketplaceId(o.marketplace_id);
  a.fulfillment_status = o.status;
  a.fulfilled_by = "MERCHANT";
  a.ship_by_earliest = T(o.earliest_ship_date);
  a.ship_by_latest = T(o.latest_ship_date);
  a.deliver_by_earliest = T(o.earliest_delivery_date);
  a.deliver_by_latest = T(o.latest_delivery_date);
  for (const auto& i : o.items) {
    AmazonOrderItem item;
    item.order_item_id = AmazonOrderItemId(i.order_item_id);
    item.seller_sku = Sku(i.sku);
    item.asin = Asin(i.asin);
    item.title = i.title;
    item.quantity_ordered = i.quantity_ordered;
    item.unit_price = ToMoney(i.unit_price);
    item.quantity_fulfilled = i.quantity_shipped;
    a.items.push_back(std::move(item));
  }
  if (with_pii) {
    a.buyer_name = o.buyer_name;
    a.buyer_email = o.buyer_email;
    AmazonAddress addr;
    addr.name = o.delivery_address.name;
    addr.address_line1 = o.delivery_address.address_line1;
    addr.city = o.delivery_address.city;
    addr.postal_code = o.delivery_address.postal_code;
    addr.country_code = o.delivery_address.country_code;
    addr.phone = o.delivery_address.phone;
    a.delivery_address = addr;
  }
  return a;
}

Result<AmazonOrdersPage> WorldAmazonApi::SearchOrders(const SearchOrdersRequest& request) {
  ++search_calls;
  std::vector<sandbox::amazon::Order> matching;
  for (const auto& o : world_.Orders(seller_id_)) {
    TimePoint updated = T(o.last_updated_time);
    if (request.last_updated_after && updated < *request.last_updated_after) continue;
    if (request.last_updated_before && updated >= *request.last_updated_before) continue;
    matching.push_back(o);
  }
  size_t start = request.pagination_token.empty() ? 0 : std::stoul(request.pagination_token);
  AmazonOrdersPage page;
  size_t end = std::min(matching.size(), start + static_cast<size_t>(page_size));
  for (size_t i = start; i < end; ++i) page.orders.push_back(Convert(matching[i], false));
  if (end < matching.size()) page.next_token = std::to_string(end);
  page.last_updated_before = request.last_updated_before;
  return page;
}

Result<AmazonOrder> WorldAmazonApi::GetOrder(const GetOrderRequest& request) {
  ++get_order_calls;
  auto o = world_.GetOrder(request.order_id.value());
  if (!o)
    return Fail(ErrorCode::kNotFound, "amazon: order " + request.order_id.value() + " not found");
  bool pii = std::find(request.included_data.begin(), request.included_data.end(), "RECIPIENT") !=
             request.included_data.end();
  return Convert(*o, pii);
}

Status WorldAmazonApi::ConfirmShipment(const ConfirmShipmentRequest& request) {
  if (fail_next_confirms > 0) {
    --fail_next_confirms;
    return Fail(ErrorCode::kUnavailable, "amazon: 503 confirmShipment (injected)");
  }
  sandbox::amazon::ConfirmShipmentRequest req;
  req.marketplace_id = request.marketplace_id.value();
  req.package.package_reference_id = request.package_reference_id;
  req.package.carrier_code = request.carrier_code;
  req.package.carrier_name = request.carrier_name;
  req.package.tracking_number = request.tracking_number;
  req.package.ship_date = sandbox::SimTime(request.ship_date.time_since_epoch());
  for (const auto& i : request.items)
    req.package.items.push_back({i.order_item_id.value(), static_cast<int>(i.quantity)});
  auto done = world_.ConfirmShipment(seller_id_, request.order_id.value(), req);
  if (!done) {
    const auto& e = done.error();
    ErrorCode code = e.http_status == 404 ? ErrorCode::kNotFound : ErrorCode::kInvalidInput;
    return Fail(code, "amazon: confirmShipment " + request.order_id.value() + " returned " +
                          std::to_string(e.http_status) + " " + e.code + ": " + e.message);
  }
  return {};
}

// ---- SCAYLE ----

Status WorldScayleApi::Down() {
  if (fail_next_calls > 0) {
    --fail_next_calls;
    return Fail(ErrorCode::kUnavailable, "scayle: 503 (injected outage)");
  }
  return {};
}

Result<std::vector<ScayleReservationOutcome>> WorldScayleApi::CreateReservations(
    const std::vector<ScayleReservationRequest>& reservations) {
  if (auto d = Down(); !d) return tl::unexpected(d.error());
  std::vector<sandbox::scayle::ReservationRequest> requests;
  for (const auto& r : reservations) {
    sandbox::scayle::ReservationRequest req;
    req.reference_key = r.reference_key;
    req.warehouse_key = r.warehouse.value();
    req.ttl_seconds = r.ttl_seconds;
    if (r.variant.id != 0)
      req.variant.id = r.variant.id;
    else
      req.variant.reference_key = r.variant.sku.value();
    requests.push_back(std::move(req));
  }
  std::vector<ScayleReservationOutcome> out;
  for (const auto& o : world_.Reserve(requests)) {
    ScayleReservationOutcome r;
    r.reference_key = o.reference_key;
    if (o.reservation) {
      r.id = o.reservation->id;
      r.ttl_seconds = o.reservation->ttl_seconds;
    } else if (o.error) {
      r.error_key = o.error->key;
      r.error_message = o.error->message;
    }
    out.push_back(std::move(r));
  }
  if (after_reserve) after_reserve(reservations);
  return out;
}

Status WorldScayleApi::DeleteReservationByKey(const std::string& reference_key) {
  if (auto d = Down(); !d) return d;
  auto r = world_.ReleaseReservation(sandbox::scayle::Identifier{std::nullopt, reference_key});
  if (!r) return tl::unexpected(FromScayle(r.error()));
  return {};
}

Status WorldScayleApi::DeleteReservationById(int64_t id) {
  if (auto d = Down(); !d) return d;
  auto r = world_.ReleaseReservation(sandbox::scayle::Identifier{id, ""});
  if (!r) return tl::unexpected(FromScayle(r.error()));
  return {};
}

Result<ScayleOrder> WorldScayleApi::Convert(const sandbox::scayle::Order& order) {
  auto sc = world_.FindShopCountry(order.shop_key, order.country_code);
  if (!sc) return Fail(ErrorCode::kInternal, "shop country of order missing");
  return scayle::ParseOrder(sandbox::scayle::OrderJson(order, *sc));
}

Result<ScayleOrder> WorldScayleApi::CreateOrder(const ScayleNewOrder& order) {
  if (auto d = Down(); !d) return tl::unexpected(d.error());
  nlohmann::json body = scayle::OrderJson(order);
  auto created = world_.CreateOrder(order.shop_key, order.country_code, body);
  if (!created) return tl::unexpected(FromScayle(created.error()));
  return Convert(*created);
}

Result<ScayleOrder> WorldScayleApi::Find(const std::string& shop, const std::string& cc,
                                         const sandbox::scayle::Identifier& id) {
  if (auto d = Down(); !d) return tl::unexpected(d.error());
  auto found = world_.FindOrder(shop, cc, id);
  if (!found) return tl::unexpected(FromScayle(found.error()));
  return Convert(*found);
}

Result<ScayleOrder> WorldScayleApi::GetOrderById(const std::string& shop_key,
                                                 const std::string& country_code, int64_t id) {
  return Find(shop_key, country_code, sandbox::scayle::Identifier{id, ""});
}

Result<ScayleOrder> WorldScayleApi::GetOrderByReferenceKey(const std::string& shop_key,
                                                           const std::string& country_code,
                                                           const std::string& reference_key) {
  return Find(shop_key, country_code, sandbox::scayle::Identifier{std::nullopt, reference_key});
}

Status WorldScayleApi::CancelOrderItems(const std::string& shop_key,
                                        const std::string& country_code, int64_t order_id,
                                        const std::vector<int64_t>& order_item_ids) {
  if (auto d = Down(); !d) return d;
  auto r = world_.CancelOrderItems(shop_key, country_code, order_id, order_item_ids);
  if (!r) return tl::unexpected(FromScayle(r.error()));
  return {};
}

// ---- SQS ----

Result<std::vector<QueueMessage>> WorldQueue::Receive(int max_messages, Duration wait) {
  std::vector<QueueMessage> out;
  for (auto& m : queue_.Receive(max_messages, std::nullopt, wait)) {
    QueueMessage q;
    q.message_id = m.message_id;
    q.receipt_handle = m.receipt_handle;
    q.body = std::move(m.body);
    q.receive_count = m.receive_count;
    q.sent_at = T(m.sent);
    ++received;
    if (m.receive_count > 1) ++redelivered;
    out.push_back(std::move(q));
  }
  return out;
}

Status WorldQueue::Delete(const std::string& receipt_handle) {
  if (queue_.Delete(receipt_handle) == sandbox::sqs::HandleResult::kInvalid)
    return Fail(ErrorCode::kRejected, "sqs: ReceiptHandleIsInvalid");
  return {};
}

Status WorldQueue::ChangeVisibility(const std::string& receipt_handle, Duration visibility) {
  queue_.ChangeVisibility(receipt_handle,
                          std::chrono::duration_cast<std::chrono::seconds>(visibility));
  return {};
}

}  // namespace mb::bench

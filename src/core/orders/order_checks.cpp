#include "core/orders/order_checks.hpp"

#include <algorithm>

#include "core/timestamp.hpp"

namespace mb::orders {

namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

std::string Minutes(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::minutes>(d).count()) + " min";
}

bool Finished(const OrderRecord& r) {
  OrderState s = r.State();
  return r.cancelled_at.has_value() || !r.merchant_fulfilled || s == OrderState::kConfirmed;
}

}  // namespace

std::vector<Finding> DetectGhosts(const OrderRecord& record, TimePoint now,
                                  const GhostSettings& settings) {
  std::vector<Finding> out;
  if (Finished(record)) return out;
  const std::string& id = record.order_id.value();
  for (const auto& line : record.lines) {
    if (!line.unmapped) continue;
    out.push_back(
        Finding{FindingKind::kGhostOrder, id + ":" + line.sku.value(),
                "order " + id + ": SellerSKU " + line.sku.value() +
                    " maps to no SCAYLE variant; the order cannot be held or created in SCAYLE",
                "{\"amazon_order_id\":" + Quote(id) + ",\"seller_sku\":" + Quote(line.sku.value()) +
                    ",\"order_item_id\":" + Quote(line.order_item_id.value()) +
                    ",\"quantity\":" + std::to_string(line.quantity) + "}"});
  }
  if (!out.empty()) return out;
  OrderState state = record.State();
  if (state == OrderState::kSeen && now - record.first_seen_at > settings.hold_within) {
    out.push_back(
        Finding{FindingKind::kNotHeldInTime, id,
                "order " + id + " not held in SCAYLE " + Minutes(now - record.first_seen_at) +
                    " after it was seen (limit " + Minutes(settings.hold_within) + ")",
                "{\"amazon_order_id\":" + Quote(id) + ",\"first_seen\":" +
                    Quote(FormatTimestamp(record.first_seen_at)) + ",\"step\":\"hold\"}"});
  } else if (record.scayle_order_id == 0 && record.unshipped_at &&
             now - *record.unshipped_at > settings.create_within) {
    out.push_back(Finding{
        FindingKind::kNotCreatedInTime, id,
        "order " + id + " not created in SCAYLE " + Minutes(now - *record.unshipped_at) +
            " after Amazon marked it Unshipped (limit " + Minutes(settings.create_within) + ")",
        "{\"amazon_order_id\":" + Quote(id) + ",\"unshipped_seen\":" +
            Quote(FormatTimestamp(*record.unshipped_at)) + ",\"step\":\"create\"}"});
  }
  return out;
}

ShipByStatus ShipByClock(const OrderRecord& record, TimePoint now, const ShipBySettings& settings) {
  ShipByStatus status;
  if (Finished(record) || !record.latest_ship_date) return status;
  status.watched = true;
  status.remaining = *record.latest_ship_date - now;
  if (settings.lead_times.empty()) return status;
  for (Duration lead : settings.lead_times) {
    if (status.remaining <= lead && (!status.crossed_lead || lead < *status.crossed_lead))
      status.crossed_lead = lead;
  }
  if (!status.crossed_lead) return status;
  Duration shortest = *std::min_element(settings.lead_times.begin(), settings.lead_times.end());
  Duration window_when_seen = *record.latest_ship_date - record.first_seen_at;
  status.warn = *status.crossed_lead == shortest || window_when_seen > *status.crossed_lead;
  return status;
}

std::optional<Finding> ShipByWarning(const OrderRecord& record, TimePoint now,
                                     const ShipBySettings& settings) {
  ShipByStatus s = ShipByClock(record, now, settings);
  if (!s.watched || !s.warn) return std::nullopt;
  const std::string& id = record.order_id.value();
  std::string when = s.remaining.count() < 0 ? "overdue by " + Minutes(-s.remaining)
                                             : Minutes(s.remaining) + " left";
  return Finding{
      FindingKind::kShipByAtRisk, id,
      "order " + id + " must ship by " + FormatTimestamp(*record.latest_ship_date) + " (" + when +
          "), state " + std::string(OrderStateName(record.State())),
      "{\"amazon_order_id\":" + Quote(id) + ",\"latest_ship_date\":" +
          Quote(FormatTimestamp(*record.latest_ship_date)) + ",\"lead_minutes\":" +
          std::to_string(
              std::chrono::duration_cast<std::chrono::minutes>(*s.crossed_lead).count()) +
          ",\"state\":" + Quote(OrderStateName(record.State())) + "}"};
}

bool ConfirmedLate(const OrderRecord& record) {
  return record.confirmed_at && record.latest_ship_date &&
         *record.confirmed_at > *record.latest_ship_date;
}

void LateShipmentRate::Add(const OrderRecord& record) {
  if (!record.merchant_fulfilled || !record.confirmed_at) return;
  ++confirmed;
  if (ConfirmedLate(record)) ++late;
}

}  // namespace mb::orders

#include "core/orders/order_ledger.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace mb::orders {

namespace {

struct StatusName {
  AmazonStatus status;
  std::string_view v0;
  std::string_view v2026;
};

constexpr std::array kStatusNames = {
    StatusName{AmazonStatus::kPendingAvailability, "PendingAvailability", "PENDING_AVAILABILITY"},
    StatusName{AmazonStatus::kPending, "Pending", "PENDING"},
    StatusName{AmazonStatus::kUnshipped, "Unshipped", "UNSHIPPED"},
    StatusName{AmazonStatus::kPartiallyShipped, "PartiallyShipped", "PARTIALLY_SHIPPED"},
    StatusName{AmazonStatus::kShipped, "Shipped", "SHIPPED"},
    StatusName{AmazonStatus::kInvoiceUnconfirmed, "InvoiceUnconfirmed", "INVOICE_UNCONFIRMED"},
    StatusName{AmazonStatus::kCanceled, "Canceled", "CANCELLED"},
    StatusName{AmazonStatus::kUnfulfillable, "Unfulfillable", "UNFULFILLABLE"},
};

constexpr std::array kStateNames = {
    std::pair{OrderState::kSeen, std::string_view("seen")},
    std::pair{OrderState::kHeld, std::string_view("held")},
    std::pair{OrderState::kCreated, std::string_view("created")},
    std::pair{OrderState::kPartiallyShipped, std::string_view("partially_shipped")},
    std::pair{OrderState::kShipped, std::string_view("shipped")},
    std::pair{OrderState::kConfirmed, std::string_view("confirmed")},
    std::pair{OrderState::kCancelled, std::string_view("cancelled")},
    std::pair{OrderState::kReleased, std::string_view("released")},
};

// Amazon may say the order was cancelled or merely that the ready-to-ship phase began.
bool ReadyToShip(AmazonStatus s) {
  return s == AmazonStatus::kUnshipped || s == AmazonStatus::kPartiallyShipped ||
         s == AmazonStatus::kShipped || s == AmazonStatus::kInvoiceUnconfirmed;
}

// A cancelled unit whose SCAYLE order item still stands and was not refused.
bool CancelInScayleDue(const OrderUnit& u) {
  return u.cancelled && u.scayle_item_id && !u.package_id && !u.scayle_cancelled &&
         u.scayle_cancel_refused.empty();
}

OrderUnit* FindUnit(OrderRecord& record, const UnitRef& ref) {
  for (auto& u : record.units) {
    if (u.order_item_id == ref.order_item_id && u.index == ref.index) return &u;
  }
  return nullptr;
}

// The last outstanding step of a cancelled order is done: the order is released.
void NoteReleased(OrderRecord& record, TimePoint now) {
  if (record.cancelled_at && !record.released_at && record.State() == OrderState::kReleased)
    record.released_at = now;
}

Error UnknownUnit(const OrderRecord& record, const UnitRef& ref) {
  return Error{ErrorCode::kNotFound, "order " + record.order_id.value() + " has no unit " +
                                         std::to_string(ref.index) + " of item " +
                                         ref.order_item_id.value()};
}

}  // namespace

AmazonStatus ParseAmazonStatus(std::string_view text) {
  for (const auto& n : kStatusNames) {
    if (text == n.v0 || text == n.v2026) return n.status;
  }
  // v0 spells it "Canceled", some v2026 payloads "CANCELED".
  if (text == "CANCELED") return AmazonStatus::kCanceled;
  return AmazonStatus::kUnknown;
}

std::string_view AmazonStatusName(AmazonStatus status) {
  for (const auto& n : kStatusNames) {
    if (n.status == status) return n.v0;
  }
  return "Unknown";
}

std::string_view OrderStateName(OrderState state) {
  for (const auto& [s, name] : kStateNames) {
    if (s == state) return name;
  }
  return "seen";
}

Result<OrderState> ParseOrderState(std::string_view name) {
  for (const auto& [s, n] : kStateNames) {
    if (n == name) return s;
  }
  return Fail(ErrorCode::kParseError, "unknown order state '" + std::string(name) + "'");
}

std::string_view ConfirmStateName(ConfirmState state) {
  switch (state) {
    case ConfirmState::kPending:
      return "pending";
    case ConfirmState::kConfirmed:
      return "confirmed";
    case ConfirmState::kRejected:
      return "rejected";
  }
  return "pending";
}

OrderState OrderRecord::State() const {
  if (cancelled_at) {
    bool outstanding = std::any_of(units.begin(), units.end(), [](const OrderUnit& u) {
      return (u.held && !u.released) || CancelInScayleDue(u);
    });
    return outstanding ? OrderState::kCancelled : OrderState::kReleased;
  }
  if (!packages.empty()) {
    int64_t active = ActiveUnitCount();
    int64_t shipped = std::count_if(units.begin(), units.end(), [](const OrderUnit& u) {
      return !u.cancelled && u.package_id.has_value();
    });
    if (shipped < active) return OrderState::kPartiallyShipped;
    bool all_confirmed = std::all_of(packages.begin(), packages.end(), [](const OrderPackage& p) {
      return p.confirm == ConfirmState::kConfirmed;
    });
    return all_confirmed ? OrderState::kConfirmed : OrderState::kShipped;
  }
  if (scayle_order_id != 0) return OrderState::kCreated;
  bool all_held = !units.empty() && std::all_of(units.begin(), units.end(), [](const OrderUnit& u) {
    return u.cancelled || u.held;
  });
  return all_held ? OrderState::kHeld : OrderState::kSeen;
}

bool OrderRecord::Terminal() const {
  OrderState s = State();
  return s == OrderState::kConfirmed || s == OrderState::kReleased ||
         (!merchant_fulfilled && status != AmazonStatus::kUnknown);
}

const OrderLine* OrderRecord::FindLine(const AmazonOrderItemId& id) const {
  for (const auto& l : lines) {
    if (l.order_item_id == id) return &l;
  }
  return nullptr;
}

OrderLine* OrderRecord::FindLine(const AmazonOrderItemId& id) {
  for (auto& l : lines) {
    if (l.order_item_id == id) return &l;
  }
  return nullptr;
}

OrderPackage* OrderRecord::FindPackage(int64_t scayle_package_id) {
  for (auto& p : packages) {
    if (p.scayle_package_id == scayle_package_id) return &p;
  }
  return nullptr;
}

int64_t OrderRecord::ActiveUnitCount() const {
  return std::count_if(units.begin(), units.end(), [](const OrderUnit& u) { return !u.cancelled; });
}

std::string ReservationKey(const AmazonOrderId& order, const AmazonOrderItemId& item, int unit) {
  return order.value() + ":" + item.value() + ":" + std::to_string(unit);
}

std::string OrderCreationKey(const AmazonOrderId& order) { return order.value(); }

std::string ConfirmationKey(const AmazonOrderId& order, std::string_view package_reference_id) {
  return order.value() + ":" + std::string(package_reference_id);
}

std::string ReleaseKey(std::string_view reservation_key) { return std::string(reservation_key); }

IdempotencyKey ReserveEffectKey(std::string_view reservation_key) {
  return IdempotencyKey("orders.reserve:" + std::string(reservation_key));
}

IdempotencyKey CreateEffectKey(const AmazonOrderId& order) {
  return IdempotencyKey("orders.create:" + OrderCreationKey(order));
}

IdempotencyKey ConfirmEffectKey(const AmazonOrderId& order, std::string_view package_reference_id) {
  return IdempotencyKey("orders.confirm:" + ConfirmationKey(order, package_reference_id));
}

IdempotencyKey ReleaseEffectKey(std::string_view reservation_key) {
  return IdempotencyKey("orders.release:" + ReleaseKey(reservation_key));
}

IdempotencyKey CancelEffectKey(const AmazonOrderId& order, const AmazonOrderItemId& item,
                               int unit) {
  return IdempotencyKey("orders.cancel:" + ReservationKey(order, item, unit));
}

ApplyOutcome ApplySnapshot(OrderRecord& record, const AmazonOrderSnapshot& snapshot, TimePoint now,
                           bool is_new) {
  ApplyOutcome out;
  if (is_new) {
    record = OrderRecord{};
    record.order_id = snapshot.order_id;
    record.first_seen_at = now;
    out.created = true;
    out.changed = true;
  } else if (snapshot.last_updated < record.last_amazon_update) {
    // An older notification arriving late: its status is outdated. Its lines may still fill in a
    // record that only knew a summary.
    out.stale = true;
    if (!record.lines.empty() || snapshot.lines.empty()) return out;
  }
  AmazonStatus status = ParseAmazonStatus(snapshot.status);
  if (!out.stale) {
    if (!snapshot.marketplace_id.empty()) record.marketplace_id = snapshot.marketplace_id;
    record.merchant_fulfilled = snapshot.merchant_fulfilled;
    if (snapshot.purchase_date) record.purchase_date = snapshot.purchase_date;
    if (snapshot.latest_ship_date) record.latest_ship_date = snapshot.latest_ship_date;
    if (snapshot.latest_delivery_date) record.latest_delivery_date = snapshot.latest_delivery_date;
    if (record.raw_status != snapshot.status || snapshot.last_updated != record.last_amazon_update)
      out.changed = true;
    record.last_amazon_update = std::max(record.last_amazon_update, snapshot.last_updated);
    // A cancellation is final: no later snapshot takes it back.
    if (!record.cancelled_at) {
      record.raw_status = snapshot.status;
      record.status = status;
      out.status_unknown = status == AmazonStatus::kUnknown;
      if (ReadyToShip(status) && !record.unshipped_at) record.unshipped_at = now;
      if (status == AmazonStatus::kCanceled) {
        record.cancelled_at = now;
        out.became_cancelled = true;
        for (auto& u : record.units) {
          if (!u.package_id) u.cancelled = true;
        }
      }
    }
  }
  for (const auto& line : snapshot.lines) {
    OrderLine* existing = record.FindLine(line.order_item_id);
    if (!existing) {
      record.lines.push_back(
          OrderLine{line.order_item_id, line.sku, line.quantity, line.unit_price});
      for (int i = 1; i <= line.quantity; ++i) {
        OrderUnit unit;
        unit.order_item_id = line.order_item_id;
        unit.index = i;
        unit.cancelled = record.cancelled_at.has_value();
        record.units.push_back(unit);
      }
      out.changed = true;
    } else if (!existing->unit_price && line.unit_price) {
      existing->unit_price = line.unit_price;
      out.changed = true;
    }
    // Item-level cancellation: the highest unshipped units of the line go first.
    int64_t cancelled = 0;
    for (const auto& u : record.units) {
      if (u.order_item_id == line.order_item_id && u.cancelled) ++cancelled;
    }
    for (auto it = record.units.rbegin();
         it != record.units.rend() && cancelled < line.quantity_cancelled; ++it) {
      if (it->order_item_id == line.order_item_id && !it->cancelled && !it->package_id) {
        it->cancelled = true;
        ++cancelled;
        out.changed = true;
      }
    }
  }
  return out;
}

NextSteps PlanSteps(const OrderRecord& record) {
  NextSteps steps;
  if (!record.merchant_fulfilled) return steps;
  for (const auto& u : record.units) {
    // SCAYLE order items first: cancelling them puts their units back on the shelf. The
    // reservations they consumed count as released; only a reservation no item took is deleted.
    if (record.scayle_order_id != 0 && CancelInScayleDue(u))
      steps.cancel_in_scayle.push_back({u.order_item_id, u.index});
    if (u.held && !u.released && u.cancelled) steps.release.push_back({u.order_item_id, u.index});
  }
  if (record.cancelled_at) return steps;
  if (record.scayle_order_id == 0) {
    for (const auto& u : record.units) {
      if (u.held || u.cancelled) continue;
      const OrderLine* line = record.FindLine(u.order_item_id);
      if (line && line->unmapped) continue;
      steps.reserve.push_back({u.order_item_id, u.index});
    }
    bool mapped = std::none_of(record.lines.begin(), record.lines.end(),
                               [](const OrderLine& l) { return l.unmapped; });
    steps.create_in_scayle = ReadyToShip(record.status) && mapped && record.ActiveUnitCount() > 0;
  }
  for (const auto& p : record.packages) {
    if (p.confirm == ConfirmState::kPending) steps.confirm.push_back(p.package_reference_id);
  }
  return steps;
}

Status MarkUnitHeld(OrderRecord& record, const UnitRef& ref, int64_t reservation_id,
                    TimePoint now) {
  OrderUnit* unit = FindUnit(record, ref);
  if (!unit) return tl::unexpected(UnknownUnit(record, ref));
  unit->held = true;
  if (reservation_id != 0) unit->reservation_id = reservation_id;
  if (!record.held_at && record.State() != OrderState::kSeen) record.held_at = now;
  return {};
}

Status MarkUnitReleased(OrderRecord& record, const UnitRef& ref, TimePoint now) {
  OrderUnit* unit = FindUnit(record, ref);
  if (!unit) return tl::unexpected(UnknownUnit(record, ref));
  unit->released = true;
  NoteReleased(record, now);
  return {};
}

Status MarkCreatedInScayle(OrderRecord& record, int64_t scayle_order_id, TimePoint now) {
  if (record.cancelled_at)
    return Fail(ErrorCode::kConflict, "order " + record.order_id.value() +
                                          " was cancelled on Amazon; not created in SCAYLE");
  if (record.scayle_order_id != 0 && record.scayle_order_id != scayle_order_id)
    return Fail(ErrorCode::kConflict, "order " + record.order_id.value() +
                                          " is already SCAYLE order " +
                                          std::to_string(record.scayle_order_id));
  record.scayle_order_id = scayle_order_id;
  if (!record.created_at) record.created_at = now;
  // The SCAYLE order consumed the reservations named on its items.
  if (!record.held_at) record.held_at = now;
  return {};
}

void RecordScayleOrderOfCancelled(OrderRecord& record, int64_t scayle_order_id) {
  if (record.scayle_order_id == 0) record.scayle_order_id = scayle_order_id;
}

void LinkScayleItems(OrderRecord& record, const std::vector<ScayleItemRef>& items) {
  auto linked = [&](int64_t id) {
    return std::any_of(record.units.begin(), record.units.end(), [&](const OrderUnit& u) {
      return u.scayle_item_id && *u.scayle_item_id == id;
    });
  };
  for (const auto& item : items) {
    if (item.reservation_key.empty() || linked(item.id)) continue;
    for (auto& u : record.units) {
      if (item.reservation_key == ReservationKey(record.order_id, u.order_item_id, u.index)) {
        // The engine names only held units' reservations, and SCAYLE took the unit from it.
        u.scayle_item_id = item.id;
        u.held = true;
        u.released = true;
      }
    }
  }
  for (const auto& item : items) {
    if (linked(item.id)) continue;
    for (auto& u : record.units) {
      const OrderLine* line = record.FindLine(u.order_item_id);
      if (u.scayle_item_id || (u.cancelled && !record.cancelled_at) || !line ||
          line->sku.value() != item.sku)
        continue;
      u.scayle_item_id = item.id;
      break;
    }
  }
}

Status MarkUnitCancelledInScayle(OrderRecord& record, const UnitRef& ref, TimePoint now) {
  OrderUnit* unit = FindUnit(record, ref);
  if (!unit) return tl::unexpected(UnknownUnit(record, ref));
  unit->scayle_cancelled = true;
  NoteReleased(record, now);
  return {};
}

Status MarkUnitCancelRefused(OrderRecord& record, const UnitRef& ref, std::string_view reason,
                             TimePoint now) {
  OrderUnit* unit = FindUnit(record, ref);
  if (!unit) return tl::unexpected(UnknownUnit(record, ref));
  unit->scayle_cancel_refused = reason.empty() ? "refused" : std::string(reason);
  NoteReleased(record, now);
  return {};
}

Result<std::string> RecordPackage(OrderRecord& record, const ShippedPackage& package,
                                  TimePoint now) {
  if (OrderPackage* existing = record.FindPackage(package.scayle_package_id))
    return existing->package_reference_id;
  if (package.items.empty())
    return Fail(ErrorCode::kInvalidInput, "package " + std::to_string(package.scayle_package_id) +
                                              " of order " + record.order_id.value() +
                                              " names no items");
  OrderPackage p;
  p.scayle_package_id = package.scayle_package_id;
  p.package_reference_id = std::to_string(record.packages.size() + 1);
  p.carrier_key = package.carrier_key;
  p.tracking_number = package.tracking_number;
  p.shipped_at = package.shipped_at.value_or(now);
  p.items = package.items;
  for (const auto& [item, quantity] : package.items) {
    int64_t left = quantity;
    for (auto& u : record.units) {
      if (left == 0) break;
      if (u.order_item_id == item && !u.package_id && !u.cancelled) {
        u.package_id = package.scayle_package_id;
        --left;
      }
    }
  }
  record.packages.push_back(std::move(p));
  if (record.State() == OrderState::kShipped && !record.shipped_at) record.shipped_at = now;
  return record.packages.back().package_reference_id;
}

Status MarkPackageConfirmed(OrderRecord& record, std::string_view package_reference_id,
                            TimePoint now) {
  for (auto& p : record.packages) {
    if (p.package_reference_id != package_reference_id) continue;
    p.confirm = ConfirmState::kConfirmed;
    p.rejection.clear();
    if (!p.confirmed_at) p.confirmed_at = now;
    if (record.State() == OrderState::kConfirmed && !record.confirmed_at) {
      record.confirmed_at = now;
      if (!record.shipped_at) record.shipped_at = now;
    }
    return {};
  }
  return Fail(ErrorCode::kNotFound, "order " + record.order_id.value() + " has no package " +
                                        std::string(package_reference_id));
}

Status MarkPackageRejected(OrderRecord& record, std::string_view package_reference_id,
                           std::string_view message) {
  for (auto& p : record.packages) {
    if (p.package_reference_id != package_reference_id) continue;
    p.confirm = ConfirmState::kRejected;
    p.rejection = std::string(message);
    return {};
  }
  return Fail(ErrorCode::kNotFound, "order " + record.order_id.value() + " has no package " +
                                        std::string(package_reference_id));
}

void UpdatePurgeTime(OrderRecord& record, Duration retention) {
  std::optional<TimePoint> finished;
  if (record.cancelled_at) {
    finished = record.cancelled_at;
  } else if (record.confirmed_at) {
    finished = record.confirmed_at;
    if (record.latest_delivery_date && *record.latest_delivery_date > *finished)
      finished = record.latest_delivery_date;
  }
  if (finished) record.pii_purge_after = *finished + retention;
}

}  // namespace mb::orders

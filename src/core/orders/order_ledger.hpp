#pragma once
// The order ledger record (DESIGN §2.2): one per Amazon order, with its lines, one unit per ordered
// piece (SCAYLE reserves and creates one item per unit) and the packages SCAYLE shipped. The state
// is derived from recorded facts, never stored on its own, so a crash between two facts can never
// leave a state that contradicts them. Every external step has an idempotency key derived here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"

namespace mb::orders {

// Amazon's order status, v0 (PascalCase) and v2026 (UPPER_SNAKE) spellings alike.
enum class AmazonStatus {
  kPendingAvailability,
  kPending,
  kUnshipped,
  kPartiallyShipped,
  kShipped,
  kInvoiceUnconfirmed,
  kCanceled,
  kUnfulfillable,
  kUnknown,  // a value this build does not know: surfaced as an exception, never a crash
};

AmazonStatus ParseAmazonStatus(std::string_view text);
std::string_view AmazonStatusName(AmazonStatus status);

enum class OrderState {
  kSeen,              // known, stock not yet held for every unit
  kHeld,              // every unit reserved in SCAYLE
  kCreated,           // order created in SCAYLE
  kPartiallyShipped,  // some units shipped in SCAYLE
  kShipped,           // every unit shipped in SCAYLE, not every package confirmed on Amazon
  kConfirmed,         // every package confirmed on Amazon
  kCancelled,         // cancelled on Amazon, reservations still to release
  kReleased,          // cancelled and every reservation released
};

std::string_view OrderStateName(OrderState state);
Result<OrderState> ParseOrderState(std::string_view name);

// One ordered piece: the unit of reservation and of SCAYLE order items.
struct OrderUnit {
  AmazonOrderItemId order_item_id;
  int index = 1;  // 1-based within its line
  std::optional<int64_t> reservation_id;
  bool held = false;
  // Its reservation is gone: deleted by the engine, or consumed by the SCAYLE order item that
  // named it (nothing left to release then).
  bool released = false;
  bool cancelled = false;  // Amazon cancelled this unit (whole order or item-level)
  std::optional<int64_t> scayle_item_id;
  std::optional<int64_t> package_id;  // SCAYLE package it shipped in
  // A cancelled unit's SCAYLE order item: cancelled there too, or SCAYLE's reason for refusing.
  bool scayle_cancelled = false;
  std::string scayle_cancel_refused;
};

struct OrderLine {
  AmazonOrderItemId order_item_id;
  Sku sku;
  int64_t quantity = 0;
  std::optional<Money> unit_price;  // as Amazon charged it
  // SCAYLE variant the SKU maps to; 0 when unknown, unmapped=true when SCAYLE has none.
  int64_t variant_id = 0;
  bool unmapped = false;
};

enum class ConfirmState { kPending, kConfirmed, kRejected };
std::string_view ConfirmStateName(ConfirmState state);

// One package SCAYLE shipped, confirmed on Amazon on its own.
struct OrderPackage {
  int64_t scayle_package_id = 0;
  // Stable per order: assigned 1, 2, 3 ... in the order packages are first seen and stored, so a
  // repeated confirmation edits the same Amazon shipment instead of adding one.
  std::string package_reference_id;
  std::string carrier_key;
  std::string tracking_number;
  std::optional<TimePoint> shipped_at;
  // (order item, quantity) shipped in this package.
  std::vector<std::pair<AmazonOrderItemId, int64_t>> items;
  ConfirmState confirm = ConfirmState::kPending;
  std::optional<TimePoint> confirmed_at;
  std::string rejection;  // Amazon's message
};

struct OrderRecord {
  AmazonOrderId order_id;
  MarketplaceId marketplace_id;
  std::string raw_status;  // as Amazon sent it
  AmazonStatus status = AmazonStatus::kPending;
  bool merchant_fulfilled = true;  // MFN; AFN orders are recorded but never acted on
  std::optional<TimePoint> purchase_date;
  std::optional<TimePoint> latest_ship_date;
  std::optional<TimePoint> latest_delivery_date;
  TimePoint first_seen_at{};
  TimePoint last_amazon_update{};
  std::optional<TimePoint> unshipped_at;  // when the engine first saw it Unshipped (or later)
  std::optional<TimePoint> held_at;
  std::optional<TimePoint> created_at;  // created in SCAYLE
  int64_t scayle_order_id = 0;
  std::optional<TimePoint> shipped_at;
  std::optional<TimePoint> confirmed_at;
  std::optional<TimePoint> cancelled_at;
  std::optional<TimePoint> released_at;
  std::optional<TimePoint> pii_purge_after;
  bool ghost = false;  // a SKU maps to no SCAYLE variant
  std::vector<OrderLine> lines;
  std::vector<OrderUnit> units;
  std::vector<OrderPackage> packages;

  OrderState State() const;
  bool Terminal() const;
  const OrderLine* FindLine(const AmazonOrderItemId& id) const;
  OrderLine* FindLine(const AmazonOrderItemId& id);
  OrderPackage* FindPackage(int64_t scayle_package_id);
  int64_t UnitCount() const { return static_cast<int64_t>(units.size()); }
  int64_t ActiveUnitCount() const;  // not cancelled
};

// ---- Idempotency keys (one per external step) ----

// SCAYLE reservation referenceKey: order + item + unit, so each unit is reserved exactly once even
// when an order is redelivered or the engine restarts after the call.
std::string ReservationKey(const AmazonOrderId& order, const AmazonOrderItemId& item, int unit);
// The SCAYLE order referenceKey is the Amazon order id itself (SCAYLE refuses a second order with
// it, and it is how SCAYLE's webhooks lead back to the ledger).
std::string OrderCreationKey(const AmazonOrderId& order);
// One confirmShipment per package: order + packageReferenceId.
std::string ConfirmationKey(const AmazonOrderId& order, std::string_view package_reference_id);
std::string ReleaseKey(std::string_view reservation_key);

// Outbox idempotency keys (namespaced by step kind).
IdempotencyKey ReserveEffectKey(std::string_view reservation_key);
IdempotencyKey CreateEffectKey(const AmazonOrderId& order);
IdempotencyKey ConfirmEffectKey(const AmazonOrderId& order, std::string_view package_reference_id);
IdempotencyKey ReleaseEffectKey(std::string_view reservation_key);
// Cancelling one unit's item of the SCAYLE order (POST /fulfillment/cancellations).
IdempotencyKey CancelEffectKey(const AmazonOrderId& order, const AmazonOrderItemId& item, int unit);

// ---- What Amazon says about an order ----

struct AmazonLineSnapshot {
  AmazonOrderItemId order_item_id;
  Sku sku;
  int64_t quantity = 0;
  int64_t quantity_cancelled = 0;  // units Amazon no longer wants shipped
  std::optional<Money> unit_price;
};

struct AmazonOrderSnapshot {
  AmazonOrderId order_id;
  MarketplaceId marketplace_id;
  std::string status;  // as Amazon sent it
  bool merchant_fulfilled = true;
  std::optional<TimePoint> purchase_date;
  TimePoint last_updated{};
  std::optional<TimePoint> latest_ship_date;
  std::optional<TimePoint> latest_delivery_date;
  std::vector<AmazonLineSnapshot> lines;  // empty: not known (e.g. a notification summary)
};

// What changed when a snapshot was applied.
struct ApplyOutcome {
  bool created = false;         // the record is new
  bool changed = false;         // anything stored changed
  bool stale = false;           // older than what the ledger has: ignored
  bool status_unknown = false;  // raise unknown_order_status
  bool became_cancelled = false;
};

// Builds a fresh record from a snapshot, or merges into an existing one. A snapshot older than
// the last one applied changes nothing (out-of-order notifications).
ApplyOutcome ApplySnapshot(OrderRecord& record, const AmazonOrderSnapshot& snapshot, TimePoint now,
                           bool is_new);

// ---- Steps the record asks for ----

struct UnitRef {
  AmazonOrderItemId order_item_id;
  int index = 1;
};

struct NextSteps {
  std::vector<UnitRef> reserve;  // units to hold in SCAYLE
  bool create_in_scayle = false;
  std::vector<UnitRef> release;  // units whose reservation must go (cancelled)
  // Cancelled units whose item of the SCAYLE order must be cancelled in SCAYLE.
  std::vector<UnitRef> cancel_in_scayle;
  std::vector<std::string> confirm;  // package_reference_ids to confirm on Amazon
};

// Pure decision: what to do next for this record. Reservations happen from Pending on (stock must
// be held before the buyer's payment clears); the SCAYLE order only once Amazon says Unshipped;
// nothing for AFN orders; nothing for a ghost order's unmapped lines.
NextSteps PlanSteps(const OrderRecord& record);

// ---- Facts recorded after a step ----

Status MarkUnitHeld(OrderRecord& record, const UnitRef& unit, int64_t reservation_id,
                    TimePoint now);
Status MarkUnitReleased(OrderRecord& record, const UnitRef& unit, TimePoint now);
Status MarkCreatedInScayle(OrderRecord& record, int64_t scayle_order_id, TimePoint now);
// An order cancelled on Amazon whose SCAYLE order turned out to exist (created before a crash, not
// recorded): it is recorded so its items can be cancelled in SCAYLE.
void RecordScayleOrderOfCancelled(OrderRecord& record, int64_t scayle_order_id);
// Links the SCAYLE order's items to units: by the reservation key named on the item, else the next
// unlinked unit of the line with the item's SKU (the engine sends one item per unit, in unit
// order). An item naming a unit's reservation consumed it (SCAYLE takes the unit from it), so that
// unit has no reservation left to release.
struct ScayleItemRef {
  int64_t id = 0;
  std::string sku;  // the variant's referenceKey
  std::string reservation_key;
};
void LinkScayleItems(OrderRecord& record, const std::vector<ScayleItemRef>& items);
Status MarkUnitCancelledInScayle(OrderRecord& record, const UnitRef& unit, TimePoint now);
Status MarkUnitCancelRefused(OrderRecord& record, const UnitRef& unit, std::string_view reason,
                             TimePoint now);

struct ShippedPackage {
  int64_t scayle_package_id = 0;
  std::string carrier_key;
  std::string tracking_number;
  std::optional<TimePoint> shipped_at;
  std::vector<std::pair<AmazonOrderItemId, int64_t>> items;
};

// Adds a package SCAYLE reported (webhook or poll). Idempotent on scayle_package_id; returns the
// package_reference_id (new or existing).
Result<std::string> RecordPackage(OrderRecord& record, const ShippedPackage& package,
                                  TimePoint now);
Status MarkPackageConfirmed(OrderRecord& record, std::string_view package_reference_id,
                            TimePoint now);
Status MarkPackageRejected(OrderRecord& record, std::string_view package_reference_id,
                           std::string_view message);

// Sets pii_purge_after once the order is finished (every package confirmed: latest delivery date or
// the confirmation, whichever is later; or cancelled): that time + retention.
void UpdatePurgeTime(OrderRecord& record, Duration retention);

}  // namespace mb::orders

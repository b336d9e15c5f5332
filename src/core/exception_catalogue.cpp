#include "core/exception_catalogue.hpp"

#include <array>
#include <stdexcept>

namespace mb {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

constexpr std::array kCatalogue = {
    ExceptionTypeInfo{ExceptionType::kUnmappedSku, "unmapped_sku", Team::kEcommerce,
                      Severity::kCritical, hours(4), "Amazon SKU maps to no SCAYLE variant",
                      "the SKU maps to exactly one SCAYLE variant again"},
    ExceptionTypeInfo{ExceptionType::kGhostOrder, "ghost_order", Team::kOps, Severity::kCritical,
                      minutes(30), "Amazon order cannot be created in SCAYLE (ghost order)",
                      "the order is created in SCAYLE or cancelled on Amazon"},
    ExceptionTypeInfo{ExceptionType::kOrderNotHeldInTime, "order_not_held_in_time", Team::kOps,
                      Severity::kCritical, minutes(30),
                      "Amazon order not held in SCAYLE within the allowed time",
                      "stock for the order is held and the order is created in SCAYLE"},
    ExceptionTypeInfo{ExceptionType::kStockPushFailed, "stock_push_failed", Team::kPlatform,
                      Severity::kCritical, minutes(15),
                      "Stock or price update to Amazon keeps failing",
                      "a later push of the SKU is accepted and applied by Amazon"},
    ExceptionTypeInfo{ExceptionType::kStockDrift, "stock_drift", Team::kPlatform,
                      Severity::kWarning, hours(1),
                      "Amazon shows a different quantity than the engine intended",
                      "the next drift audit finds Amazon within tolerance"},
    ExceptionTypeInfo{ExceptionType::kShipByAtRisk, "ship_by_at_risk", Team::kOps,
                      Severity::kCritical, hours(2),
                      "Order close to its ship-by date without a confirmed shipment",
                      "the shipment is confirmed on Amazon or the order is cancelled"},
    ExceptionTypeInfo{ExceptionType::kCarrierRejected, "carrier_rejected", Team::kOps,
                      Severity::kCritical, hours(1),
                      "Carrier of a SCAYLE package has no Amazon carrier mapping or was rejected",
                      "the shipment is confirmed on Amazon"},
    ExceptionTypeInfo{ExceptionType::kConfirmationFailed, "confirmation_failed", Team::kOps,
                      Severity::kCritical, hours(1),
                      "Amazon rejected or never accepted a shipment confirmation",
                      "the shipment is confirmed on Amazon"},
    ExceptionTypeInfo{ExceptionType::kSettlementUnbalanced, "settlement_unbalanced", Team::kFinance,
                      Severity::kWarning, days(2), "Settlement journal does not tie to the deposit",
                      "a re-compiled journal balances and equals the deposit"},
    ExceptionTypeInfo{ExceptionType::kUnmappedTransactionType, "unmapped_transaction_type",
                      Team::kFinance, Severity::kWarning, days(2),
                      "Settlement holds a transaction type no rule maps",
                      "a rule maps every line and the settlement is posted"},
    ExceptionTypeInfo{ExceptionType::kUnknownOrderStatus, "unknown_order_status", Team::kPlatform,
                      Severity::kWarning, hours(4),
                      "Amazon sent an order status the engine does not know",
                      "the order reaches a known status"},
    ExceptionTypeInfo{ExceptionType::kQuotaExhausted, "quota_exhausted", Team::kPlatform,
                      Severity::kWarning, hours(1),
                      "An Amazon or SCAYLE rate limit keeps throttling the engine",
                      "calls to the operation succeed without throttling again"},
    ExceptionTypeInfo{ExceptionType::kListingInvalid, "listing_invalid", Team::kEcommerce,
                      Severity::kWarning, days(1),
                      "Listing fails validation or was rejected by Amazon",
                      "the listing validates and Amazon accepts it"},
    ExceptionTypeInfo{ExceptionType::kListingDrift, "listing_drift", Team::kEcommerce,
                      Severity::kWarning, days(1),
                      "Amazon shows listing attributes that differ from SCAYLE",
                      "Amazon's attributes equal the compiled listing again"},
    ExceptionTypeInfo{ExceptionType::kSettlementReissued, "settlement_reissued", Team::kFinance,
                      Severity::kWarning, days(2),
                      "Amazon re-issued a settlement with different content",
                      "the stored settlement is replaced by the re-issued file (--replace)"},
    ExceptionTypeInfo{ExceptionType::kSettlementOrderMismatch, "settlement_order_mismatch",
                      Team::kFinance, Severity::kWarning, days(7),
                      "Settled orders or refunds do not match the orders the engine shipped",
                      "a replacement of the settlement matches every order"},
    ExceptionTypeInfo{ExceptionType::kScayleCancellationRefused, "scayle_cancellation_refused",
                      Team::kOps, Severity::kCritical, hours(2),
                      "Order cancelled on Amazon but SCAYLE refused to cancel it",
                      "an operator resolves it after stopping or recalling the parcel"},
};

}  // namespace

std::string_view TeamName(Team team) {
  switch (team) {
    case Team::kEcommerce:
      return "ecommerce";
    case Team::kOps:
      return "ops";
    case Team::kFinance:
      return "finance";
    case Team::kPlatform:
      return "platform";
  }
  return "unknown";
}

Result<Team> ParseTeam(std::string_view name) {
  for (Team t : {Team::kEcommerce, Team::kOps, Team::kFinance, Team::kPlatform}) {
    if (TeamName(t) == name) return t;
  }
  return Fail(ErrorCode::kInvalidInput, "unknown team '" + std::string(name) +
                                            "' (expected ecommerce, ops, finance or platform)");
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

std::span<const ExceptionTypeInfo> AllExceptionTypes() { return kCatalogue; }

const ExceptionTypeInfo& InfoFor(ExceptionType type) {
  for (const auto& info : kCatalogue) {
    if (info.type == type) return info;
  }
  throw std::logic_error("exception type missing from the catalogue");
}

Result<ExceptionType> ParseExceptionType(std::string_view key) {
  for (const auto& info : kCatalogue) {
    if (info.key == key) return info.type;
  }
  return Fail(ErrorCode::kInvalidInput, "unknown exception type '" + std::string(key) + "'");
}

TimePoint RaisedException::act_by() const { return first_seen + InfoFor(type).time_to_act; }

}  // namespace mb

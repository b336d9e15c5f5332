#pragma once
// The catalogue of business exceptions (DESIGN §2.5): every problem a loop can raise has a type
// with an owner team, a severity, a time-to-act and a playbook entry in docs/playbook.md. This file
// is the one place types are declared; docs and tests are checked against it.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace mb {

enum class Team { kEcommerce, kOps, kFinance, kPlatform };
enum class Severity { kInfo, kWarning, kCritical };

std::string_view TeamName(Team team);
Result<Team> ParseTeam(std::string_view name);
std::string_view SeverityName(Severity severity);

enum class ExceptionType {
  kUnmappedSku,
  kGhostOrder,
  kOrderNotHeldInTime,
  kStockPushFailed,
  kStockDrift,
  kShipByAtRisk,
  kCarrierRejected,
  kConfirmationFailed,
  kSettlementUnbalanced,
  kUnmappedTransactionType,
  kUnknownOrderStatus,
  kQuotaExhausted,
  kListingInvalid,
  kListingDrift,
  kSettlementReissued,
  kSettlementOrderMismatch,
  kScayleCancellationRefused,
};

struct ExceptionTypeInfo {
  ExceptionType type;
  // Stable snake_case name: stored, shown in the CLI, and the playbook anchor (`## ghost_order`).
  std::string_view key;
  Team owner;
  Severity severity;
  // How long the owner has before the business is hurt (a late shipment, a cancelled order ...).
  Duration time_to_act;
  std::string_view title;
  // The condition under which the engine closes the exception by itself.
  std::string_view auto_resolves_when;
};

std::span<const ExceptionTypeInfo> AllExceptionTypes();
const ExceptionTypeInfo& InfoFor(ExceptionType type);
Result<ExceptionType> ParseExceptionType(std::string_view key);

// One raised exception. De-duplicated by (type, dedup_key): raising again updates last_seen and the
// count instead of adding a row.
struct RaisedException {
  int64_t id = 0;
  ExceptionType type = ExceptionType::kUnmappedSku;
  // What the exception is about, unique per type: a SKU, an order id, a settlement id.
  std::string dedup_key;
  // One line an operator can act on.
  std::string message;
  // Machine-readable context (JSON text), e.g. the order and SKU, Amazon's message.
  std::string details;
  TimePoint first_seen{};
  TimePoint last_seen{};
  int64_t occurrences = 1;
  std::optional<TimePoint> resolved_at;
  std::string resolution;

  bool open() const { return !resolved_at.has_value(); }
  // When the owner must have acted by: first_seen + time_to_act of the type.
  TimePoint act_by() const;
};

struct ExceptionFilter {
  std::optional<Team> team;
  bool open_only = false;
  std::optional<ExceptionType> type;
  int limit = 1000;
};

}  // namespace mb

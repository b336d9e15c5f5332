#include "app/log_alerts.hpp"

#include "core/timestamp.hpp"
#include "log/log.hpp"

namespace mb::app {

void LogAlerts::ExceptionRaised(const RaisedException& e) {
  const auto& info = InfoFor(e.type);
  auto level = info.severity == Severity::kCritical ? spdlog::level::err : spdlog::level::warn;
  log::Get("exceptions")
      ->log(level, "{} [{}] for {}: {} — owner {}, act by {}, playbook docs/playbook.md#{}",
            info.key, SeverityName(info.severity), e.dedup_key, e.message, TeamName(info.owner),
            FormatTimestamp(e.act_by()), info.key);
}

void LogAlerts::ExceptionResolved(ExceptionType type, std::string_view dedup_key,
                                  std::string_view resolution) {
  log::Get("exceptions")->info("{} resolved for {}: {}", InfoFor(type).key, dedup_key, resolution);
}

}  // namespace mb::app

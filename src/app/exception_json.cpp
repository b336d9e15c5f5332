#include "app/exception_json.hpp"

#include "core/timestamp.hpp"

namespace mb::app {

nlohmann::json ExceptionToJson(const RaisedException& e, TimePoint now) {
  const auto& info = InfoFor(e.type);
  nlohmann::json j = {{"id", e.id},
                      {"type", info.key},
                      {"title", info.title},
                      {"team", TeamName(info.owner)},
                      {"severity", SeverityName(info.severity)},
                      {"key", e.dedup_key},
                      {"message", e.message},
                      {"first_seen", FormatTimestamp(e.first_seen)},
                      {"last_seen", FormatTimestamp(e.last_seen)},
                      {"act_by", FormatTimestamp(e.act_by())},
                      {"overdue", e.open() && e.act_by() < now},
                      {"occurrences", e.occurrences},
                      {"status", e.open() ? "open" : "resolved"},
                      {"auto_resolves_when", info.auto_resolves_when},
                      {"playbook", "docs/playbook.md#" + std::string(info.key)}};
  // Details are JSON text written by the engine; a broken one is shown as text rather than lost.
  auto details = nlohmann::json::parse(e.details, nullptr, /*allow_exceptions=*/false);
  j["details"] = details.is_discarded() ? nlohmann::json(e.details) : details;
  if (e.resolved_at) {
    j["resolved_at"] = FormatTimestamp(*e.resolved_at);
    j["resolution"] = e.resolution;
  }
  return j;
}

}  // namespace mb::app

#pragma once
// Alerts written to the log (module "exceptions"): one line when an exception opens, one when it
// closes, with owner, severity, act-by time and playbook anchor. Chat or pager sinks can implement
// the same port.

#include "ports/alerts.hpp"

namespace mb::app {

class LogAlerts final : public Alerts {
 public:
  void ExceptionRaised(const RaisedException& exception) override;
  void ExceptionResolved(ExceptionType type, std::string_view dedup_key,
                         std::string_view resolution) override;
};

}  // namespace mb::app

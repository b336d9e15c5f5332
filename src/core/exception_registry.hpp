#pragma once
// The one way any loop raises or clears a business exception (DESIGN §2.5). De-duplication is the
// store's (one open exception per type and key); alerting happens only on a new exception and on
// its resolution, so a loop may raise the same problem on every pass without spamming anyone.

#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exception_catalogue.hpp"
#include "ports/alerts.hpp"
#include "ports/state_store.hpp"

namespace mb {

class ExceptionRegistry {
 public:
  // `alerts` may be null (no alerting, e.g. in CLI commands).
  ExceptionRegistry(ExceptionStore& store, const Clock& clock, Alerts* alerts);

  // `details_json` must be a JSON object text with the facts the owner needs (ids, Amazon's
  // message).
  Result<RaisedException> Raise(ExceptionType type, std::string_view dedup_key,
                                std::string_view message, std::string_view details_json = "{}");
  // Auto-resolution: a loop calls this when the type's condition has cleared. Returns whether an
  // open exception was closed.
  Result<bool> Resolve(ExceptionType type, std::string_view dedup_key, std::string_view resolution);
  Result<std::vector<RaisedException>> List(const ExceptionFilter& filter);

 private:
  ExceptionStore& store_;
  const Clock& clock_;
  Alerts* alerts_;
};

}  // namespace mb

#include "core/exception_registry.hpp"

namespace mb {

ExceptionRegistry::ExceptionRegistry(ExceptionStore& store, const Clock& clock, Alerts* alerts)
    : store_(store), clock_(clock), alerts_(alerts) {}

Result<RaisedException> ExceptionRegistry::Raise(ExceptionType type, std::string_view dedup_key,
                                                 std::string_view message,
                                                 std::string_view details_json) {
  if (dedup_key.empty()) {
    return Fail(ErrorCode::kInvalidInput,
                "exception " + std::string(InfoFor(type).key) + " raised without a key");
  }
  auto outcome = store_.UpsertException(type, dedup_key, message,
                                        details_json.empty() ? "{}" : details_json, clock_.Now());
  if (!outcome) return tl::unexpected(outcome.error());
  if (outcome->newly_raised && alerts_ != nullptr) alerts_->ExceptionRaised(outcome->exception);
  return outcome->exception;
}

Result<bool> ExceptionRegistry::Resolve(ExceptionType type, std::string_view dedup_key,
                                        std::string_view resolution) {
  auto resolved = store_.ResolveException(type, dedup_key, resolution, clock_.Now());
  if (resolved && *resolved && alerts_ != nullptr)
    alerts_->ExceptionResolved(type, dedup_key, resolution);
  return resolved;
}

Result<std::vector<RaisedException>> ExceptionRegistry::List(const ExceptionFilter& filter) {
  return store_.ListExceptions(filter);
}

}  // namespace mb

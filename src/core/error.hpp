#pragma once
// One table of error codes for every module (ClickHouse-style): each code has a name, says whether
// a retry can help, and a metric label. Expected failures travel as values: Result<T>.

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace mb {

// X(identifier, name, retryable)
#define MB_ERROR_CODES(X)                                                                         \
  X(kInvalidInput, "invalid_input", false)           /* bad data from a file, API or person */    \
  X(kParseError, "parse_error", false)               /* text that does not parse */               \
  X(kConfigError, "config_error", false)             /* configuration rejected */                 \
  X(kNotFound, "not_found", false)                   /* the thing asked for does not exist */     \
  X(kConflict, "conflict", false)                    /* state does not allow the operation */     \
  X(kUnauthorized, "unauthorized", false)            /* credentials rejected (401/403) */         \
  X(kRejected, "rejected", false)                    /* remote side refused (other 4xx) */        \
  X(kThrottled, "throttled", true)                   /* 429 / quota exceeded */                   \
  X(kUnavailable, "unavailable", true)               /* 5xx, remote down */                       \
  X(kTimeout, "timeout", true)                       /* no answer in time */                      \
  X(kConnectionFailed, "connection_failed", true)    /* could not connect / connection dropped */ \
  X(kMalformedResponse, "malformed_response", false) /* remote answered nonsense */               \
  X(kStorageError, "storage_error", false)           /* the state store failed */                 \
  X(kUnmapped, "unmapped", false)                    /* no mapping for a SKU, carrier, type */    \
  X(kInternal, "internal", false)                    /* a bug caught at a boundary */

enum class ErrorCode {
#define MB_ERROR_ENUM(id, name, retryable) id,
  MB_ERROR_CODES(MB_ERROR_ENUM)
#undef MB_ERROR_ENUM
};

// The stable name, also used as the `code` label of error metrics.
std::string_view ErrorName(ErrorCode code);
bool IsRetryable(ErrorCode code);
inline std::string_view MetricLabel(ErrorCode code) { return ErrorName(code); }

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // Text an operator can act on: what failed, for which item, and why.
  std::string message;

  bool Retryable() const { return IsRetryable(code); }
  std::string ToString() const;
};

template <typename T>
using Result = tl::expected<T, Error>;
// For operations that return nothing on success.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace mb

#include "core/error.hpp"

namespace mb {

std::string_view ErrorName(ErrorCode code) {
  switch (code) {
#define MB_ERROR_NAME(id, name, retryable) \
  case ErrorCode::id:                      \
    return name;
    MB_ERROR_CODES(MB_ERROR_NAME)
#undef MB_ERROR_NAME
  }
  return "unknown";
}

bool IsRetryable(ErrorCode code) {
  switch (code) {
#define MB_ERROR_RETRY(id, name, retryable) \
  case ErrorCode::id:                       \
    return retryable;
    MB_ERROR_CODES(MB_ERROR_RETRY)
#undef MB_ERROR_RETRY
  }
  return false;
}

std::string Error::ToString() const {
  std::string out(ErrorName(code));
  out += ": ";
  out += message;
  return out;
}

}  // namespace mb

#pragma once
// The module's logger, from the project's logging set-up (src/log). Looked up at each use rather
// than held, because logging may be configured after clients are built; the HTTP layer logs only
// failures and retries, so the lookup is cheap enough.

#include <memory>

#include "log/log.hpp"

namespace mb::http {

inline std::shared_ptr<spdlog::logger> HttpLogger() { return log::Get("http"); }

}  // namespace mb::http

#pragma once
// The module's logger: the registered "http" logger when the app set one up, else spdlog's
// default. Looked up at each use because logging is configured after clients may be built, and
// the HTTP layer logs rarely (failures, retries).

#include <memory>

#include <spdlog/spdlog.h>

namespace mb::http {

inline std::shared_ptr<spdlog::logger> HttpLogger() {
  auto logger = spdlog::get("http");
  return logger ? logger : spdlog::default_logger();
}

}  // namespace mb::http

#pragma once
// One JSON shape for a raised exception, shared by `marketbridge exceptions --json` and the
// dashboard's /api/exceptions.

#include <nlohmann/json.hpp>

#include "core/exception_catalogue.hpp"

namespace mb::app {

nlohmann::json ExceptionToJson(const RaisedException& e, TimePoint now);

}  // namespace mb::app

#pragma once
// Structured logging: one named logger per module (spdlog), text for people or JSON lines for log
// shippers. Never log secrets or personal data; never log inside per-item loops.

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

#include "core/error.hpp"

namespace mb::log {

enum class Format { kText, kJson };

// Sets level and format for every module logger, existing and future. Call once at start-up;
// safe to call again (tests, the demo).
Status Init(std::string_view level, Format format);
Result<Format> ParseFormat(std::string_view name);

// Sends every logger's output to `sink` instead of stderr (tests capture logs this way).
void UseSink(spdlog::sink_ptr sink);

// The module's logger ("store", "http", "orders" ...), created on first use with the current sinks.
std::shared_ptr<spdlog::logger> Get(std::string_view module);

}  // namespace mb::log

#include "log/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>

namespace mb::log {

namespace {

// The log message as a JSON string body: quotes, backslashes and control characters escaped, so a
// message can never break the line-per-object format.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : msg.payload) {
      switch (c) {
        case '"':
          dest.append(std::string_view("\\\""));
          break;
        case '\\':
          dest.append(std::string_view("\\\\"));
          break;
        case '\n':
          dest.append(std::string_view("\\n"));
          break;
        case '\r':
          dest.append(std::string_view("\\r"));
          break;
        case '\t':
          dest.append(std::string_view("\\t"));
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            const char esc[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xF], kHex[c & 0xF]};
            dest.append(esc, esc + 6);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

std::unique_ptr<spdlog::formatter> MakeFormatter(Format format);

struct State {
  State() { sink->set_formatter(MakeFormatter(format)); }
  std::mutex mu;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::level::level_enum level = spdlog::level::info;
  Format format = Format::kText;
};

State& GlobalState() {
  static State state;
  return state;
}

std::unique_ptr<spdlog::formatter> MakeFormatter(Format format) {
  if (format == Format::kJson) {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","module":"%n","msg":"%*"})");
    return f;
  }
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %-5l [%n] %v",
                                                     spdlog::pattern_time_type::utc);
}

}  // namespace

void UseSink(spdlog::sink_ptr sink) {
  State& state = GlobalState();
  std::lock_guard lock(state.mu);
  sink->set_formatter(MakeFormatter(state.format));
  state.sink = sink;
  spdlog::apply_all(
      [&](const std::shared_ptr<spdlog::logger>& logger) { logger->sinks() = {sink}; });
}

Result<Format> ParseFormat(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  return Fail(ErrorCode::kInvalidInput,
              "log format '" + std::string(name) + "' must be text or json");
}

Status Init(std::string_view level, Format format) {
  auto parsed = spdlog::level::from_str(std::string(level));
  // from_str answers "off" for anything it does not know; only accept "off" when asked for.
  if (parsed == spdlog::level::off && level != "off") {
    return Fail(ErrorCode::kInvalidInput,
                "log level '" + std::string(level) + "' must be trace, debug, info, warn or error");
  }
  State& state = GlobalState();
  std::lock_guard lock(state.mu);
  state.level = parsed;
  state.format = format;
  state.sink->set_formatter(MakeFormatter(format));
  spdlog::apply_all(
      [&](const std::shared_ptr<spdlog::logger>& logger) { logger->set_level(parsed); });
  return {};
}

std::shared_ptr<spdlog::logger> Get(std::string_view module) {
  State& state = GlobalState();
  std::lock_guard lock(state.mu);
  std::string name(module);
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = std::make_shared<spdlog::logger>(name, state.sink);
  logger->set_level(state.level);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace mb::log

#pragma once
// Configuration: one TOML file. Every key is declared once in config_keys.cpp (name, type, default,
// description); that table drives validation, defaults, and docs/config.md. Unknown keys and bad
// values are errors with file:line:column. Secrets come only from the environment or files.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace mb::config {

enum class KeyType {
  kString,
  kInt,
  kBool,
  kDuration,    // "500ms", "30s", "5m", "2h", "7d", or combined "1h30m"
  kStringList,  // ["a", "b"]
  kEnum,        // one of `choices`, separated by '|'
  kSecret,      // "env:VARIABLE" or "file:/path"; the value itself never appears in the file
  kStringMap,   // a table of free-form names to strings, e.g. [carriers.map] dhl = "DHL"
};

struct KeySpec {
  std::string_view name;  // dotted: "server.port"
  KeyType type;
  std::string_view default_value;  // as it would be written in TOML, without quotes; "" = none
  std::string_view description;
  int64_t min = INT64_MIN;  // kInt only
  int64_t max = INT64_MAX;
  std::string_view choices = {};  // kEnum only: "text|json"
};

std::span<const KeySpec> AllKeys();

// A secret value: printing it shows "***"; only Reveal() gives the text, at the point of use.
class Secret {
 public:
  explicit Secret(std::string value, std::string source)
      : value_(std::move(value)), source_(std::move(source)) {}
  const std::string& Reveal() const { return value_; }
  // Where it came from ("env:MB_LWA_CLIENT_SECRET"), safe to show.
  const std::string& source() const { return source_; }
  friend std::ostream& operator<<(std::ostream& os, const Secret&) { return os << "***"; }

 private:
  std::string value_;
  std::string source_;
};

using Value = std::variant<std::string, int64_t, bool, Duration, std::vector<std::string>, Secret,
                           std::map<std::string, std::string>>;

class Config {
 public:
  // Accessors for declared keys. Asking for an undeclared key or with the wrong type is a bug and
  // throws std::logic_error. Keys with a default always have a value.
  const std::string& GetString(std::string_view name) const;
  int64_t GetInt(std::string_view name) const;
  bool GetBool(std::string_view name) const;
  Duration GetDuration(std::string_view name) const;
  const std::vector<std::string>& GetList(std::string_view name) const;
  // nullopt when the secret was not configured.
  std::optional<Secret> GetSecret(std::string_view name) const;
  const std::map<std::string, std::string>& GetMap(std::string_view name) const;

  // True when the file set the key (rather than the default applying).
  bool IsSet(std::string_view name) const;
  const std::string& source() const { return source_; }

  // For tests and built-in configurations (the demo): set a declared key.
  void Set(std::string_view name, Value value);

 private:
  friend Config DefaultConfig();
  friend Result<Config> LoadConfigString(
      std::string_view, std::string_view,
      const std::function<std::optional<std::string>(const std::string&)>&);
  const Value& Get(std::string_view name, KeyType type) const;
  std::map<std::string, Value, std::less<>> values_;
  std::map<std::string, bool, std::less<>> set_;
  std::string source_;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
// Reads the process environment.
std::optional<std::string> ProcessEnv(const std::string& name);

// All problems of a file are reported at once, one per line: `FILE:LINE:COLUMN: message`.
Result<Config> LoadConfigFile(const std::string& path, const EnvLookup& env = ProcessEnv);
Result<Config> LoadConfigString(std::string_view toml, std::string_view source_name,
                                const EnvLookup& env = ProcessEnv);
// The defaults alone (no file).
Config DefaultConfig();

Result<Duration> ParseDuration(std::string_view text);

// Markdown reference of every key (the content of docs/config.md).
std::string RenderReference();

}  // namespace mb::config

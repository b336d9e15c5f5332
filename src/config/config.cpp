#include "config/config.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mb::config {

namespace {

const KeySpec* FindSpec(std::string_view name) {
  for (const auto& spec : AllKeys()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// A declared map key that is `name` or encloses it ("carriers.map" for "carriers.map.dhl").
const KeySpec* FindMapSpec(std::string_view name) {
  for (const auto& spec : AllKeys()) {
    if (spec.type == KeyType::kStringMap && spec.name == name) return &spec;
  }
  return nullptr;
}

bool IsSectionPrefix(std::string_view prefix) {
  for (const auto& spec : AllKeys()) {
    if (spec.name.size() > prefix.size() && spec.name.starts_with(prefix) &&
        spec.name[prefix.size()] == '.') {
      return true;
    }
  }
  return false;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Suggestion(std::string_view name) {
  const KeySpec* best = nullptr;
  size_t best_distance = 4;  // only close misspellings are worth suggesting
  for (const auto& spec : AllKeys()) {
    size_t d = EditDistance(name, spec.name);
    if (d < best_distance) {
      best_distance = d;
      best = &spec;
    }
  }
  return best ? " (did you mean '" + std::string(best->name) + "'?)" : "";
}

std::string_view TypeName(KeyType type) {
  switch (type) {
    case KeyType::kString:
      return "string";
    case KeyType::kInt:
      return "integer";
    case KeyType::kBool:
      return "boolean";
    case KeyType::kDuration:
      return "duration";
    case KeyType::kStringList:
      return "list of strings";
    case KeyType::kEnum:
      return "one of";
    case KeyType::kSecret:
      return "secret";
    case KeyType::kStringMap:
      return "table of strings";
  }
  return "?";
}

bool InChoices(std::string_view choices, std::string_view value) {
  size_t start = 0;
  while (start <= choices.size()) {
    size_t end = choices.find('|', start);
    if (end == std::string_view::npos) end = choices.size();
    if (choices.substr(start, end - start) == value) return true;
    start = end + 1;
  }
  return false;
}

std::string ChoicesText(std::string_view choices) {
  std::string out;
  size_t start = 0;
  while (start <= choices.size()) {
    size_t end = choices.find('|', start);
    if (end == std::string_view::npos) end = choices.size();
    if (!out.empty()) out += ", ";
    out += "\"" + std::string(choices.substr(start, end - start)) + "\"";
    start = end + 1;
  }
  return out;
}

Result<Secret> ResolveSecret(std::string_view ref, const EnvLookup& env) {
  if (ref.starts_with("env:")) {
    std::string var(ref.substr(4));
    if (var.empty()) return Fail(ErrorCode::kConfigError, "\"env:\" needs a variable name");
    auto value = env(var);
    if (!value || value->empty()) {
      return Fail(ErrorCode::kConfigError, "environment variable " + var + " is not set");
    }
    return Secret(*value, std::string(ref));
  }
  if (ref.starts_with("file:")) {
    std::string path(ref.substr(5));
    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail(ErrorCode::kConfigError, "secret file '" + path + "' cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    std::string value = text.str();
    // Files written by editors and `echo` end with a newline that is not part of the secret.
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    if (value.empty()) return Fail(ErrorCode::kConfigError, "secret file '" + path + "' is empty");
    return Secret(value, std::string(ref));
  }
  return Fail(ErrorCode::kConfigError,
              "secrets are never written in the config file; use \"env:VARIABLE\" or "
              "\"file:/path/to/secret\"");
}

// Converts one TOML node to the declared type; an error message without position on failure.
Result<Value> Convert(const KeySpec& spec, const toml::node& node, const EnvLookup& env) {
  auto wrong_type = [&]() {
    std::string expected(TypeName(spec.type));
    if (spec.type == KeyType::kEnum) expected += " " + ChoicesText(spec.choices);
    return Fail(ErrorCode::kConfigError, "'" + std::string(spec.name) + "' must be a " + expected);
  };
  switch (spec.type) {
    case KeyType::kString: {
      auto v = node.value<std::string>();
      if (!node.is_string() || !v) return wrong_type();
      return Value(*v);
    }
    case KeyType::kInt: {
      if (!node.is_integer()) return wrong_type();
      int64_t v = *node.value<int64_t>();
      if (v < spec.min || v > spec.max) {
        return Fail(ErrorCode::kConfigError, "'" + std::string(spec.name) +
                                                 "' = " + std::to_string(v) + " is out of range [" +
                                                 std::to_string(spec.min) + ", " +
                                                 std::to_string(spec.max) + "]");
      }
      return Value(v);
    }
    case KeyType::kBool:
      if (!node.is_boolean()) return wrong_type();
      return Value(*node.value<bool>());
    case KeyType::kDuration: {
      if (!node.is_string()) {
        return Fail(ErrorCode::kConfigError,
                    "'" + std::string(spec.name) +
                        "' must be a duration with a unit, e.g. \"30s\", \"5m\", \"500ms\"");
      }
      auto d = ParseDuration(*node.value<std::string>());
      if (!d)
        return Fail(ErrorCode::kConfigError,
                    "'" + std::string(spec.name) + "': " + d.error().message);
      return Value(*d);
    }
    case KeyType::kStringList: {
      const toml::array* arr = node.as_array();
      if (!arr) return wrong_type();
      std::vector<std::string> out;
      for (const auto& item : *arr) {
        if (!item.is_string()) return wrong_type();
        out.push_back(*item.value<std::string>());
      }
      return Value(std::move(out));
    }
    case KeyType::kEnum: {
      if (!node.is_string() || !InChoices(spec.choices, *node.value<std::string>()))
        return wrong_type();
      return Value(*node.value<std::string>());
    }
    case KeyType::kSecret: {
      if (!node.is_string()) return wrong_type();
      auto secret = ResolveSecret(*node.value<std::string>(), env);
      if (!secret)
        return Fail(ErrorCode::kConfigError,
                    "'" + std::string(spec.name) + "': " + secret.error().message);
      return Value(std::move(*secret));
    }
    case KeyType::kStringMap: {
      const toml::table* tbl = node.as_table();
      if (!tbl) return wrong_type();
      std::map<std::string, std::string> out;
      for (const auto& [k, v] : *tbl) {
        if (!v.is_string()) {
          return Fail(ErrorCode::kConfigError, "'" + std::string(spec.name) + "." +
                                                   std::string(k.str()) + "' must be a string");
        }
        out[std::string(k.str())] = *v.value<std::string>();
      }
      return Value(std::move(out));
    }
  }
  return wrong_type();
}

Value DefaultValue(const KeySpec& spec) {
  switch (spec.type) {
    case KeyType::kString:
    case KeyType::kEnum:
      return std::string(spec.default_value);
    case KeyType::kInt:
      return int64_t(std::stoll(std::string(spec.default_value)));
    case KeyType::kBool:
      return spec.default_value == "true";
    case KeyType::kDuration: {
      auto d = ParseDuration(spec.default_value);
      if (!d) throw std::logic_error("bad default for " + std::string(spec.name));
      return *d;
    }
    case KeyType::kStringList: {
      auto doc = toml::parse("v = " + std::string(spec.default_value));
      std::vector<std::string> out;
      for (const auto& item : *doc["v"].as_array()) out.push_back(*item.value<std::string>());
      return out;
    }
    case KeyType::kSecret:
      return Secret("", "");
    case KeyType::kStringMap:
      return std::map<std::string, std::string>();
  }
  return std::string();
}

struct PositionedError {
  std::pair<uint32_t, uint32_t> at;  // line, column
  std::string text;
};

PositionedError ErrorAt(std::string_view source, const toml::source_region& region,
                        const std::string& message);

std::string Position(std::string_view source, const toml::source_region& region) {
  return std::string(source) + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

PositionedError ErrorAt(std::string_view source, const toml::source_region& region,
                        const std::string& message) {
  return {{region.begin.line, region.begin.column}, Position(source, region) + ": " + message};
}

void Walk(const toml::table& table, const std::string& prefix, std::string_view source,
          const EnvLookup& env, Config& config, std::vector<PositionedError>& errors) {
  for (const auto& [key, node] : table) {
    std::string name =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const KeySpec* spec = FindSpec(name);
    if (spec == nullptr && node.is_table() && !FindMapSpec(name) && IsSectionPrefix(name)) {
      Walk(*node.as_table(), name, source, env, config, errors);
      continue;
    }
    if (spec == nullptr) {
      errors.push_back(
          ErrorAt(source, key.source(), "unknown key '" + name + "'" + Suggestion(name)));
      continue;
    }
    auto value = Convert(*spec, node, env);
    if (!value) {
      errors.push_back(ErrorAt(source, node.source(), value.error().message));
      continue;
    }
    config.Set(name, std::move(*value));
  }
}

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  auto fail = [&]() {
    return Fail(ErrorCode::kConfigError,
                "duration '" + std::string(text) +
                    "' must be a number with a unit (ms, s, m, h, d), e.g. \"30s\"");
  };
  if (text.empty()) return fail();
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > INT64_MAX / 10 - 9) return fail();
      n = n * 10 + (text[i++] - '0');
      ++digits;
    }
    if (digits == 0) return fail();
    int64_t unit_ms;
    if (text.substr(i).starts_with("ms")) {
      unit_ms = 1;
      i += 2;
    } else if (i < text.size() && text[i] == 's') {
      unit_ms = 1000;
      ++i;
    } else if (i < text.size() && text[i] == 'm') {
      unit_ms = 60'000;
      ++i;
    } else if (i < text.size() && text[i] == 'h') {
      unit_ms = 3'600'000;
      ++i;
    } else if (i < text.size() && text[i] == 'd') {
      unit_ms = 86'400'000;
      ++i;
    } else {
      return fail();
    }
    int64_t part;
    if (__builtin_mul_overflow(n, unit_ms, &part) || __builtin_add_overflow(total, part, &total))
      return fail();
  }
  return Duration(total);
}

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Config DefaultConfig() {
  Config config;
  for (const auto& spec : AllKeys()) config.Set(spec.name, DefaultValue(spec));
  config.set_.clear();
  return config;
}

Result<Config> LoadConfigString(std::string_view toml_text, std::string_view source_name,
                                const EnvLookup& env) {
  Config config = DefaultConfig();
  config.source_ = std::string(source_name);
  toml::table table;
  try {
    table = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return Fail(ErrorCode::kConfigError,
                Position(source_name, e.source()) + ": " + std::string(e.description()));
  }
  std::vector<PositionedError> errors;
  Walk(table, "", source_name, env, config, errors);
  if (!errors.empty()) {
    // toml++ walks tables in key order; report in file order instead.
    std::stable_sort(
        errors.begin(), errors.end(),
        [](const PositionedError& x, const PositionedError& y) { return x.at < y.at; });
    std::string joined;
    for (const auto& e : errors) joined += (joined.empty() ? "" : "\n") + e.text;
    return Fail(ErrorCode::kConfigError, joined);
  }
  return config;
}

Result<Config> LoadConfigFile(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kConfigError, path + ": cannot read the config file");
  std::stringstream text;
  text << in.rdbuf();
  return LoadConfigString(text.str(), path, env);
}

void Config::Set(std::string_view name, Value value) {
  if (FindSpec(name) == nullptr)
    throw std::logic_error("config key '" + std::string(name) + "' is not declared");
  values_.insert_or_assign(std::string(name), std::move(value));
  set_[std::string(name)] = true;
}

bool Config::IsSet(std::string_view name) const {
  auto it = set_.find(name);
  return it != set_.end() && it->second;
}

const Value& Config::Get(std::string_view name, KeyType type) const {
  const KeySpec* spec = FindSpec(name);
  if (spec == nullptr)
    throw std::logic_error("config key '" + std::string(name) + "' is not declared");
  bool compatible =
      spec->type == type || (type == KeyType::kString && spec->type == KeyType::kEnum);
  if (!compatible)
    throw std::logic_error("config key '" + std::string(name) + "' read with the wrong type");
  auto it = values_.find(name);
  if (it == values_.end())
    throw std::logic_error("config key '" + std::string(name) + "' has no value");
  return it->second;
}

const std::string& Config::GetString(std::string_view name) const {
  return std::get<std::string>(Get(name, KeyType::kString));
}
int64_t Config::GetInt(std::string_view name) const {
  return std::get<int64_t>(Get(name, KeyType::kInt));
}
bool Config::GetBool(std::string_view name) const {
  return std::get<bool>(Get(name, KeyType::kBool));
}
Duration Config::GetDuration(std::string_view name) const {
  return std::get<Duration>(Get(name, KeyType::kDuration));
}
const std::vector<std::string>& Config::GetList(std::string_view name) const {
  return std::get<std::vector<std::string>>(Get(name, KeyType::kStringList));
}
std::optional<Secret> Config::GetSecret(std::string_view name) const {
  const auto& secret = std::get<Secret>(Get(name, KeyType::kSecret));
  if (secret.Reveal().empty()) return std::nullopt;
  return secret;
}
const std::map<std::string, std::string>& Config::GetMap(std::string_view name) const {
  return std::get<std::map<std::string, std::string>>(Get(name, KeyType::kStringMap));
}

std::string RenderReference() {
  std::string out =
      "# Configuration reference\n\n"
      "Generated by `marketbridge config-reference` from the key table in "
      "`src/config/config_keys.cpp`;\n"
      "do not edit by hand (a test checks this file is current).\n\n"
      "Marketbridge reads one TOML file (`marketbridge run --config FILE`). Every key is optional "
      "and has\n"
      "the default shown. Unknown keys and bad values are errors reported as `FILE:LINE:COLUMN: "
      "message`;\n"
      "check a file with `marketbridge check-config FILE`.\n\n"
      "Secrets are never written in the file: a secret key holds `\"env:VARIABLE\"` (read from "
      "the\n"
      "environment) or `\"file:/path\"` (read from a file, trailing newline removed). They are "
      "never\n"
      "printed or logged.\n\n"
      "Durations are written with a unit: `500ms`, `30s`, `5m`, `2h`, `7d`, or combined "
      "(`1h30m`).\n";
  std::string section;
  for (const auto& spec : AllKeys()) {
    std::string_view name = spec.name;
    std::string this_section(name.substr(0, name.find('.')));
    if (this_section != section) {
      section = this_section;
      out +=
          "\n## [" + section + "]\n\n| key | type | default | description |\n|---|---|---|---|\n";
    }
    std::string type(TypeName(spec.type));
    if (spec.type == KeyType::kEnum) type += " " + ChoicesText(spec.choices);
    if (spec.type == KeyType::kInt && (spec.min != INT64_MIN || spec.max != INT64_MAX)) {
      type += " " + std::to_string(spec.min) + "–" + std::to_string(spec.max);
    }
    std::string def =
        spec.default_value.empty() ? "—" : "`" + std::string(spec.default_value) + "`";
    out += "| `" + std::string(name) + "` | " + type + " | " + def + " | " +
           std::string(spec.description) + " |\n";
  }
  return out;
}

}  // namespace mb::config

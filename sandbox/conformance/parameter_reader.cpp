#include "sandbox/conformance/parameter_reader.hpp"

#include <charconv>
#include <cstdlib>
#include <vector>

#include "sandbox/conformance/text_split.hpp"

namespace sandbox::conformance {
namespace {

char Separator(const std::string& collection_format) {
  if (collection_format == "ssv") return ' ';
  if (collection_format == "tsv") return '\t';
  if (collection_format == "pipes") return '|';
  return ',';  // csv, the Swagger 2.0 default
}

ParameterValue ReadArray(const nlohmann::json& parameter, const std::vector<std::string>& raw) {
  const std::string format = parameter.value("collectionFormat", "csv");
  const std::string item_type =
      parameter.contains("items") ? parameter["items"].value("type", "string") : "string";
  ParameterValue out{true, nlohmann::json::array(), ""};
  for (const auto& occurrence : raw) {
    // csv also accepts the repeated form (?a=1&a=2): clients send both and the gateway takes both.
    std::vector<std::string> parts = format == "multi"
                                         ? std::vector<std::string>{occurrence}
                                         : SplitKeepEmpty(occurrence, Separator(format));
    for (const auto& part : parts) {
      ParameterValue item = ConvertScalar(part, item_type);
      if (!item.error.empty()) return {true, nullptr, item.error};
      out.value.push_back(item.value);
    }
  }
  return out;
}

}  // namespace

ParameterValue ConvertScalar(const std::string& text, const std::string& type) {
  if (type == "integer") {
    long long v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      return {true, nullptr, "'" + text + "' is not an integer"};
    }
    return {true, v, ""};
  }
  if (type == "number") {
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
      return {true, nullptr, "'" + text + "' is not a number"};
    }
    return {true, v, ""};
  }
  if (type == "boolean") {
    if (text == "true") return {true, true, ""};
    if (text == "false") return {true, false, ""};
    return {true, nullptr, "'" + text + "' is not a boolean"};
  }
  return {true, text, ""};
}

ParameterValue ReadParameter(const nlohmann::json& parameter, const ApiRequest& request,
                             const PathParams& path_params) {
  const std::string name = parameter.value("name", "");
  const std::string in = parameter.value("in", "");
  const std::string type = parameter.value("type", "string");
  if (in == "body") {
    if (request.body.empty()) return {};
    auto parsed = nlohmann::json::parse(request.body, nullptr, false);
    if (parsed.is_discarded()) return {true, nullptr, "the request body is not valid JSON"};
    return {true, std::move(parsed), ""};
  }
  std::vector<std::string> raw;
  if (in == "path") {
    auto it = path_params.find(name);
    if (it != path_params.end()) raw.push_back(it->second);
  } else if (in == "query") {
    auto [b, e] = request.query.equal_range(name);
    for (auto it = b; it != e; ++it) raw.push_back(it->second);
  } else if (in == "header") {
    auto [b, e] = request.headers.equal_range(name);
    for (auto it = b; it != e; ++it) raw.push_back(it->second);
  }
  if (raw.empty()) return {};
  if (type == "array") return ReadArray(parameter, raw);
  return ConvertScalar(raw.front(), type);
}

}  // namespace sandbox::conformance

#include "sandbox/conformance/static_cases.hpp"

#include "sandbox/conformance/parameter_reader.hpp"

namespace sandbox::conformance {

std::string StaticCase::Name() const {
  return operation->model->name() + "/" + operation->operation_id + "#" + std::to_string(index);
}

std::vector<StaticCase> CollectStaticCases(const ModelCatalog& catalog) {
  std::vector<StaticCase> cases;
  for (const auto& model : catalog.models()) {
    for (const auto& op : model->operations()) {
      int index = 0;
      for (const auto& [code, response] : op.responses.items()) {
        if (!response.contains("x-amzn-api-sandbox")) continue;
        const auto& sandbox = response["x-amzn-api-sandbox"];
        if (!sandbox.contains("static")) continue;
        for (const auto& entry : sandbox["static"]) {
          StaticCase c;
          c.operation = &op;
          c.status = std::stoi(code);
          c.index = index++;
          c.match = nlohmann::json::object();
          const auto params = entry.contains("request")
                                  ? entry["request"].value("parameters", nlohmann::json::object())
                                  : nlohmann::json::object();
          // An entry without "value" (e.g. "body":{}) constrains nothing: a catch-all.
          for (const auto& [key, spec] : params.items()) {
            if (spec.is_object() && spec.contains("value")) c.match[key] = spec["value"];
          }
          if (entry.contains("response")) c.response = entry["response"];
          cases.push_back(std::move(c));
        }
      }
    }
  }
  return cases;
}

const nlohmann::json* CaseParameter(const Operation& operation, const std::string& key) {
  if (key == "body") return operation.BodyParameter();
  return operation.Parameter(key);
}

bool CaseMatches(const StaticCase& c, const ApiRequest& request, const PathParams& path_params) {
  for (const auto& [key, expected] : c.match.items()) {
    const nlohmann::json* param = CaseParameter(*c.operation, key);
    if (param == nullptr) return false;
    ParameterValue actual = ReadParameter(*param, request, path_params);
    if (!actual.present || !actual.error.empty() || actual.value != expected) return false;
  }
  return true;
}

const StaticCase* FindStaticCase(const std::vector<const StaticCase*>& cases,
                                 const ApiRequest& request, const PathParams& path_params) {
  const StaticCase* best = nullptr;
  for (const StaticCase* c : cases) {
    if (!CaseMatches(*c, request, path_params)) continue;
    if (best == nullptr || c->match.size() > best->match.size()) best = c;
  }
  return best;
}

}  // namespace sandbox::conformance

#include "sandbox/conformance/model_validator.hpp"

#include <regex>
#include <stdexcept>

#include "sandbox/conformance/amazon_error.hpp"
#include "sandbox/conformance/parameter_reader.hpp"

namespace sandbox::conformance {
namespace {

std::string Show(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string CheckScalar(const std::string& name, const nlohmann::json& spec,
                        const nlohmann::json& value) {
  if (spec.contains("enum")) {
    bool found = false;
    for (const auto& allowed : spec["enum"]) found = found || allowed == value;
    if (!found) return "'" + Show(value) + "' is not a valid value for " + name;
  }
  if (value.is_number()) {
    const double v = value.get<double>();
    if (spec.contains("minimum")) {
      const double min = spec["minimum"].get<double>();
      if (v < min || (spec.value("exclusiveMinimum", false) && v == min)) {
        return name + " must be at least " + spec["minimum"].dump() + ", got " + value.dump();
      }
    }
    if (spec.contains("maximum")) {
      const double max = spec["maximum"].get<double>();
      if (v > max || (spec.value("exclusiveMaximum", false) && v == max)) {
        return name + " must be at most " + spec["maximum"].dump() + ", got " + value.dump();
      }
    }
  }
  if (value.is_string() && spec.value("format", "") == "date-time") {
    // ISO 8601 date and time as SP-API accepts it; seconds and offset are optional.
    static const std::regex kDateTime(
        R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$)");
    if (!std::regex_match(value.get<std::string>(), kDateTime)) {
      return "'" + Show(value) + "' is not a valid ISO 8601 date-time for " + name;
    }
  }
  if (value.is_string()) {
    const auto len = value.get<std::string>().size();
    if (spec.contains("minLength") && len < spec["minLength"].get<size_t>()) {
      return name + " must be at least " + spec["minLength"].dump() + " characters long";
    }
    if (spec.contains("maxLength") && len > spec["maxLength"].get<size_t>()) {
      return name + " must be at most " + spec["maxLength"].dump() + " characters long";
    }
  }
  return "";
}

}  // namespace

std::string CheckConstraints(const nlohmann::json& param, const nlohmann::json& value) {
  const std::string name = param.value("name", "");
  if (!value.is_array()) return CheckScalar(name, param, value);
  if (param.contains("minItems") && value.size() < param["minItems"].get<size_t>()) {
    return name + " must contain at least " + param["minItems"].dump() + " values";
  }
  if (param.contains("maxItems") && value.size() > param["maxItems"].get<size_t>()) {
    return name + " must contain at most " + param["maxItems"].dump() + " values, got " +
           std::to_string(value.size());
  }
  const nlohmann::json items = param.value("items", nlohmann::json::object());
  for (const auto& item : value) {
    std::string problem = CheckScalar(name, items, item);
    if (!problem.empty()) return problem;
  }
  return "";
}

ModelValidator::ModelValidator(std::shared_ptr<const SwaggerModel> model,
                               const std::string& operation_id)
    : model_(std::move(model)), operation_(model_->FindOperation(operation_id)) {
  if (operation_ == nullptr) {
    throw std::invalid_argument("sandbox: model " + model_->name() + " has no operation " +
                                operation_id);
  }
  const nlohmann::json definitions =
      model_->document().value("definitions", nlohmann::json::object());
  if (const nlohmann::json* body = operation_->BodyParameter(); body && body->contains("schema")) {
    body_schema_.emplace((*body)["schema"], definitions, JsonSchema::Draft::kDraft4);
  }
  for (const auto& [code, response] : operation_->responses.items()) {
    if (response.contains("schema")) {
      response_schemas_.emplace(
          code, JsonSchema(response["schema"], definitions, JsonSchema::Draft::kDraft4));
    }
  }
}

ModelValidator ModelValidator::Load(const std::string& model_file,
                                    const std::string& operation_id) {
  return ModelValidator(SwaggerModel::Load(model_file), operation_id);
}

std::optional<std::string> ModelValidator::CheckParameter(const nlohmann::json& param,
                                                          const ApiRequest& request,
                                                          const PathParams& path_params) const {
  const std::string name = param.value("name", "");
  ParameterValue v = ReadParameter(param, request, path_params);
  if (!v.present) {
    if (!param.value("required", false)) return std::nullopt;
    if (param.value("in", "") == "body") return "Missing required request body";
    return "Missing required parameter: " + name;
  }
  if (!v.error.empty()) return "Invalid " + name + ": " + v.error;
  if (param.value("in", "") == "body") {
    if (!body_schema_) return std::nullopt;
    auto errors = body_schema_->Validate(v.value);
    if (!errors.empty()) return "Invalid request body: " + errors.front();
    return std::nullopt;
  }
  std::string problem = CheckConstraints(param, v.value);
  if (!problem.empty()) return problem;
  return std::nullopt;
}

std::optional<RequestRejection> ModelValidator::ValidateRequest(
    const ApiRequest& request, const PathParams& path_params) const {
  for (const auto& param : operation_->parameters) {
    if (auto problem = CheckParameter(param, request, path_params)) {
      return RequestRejection{400, AmazonErrorBody("InvalidInput", *problem)};
    }
  }
  return std::nullopt;
}

std::vector<std::string> ModelValidator::ValidateResponse(int status,
                                                          const nlohmann::json& body) const {
  auto it = response_schemas_.find(std::to_string(status));
  if (it == response_schemas_.end()) it = response_schemas_.find("default");
  if (it != response_schemas_.end()) return it->second.Validate(body);
  const bool declared = operation_->responses.contains(std::to_string(status));
  if (!declared) return {"status " + std::to_string(status) + " is not declared by the model"};
  if (!body.is_null() && !(body.is_object() && body.empty())) {
    return {"status " + std::to_string(status) + " declares no body"};
  }
  return {};
}

}  // namespace sandbox::conformance

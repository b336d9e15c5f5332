#include "sandbox/conformance/json_schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <fstream>
#include <stdexcept>

namespace sandbox::conformance {

JsonSchema::JsonSchema(const nlohmann::json& schema, const nlohmann::json& definitions, Draft draft)
    : schema_(std::make_unique<valijson::Schema>()) {
  nlohmann::json root = schema;
  if (!definitions.is_null() && root.is_object()) root["definitions"] = definitions;
  valijson::SchemaParser parser(draft == Draft::kDraft4 ? valijson::SchemaParser::kDraft4
                                                        : valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(root);
  parser.populateSchema(adapter, *schema_);
}

JsonSchema JsonSchema::FromFile(const std::string& file, Draft draft) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("sandbox: cannot open schema " + file);
  return JsonSchema(nlohmann::json::parse(in), nullptr, draft);
}

JsonSchema::~JsonSchema() = default;
JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema& JsonSchema::operator=(JsonSchema&&) noexcept = default;

std::vector<std::string> JsonSchema::Validate(const nlohmann::json& value) const {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(value);
  std::vector<std::string> errors;
  if (validator.validate(*schema_, target, &results)) return errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string path;
    for (const auto& part : error.context) path += part;
    errors.push_back(path + ": " + error.description);
  }
  return errors;
}

}  // namespace sandbox::conformance

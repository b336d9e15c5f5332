#pragma once
// Validates requests and responses of one SP-API operation against its official model (normal,
// dynamic mode): parameters (required, type, enum, minimum/maximum, lengths, array limits) and
// the JSON body against the model's definitions. A bad request gets Amazon's 400 error shape.

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/conformance/api_request.hpp"
#include "sandbox/conformance/json_schema.hpp"
#include "sandbox/conformance/model_catalog.hpp"

namespace sandbox::conformance {

struct RequestRejection {
  int status = 400;
  nlohmann::json body;  // {"errors":[{"code":"InvalidInput","message":…,"details":""}]}
};

class ModelValidator {
 public:
  // Throws std::invalid_argument when the model has no such operation (startup).
  ModelValidator(std::shared_ptr<const SwaggerModel> model, const std::string& operation_id);
  static ModelValidator Load(const std::string& model_file, const std::string& operation_id);

  const Operation& operation() const { return *operation_; }

  std::optional<RequestRejection> ValidateRequest(const ApiRequest& request,
                                                  const PathParams& path_params) const;

  // Problems of a response body against the schema declared for `status` (or "default"); for
  // tests of the dynamic sandbox. Empty when it conforms.
  std::vector<std::string> ValidateResponse(int status, const nlohmann::json& body) const;

 private:
  std::optional<std::string> CheckParameter(const nlohmann::json& param, const ApiRequest& request,
                                            const PathParams& path_params) const;

  std::shared_ptr<const SwaggerModel> model_;
  const Operation* operation_;
  std::optional<JsonSchema> body_schema_;
  std::map<std::string, JsonSchema> response_schemas_;  // by status code or "default"
};

// Checks a typed parameter value against the Swagger constraints of `param`; error text or "".
std::string CheckConstraints(const nlohmann::json& param, const nlohmann::json& value);

}  // namespace sandbox::conformance

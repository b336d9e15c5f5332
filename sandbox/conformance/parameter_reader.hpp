#pragma once
// Reads one Swagger 2.0 parameter out of a request as a typed JSON value: path segments, query
// values (arrays split as the parameter's collectionFormat says), headers and the JSON body.

#include <nlohmann/json.hpp>

#include <string>

#include "sandbox/conformance/api_request.hpp"

namespace sandbox::conformance {

struct ParameterValue {
  bool present = false;
  nlohmann::json value;  // typed: string, integer, number, boolean, array or the parsed body
  std::string error;     // set when present but not convertible to the declared type
};

ParameterValue ReadParameter(const nlohmann::json& parameter, const ApiRequest& request,
                             const PathParams& path_params);

// Converts one textual value to the Swagger primitive `type`; error text on failure.
ParameterValue ConvertScalar(const std::string& text, const std::string& type);

}  // namespace sandbox::conformance

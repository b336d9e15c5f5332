#pragma once
// Amazon's SP-API error body (every model's ErrorList): {"errors":[{"code","message","details"}]}.

#include <nlohmann/json.hpp>

#include <string>

namespace sandbox::conformance {

nlohmann::json AmazonErrorBody(const std::string& code, const std::string& message,
                               const std::string& details = "");

}  // namespace sandbox::conformance

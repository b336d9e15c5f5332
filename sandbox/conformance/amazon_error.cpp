#include "sandbox/conformance/amazon_error.hpp"

namespace sandbox::conformance {

nlohmann::json AmazonErrorBody(const std::string& code, const std::string& message,
                               const std::string& details) {
  return {{"errors",
           nlohmann::json::array({{{"code", code}, {"message", message}, {"details", details}}})}};
}

}  // namespace sandbox::conformance

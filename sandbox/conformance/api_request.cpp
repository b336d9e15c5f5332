#include "sandbox/conformance/api_request.hpp"

namespace sandbox::conformance {

ApiRequest FromHttplib(const httplib::Request& req) {
  return ApiRequest{req.method, req.path, req.params, req.headers, req.body};
}

}  // namespace sandbox::conformance

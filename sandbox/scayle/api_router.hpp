#pragma once
// Registers emulated Admin API routes with everything SCAYLE wraps around them: `X-Access-Token`
// auth, per-scope rate limits with `X-RateLimit-*` headers on every response, the documented error
// body, and the configured faults.

#include <httplib.h>
#include <tl/expected.hpp>

#include <functional>

#include "sandbox/scayle/faults.hpp"
#include "sandbox/scayle/model.hpp"
#include "sandbox/scayle/rate_limits.hpp"

namespace sandbox::scayle {

inline constexpr const char* kApiBase = "/api/admin/v1";

struct Reply {
  int status = 200;
  Json body;  // ignored for 204
};
using ApiResult = tl::expected<Reply, ApiError>;
// `params` are the decoded `{...}` path segments in order.
using ApiHandler =
    std::function<ApiResult(const httplib::Request&, const std::vector<std::string>& params)>;

class ApiRouter {
 public:
  ApiRouter(httplib::Server& server, std::string access_token, RateLimiter& limiter,
            FaultPlan& faults);

  // `path` is relative to kApiBase with `{name}` placeholders, e.g. "/variants/{v}/stocks"; the
  // route's name for faults is "<METHOD> <path>".
  void Get(const std::string& path, const std::string& scope, ApiHandler handler);
  void Post(const std::string& path, const std::string& scope, ApiHandler handler);
  void Put(const std::string& path, const std::string& scope, ApiHandler handler);
  void Patch(const std::string& path, const std::string& scope, ApiHandler handler);
  void Delete(const std::string& path, const std::string& scope, ApiHandler handler);

 private:
  httplib::Server::Handler Wrap(const std::string& route, const std::string& scope,
                                ApiHandler handler);

  httplib::Server& server_;
  std::string access_token_;
  RateLimiter& limiter_;
  FaultPlan& faults_;
};

// Helpers shared by the route files.
void WriteJson(httplib::Response& res, int status, const Json& body);
tl::expected<Json, ApiError> ParseJsonBody(const httplib::Request& req);
ApiError NotFound(const std::string& key, const std::string& what);

struct PageRequest {
  int64_t after = 0;
  size_t limit = 100;
};
// `limit` (1..1000, default `default_limit`) and `cursor` query parameters.
tl::expected<PageRequest, ApiError> ParsePage(const httplib::Request& req, size_t default_limit);
Json Collection(Json entities, const std::optional<int64_t>& next);

}  // namespace sandbox::scayle

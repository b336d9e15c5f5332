#pragma once
// What every emulated SP-API operation shares: the request as a handler sees it, the response it
// returns, Amazon's error body, and query parameter parsing (arrays are comma-separated or
// repeated).

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "sandbox/amazon/faults.hpp"
#include "sandbox/common/sim_clock.hpp"

namespace sandbox::amazon {

struct ApiRequest {
  const httplib::Request& http;
  std::smatch path_match;
  std::string operation;
  std::string seller_id;  // from the access token
  SimTime now;
  std::optional<FaultRule> fault;  // a fault the handler itself must apply (unknown order status)

  std::string PathParam(size_t index) const;  // 1-based regex group of the decoded path
  std::optional<std::string> Param(const std::string& name) const;
  // Comma-separated and repeated values, e.g. marketplaceIds=A,B or
  // marketplaceIds=A&marketplaceIds=B.
  std::vector<std::string> ArrayParam(const std::string& name) const;
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";

  static ApiResponse Json(int status, const nlohmann::json& body);
  static ApiResponse Empty(int status);
  static ApiResponse Error(int status, const std::string& code, const std::string& message,
                           const std::string& details = "");
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

struct ApiRoute {
  std::string method;
  std::regex pattern;
  std::string operation;  // usage-plan name, see rate_limits.cpp
  ApiHandler handler;
};

class ApiRouter {
 public:
  void Add(const std::string& method, const std::string& pattern, const std::string& operation,
           ApiHandler handler);
  const ApiRoute* Match(const std::string& method, const std::string& path,
                        std::smatch& match) const;

 private:
  std::vector<ApiRoute> routes_;
};

// Opaque pagination tokens carry their state as hex-encoded JSON.
std::string HexEncode(const std::string& bytes);
std::optional<std::string> HexDecode(const std::string& hex);

// The list parameters getFeeds and getReports share (types, processingStatuses, marketplaceIds,
// createdSince/Until, pageSize, nextToken), with the first page's filters carried in nextToken.
struct ListQuery {
  std::vector<std::string> types;
  std::vector<std::string> statuses;
  std::vector<std::string> marketplaces;
  int64_t since_ms = 0;
  int64_t until_ms = 0;
  int page_size = 10;
  size_t offset = 0;
};
std::optional<ListQuery> ParseListQuery(const ApiRequest& req, const std::string& types_param,
                                        bool types_required, ApiResponse* error);
std::string NextListToken(const ListQuery& query, size_t next_offset);
bool ListQueryMatches(const ListQuery& query, const std::string& type, const std::string& status,
                      const std::vector<std::string>& marketplaces, SimTime created);

std::string UrlDecode(const std::string& text);
// application/x-www-form-urlencoded body into fields.
std::map<std::string, std::string> ParseForm(const std::string& body);
// Parses a JSON request body; nullopt (and `error` filled) when it isn't JSON.
std::optional<nlohmann::json> ParseJsonBody(const httplib::Request& http, ApiResponse* error);

}  // namespace sandbox::amazon

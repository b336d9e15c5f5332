#include "sandbox/scayle/api_router.hpp"

#include <regex>
#include <thread>

#include "sandbox/scayle/identifiers.hpp"
#include "sandbox/scayle/scayle_json.hpp"

namespace sandbox::scayle {

namespace {

// `{name}` matches one segment; `{name*}` (last only) also takes slashes, which a decoded
// `key=` identifier may contain.
std::string PathPattern(const std::string& path) {
  static const std::regex kRest(R"(\{[^}]+\*\}$)");
  static const std::regex kPlaceholder(R"(\{[^}]+\})");
  std::string pattern = std::regex_replace(path, kRest, "(.+)");
  return std::string(kApiBase) + std::regex_replace(pattern, kPlaceholder, "([^/]+)");
}

std::string RouteName(const std::string& method, std::string path) {
  std::erase(path, '*');
  return method + " " + path;
}

void SetRateHeaders(httplib::Response& res, const RateDecision& d, int remaining) {
  res.set_header("X-RateLimit-Scope", d.scope);
  res.set_header("X-RateLimit-Limit", std::to_string(d.limit));
  res.set_header("X-RateLimit-Remaining", std::to_string(remaining));
  res.set_header("X-RateLimit-Reset", std::to_string(d.reset_seconds));
}

void WriteError(httplib::Response& res, const ApiError& e) {
  WriteJson(res, e.status, ErrorBody(e));
}

ApiError RateLimitError(const RateDecision& d) {
  return {429, "RATE_LIMIT_EXCEED",
          "rate limit of " + std::to_string(d.limit) + " calls per minute for scope " + d.scope +
              " exceeded; retry in " + std::to_string(d.reset_seconds) + " s"};
}

}  // namespace

void WriteJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  if (status == 204) return;
  res.set_content(body.dump(), "application/json");
}

tl::expected<Json, ApiError> ParseJsonBody(const httplib::Request& req) {
  Json body = Json::parse(req.body, nullptr, false);
  if (body.is_discarded())
    return tl::unexpected(ApiError{400, "INVALID_JSON", "the request body is not valid JSON"});
  return body;
}

ApiError NotFound(const std::string& key, const std::string& what) {
  return {404, key, what + " not found"};
}

tl::expected<PageRequest, ApiError> ParsePage(const httplib::Request& req, size_t default_limit) {
  PageRequest page;
  page.limit = default_limit;
  if (req.has_param("limit")) {
    const std::string text = req.get_param_value("limit");
    char* end = nullptr;
    long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value < 1 || value > 1000) {
      return tl::unexpected(
          ApiError{400, "INVALID_LIMIT", "limit must be an integer from 1 to 1000"});
    }
    page.limit = static_cast<size_t>(value);
  }
  if (req.has_param("cursor")) {
    auto after = DecodeCursor(req.get_param_value("cursor"));
    if (!after)
      return tl::unexpected(ApiError{400, "INVALID_CURSOR", "cursor is not one this API returned"});
    page.after = *after;
  }
  return page;
}

Json Collection(Json entities, const std::optional<int64_t>& next) {
  return {{"entities", std::move(entities)},
          {"cursor", {{"next", next ? Json(EncodeCursor(*next)) : Json(nullptr)}}}};
}

ApiRouter::ApiRouter(httplib::Server& server, std::string access_token, RateLimiter& limiter,
                     FaultPlan& faults)
    : server_(server), access_token_(std::move(access_token)), limiter_(limiter), faults_(faults) {}

void ApiRouter::Get(const std::string& path, const std::string& scope, ApiHandler handler) {
  server_.Get(PathPattern(path), Wrap(RouteName("GET", path), scope, std::move(handler)));
}
void ApiRouter::Post(const std::string& path, const std::string& scope, ApiHandler handler) {
  server_.Post(PathPattern(path), Wrap(RouteName("POST", path), scope, std::move(handler)));
}
void ApiRouter::Put(const std::string& path, const std::string& scope, ApiHandler handler) {
  server_.Put(PathPattern(path), Wrap(RouteName("PUT", path), scope, std::move(handler)));
}
void ApiRouter::Patch(const std::string& path, const std::string& scope, ApiHandler handler) {
  server_.Patch(PathPattern(path), Wrap(RouteName("PATCH", path), scope, std::move(handler)));
}
void ApiRouter::Delete(const std::string& path, const std::string& scope, ApiHandler handler) {
  server_.Delete(PathPattern(path), Wrap(RouteName("DELETE", path), scope, std::move(handler)));
}

httplib::Server::Handler ApiRouter::Wrap(const std::string& route, const std::string& scope,
                                         ApiHandler handler) {
  // The router is a registration helper that may die before the server: capture what the
  // handler needs, never `this`.
  return [&limiter = limiter_, &faults = faults_, token = access_token_, route, scope,
          handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("X-Access-Token") != token || token.empty()) {
      auto d = limiter.Peek(scope);
      SetRateHeaders(res, d, d.remaining);
      WriteError(res, {401, "UNAUTHORIZED", "missing or invalid X-Access-Token"});
      return;
    }
    auto fault = faults.Draw(route);
    if (fault && fault->kind == FaultKind::kRateLimitStorm) {
      limiter.CountInjectedLimit(scope);
      limiter.CountOperation(route, true);
      auto d = limiter.Peek(scope);
      SetRateHeaders(res, d, 0);
      WriteError(res, RateLimitError(d));
      return;
    }
    auto decision = limiter.Take(scope);
    SetRateHeaders(res, decision, decision.remaining);
    limiter.CountOperation(route, !decision.allowed);
    if (!decision.allowed) {
      WriteError(res, RateLimitError(decision));
      return;
    }
    if (fault && fault->kind == FaultKind::kSlowResponse) std::this_thread::sleep_for(fault->delay);
    if (fault && fault->kind == FaultKind::kServerError) {
      WriteError(res, {fault->status, "INTERNAL_SERVER_ERROR", "injected fault on " + route});
      return;
    }
    std::vector<std::string> params(req.matches.begin() + 1, req.matches.end());
    ApiResult result = tl::unexpected(ApiError{});
    try {
      result = handler(req, params);
    } catch (const nlohmann::json::exception& e) {
      // A field of the wrong JSON type in the request: the client's mistake, not ours.
      result = tl::unexpected(
          ApiError{400, "VALIDATION_ERROR", std::string("invalid request body: ") + e.what()});
    }
    if (!result) {
      WriteError(res, result.error());
    } else {
      WriteJson(res, result->status, result->body);
    }
    if (fault && fault->kind == FaultKind::kMalformedBody) {
      std::string body = res.body.substr(0, res.body.size() / 2);
      res.status = 200;
      res.set_content(body + "{\"trunc", "application/json");
    }
    if (fault && fault->kind == FaultKind::kDropConnection) {
      // Returning false from the provider makes httplib close the connection after the headers.
      res.set_content_provider(res.body.size() + 1, "application/json",
                               [](size_t, size_t, httplib::DataSink&) { return false; });
      res.body.clear();
    }
  };
}

}  // namespace sandbox::scayle

#include "scayle/scayle_client.hpp"

#include <nlohmann/json.hpp>

#include "log/log.hpp"

namespace mb::scayle {

namespace {

constexpr std::string_view kRateLimitKey = "RATE_LIMIT_EXCEED";

bool HasErrorKey(const nlohmann::json& body, std::string_view key) {
  if (!body.is_object() || !body.contains("errors") || !body["errors"].is_array()) return false;
  for (const auto& error : body["errors"]) {
    if (error.is_object() && error.value("errorKey", "") == key) return true;
  }
  return false;
}

ErrorCode CodeFor(int status, bool rate_limited) {
  if (rate_limited || status == 429) return ErrorCode::kThrottled;
  if (status == 408) return ErrorCode::kTimeout;
  if (status >= 500) return ErrorCode::kUnavailable;
  if (status == 401 || status == 403) return ErrorCode::kUnauthorized;
  if (status == 404) return ErrorCode::kNotFound;
  if (status == 409) return ErrorCode::kConflict;
  if (status == 400) return ErrorCode::kInvalidInput;
  return ErrorCode::kRejected;
}

}  // namespace

std::string EncodeComponent(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '_' || u == '.' || u == '~') {
      out += c;
    } else {
      out += {'%', kHex[u >> 4], kHex[u & 0x0F]};
    }
  }
  return out;
}

std::string IdentifierById(int64_t id) { return std::to_string(id); }

std::string IdentifierByKey(std::string_view reference_key) {
  return EncodeComponent("key=" + std::string(reference_key));
}

bool IsScayleRateLimited(const HttpResponse& response) {
  if (response.status == 429) return true;
  if (response.ok()) return false;
  return HasErrorKey(nlohmann::json::parse(response.body, nullptr, false), kRateLimitKey);
}

Error ScayleError(const ScayleRequest& request, const HttpResponse& response) {
  std::string message = "scayle: " + std::string(MethodName(request.method)) + " " + request.path +
                        " returned " + std::to_string(response.status);
  if (!request.subject.empty()) message += " for " + request.subject;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  bool described = false;
  if (body.is_object() && body.contains("errors") && body["errors"].is_array()) {
    for (const auto& error : body["errors"]) {
      if (!error.is_object()) continue;
      message += described ? "; " : ": ";
      message += error.value("errorKey", "UNKNOWN");
      if (auto text = error.value("message", ""); !text.empty()) message += " " + text;
      if (auto it = error.find("context"); it != error.end() && !it->empty()) {
        message += " " + it->dump();
      }
      described = true;
    }
  }
  if (!described && !response.body.empty()) message += ": " + response.body.substr(0, 300);
  const bool rate_limited = HasErrorKey(body, kRateLimitKey);
  if (rate_limited || response.status == 429) {
    if (auto reset = response.headers.Find("X-RateLimit-Reset")) {
      message += " (rate limit resets in " + std::string(*reset) + " s)";
    }
  }
  return Error{CodeFor(response.status, rate_limited), std::move(message)};
}

ScayleClient::ScayleClient(HttpClient& http, ScayleSettings settings)
    : http_(http), settings_(std::move(settings)) {
  while (!settings_.endpoint.empty() && settings_.endpoint.back() == '/') {
    settings_.endpoint.pop_back();
  }
}

Result<nlohmann::json> ScayleClient::Call(const ScayleRequest& request) {
  if (settings_.endpoint.empty()) {
    return Fail(ErrorCode::kConfigError, "scayle: no Admin API endpoint: set scayle.endpoint");
  }
  HttpRequest http_request(request.method, settings_.endpoint + request.path,
                           "scayle." + request.operation);
  if (!request.query.empty()) {
    http_request.url += '?';
    for (size_t i = 0; i < request.query.size(); ++i) {
      if (i > 0) http_request.url += '&';
      http_request.url +=
          EncodeComponent(request.query[i].first) + "=" + EncodeComponent(request.query[i].second);
    }
  }
  http_request.headers.Set("X-Access-Token", settings_.access_token);
  http_request.headers.Set("Accept", "application/json");
  if (request.body) {
    http_request.headers.Set("Content-Type", "application/json");
    http_request.body = *request.body;
  }
  http_request.timeout = settings_.timeout;

  auto response = http_.Send(http_request);
  if (!response) {
    std::string message =
        "scayle: " + std::string(MethodName(request.method)) + " " + request.path + " failed";
    if (!request.subject.empty()) message += " for " + request.subject;
    return Fail(response.error().code, message + ": " + response.error().message);
  }
  if (!response->ok()) {
    Error error = ScayleError(request, *response);
    if (error.code == ErrorCode::kUnauthorized || error.code == ErrorCode::kUnavailable) {
      log::Get("scayle")->warn("{}", error.message);
    }
    return tl::unexpected(std::move(error));
  }
  if (response->body.empty()) return nlohmann::json();
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (json.is_discarded()) {
    return Fail(ErrorCode::kMalformedResponse,
                "scayle: " + std::string(MethodName(request.method)) + " " + request.path +
                    " answered with a body that is not JSON");
  }
  return json;
}

Status ScayleClient::ForEachPage(ScayleRequest request,
                                 const std::function<Status(const nlohmann::json&)>& page) {
  const QueryParams base_query = request.query;
  std::optional<std::string> cursor;
  // A cursor SCAYLE hands back twice would loop forever; the check below makes it an error.
  while (true) {
    request.query = base_query;
    request.query.emplace_back("limit", std::to_string(settings_.page_size));
    if (cursor) request.query.emplace_back("cursor", *cursor);
    auto body = Call(request);
    if (!body) return tl::unexpected(body.error());
    if (!body->is_object() || !body->contains("entities") || !(*body)["entities"].is_array()) {
      return Fail(ErrorCode::kMalformedResponse,
                  "scayle: GET " + request.path + " answered without an `entities` array");
    }
    if (auto status = page((*body)["entities"]); !status) return status;
    const auto next = body->value("/cursor/next"_json_pointer, nlohmann::json());
    if (!next.is_string() || next.get<std::string>().empty()) return {};
    if (cursor && *cursor == next.get<std::string>()) {
      return Fail(ErrorCode::kMalformedResponse,
                  "scayle: GET " + request.path + " returned the same cursor twice");
    }
    cursor = next.get<std::string>();
  }
}

}  // namespace mb::scayle

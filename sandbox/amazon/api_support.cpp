#include "sandbox/amazon/api_support.hpp"

#include <algorithm>
#include <cctype>

#include "sandbox/amazon/iso_time.hpp"

namespace sandbox::amazon {

std::string HexEncode(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::optional<std::string> HexDecode(const std::string& hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string UrlDecode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string::npos) amp = body.size();
    std::string pair = body.substr(pos, amp - pos);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      out[UrlDecode(pair.substr(0, eq))] =
          eq == std::string::npos ? "" : UrlDecode(pair.substr(eq + 1));
    }
    pos = amp + 1;
  }
  return out;
}

std::string ApiRequest::PathParam(size_t index) const {
  return path_match[static_cast<int>(index)].str();  // httplib has already URL-decoded the path
}

std::optional<std::string> ApiRequest::Param(const std::string& name) const {
  if (!http.has_param(name.c_str())) return std::nullopt;
  return http.get_param_value(name.c_str());
}

std::vector<std::string> ApiRequest::ArrayParam(const std::string& name) const {
  std::vector<std::string> out;
  auto range = http.params.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    size_t pos = 0;
    const std::string& v = it->second;
    while (pos <= v.size()) {
      size_t comma = v.find(',', pos);
      if (comma == std::string::npos) comma = v.size();
      if (comma > pos) out.push_back(v.substr(pos, comma - pos));
      pos = comma + 1;
    }
  }
  return out;
}

ApiResponse ApiResponse::Json(int status, const nlohmann::json& body) {
  return ApiResponse{status, body.dump(), "application/json"};
}

ApiResponse ApiResponse::Empty(int status) { return ApiResponse{status, "", ""}; }

ApiResponse ApiResponse::Error(int status, const std::string& code, const std::string& message,
                               const std::string& details) {
  return Json(status, {{"errors", {{{"code", code}, {"message", message}, {"details", details}}}}});
}

void ApiRouter::Add(const std::string& method, const std::string& pattern,
                    const std::string& operation, ApiHandler handler) {
  routes_.push_back({method, std::regex(pattern), operation, std::move(handler)});
}

const ApiRoute* ApiRouter::Match(const std::string& method, const std::string& path,
                                 std::smatch& match) const {
  for (const auto& route : routes_) {
    if (route.method == method && std::regex_match(path, match, route.pattern)) return &route;
  }
  return nullptr;
}

std::optional<nlohmann::json> ParseJsonBody(const httplib::Request& http, ApiResponse* error) {
  auto body = nlohmann::json::parse(http.body, nullptr, false);
  if (body.is_discarded()) {
    *error = ApiResponse::Error(400, "InvalidInput", "The request body is not valid JSON.");
    return std::nullopt;
  }
  return body;
}

std::optional<ListQuery> ParseListQuery(const ApiRequest& req, const std::string& types_param,
                                        bool types_required, ApiResponse* error) {
  auto fail = [&](const std::string& message) {
    *error = ApiResponse::Error(400, "InvalidInput", message);
    return std::nullopt;
  };
  ListQuery q;
  if (auto token = req.Param("nextToken")) {
    auto decoded = HexDecode(*token);
    auto j = decoded ? nlohmann::json::parse(*decoded, nullptr, false) : nlohmann::json(nullptr);
    try {
      if (!j.is_object()) return fail("Invalid nextToken.");
      q.types = j.at("t").get<std::vector<std::string>>();
      q.statuses = j.at("s").get<std::vector<std::string>>();
      q.marketplaces = j.at("m").get<std::vector<std::string>>();
      q.since_ms = j.at("a");
      q.until_ms = j.at("b");
      q.page_size = j.at("p");
      q.offset = j.at("o");
    } catch (const nlohmann::json::exception&) {
      return fail("Invalid nextToken.");
    }
    return q;
  }
  q.types = req.ArrayParam(types_param);
  if (types_required && q.types.empty()) return fail(types_param + " or nextToken is required.");
  if (q.types.size() > 10) return fail(types_param + " accepts at most 10 values.");
  q.statuses = req.ArrayParam("processingStatuses");
  for (const auto& s : q.statuses) {
    if (s != "CANCELLED" && s != "DONE" && s != "FATAL" && s != "IN_PROGRESS" && s != "IN_QUEUE") {
      return fail("Invalid processingStatuses value: " + s);
    }
  }
  q.marketplaces = req.ArrayParam("marketplaceIds");
  if (q.marketplaces.size() > 10) return fail("marketplaceIds accepts at most 10 values.");
  // Default window: the last 90 days (model text).
  q.since_ms = (req.now - std::chrono::hours(24 * 90)).time_since_epoch().count();
  q.until_ms = req.now.time_since_epoch().count();
  if (auto since = req.Param("createdSince")) {
    auto t = ParseIso(*since);
    if (!t) return fail("createdSince is not a valid ISO 8601 date-time.");
    q.since_ms = t->time_since_epoch().count();
  }
  if (auto until = req.Param("createdUntil")) {
    auto t = ParseIso(*until);
    if (!t) return fail("createdUntil is not a valid ISO 8601 date-time.");
    q.until_ms = t->time_since_epoch().count();
  }
  if (auto size = req.Param("pageSize")) {
    q.page_size = std::atoi(size->c_str());
    if (q.page_size < 1 || q.page_size > 100) return fail("pageSize must be between 1 and 100.");
  }
  return q;
}

std::string NextListToken(const ListQuery& q, size_t next_offset) {
  nlohmann::json j = {{"t", q.types},    {"s", q.statuses}, {"m", q.marketplaces},
                      {"a", q.since_ms}, {"b", q.until_ms}, {"p", q.page_size},
                      {"o", next_offset}};
  return HexEncode(j.dump());
}

bool ListQueryMatches(const ListQuery& q, const std::string& type, const std::string& status,
                      const std::vector<std::string>& marketplaces, SimTime created) {
  auto in = [](const std::vector<std::string>& wanted, const std::string& v) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), v) != wanted.end();
  };
  const int64_t t = created.time_since_epoch().count();
  if (t < q.since_ms || t > q.until_ms || !in(q.types, type) || !in(q.statuses, status))
    return false;
  if (q.marketplaces.empty()) return true;
  return std::any_of(marketplaces.begin(), marketplaces.end(),
                     [&](const std::string& m) { return in(q.marketplaces, m); });
}

}  // namespace sandbox::amazon

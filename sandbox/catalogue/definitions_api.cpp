#include "sandbox/catalogue/definitions_api.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

namespace sandbox::catalogue {

using nlohmann::json;

namespace {

Answer Error(int status, const std::string& code, const std::string& message) {
  json body = {{"errors", json::array({{{"code", code}, {"message", message}}})}};
  return Answer{status, body.dump()};
}

std::vector<std::string> Values(const httplib::Request& request, const std::string& name) {
  std::vector<std::string> out;
  auto range = request.params.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    std::stringstream in(it->second);
    std::string part;
    while (std::getline(in, part, ',')) {
      if (!part.empty()) out.push_back(part);
    }
  }
  return out;
}

std::string Param(const httplib::Request& request, const std::string& name) {
  return request.has_param(name) ? request.get_param_value(name) : "";
}

constexpr std::string_view kPrefix = "/definitions/2020-09-01/productTypes";

}  // namespace

Answer AnswerDefinitions(const ProductTypeCatalogue& catalogue, const httplib::Request& request,
                         const std::string& base_url) {
  auto marketplaces = Values(request, "marketplaceIds");
  std::string path = request.path;
  if (path == kPrefix) {
    if (marketplaces.empty()) return Error(400, "InvalidInput", "marketplaceIds is required.");
    return Answer{200, catalogue.Search(Values(request, "keywords"), marketplaces[0]).dump()};
  }
  std::string product_type = path.substr(kPrefix.size() + 1);
  // getDefinitionsProductType accepts exactly one marketplace (model: maxItems 1 in practice).
  if (marketplaces.size() != 1) {
    return Error(400, "InvalidInput", "Exactly one marketplaceIds value is required.");
  }
  if (!catalogue.Has(product_type, marketplaces[0])) {
    return Error(404, "NOT_FOUND",
                 "Product type " + product_type + " is not available in " + marketplaces[0] + ".");
  }
  return Answer{200, catalogue
                         .Definition(product_type, marketplaces[0], base_url,
                                     Param(request, "requirements"), Param(request, "locale"))
                         .dump()};
}

std::optional<Answer> AnswerSchemaLink(const ProductTypeCatalogue& catalogue,
                                       const std::string& path) {
  constexpr std::string_view kSchemas = "/_sandbox/catalogue/schemas/";
  if (path == "/_sandbox/catalogue/meta-schema/v1.json") {
    std::ifstream in(std::string(MB_SHARED_DIR) +
                     "/reference/amazon/product-types/amazon-product-type-definition-meta-schema-"
                     "v1.json");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return Answer{200, buffer.str()};
  }
  if (!path.starts_with(kSchemas) || !path.ends_with(".json")) return std::nullopt;
  std::string stem = path.substr(kSchemas.size(), path.size() - kSchemas.size() - 5);
  size_t dot = stem.find('.');
  if (dot == std::string::npos || !catalogue.Has(stem.substr(0, dot), stem.substr(dot + 1))) {
    return Error(404, "NOT_FOUND", "No such schema.");
  }
  return Answer{200, catalogue.SchemaText(stem.substr(0, dot), stem.substr(dot + 1))};
}

void AddDefinitionsRoutes(amazon::ApiRouter& router, const ProductTypeCatalogue& catalogue,
                          std::function<std::string()> base_url) {
  auto handler = [&catalogue, base_url](const amazon::ApiRequest& req) {
    Answer a = AnswerDefinitions(catalogue, req.http, base_url());
    return amazon::ApiResponse{a.status, a.body, a.content_type};
  };
  router.Add("GET", "/definitions/2020-09-01/productTypes",
             "definitions.searchDefinitionsProductTypes", handler);
  router.Add("GET", "/definitions/2020-09-01/productTypes/([^/]+)",
             "definitions.getDefinitionsProductType", handler);
}

DefinitionsServer::DefinitionsServer(const ProductTypeCatalogue& catalogue)
    : catalogue_(catalogue) {
  auto definitions = [this](const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    // The SP-API side: an access token must be presented (any, the LWA sandbox issued it).
    if (!req.has_header("x-amz-access-token")) {
      Answer a = Error(403, "Unauthorized", "Access to requested resource is denied.");
      res.status = a.status;
      res.set_content(a.body, a.content_type);
      return;
    }
    Answer a = AnswerDefinitions(catalogue_, req, base_url());
    res.status = a.status;
    res.set_content(a.body, a.content_type);
  };
  http_.Get("/definitions/2020-09-01/productTypes", definitions);
  http_.Get(R"(/definitions/2020-09-01/productTypes/([^/]+))", definitions);
  http_.Get(R"(/_sandbox/catalogue/.*)",
            [this](const httplib::Request& req, httplib::Response& res) {
              ++requests_;
              auto a = AnswerSchemaLink(catalogue_, req.path);
              Answer answer = a ? *a : Error(404, "NOT_FOUND", "No such document.");
              res.status = answer.status;
              res.set_content(answer.body, answer.content_type);
            });
}

DefinitionsServer::~DefinitionsServer() { Stop(); }

void DefinitionsServer::Start() {
  port_ = http_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("definitions server: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { http_.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs: wait for it (bounded) before handing it out.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!http_.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
}

void DefinitionsServer::Stop() {
  http_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string DefinitionsServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

}  // namespace sandbox::catalogue

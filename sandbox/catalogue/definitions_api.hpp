#pragma once
// Product Type Definitions API 2020-09-01 (getDefinitionsProductType,
// searchDefinitionsProductTypes) and the schema links it hands out, over the sandbox's product
// types. Two ways to serve it:
// - inside the emulated SP-API: AddDefinitionsRoutes(router, catalogue, base_url) for the two
//   operations, and AnswerSchemaLink(...) from the server's dispatch for `/_sandbox/catalogue/...`;
// - standalone: DefinitionsServer on loopback (tests, or until the SP-API server mounts it).

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include <httplib.h>

#include "sandbox/amazon/api_support.hpp"
#include "sandbox/catalogue/product_types.hpp"

namespace sandbox::catalogue {

struct Answer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

// GET /definitions/2020-09-01/productTypes[/{productType}] with its query parameters.
Answer AnswerDefinitions(const ProductTypeCatalogue& catalogue, const httplib::Request& request,
                         const std::string& base_url);
// GET /_sandbox/catalogue/schemas/<TYPE>.<MARKETPLACE>.json and /_sandbox/catalogue/meta-schema/
// v1.json; nullopt for other paths.
std::optional<Answer> AnswerSchemaLink(const ProductTypeCatalogue& catalogue,
                                       const std::string& path);

// Adds getDefinitionsProductType and searchDefinitionsProductTypes to the emulated SP-API's router.
void AddDefinitionsRoutes(amazon::ApiRouter& router, const ProductTypeCatalogue& catalogue,
                          std::function<std::string()> base_url);

class DefinitionsServer {
 public:
  explicit DefinitionsServer(const ProductTypeCatalogue& catalogue);
  ~DefinitionsServer();
  DefinitionsServer(const DefinitionsServer&) = delete;
  DefinitionsServer& operator=(const DefinitionsServer&) = delete;

  void Start();  // 127.0.0.1, ephemeral port; throws if it cannot bind
  void Stop();
  std::string base_url() const;
  int requests() const { return requests_; }

 private:
  const ProductTypeCatalogue& catalogue_;
  httplib::Server http_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
};

}  // namespace sandbox::catalogue

#pragma once
// The official SP-API Swagger 2.0 models (reference/amazon/models/*.json), loaded once and indexed
// by operation, so requests can be routed by their concrete path the way Amazon's gateway does.

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/conformance/api_request.hpp"

namespace sandbox::conformance {

class SwaggerModel;

struct Operation {
  const SwaggerModel* model = nullptr;
  std::string method;         // upper case
  std::string path_template;  // e.g. /orders/v0/orders/{orderId}
  std::string operation_id;
  nlohmann::json parameters;  // path-level and operation-level parameters merged
  nlohmann::json responses;   // the operation's "responses" object

  // The parameter declared `in: body` (named "body" or "payload"), or nullptr.
  const nlohmann::json* BodyParameter() const;
  const nlohmann::json* Parameter(const std::string& name) const;
};

class SwaggerModel {
 public:
  // Throws std::runtime_error when the file is missing or not a Swagger 2.0 document (startup).
  static std::unique_ptr<SwaggerModel> Load(const std::string& file);

  const std::string& name() const { return name_; }  // file stem, e.g. ordersV0
  const nlohmann::json& document() const { return document_; }
  const std::vector<Operation>& operations() const { return operations_; }
  const Operation* FindOperation(const std::string& operation_id) const;

 private:
  std::string name_;
  nlohmann::json document_;
  std::vector<Operation> operations_;
};

struct RoutedOperation {
  const Operation* operation;
  PathParams path_params;
};

class ModelCatalog {
 public:
  // Loads `<dir>/<name>.json` for each name; throws on a missing or malformed model (startup).
  void Load(const std::string& dir, const std::vector<std::string>& names);
  void Add(std::unique_ptr<SwaggerModel> model);

  // The operation whose path template matches the concrete path (the template with the most
  // literal segments wins) and whose method matches; nullopt if none.
  std::optional<RoutedOperation> Route(const std::string& method, const std::string& path) const;

  const std::vector<std::unique_ptr<SwaggerModel>>& models() const { return models_; }
  const SwaggerModel* Find(const std::string& name) const;

 private:
  std::vector<std::unique_ptr<SwaggerModel>> models_;
};

// The eight models the static conformance mode answers (issue 3).
const std::vector<std::string>& ConformanceModelNames();

// Path segments of a template or concrete path ("/a/{b}/" -> {"a", "{b}"}).
std::vector<std::string> SplitPath(const std::string& path);

}  // namespace sandbox::conformance

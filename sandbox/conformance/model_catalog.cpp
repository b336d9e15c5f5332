#include "sandbox/conformance/model_catalog.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>

namespace sandbox::conformance {
namespace {

const std::set<std::string> kHttpMethods = {"get",   "put",  "post",   "delete",
                                            "patch", "head", "options"};

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

std::string Stem(const std::string& file) {
  auto slash = file.find_last_of('/');
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  auto dot = base.rfind(".json");
  return dot == std::string::npos ? base : base.substr(0, dot);
}

// Operation-level parameters override path-level ones with the same name and location.
nlohmann::json MergeParameters(const nlohmann::json& path_level, const nlohmann::json& op_level) {
  nlohmann::json merged = nlohmann::json::array();
  for (const auto& p : op_level) merged.push_back(p);
  for (const auto& p : path_level) {
    bool overridden = std::any_of(op_level.begin(), op_level.end(), [&](const nlohmann::json& o) {
      return o.value("name", "") == p.value("name", "") && o.value("in", "") == p.value("in", "");
    });
    if (!overridden) merged.push_back(p);
  }
  return merged;
}

// Number of literal segments if the template matches the path, else -1.
int MatchTemplate(const std::vector<std::string>& tmpl, const std::vector<std::string>& path,
                  PathParams& params) {
  if (tmpl.size() != path.size()) return -1;
  int literals = 0;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    const std::string& t = tmpl[i];
    if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
      if (path[i].empty()) return -1;
      params[t.substr(1, t.size() - 2)] = path[i];
    } else if (t == path[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}

}  // namespace

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

const nlohmann::json* Operation::BodyParameter() const {
  for (const auto& p : parameters) {
    if (p.value("in", "") == "body") return &p;
  }
  return nullptr;
}

const nlohmann::json* Operation::Parameter(const std::string& name) const {
  for (const auto& p : parameters) {
    if (p.value("name", "") == name) return &p;
  }
  return nullptr;
}

std::unique_ptr<SwaggerModel> SwaggerModel::Load(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("sandbox: cannot open SP-API model " + file);
  auto model = std::make_unique<SwaggerModel>();
  try {
    model->document_ = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error("sandbox: SP-API model " + file + " is not JSON: " + e.what());
  }
  if (model->document_.value("swagger", "") != "2.0" || !model->document_.contains("paths")) {
    throw std::runtime_error("sandbox: " + file + " is not a Swagger 2.0 model");
  }
  model->name_ = Stem(file);
  for (const auto& [path, item] : model->document_["paths"].items()) {
    nlohmann::json path_params = item.value("parameters", nlohmann::json::array());
    for (const auto& [method, op] : item.items()) {
      if (!kHttpMethods.count(method) || !op.is_object()) continue;
      Operation operation;
      operation.model = model.get();
      operation.method = Upper(method);
      operation.path_template = path;
      operation.operation_id = op.value("operationId", "");
      operation.parameters =
          MergeParameters(path_params, op.value("parameters", nlohmann::json::array()));
      operation.responses = op.value("responses", nlohmann::json::object());
      model->operations_.push_back(std::move(operation));
    }
  }
  return model;
}

const Operation* SwaggerModel::FindOperation(const std::string& operation_id) const {
  for (const auto& op : operations_) {
    if (op.operation_id == operation_id) return &op;
  }
  return nullptr;
}

void ModelCatalog::Load(const std::string& dir, const std::vector<std::string>& names) {
  for (const auto& name : names) Add(SwaggerModel::Load(dir + "/" + name + ".json"));
}

void ModelCatalog::Add(std::unique_ptr<SwaggerModel> model) { models_.push_back(std::move(model)); }

std::optional<RoutedOperation> ModelCatalog::Route(const std::string& method,
                                                   const std::string& path) const {
  const auto segments = SplitPath(path);
  std::optional<RoutedOperation> best;
  int best_literals = -1;
  for (const auto& model : models_) {
    for (const auto& op : model->operations()) {
      if (op.method != method) continue;
      PathParams params;
      int literals = MatchTemplate(SplitPath(op.path_template), segments, params);
      if (literals > best_literals) {
        best_literals = literals;
        best = RoutedOperation{&op, std::move(params)};
      }
    }
  }
  return best;
}

const SwaggerModel* ModelCatalog::Find(const std::string& name) const {
  for (const auto& m : models_) {
    if (m->name() == name) return m.get();
  }
  return nullptr;
}

const std::vector<std::string>& ConformanceModelNames() {
  static const std::vector<std::string> kNames = {
      "ordersV0",          "orders_2026-01-01",  "listingsItems_2021-08-01",
      "feeds_2021-06-30",  "reports_2021-06-30", "definitionsProductTypes_2020-09-01",
      "tokens_2021-03-01", "notifications"};
  return kNames;
}

}  // namespace sandbox::conformance

#pragma once
// Test-only: checks a request we built against the official SP-API model
// (reference/amazon/models/*.json): every field we send must be a property of the definition, and
// every required property must be there. Catches a misspelt field before a sandbox or Amazon does.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mb::amazon::testing {

inline nlohmann::json LoadModel(const std::string& file) {
  std::ifstream in(std::string(MB_SHARED_DIR) + "/reference/amazon/models/" + file);
  return nlohmann::json::parse(in, nullptr, false);
}

inline const nlohmann::json& ResolveRef(const nlohmann::json& model, const nlohmann::json& schema) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    return model["definitions"][ref.substr(ref.rfind('/') + 1)];
  }
  return schema;
}

// Recursively checks `value` against `schema` (objects and arrays; leaves are not type-checked).
inline void ExpectMatchesModel(const nlohmann::json& model, const nlohmann::json& schema_in,
                               const nlohmann::json& value, const std::string& where) {
  const nlohmann::json& schema = ResolveRef(model, schema_in);
  if (value.is_object() && schema.contains("properties")) {
    for (const auto& [key, field] : value.items()) {
      ASSERT_TRUE(schema["properties"].contains(key))
          << where << ": `" << key << "` is not in the model";
      ExpectMatchesModel(model, schema["properties"][key], field, where + "." + key);
    }
    if (schema.contains("required")) {
      for (const auto& required : schema["required"]) {
        EXPECT_TRUE(value.contains(required.get<std::string>()))
            << where << ": required `" << required << "` missing";
      }
    }
  } else if (value.is_array() && schema.contains("items")) {
    for (const auto& item : value) ExpectMatchesModel(model, schema["items"], item, where + "[]");
  }
}

inline void ExpectBodyMatchesDefinition(const std::string& model_file,
                                        const std::string& definition, const std::string& body) {
  const auto model = LoadModel(model_file);
  ASSERT_TRUE(model.is_object()) << model_file;
  ASSERT_TRUE(model["definitions"].contains(definition)) << definition;
  ExpectMatchesModel(model, model["definitions"][definition], nlohmann::json::parse(body),
                     definition);
}

// The query parameter names an operation declares.
inline std::set<std::string> ModelQueryParameters(const std::string& model_file,
                                                  const std::string& operation_id) {
  std::set<std::string> names;
  const auto model = LoadModel(model_file);
  for (const auto& [path, ops] : model["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (!op.is_object() || op.value("operationId", "") != operation_id) continue;
      for (const auto& p : op.value("parameters", nlohmann::json::array())) {
        if (p.value("in", "") == "query") names.insert(p["name"].get<std::string>());
      }
    }
  }
  return names;
}

// Every parameter in the URL's query string is declared by the operation.
inline void ExpectQueryMatchesModel(const std::string& model_file, const std::string& operation_id,
                                    const std::string& url) {
  const auto declared = ModelQueryParameters(model_file, operation_id);
  ASSERT_FALSE(declared.empty()) << operation_id;
  const auto q = url.find('?');
  if (q == std::string::npos) return;
  std::string query = url.substr(q + 1);
  size_t start = 0;
  while (start <= query.size()) {
    const auto end = query.find('&', start);
    const std::string pair =
        query.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string name = pair.substr(0, pair.find('='));
    EXPECT_TRUE(declared.count(name))
        << operation_id << ": query `" << name << "` not in the model";
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

// The `x-amzn-api-sandbox` static cases of an operation's `status` response: what Amazon's static
// sandbox answers, so every parser is run on Amazon's own examples.
struct SandboxCase {
  nlohmann::json parameters;  // {name: {value: ...}}
  nlohmann::json response;
};

inline std::vector<SandboxCase> SandboxCases(const std::string& model_file,
                                             const std::string& operation_id,
                                             const std::string& status) {
  std::vector<SandboxCase> cases;
  const auto model = LoadModel(model_file);
  for (const auto& [path, ops] : model["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (!op.is_object() || op.value("operationId", "") != operation_id) continue;
      const auto sandbox = op["responses"][status].value("/x-amzn-api-sandbox/static"_json_pointer,
                                                         nlohmann::json::array());
      for (const auto& c : sandbox) {
        cases.push_back({c.value("/request/parameters"_json_pointer, nlohmann::json::object()),
                         c.value("response", nlohmann::json::object())});
      }
    }
  }
  return cases;
}

}  // namespace mb::amazon::testing

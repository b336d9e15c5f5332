#pragma once
// A compiled JSON Schema (valijson) for one schema of a Swagger 2.0 model or a standalone schema
// file; `#/definitions/...` references resolve against the model's definitions.

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace valijson {
class Schema;
}

namespace sandbox::conformance {

class JsonSchema {
 public:
  enum class Draft { kDraft4, kDraft7 };

  // `schema` may be a bare {"$ref":"#/definitions/X"}; `definitions` are the model's.
  JsonSchema(const nlohmann::json& schema, const nlohmann::json& definitions, Draft draft);
  // A standalone schema document (e.g. OrderChangeNotification.json); throws when unreadable.
  static JsonSchema FromFile(const std::string& file, Draft draft);
  ~JsonSchema();
  JsonSchema(JsonSchema&&) noexcept;
  JsonSchema& operator=(JsonSchema&&) noexcept;

  // Errors as "<path>: <description>", innermost first; empty when the value conforms.
  std::vector<std::string> Validate(const nlohmann::json& value) const;

 private:
  std::unique_ptr<valijson::Schema> schema_;
};

}  // namespace sandbox::conformance

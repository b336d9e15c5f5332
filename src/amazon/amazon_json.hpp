#pragma once
// Reading SP-API JSON into port structs: optional fields (absent or null give the default; a
// present value of the wrong type fails, since that means Amazon changed the contract), money
// (`{amount:"19.99", currencyCode}` with a decimal string), timestamps, id lists.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"

namespace mb::amazon {

Result<std::string> JsonString(const nlohmann::json& object, const char* field);
Result<int64_t> JsonInt(const nlohmann::json& object, const char* field);
Result<std::optional<TimePoint>> JsonTime(const nlohmann::json& object, const char* field);
Result<std::optional<Money>> JsonMoney(const nlohmann::json& object, const char* field);
Result<std::vector<std::string>> JsonStrings(const nlohmann::json& object, const char* field);

// `a,b,c`: how the models' array query parameters travel (collectionFormat csv by default).
std::string JoinCsv(const std::vector<std::string>& values);
template <typename Id>
std::string JoinIds(const std::vector<Id>& ids) {
  std::vector<std::string> values;
  for (const auto& id : ids) values.push_back(id.value());
  return JoinCsv(values);
}

// Runs `body` and turns a json exception (a value of an unexpected type inside a structure the
// helpers above did not check) into kMalformedResponse naming the operation.
template <typename T, typename Body>
Result<T> ParseGuarded(const char* operation, Body body) {
  try {
    return body();
  } catch (const nlohmann::json::exception& e) {
    return Fail(
        ErrorCode::kMalformedResponse,
        std::string("amazon: ") + operation + " response does not match the model: " + e.what());
  }
}

}  // namespace mb::amazon

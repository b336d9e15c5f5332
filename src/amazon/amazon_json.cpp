#include "amazon/amazon_json.hpp"

#include "core/timestamp.hpp"

namespace mb::amazon {

namespace {

const nlohmann::json* Field(const nlohmann::json& object, const char* field) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Error WrongType(const char* field, const char* expected) {
  return Error{ErrorCode::kMalformedResponse,
               std::string("amazon: field `") + field + "` is not " + expected};
}

}  // namespace

Result<std::string> JsonString(const nlohmann::json& object, const char* field) {
  const auto* value = Field(object, field);
  if (!value) return std::string();
  if (!value->is_string()) return tl::unexpected(WrongType(field, "a string"));
  return value->get<std::string>();
}

Result<int64_t> JsonInt(const nlohmann::json& object, const char* field) {
  const auto* value = Field(object, field);
  if (!value) return int64_t{0};
  if (!value->is_number_integer()) return tl::unexpected(WrongType(field, "an integer"));
  return value->get<int64_t>();
}

Result<std::optional<TimePoint>> JsonTime(const nlohmann::json& object, const char* field) {
  const auto* value = Field(object, field);
  if (!value) return std::optional<TimePoint>();
  if (!value->is_string()) return tl::unexpected(WrongType(field, "a timestamp"));
  auto parsed = ParseTimestamp(value->get<std::string>());
  if (!parsed) {
    return Fail(ErrorCode::kMalformedResponse,
                std::string("amazon: field `") + field + "`: " + parsed.error().message);
  }
  return std::optional<TimePoint>(*parsed);
}

Result<std::optional<Money>> JsonMoney(const nlohmann::json& object, const char* field) {
  const auto* value = Field(object, field);
  if (!value) return std::optional<Money>();
  auto currency_code = JsonString(*value, "currencyCode");
  if (!currency_code) return tl::unexpected(currency_code.error());
  auto currency = Currency::Parse(*currency_code);
  if (!currency) return tl::unexpected(WrongType(field, "money with a currency"));
  const auto* amount = Field(*value, "amount");
  if (!amount) return tl::unexpected(WrongType(field, "money with an amount"));
  // The models write Decimal as a string; accept a number too, via its shortest text.
  const std::string text = amount->is_string() ? amount->get<std::string>() : amount->dump();
  auto money = Money::Parse(text, *currency, DecimalStyle::kDotDecimal);
  if (!money) {
    return Fail(ErrorCode::kMalformedResponse,
                std::string("amazon: field `") + field + "`: " + money.error().message);
  }
  return std::optional<Money>(*money);
}

Result<std::vector<std::string>> JsonStrings(const nlohmann::json& object, const char* field) {
  std::vector<std::string> out;
  const auto* value = Field(object, field);
  if (!value) return out;
  if (!value->is_array()) return tl::unexpected(WrongType(field, "an array"));
  for (const auto& entry : *value) {
    if (!entry.is_string()) return tl::unexpected(WrongType(field, "an array of strings"));
    out.push_back(entry.get<std::string>());
  }
  return out;
}

std::string JoinCsv(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += ',';
    out += value;
  }
  return out;
}

}  // namespace mb::amazon

#pragma once
// SCAYLE JSON <-> port structs, shared by the typed operations and the webhook receiver. Parsers
// ignore unknown fields (SCAYLE adds fields without a version bump) and fail on a wrong type of a
// field they need.

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "ports/scayle_api.hpp"

namespace mb::scayle {

// Optional fields: absent or null give the fallback; a present value of the wrong type fails.
Result<std::string> OptString(const nlohmann::json& object, const char* field);
Result<int64_t> OptInt(const nlohmann::json& object, const char* field);
Result<std::optional<TimePoint>> OptTime(const nlohmann::json& object, const char* field);

Result<ScayleVariantRef> ParseVariantRef(const nlohmann::json& object);
Result<ScayleStock> ParseStock(const nlohmann::json& object);
Result<ScaylePrice> ParsePrice(const nlohmann::json& object);
Result<ScayleAttribute> ParseAttribute(const nlohmann::json& object);
Result<ScayleVariant> ParseVariant(const nlohmann::json& object);
Result<ScayleProduct> ParseProduct(const nlohmann::json& object);
Result<ScayleOrder> ParseOrder(const nlohmann::json& object);
Result<ScayleStockChange> ParseStockChange(const nlohmann::json& payload);

nlohmann::json AddressJson(const ScayleAddress& address);
nlohmann::json OrderJson(const ScayleNewOrder& order);

}  // namespace mb::scayle

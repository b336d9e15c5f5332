#include "sandbox/amazon/listing_attributes.hpp"

#include <array>
#include <string_view>

namespace sandbox::amazon {
namespace {

using nlohmann::json;

// Selectors that identify one entry of a multi-valued attribute (docs "Manage purchasable offer",
// fulfillment_availability by channel).
constexpr std::array<std::string_view, 4> kSelectors = {
    "fulfillment_channel_code", "marketplace_id", "language_tag", "currency"};

bool SameSelectors(const json& existing, const json& wanted) {
  bool any = false;
  for (auto key : kSelectors) {
    std::string k(key);
    if (!wanted.contains(k)) continue;
    any = true;
    if (!existing.contains(k) || existing[k] != wanted[k]) return false;
  }
  if (wanted.contains("audience") || existing.contains("audience")) {
    any = true;
    if (existing.value("audience", json("ALL")) != wanted.value("audience", json("ALL")))
      return false;
  }
  return any;
}

std::string AttributeName(const std::string& path) {
  constexpr std::string_view kPrefix = "/attributes/";
  if (path.rfind(kPrefix, 0) != 0) return "";
  std::string name = path.substr(kPrefix.size());
  if (name.empty() || name.find('/') != std::string::npos) return "";
  return name;
}

json CheckFulfillmentAvailability(const json& entry) {
  if (!entry.contains("fulfillment_channel_code") ||
      !entry["fulfillment_channel_code"].is_string()) {
    return MakeIssue(
        "90220",
        "'fulfillment_availability.fulfillment_channel_code' is required but not supplied.",
        "fulfillment_availability", "MISSING_ATTRIBUTE");
  }
  if (entry.contains("quantity") &&
      (!entry["quantity"].is_number_integer() || entry["quantity"].get<int64_t>() < 0)) {
    return MakeIssue(
        "99022",
        "The value for 'fulfillment_availability.quantity' must be a whole number of 0 or more.",
        "fulfillment_availability", "INVALID_ATTRIBUTE");
  }
  return nullptr;
}

json CheckPurchasableOffer(const json& entry) {
  if (!entry.contains("currency") || !entry["currency"].is_string()) {
    return MakeIssue("90220", "'purchasable_offer.currency' is required but not supplied.",
                     "purchasable_offer", "MISSING_ATTRIBUTE");
  }
  if (entry.contains("our_price")) {
    const json& prices = entry["our_price"];
    bool ok = prices.is_array() && !prices.empty();
    for (const auto& p : ok ? prices : json::array()) {
      ok = ok && p.contains("schedule") && p["schedule"].is_array() && !p["schedule"].empty();
      for (const auto& s : ok ? p["schedule"] : json::array()) {
        ok = ok && s.contains("value_with_tax") && s["value_with_tax"].is_number() &&
             s["value_with_tax"].get<double>() >= 0;
      }
    }
    if (!ok) {
      return MakeIssue("99022",
                       "The field 'schedule.value_with_tax' for the attribute "
                       "'purchasable_offer.our_price' is missing or invalid.",
                       "purchasable_offer.our_price", "INVALID_ATTRIBUTE");
    }
  }
  return nullptr;
}

}  // namespace

json MakeIssue(const std::string& code, const std::string& message, const std::string& attribute,
               const std::string& category) {
  json issue = {{"code", code},
                {"message", message},
                {"severity", "ERROR"},
                {"categories", json::array({category})}};
  if (!attribute.empty()) issue["attributeNames"] = json::array({attribute});
  return issue;
}

json CheckAttributes(const json& attributes) {
  json issues = json::array();
  if (!attributes.is_object()) {
    issues.push_back(MakeIssue("90000900", "The attributes are invalid.", "", "INVALID_ATTRIBUTE"));
    return issues;
  }
  for (const auto& [name, values] : attributes.items()) {
    if (!values.is_array()) {
      issues.push_back(MakeIssue("90000900",
                                 "The attribute '" + name + "' must be an array of values.", name,
                                 "INVALID_ATTRIBUTE"));
      continue;
    }
    for (const auto& entry : values) {
      if (!entry.is_object()) {
        issues.push_back(MakeIssue(
            "90000900", "The attribute '" + name + "' holds a value that is not an object.", name,
            "INVALID_ATTRIBUTE"));
        break;
      }
      json issue = nullptr;
      if (name == "fulfillment_availability") issue = CheckFulfillmentAvailability(entry);
      if (name == "purchasable_offer") issue = CheckPurchasableOffer(entry);
      if (!issue.is_null()) {
        issues.push_back(issue);
        break;
      }
    }
  }
  return issues;
}

std::string PatchShapeError(const json& patches) {
  if (!patches.is_array() || patches.empty()) return "'patches' must be a non-empty array";
  for (const auto& p : patches) {
    if (!p.is_object() || !p.contains("op") || !p.contains("path") || !p["op"].is_string() ||
        !p["path"].is_string()) {
      return "each patch needs string 'op' and 'path'";
    }
    const std::string op = p["op"];
    if (op != "add" && op != "replace" && op != "merge" && op != "delete") {
      return "patch op '" + op + "' is not one of add, replace, merge, delete";
    }
    if (p.contains("value") && !p["value"].is_array()) return "patch 'value' must be an array";
  }
  return "";
}

json ApplyPatches(json& attributes, const json& patches) {
  json issues = json::array();
  for (const auto& p : patches) {
    const std::string op = p["op"];
    const std::string name = AttributeName(p["path"]);
    if (name.empty()) {
      issues.push_back(MakeIssue("90000900",
                                 "Only top-level attributes can be patched; invalid path '" +
                                     p["path"].get<std::string>() + "'.",
                                 "", "INVALID_ATTRIBUTE"));
      continue;
    }
    const json value = p.value("value", json::array());
    if (op == "add" || op == "replace") {
      if (!p.contains("value")) {
        issues.push_back(
            MakeIssue("90220", "'value' is required for '" + op + "'.", name, "MISSING_ATTRIBUTE"));
        continue;
      }
      attributes[name] = value;
    } else if (op == "merge") {
      json& target = attributes[name];
      if (!target.is_array()) target = json::array();
      for (const auto& wanted : value) {
        bool merged = false;
        for (auto& existing : target) {
          if (existing.is_object() && wanted.is_object() && SameSelectors(existing, wanted)) {
            for (const auto& [k, v] : wanted.items()) existing[k] = v;  // other fields stay
            merged = true;
            break;
          }
        }
        if (!merged) target.push_back(wanted);
      }
    } else {  // delete
      if (!attributes.contains(name)) continue;
      if (value.empty()) {
        attributes.erase(name);
        continue;
      }
      json kept = json::array();
      for (const auto& existing : attributes[name]) {
        bool drop = false;
        for (const auto& wanted : value) drop = drop || SameSelectors(existing, wanted);
        if (!drop) kept.push_back(existing);
      }
      if (kept.empty()) {
        attributes.erase(name);
      } else {
        attributes[name] = kept;
      }
    }
  }
  return issues;
}

}  // namespace sandbox::amazon

#pragma once
// Compares the key structure and value types of a response with a SCAYLE SDK fixture
// (reference/scayle/fixtures/). Used by the tests that hold every emulated response to the fixture
// of the same name.

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sandbox::scayle {

struct ShapeRules {
  // Paths (e.g. "items[].warehouseId") the response may carry although the fixture lacks them:
  // fields ADMIN_API.md documents. Every entry needs a reason at the call site.
  std::set<std::string> documented_extras;
  // Fixture paths the response deliberately leaves out (features the sandbox does not model).
  std::set<std::string> omitted;
  // More samples of the same resource: their keys are allowed, never required.
  std::vector<nlohmann::json> also_allowed;
};

// Rules: every key the fixture always carries must be present (null allowed: nullability is not
// part of the shape); every key present must be known to the fixture; types must agree, where an
// integer in the fixture requires an integer (amounts are minor units) and a float accepts both;
// objects under customData, legacyCustomData, data and structure are free-form; keys such as
// `de_DE` are locales and compared by value type only; an attribute's `value` is checked against
// its documented `type` (simple, simpleList, localizedString, ...). Array elements are compared
// with the union of the fixture's elements. Returns one line per difference.
std::vector<std::string> CompareShape(const nlohmann::json& fixture, const nlohmann::json& actual,
                                      const ShapeRules& rules = {});

}  // namespace sandbox::scayle

#pragma once
// The `x-amzn-api-sandbox.static` cases of the models and the rule Amazon's static sandbox
// answers them by: a request matches a case when every parameter the case lists (with a
// `value`) equals the request's; the most specific matching case wins.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "sandbox/conformance/model_catalog.hpp"

namespace sandbox::conformance {

struct StaticCase {
  const Operation* operation = nullptr;
  int status = 0;        // the enclosing response code
  int index = 0;         // position among the operation's cases (model order)
  nlohmann::json match;  // parameter key -> required value; key "body" means the body param
  std::optional<nlohmann::json> response;  // absent when the case declares none

  // "ordersV0/getOrder#2": stable name for reports and the unanswerable list.
  std::string Name() const;
};

std::vector<StaticCase> CollectStaticCases(const ModelCatalog& catalog);

// The parameter a case key refers to: "body" is the body parameter whatever its model name
// (Orders v0 names it "payload"). nullptr when the operation declares no such parameter.
const nlohmann::json* CaseParameter(const Operation& operation, const std::string& key);

bool CaseMatches(const StaticCase& c, const ApiRequest& request, const PathParams& path_params);

// Most specific matching case among `cases` (all of one operation); ties go to model order.
const StaticCase* FindStaticCase(const std::vector<const StaticCase*>& cases,
                                 const ApiRequest& request, const PathParams& path_params);

}  // namespace sandbox::conformance

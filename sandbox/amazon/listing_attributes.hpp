#pragma once
// Listing attribute rules shared by the Listings Items API and JSON_LISTINGS_FEED: structural
// checks that stand in for the product type schema, and JSON Patch (add/replace/merge/delete) on
// top-level attributes.

#include <string>

#include <nlohmann/json.hpp>

namespace sandbox::amazon {

nlohmann::json MakeIssue(const std::string& code, const std::string& message,
                         const std::string& attribute, const std::string& category);

// Issues (Listings `Issue` objects) found in an attributes object; empty = acceptable.
nlohmann::json CheckAttributes(const nlohmann::json& attributes);

// Applies `patches` to `attributes`. Returns issues for patches that can't apply (the submission
// is then INVALID and `attributes` must be discarded by the caller).
nlohmann::json ApplyPatches(nlohmann::json& attributes, const nlohmann::json& patches);

// Checks a PatchOperation list against the model (op enum, path required); "" if well-formed.
std::string PatchShapeError(const nlohmann::json& patches);

}  // namespace sandbox::amazon

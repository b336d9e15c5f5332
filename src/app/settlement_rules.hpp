#pragma once
// The settlement rule table the engine and the CLI use: a file finance edits, or the built-in one
// compiled from config/settlement-rules.csv.

#include <string>

#include "core/settlement/rule_table.hpp"

namespace mb::app {

// An empty path means the built-in table.
Result<settlement::RuleTable> LoadSettlementRules(const std::string& path);

}  // namespace mb::app

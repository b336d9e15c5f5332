#pragma once
// The default rule table, config/settlement-rules.csv compiled in (see CMakeLists.txt), so the
// binary works before finance has a file of its own and tests use exactly the shipped table.

#include <string_view>

namespace mb::settlement {

std::string_view DefaultRuleTableCsv();

}  // namespace mb::settlement

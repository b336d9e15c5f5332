#include "app/settlement_rules.hpp"

#include <fstream>
#include <sstream>

#include "core/settlement/default_rules.hpp"

namespace mb::app {

Result<settlement::RuleTable> LoadSettlementRules(const std::string& path) {
  if (path.empty())
    return settlement::RuleTable::Parse(settlement::DefaultRuleTableCsv(), "default rule table");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return settlement::RuleTable::Parse(text.str(), path);
}

}  // namespace mb::app

#pragma once
// The settlement rule table: which account and category each transaction-type × amount-type ×
// amount-description lands in. A plain CSV file finance edits (config/settlement-rules.csv),
// versioned so every journal records the rules that compiled it.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace mb::settlement {

struct Account {
  std::string code;  // as in the chart of accounts (Xero AccountCode, DATEV Konto ...)
  std::string name;
};

struct Rule {
  // Each pattern is an exact value (case-sensitive, as Amazon writes it) or a glob with `*`.
  std::string transaction_type;
  std::string amount_type;
  std::string amount_description;
  Account account;
  std::string category;
  int line = 0;  // in the rule file, for messages
};

// The categories a rule may name; a typo in the file is an error, not a new category.
const std::vector<std::string_view>& KnownCategories();

class RuleTable {
 public:
  // CSV (RFC 4180 quoting, `#` comments, blank lines ignored):
  //   version,<text>
  //   bank,<account code>,<account name>        the deposit
  //   clearing,<account code>,<account name>    month-end splits balance through it
  //   transaction-type,amount-type,amount-description,account,account-name,category
  //   <one rule per line>
  static Result<RuleTable> Parse(std::string_view csv, std::string_view source);

  // The rule for one combination, most specific first (see Match in rule_table.cpp); nullptr when
  // none matches. `ambiguous` is set to a second rule of equal specificity when there is one.
  const Rule* Find(std::string_view transaction_type, std::string_view amount_type,
                   std::string_view amount_description, const Rule** ambiguous = nullptr) const;

  const std::string& version() const { return version_; }
  const Account& bank() const { return bank_; }
  const Account& clearing() const { return clearing_; }
  const std::vector<Rule>& rules() const { return rules_; }

  // Adds a rule at run time (tests, and the CLI's preview of a rule before it is written to the
  // file). Fails for an exact duplicate of an existing rule's patterns or an unknown category.
  Status Add(Rule rule);

 private:
  std::string version_;
  Account bank_;
  Account clearing_;
  std::vector<Rule> rules_;
};

// True when `text` matches `pattern`, where `*` matches any run of characters.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace mb::settlement

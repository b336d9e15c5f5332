#include "core/settlement/rule_table.hpp"

#include <algorithm>

namespace mb::settlement {

const std::vector<std::string_view>& KnownCategories() {
  static const std::vector<std::string_view> kCategories = {
      "sales_principal",   "shipping_income",
      "gift_wrap_income",  "restocking_fee_income",
      "tax_collected",     "marketplace_facilitator_tax",
      "withholding_tax",   "promotions",
      "refunds",           "goodwill",
      "retrocharges",      "referral_fees",
      "fulfilment_fees",   "storage_fees",
      "inbound_fees",      "service_fees",
      "subscription_fees", "advertising",
      "deals_and_coupons", "reimbursements",
      "liquidations",      "reserve_held",
      "reserve_released",  "transfers",
  };
  return kCategories;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative glob with backtracking to the last `*`: linear for the short patterns used here.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

// Specificity, compared lexicographically: exact fields first, then literal characters in globs,
// then which fields are exact (transaction-type weighs most). `*,ItemFees,Commission` (2 exact)
// beats `Refund,*,*` (1 exact): the amount's own names say more about where it belongs than the
// transaction it came with; `Liquidations,ItemPrice,*` beats `*,ItemPrice,Principal` (both 2).
struct Specificity {
  int exact = 0;
  int literal_chars = 0;
  int exact_mask = 0;
  auto operator<=>(const Specificity&) const = default;
};

Specificity SpecificityOf(const Rule& r) {
  Specificity s;
  int weight = 4;
  for (const std::string* p : {&r.transaction_type, &r.amount_type, &r.amount_description}) {
    if (p->find('*') == std::string::npos) {
      ++s.exact;
      s.exact_mask += weight;
    } else {
      s.literal_chars += int(p->size() - size_t(std::count(p->begin(), p->end(), '*')));
    }
    weight /= 2;
  }
  return s;
}

// Splits one CSV record (no embedded newlines: rule files do not need them).
Result<std::vector<std::string>> SplitCsv(std::string_view line, std::string_view where) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) return Fail(ErrorCode::kConfigError, std::string(where) + ": unclosed quote");
  for (auto& f : fields) {
    while (!f.empty() && (f.back() == ' ' || f.back() == '\r')) f.pop_back();
    size_t lead = f.find_first_not_of(' ');
    f.erase(0, lead == std::string::npos ? f.size() : lead);
  }
  return fields;
}

bool SamePatterns(const Rule& a, const Rule& b) {
  return a.transaction_type == b.transaction_type && a.amount_type == b.amount_type &&
         a.amount_description == b.amount_description;
}

}  // namespace

Status RuleTable::Add(Rule rule) {
  const auto& cats = KnownCategories();
  if (std::find(cats.begin(), cats.end(), rule.category) == cats.end()) {
    return Fail(ErrorCode::kConfigError,
                "line " + std::to_string(rule.line) + ": unknown category '" + rule.category + "'");
  }
  if (rule.account.code.empty()) {
    return Fail(ErrorCode::kConfigError,
                "line " + std::to_string(rule.line) + ": account is empty");
  }
  for (const auto& existing : rules_) {
    if (SamePatterns(existing, rule)) {
      return Fail(ErrorCode::kConfigError,
                  "line " + std::to_string(rule.line) + ": same patterns as line " +
                      std::to_string(existing.line) + " (" + rule.transaction_type + ", " +
                      rule.amount_type + ", " + rule.amount_description + ")");
    }
  }
  rules_.push_back(std::move(rule));
  return {};
}

Result<RuleTable> RuleTable::Parse(std::string_view csv, std::string_view source) {
  RuleTable table;
  bool header_seen = false;
  int line_no = 0;
  size_t pos = 0;
  if (csv.starts_with("\xEF\xBB\xBF")) pos = 3;  // Excel saves CSV with a BOM
  while (pos <= csv.size()) {
    size_t nl = csv.find('\n', pos);
    std::string_view line = csv.substr(pos, nl == std::string_view::npos ? csv.npos : nl - pos);
    pos = nl == std::string_view::npos ? csv.size() + 1 : nl + 1;
    ++line_no;
    std::string where = std::string(source) + ":" + std::to_string(line_no);
    auto fields = SplitCsv(line, where);
    if (!fields) return tl::unexpected(fields.error());
    auto& f = *fields;
    // Spreadsheets pad short rows with empty cells; a row of only commas is blank.
    while (f.size() > 1 && f.back().empty()) f.pop_back();
    if (f.size() == 1 && f[0].empty()) continue;
    if (f[0].starts_with("#")) continue;
    auto need = [&](size_t n) -> Status {
      if (f.size() != n) {
        return Fail(ErrorCode::kConfigError, where + ": expected " + std::to_string(n) +
                                                 " fields, found " + std::to_string(f.size()));
      }
      return {};
    };
    if (f[0] == "version") {
      if (auto st = need(2); !st) return tl::unexpected(st.error());
      table.version_ = f[1];
    } else if (f[0] == "bank" || f[0] == "clearing") {
      if (auto st = need(3); !st) return tl::unexpected(st.error());
      (f[0] == "bank" ? table.bank_ : table.clearing_) = Account{f[1], f[2]};
    } else if (f[0] == "transaction-type" && !header_seen) {
      if (f != std::vector<std::string>{"transaction-type", "amount-type", "amount-description",
                                        "account", "account-name", "category"}) {
        return Fail(ErrorCode::kConfigError,
                    where +
                        ": header must be transaction-type,amount-type,amount-description,"
                        "account,account-name,category");
      }
      header_seen = true;
    } else {
      if (!header_seen) {
        return Fail(ErrorCode::kConfigError,
                    where + ": rule before the header line (transaction-type,amount-type,...)");
      }
      if (auto st = need(6); !st) return tl::unexpected(st.error());
      Rule rule{f[0], f[1], f[2], Account{f[3], f[4]}, f[5], line_no};
      if (rule.transaction_type.empty() || rule.amount_type.empty() ||
          rule.amount_description.empty()) {
        return Fail(ErrorCode::kConfigError, where + ": empty pattern; write * to match anything");
      }
      if (auto st = table.Add(std::move(rule)); !st) {
        return Fail(ErrorCode::kConfigError, std::string(source) + ":" + st.error().message);
      }
    }
  }
  if (table.version_.empty()) {
    return Fail(ErrorCode::kConfigError, std::string(source) + ": no 'version,<text>' line");
  }
  if (table.bank_.code.empty()) {
    return Fail(ErrorCode::kConfigError, std::string(source) + ": no 'bank,<code>,<name>' line");
  }
  if (table.clearing_.code.empty()) table.clearing_ = table.bank_;
  return table;
}

const Rule* RuleTable::Find(std::string_view transaction_type, std::string_view amount_type,
                            std::string_view amount_description, const Rule** ambiguous) const {
  const Rule* best = nullptr;
  const Rule* tie = nullptr;
  Specificity best_spec;
  for (const auto& rule : rules_) {
    if (!GlobMatch(rule.transaction_type, transaction_type) ||
        !GlobMatch(rule.amount_type, amount_type) ||
        !GlobMatch(rule.amount_description, amount_description)) {
      continue;
    }
    Specificity spec = SpecificityOf(rule);
    if (!best || spec > best_spec) {
      best = &rule;
      best_spec = spec;
      tie = nullptr;
    } else if (spec == best_spec) {
      tie = &rule;
    }
  }
  if (ambiguous) *ambiguous = tie;
  return best;
}

}  // namespace mb::settlement

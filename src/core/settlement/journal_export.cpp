#include "core/settlement/journal_export.hpp"

#include <chrono>
#include <cstdio>

#include "core/timestamp.hpp"

namespace mb::settlement {

namespace {

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void AppendCsvRow(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (auto f : fields) {
    if (!first) out += ',';
    out += CsvField(f);
    first = false;
  }
  out += "\r\n";  // RFC 4180; spreadsheets and Xero read it either way
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += char(c);
        }
    }
  }
  out += '"';
  return out;
}

// Amounts travel as decimal strings in JSON: a double would lose cents on large totals.
std::string JsonMoney(const Money& m) { return JsonString(m.ToDecimalString()); }

std::string UnmappedJson(const UnmappedCombination& u) {
  std::string o = "{\"transaction_type\": " + JsonString(u.transaction_type) +
                  ", \"amount_type\": " + JsonString(u.amount_type) +
                  ", \"amount_description\": " + JsonString(u.amount_description) +
                  ", \"rows\": " + std::to_string(u.rows) + ", \"total\": " + JsonMoney(u.total) +
                  ", \"ambiguity\": " + JsonString(u.ambiguity) + ", \"samples\": [";
  for (size_t k = 0; k < u.samples.size(); ++k) {
    const auto& sm = u.samples[k];
    o += k ? ", " : "";
    o += "{\"line\": " + std::to_string(sm.line) + ", \"order_id\": " + JsonString(sm.order_id) +
         ", \"sku\": " + JsonString(sm.sku) + ", \"amount\": " + JsonString(sm.amount) +
         ", \"posted\": " + JsonString(sm.posted) + "}";
  }
  return o + "]}";
}

std::string XeroDate(TimePoint t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", unsigned(ymd.day()), unsigned(ymd.month()),
                int(ymd.year()));
  return buf;
}

}  // namespace

std::string JournalToCsv(const SettlementJournal& s) {
  std::string out;
  AppendCsvRow(out, {"settlement_id", "journal", "date", "account", "account_name", "category",
                     "debit", "credit", "currency", "rows", "status", "rule_table_version"});
  for (const auto& j : s.journals) {
    const std::string date = FormatDate(j.date);
    for (const auto& l : j.lines) {
      const std::string debit = l.amount.is_negative() ? "" : l.amount.ToDecimalString();
      const std::string credit = l.amount.is_negative() ? (-l.amount).ToDecimalString() : "";
      AppendCsvRow(out,
                   {s.settlement_id, j.reference, date, l.account.code, l.account.name, l.category,
                    debit, credit, l.amount.currency().code(), std::to_string(l.rows),
                    SettlementStatusName(s.status), s.rule_table_version});
    }
  }
  return out;
}

std::string JournalToJson(const SettlementJournal& s) {
  std::string o = "{\n";
  o += "  \"settlement_id\": " + JsonString(s.settlement_id) + ",\n";
  o += "  \"source\": " + JsonString(s.source) + ",\n";
  o += "  \"status\": " + JsonString(SettlementStatusName(s.status)) + ",\n";
  o += "  \"currency\": " + JsonString(s.total_amount.currency().code()) + ",\n";
  o += "  \"start\": " + JsonString(FormatTimestamp(s.start)) + ",\n";
  o += "  \"end\": " + JsonString(FormatTimestamp(s.end)) + ",\n";
  o += "  \"deposit_date\": " + JsonString(FormatTimestamp(s.deposit_date)) + ",\n";
  o += "  \"total_amount\": " + JsonMoney(s.total_amount) + ",\n";
  o += "  \"detail_total\": " + JsonMoney(s.detail_total) + ",\n";
  o += "  \"difference\": " + JsonMoney(s.difference) + ",\n";
  o += "  \"rows\": " + std::to_string(s.row_count) + ",\n";
  o += "  \"content_hash\": " + JsonString(s.content_hash) + ",\n";
  o += "  \"rule_table_version\": " + JsonString(s.rule_table_version) + ",\n";
  o += "  \"journals\": [";
  for (size_t i = 0; i < s.journals.size(); ++i) {
    const auto& j = s.journals[i];
    o += i ? ",\n" : "\n";
    o += "    {\"reference\": " + JsonString(j.reference) +
         ", \"date\": " + JsonString(FormatDate(j.date)) +
         ", \"narration\": " + JsonString(j.narration) +
         ", \"balance\": " + JsonMoney(j.Balance()) + ", \"lines\": [";
    for (size_t k = 0; k < j.lines.size(); ++k) {
      const auto& l = j.lines[k];
      o += k ? ",\n" : "\n";
      o += "      {\"account\": " + JsonString(l.account.code) +
           ", \"account_name\": " + JsonString(l.account.name) +
           ", \"category\": " + JsonString(l.category) + ", \"amount\": " + JsonMoney(l.amount) +
           ", \"rows\": " + std::to_string(l.rows) + "}";
    }
    o += j.lines.empty() ? "]}" : "\n    ]}";
  }
  o += s.journals.empty() ? "],\n" : "\n  ],\n";
  o += "  \"unmapped\": [";
  for (size_t i = 0; i < s.unmapped.size(); ++i) {
    o += i ? ",\n    " : "\n    ";
    o += UnmappedJson(s.unmapped[i]);
  }
  o += s.unmapped.empty() ? "]\n" : "\n  ]\n";
  o += "}\n";
  return o;
}

std::string UnmappedDetailsJson(const SettlementJournal& s) {
  std::string o = "{\"settlement_id\": " + JsonString(s.settlement_id) +
                  ", \"source\": " + JsonString(s.source) +
                  ", \"rule_table_version\": " + JsonString(s.rule_table_version) +
                  ", \"unmapped\": [";
  for (size_t i = 0; i < s.unmapped.size(); ++i) {
    o += i ? ", " : "";
    o += UnmappedJson(s.unmapped[i]);
  }
  return o + "]}";
}

std::string UnbalancedDetailsJson(const SettlementJournal& s) {
  return "{\"settlement_id\": " + JsonString(s.settlement_id) +
         ", \"source\": " + JsonString(s.source) +
         ", \"currency\": " + JsonString(s.total_amount.currency().code()) +
         ", \"total_amount\": " + JsonMoney(s.total_amount) +
         ", \"detail_total\": " + JsonMoney(s.detail_total) +
         ", \"difference\": " + JsonMoney(s.difference) +
         ", \"rows\": " + std::to_string(s.row_count) + "}";
}

std::string ReissueDetailsJson(const ReissueDiff& d) {
  std::string o = "{\"settlement_id\": " + JsonString(d.settlement_id) +
                  ", \"stored_content_hash\": " + JsonString(d.stored_hash) +
                  ", \"new_content_hash\": " + JsonString(d.new_hash) +
                  ", \"new_source\": " + JsonString(d.new_source) +
                  ", \"total_before\": " + JsonMoney(d.total_before) +
                  ", \"total_after\": " + JsonMoney(d.total_after) +
                  ", \"currency_before\": " + JsonString(d.total_before.currency().code()) +
                  ", \"currency_after\": " + JsonString(d.total_after.currency().code()) +
                  ", \"rows_before\": " + std::to_string(d.rows_before) +
                  ", \"rows_after\": " + std::to_string(d.rows_after) +
                  ", \"period_changed\": " + (d.period_changed ? "true" : "false") +
                  ", \"changes\": [";
  for (size_t i = 0; i < d.changes.size(); ++i) {
    const auto& c = d.changes[i];
    o += std::string(i ? ", " : "") +
         "{\"transaction_type\": " + JsonString(c.combination.transaction_type) +
         ", \"amount_type\": " + JsonString(c.combination.amount_type) +
         ", \"amount_description\": " + JsonString(c.combination.amount_description) +
         ", \"rows_before\": " + std::to_string(c.rows_before) +
         ", \"rows_after\": " + std::to_string(c.rows_after) +
         ", \"amount_before\": " + JsonMoney(Money(c.amount_before, d.total_before.currency())) +
         ", \"amount_after\": " + JsonMoney(Money(c.amount_after, d.total_after.currency())) + "}";
  }
  return o + "]}";
}

std::string OrderCheckDetailsJson(std::string_view settlement_id, const OrderCheck& check,
                                  Currency currency) {
  std::string o = "{\"settlement_id\": " + JsonString(settlement_id) +
                  ", \"checked\": " + (check.checked ? "true" : "false") +
                  ", \"not_checked_reason\": " + JsonString(check.not_checked_reason) +
                  ", \"orders\": " + std::to_string(check.orders) +
                  ", \"matched\": " + std::to_string(check.matched) +
                  ", \"fulfilled_by_amazon\": " + std::to_string(check.fulfilled_by_amazon) +
                  ", \"before_ledger\": " + std::to_string(check.before_ledger) +
                  ", \"currency\": " + JsonString(currency.code()) + ", \"findings\": [";
  for (size_t i = 0; i < check.findings.size(); ++i) {
    const auto& f = check.findings[i];
    o += std::string(i ? ", " : "") + "{\"kind\": " + JsonString(OrderFindingKindName(f.kind)) +
         ", \"order_id\": " + JsonString(f.order_id) + ", \"sku\": " + JsonString(f.sku) +
         ", \"line\": " + std::to_string(f.first_line) + ", \"rows\": " + std::to_string(f.rows) +
         ", \"amount\": " + JsonMoney(Money(f.amount_minor, currency)) + "}";
  }
  return o + "]}";
}

Result<std::string> JournalToXeroCsv(const SettlementJournal& s, const XeroOptions& options) {
  if (s.status != SettlementStatus::kPostable) {
    return Fail(ErrorCode::kConflict, "settlement " + s.settlement_id + " is " +
                                          std::string(SettlementStatusName(s.status)) +
                                          ", not postable: " + s.Summary());
  }
  std::string out;
  AppendCsvRow(out, {"*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount",
                     "TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2"});
  for (const auto& j : s.journals) {
    // Xero groups rows into one journal by narration and date; each part's narration names it.
    const std::string& narration = j.narration;
    const std::string date = XeroDate(j.date);
    for (const auto& l : j.lines) {
      if (l.amount.is_zero()) continue;  // Xero rejects zero lines; they carry nothing
      const std::string description = l.account.name + " (" + l.category + ", " +
                                      std::to_string(l.rows) + (l.rows == 1 ? " row)" : " rows)");
      AppendCsvRow(out, {narration, date, description, l.account.code, options.tax_rate,
                         l.amount.ToDecimalString(), options.tracking_name, options.tracking_option,
                         "", ""});
    }
  }
  return out;
}

}  // namespace mb::settlement

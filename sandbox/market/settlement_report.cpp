#include "sandbox/market/settlement_report.hpp"

#include <cstdio>
#include <cstdlib>

namespace sandbox::market {

SettlementFormat SettlementFormatFor(const std::string& marketplace_id) {
  if (marketplace_id == "A1PA6795UKMFR9") return {true, '.', true};  // DE
  if (marketplace_id == "A13V1IB3VIYZZH" || marketplace_id == "APJ6JRA9NG5V4" ||
      marketplace_id == "A1RKKUPIHCS9HS") {
    return {true, '/', true};  // FR, IT, ES
  }
  if (marketplace_id == "A1F83G8C2ARO7P") return {false, '/', true};  // UK
  return {};
}

std::string FormatSettlementAmount(int64_t minor, const SettlementFormat& format) {
  const bool negative = minor < 0;
  const uint64_t abs = negative ? static_cast<uint64_t>(-minor) : static_cast<uint64_t>(minor);
  std::string units = std::to_string(abs / 100);
  if (format.decimal_comma) {
    for (int i = static_cast<int>(units.size()) - 3; i > 0; i -= 3) units.insert(i, ".");
  }
  char cents[4];
  std::snprintf(cents, sizeof cents, "%02u", static_cast<unsigned>(abs % 100));
  return (negative ? "-" : "") + units + (format.decimal_comma ? "," : ".") + cents;
}

std::string FormatSettlementDate(SimTime t, const SettlementFormat& format, bool with_time) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  char buf[48];
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  const char s = format.date_separator;
  if (format.day_first) {
    std::snprintf(buf, sizeof buf, "%02u%c%02u%c%04d", d, s, m, s, y);
  } else {
    std::snprintf(buf, sizeof buf, "%04d%c%02u%c%02u", y, s, m, s, d);
  }
  std::string out = buf;
  if (with_time) {
    std::snprintf(buf, sizeof buf, " %02d:%02d:%02d UTC", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    out += buf;
  }
  return out;
}

int64_t Settlement::TotalMinor() const {
  int64_t total = 0;
  for (const auto& line : lines) total += line.amount_minor;
  return total;
}

const std::vector<std::string>& SettlementColumns() {
  static const std::vector<std::string> kColumns = {"settlement-id",
                                                    "settlement-start-date",
                                                    "settlement-end-date",
                                                    "deposit-date",
                                                    "total-amount",
                                                    "currency",
                                                    "transaction-type",
                                                    "order-id",
                                                    "merchant-order-id",
                                                    "adjustment-id",
                                                    "shipment-id",
                                                    "marketplace-name",
                                                    "amount-type",
                                                    "amount-description",
                                                    "amount",
                                                    "fulfillment-id",
                                                    "posted-date",
                                                    "posted-date-time",
                                                    "order-item-code",
                                                    "merchant-order-item-id",
                                                    "merchant-adjustment-item-id",
                                                    "sku",
                                                    "quantity-purchased",
                                                    "promotion-id"};
  return kColumns;
}

namespace {

void AppendRow(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += '\t';
    out += cells[i];
  }
  out += '\n';
}

}  // namespace

std::string RenderSettlement(const Settlement& s) {
  const SettlementFormat format = SettlementFormatFor(s.marketplace_id);
  std::string out;
  AppendRow(out, SettlementColumns());
  std::vector<std::string> summary(SettlementColumns().size());
  summary[0] = s.settlement_id;
  summary[1] = FormatSettlementDate(s.start, format, true);
  summary[2] = FormatSettlementDate(s.end, format, true);
  summary[3] = FormatSettlementDate(s.deposit, format, true);
  summary[4] = FormatSettlementAmount(s.TotalMinor(), format);
  summary[5] = s.currency;
  AppendRow(out, summary);
  for (const auto& line : s.lines) {
    AppendRow(out, {s.settlement_id,
                    "",
                    "",
                    "",
                    "",
                    "",
                    line.transaction_type,
                    line.order_id,
                    line.merchant_order_id,
                    line.adjustment_id,
                    line.shipment_id,
                    s.marketplace_name,
                    line.amount_type,
                    line.amount_description,
                    FormatSettlementAmount(line.amount_minor, format),
                    line.order_id.empty() ? "" : "MFN",
                    FormatSettlementDate(line.posted, format, false),
                    FormatSettlementDate(line.posted, format, true),
                    line.order_item_code,
                    "",
                    "",
                    line.sku,
                    line.quantity > 0 ? std::to_string(line.quantity) : "",
                    line.promotion_id});
  }
  return out;
}

}  // namespace sandbox::market

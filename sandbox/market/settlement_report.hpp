#pragma once
// GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 as Amazon writes it (SPAPI.md §7.1): 24 tab-separated
// columns, the summary row first (id, dates, total, currency only), then one row per amount, with
// the marketplace's number and date format (DE/FR/IT/ES write `1.234,56`).

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/common/sim_clock.hpp"

namespace sandbox::market {

struct SettlementFormat {
  bool decimal_comma = false;  // `1.234,56` instead of `1234.56`
  // Date order: "dd.mm.yyyy" (DE), "dd/mm/yyyy" (UK, FR, IT, ES), "yyyy-mm-dd" (US).
  char date_separator = '-';
  bool day_first = false;
};
// The format of the marketplace (by id); US style for an unknown id.
SettlementFormat SettlementFormatFor(const std::string& marketplace_id);

std::string FormatSettlementAmount(int64_t minor, const SettlementFormat& format);
std::string FormatSettlementDate(SimTime t, const SettlementFormat& format, bool with_time);

struct SettlementLine {
  std::string transaction_type;  // Order, Refund, other-transaction
  std::string order_id;
  std::string merchant_order_id;
  std::string adjustment_id;
  std::string shipment_id;
  std::string amount_type;         // ItemPrice, ItemFees, Promotion, other-transaction
  std::string amount_description;  // Principal, Commission, Current Reserve Amount, ...
  int64_t amount_minor = 0;
  SimTime posted;
  std::string order_item_code;
  std::string sku;
  int quantity = 0;  // 0: blank
  std::string promotion_id;
};

struct Settlement {
  std::string settlement_id;
  std::string marketplace_id;
  std::string marketplace_name;  // "Amazon.de"
  std::string currency;
  SimTime start;
  SimTime end;
  SimTime deposit;
  std::vector<SettlementLine> lines;
  int64_t TotalMinor() const;
};

// The 24 column names, in order.
const std::vector<std::string>& SettlementColumns();
std::string RenderSettlement(const Settlement& settlement);

}  // namespace sandbox::market

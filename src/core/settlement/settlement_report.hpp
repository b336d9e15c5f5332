#pragma once
// A parsed GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 document: the summary row and the detail
// rows. Rows view into the report's own text (no per-field allocation: files reach hundreds of MB).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace mb::settlement {

struct SettlementSummary {
  std::string settlement_id;
  TimePoint start{};
  TimePoint end{};
  TimePoint deposit_date{};
  Money total_amount{0, Currency::Of("EUR")};
  uint32_t line = 0;
};

struct SettlementRow {
  uint32_t line = 0;  // physical line in the file, 1-based (the header is line 1)
  std::string_view transaction_type;
  std::string_view amount_type;
  std::string_view amount_description;
  std::string_view order_id;
  std::string_view merchant_order_id;
  std::string_view adjustment_id;
  std::string_view shipment_id;
  std::string_view marketplace_name;
  std::string_view fulfillment_id;
  std::string_view order_item_code;
  std::string_view sku;
  std::string_view promotion_id;
  std::string_view amount_text;    // as written, kept for messages and samples
  std::string_view posted_text;    // posted-date-time, else posted-date, as written
  std::string_view quantity_text;  // quantity-purchased as written
  int64_t amount_minor = 0;        // in the summary's currency
  TimePoint posted{};
  bool has_posted = false;
  int32_t quantity = 0;
};

struct SettlementReport {
  std::string source;  // file name or report document id, for messages
  // Shared so that copies of the report keep the rows' views valid.
  std::shared_ptr<const std::string> text;
  SettlementSummary summary;
  std::vector<SettlementRow> rows;
  DecimalStyle decimal_style = DecimalStyle::kDotDecimal;
  std::string decimal_style_reason;  // why that style was chosen, e.g. "marketplace Amazon.de"
  std::vector<std::string> marketplaces;
  // Identity of the content (not the bytes): see ParseSettlementReport.
  std::string content_hash;

  Currency currency() const { return summary.total_amount.currency(); }
  Money Amount(const SettlementRow& row) const { return Money(row.amount_minor, currency()); }
  const std::string& settlement_id() const { return summary.settlement_id; }
};

}  // namespace mb::settlement

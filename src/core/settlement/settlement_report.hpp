#pragma once
// A parsed GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 document: the summary row and the detail
// rows. Files reach hundreds of MB, so a row is 40 bytes: where its line is in the report's text,
// the values settlement needs converted, and an index into the distinct transaction-type /
// amount-type / amount-description combinations. Other fields are read from the line on demand.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace mb::settlement {

// The 24 V2 columns (SPAPI.md §7.1), in the documented order, which is also the order the
// content hash reads them in. The one list of them: the parser indexes rows by it and
// ColumnName has one name per entry (checked where the names are).
enum class Column : uint8_t {
  kSettlementId,
  kStartDate,
  kEndDate,
  kDepositDate,
  kTotalAmount,
  kCurrency,
  kTransactionType,
  kOrderId,
  kMerchantOrderId,
  kAdjustmentId,
  kShipmentId,
  kMarketplaceName,
  kAmountType,
  kAmountDescription,
  kAmount,
  kFulfillmentId,
  kPostedDate,
  kPostedDateTime,
  kOrderItemCode,
  kMerchantOrderItemId,
  kMerchantAdjustmentItemId,
  kSku,
  kQuantityPurchased,
  kPromotionId,
};
inline constexpr size_t kColumnCount = size_t(Column::kPromotionId) + 1;
std::string_view ColumnName(Column column);

struct SettlementSummary {
  std::string settlement_id;
  TimePoint start{};
  TimePoint end{};
  TimePoint deposit_date{};
  Money total_amount{0, Currency::Of("XXX")};
  uint32_t line = 0;
};

// What the rule table is keyed on; each distinct combination in a file is stored once.
struct Combination {
  std::string transaction_type;
  std::string amount_type;
  std::string amount_description;
};

struct SettlementRow {
  uint32_t line = 0;    // physical line in the file, 1-based (the header is line 1)
  uint32_t offset = 0;  // where the line starts in the report's text
  uint32_t length = 0;  // of the line, without its line end
  uint16_t combination = 0;
  bool has_posted = false;
  int32_t quantity = 0;
  int64_t amount_minor = 0;  // in the summary's currency
  TimePoint posted{};        // posted-date-time, else posted-date
};
static_assert(sizeof(SettlementRow) <= 40, "rows are the parser's memory: keep them small");

struct SettlementReport {
  std::string source;  // file name or report document id, for messages
  // The decoded text the rows refer to, and whatever keeps it alive (a string, a mapped file).
  // Shared so that copies of the report stay valid.
  std::shared_ptr<const void> owner;
  std::string_view text;
  SettlementSummary summary;
  std::vector<SettlementRow> rows;
  std::vector<Combination> combinations;
  // Position of each column in the header, -1 when the file does not have it.
  std::array<int16_t, kColumnCount> position{};
  DecimalStyle decimal_style = DecimalStyle::kDotDecimal;
  std::string decimal_style_reason;  // why that style was chosen, e.g. "marketplace Amazon.de"
  std::vector<std::string> marketplaces;
  // Identity of the content (not the bytes): see ParseSettlementReport.
  std::string content_hash;

  std::string_view Line(const SettlementRow& row) const {
    return text.substr(row.offset, row.length);
  }
  // A field of a row as written (empty when the file lacks the column). Splits the line: meant
  // for messages, samples and matching, not for per-row loops over a whole file.
  std::string_view Field(const SettlementRow& row, Column column) const;
  const Combination& CombinationOf(const SettlementRow& row) const {
    return combinations[row.combination];
  }
  Currency currency() const { return summary.total_amount.currency(); }
  Money Amount(const SettlementRow& row) const { return Money(row.amount_minor, currency()); }
  const std::string& settlement_id() const { return summary.settlement_id; }
};

}  // namespace mb::settlement

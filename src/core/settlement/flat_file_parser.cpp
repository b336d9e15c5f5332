#include "core/settlement/flat_file_parser.hpp"

#include <array>
#include <cstring>

#include "core/settlement/charset.hpp"
#include "core/settlement/content_hash.hpp"
#include "core/settlement/marketplace_format.hpp"
#include "core/settlement/settlement_date.hpp"

namespace mb::settlement {

namespace {

// The 24 V2 columns, in the documented order (which is also the content hash's order).
enum Column : int {
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
  kColumnCount
};

constexpr std::array<std::string_view, kColumnCount> kColumnNames = {"settlement-id",
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

constexpr Column kRequired[] = {kSettlementId,      kStartDate, kEndDate,         kDepositDate,
                                kTotalAmount,       kCurrency,  kTransactionType, kAmountType,
                                kAmountDescription, kAmount};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c == '_') c = '-';
  }
  return out;
}

class Parser {
 public:
  Parser(std::shared_ptr<const std::string> text, std::string source, const ParseOptions& options)
      : text_(std::move(text)), source_(std::move(source)), options_(options) {}

  Result<SettlementReport> Run();

 private:
  // `file:line:column: column-name: why`. The column is the byte offset of the field in its line.
  Error At(uint32_t line, std::string_view field, std::string_view column_name,
           std::string_view why) const;
  Status ReadHeader(std::string_view line);
  Status ReadRows(std::string_view rest, uint32_t first_line);
  Status DecideDecimalStyle();
  Status DecideSlashDateOrder();
  Status ConvertSummary();
  Status ConvertRows();

  std::shared_ptr<const std::string> text_;
  std::string source_;
  ParseOptions options_;
  std::vector<int> column_of_field_;  // header position → Column, or -1 for unknown columns
  size_t field_count_ = 0;
  std::array<std::string_view, kColumnCount> summary_fields_{};
  uint32_t summary_line_ = 0;
  std::optional<Currency> currency_;
  SettlementReport report_;
  SlashDateOrder slash_order_ = SlashDateOrder::kUnknown;
  bool saw_day_first_ = false, saw_month_first_ = false;
  uint32_t day_first_line_ = 0, month_first_line_ = 0;
};

Error Parser::At(uint32_t line, std::string_view field, std::string_view column_name,
                 std::string_view why) const {
  size_t column = 1;
  const char* base = text_->data();
  if (field.data() >= base && field.data() <= base + text_->size()) {
    size_t offset = size_t(field.data() - base);
    size_t line_start = text_->rfind('\n', offset == 0 ? 0 : offset - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    if (offset >= line_start) column = offset - line_start + 1;
  }
  std::string msg = source_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  if (!column_name.empty()) msg += std::string(column_name) + ": ";
  msg += why;
  return Error{ErrorCode::kParseError, std::move(msg)};
}

Status Parser::ReadHeader(std::string_view line) {
  std::array<bool, kColumnCount> seen{};
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    std::string_view raw =
        line.substr(start, tab == std::string_view::npos ? line.npos : tab - start);
    std::string name = Lower(TrimSpaces(raw));
    int col = -1;
    for (int c = 0; c < kColumnCount; ++c) {
      if (kColumnNames[size_t(c)] == name) col = c;
    }
    if (col >= 0) {
      if (seen[size_t(col)])
        return tl::unexpected(At(1, raw, "", "column '" + name + "' appears twice"));
      seen[size_t(col)] = true;
    }
    column_of_field_.push_back(col);
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  field_count_ = column_of_field_.size();
  std::string missing;
  for (Column c : kRequired) {
    if (!seen[size_t(c)]) missing += (missing.empty() ? "" : ", ") + std::string(kColumnNames[c]);
  }
  if (!missing.empty()) {
    return tl::unexpected(At(
        1, line, "", "not a V2 settlement flat file: header lacks required column(s) " + missing));
  }
  return {};
}

Status Parser::ReadRows(std::string_view rest, uint32_t first_line) {
  ContentHasher hasher;
  std::array<std::string_view, kColumnCount> f{};
  std::string_view last_marketplace;
  uint32_t line_no = first_line - 1;
  report_.rows.reserve(rest.size() / 160);
  while (!rest.empty()) {
    ++line_no;
    const char* nl = static_cast<const char*>(std::memchr(rest.data(), '\n', rest.size()));
    size_t len = nl ? size_t(nl - rest.data()) : rest.size();
    std::string_view line = rest.substr(0, len);
    rest.remove_prefix(nl ? len + 1 : len);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of("\t ") == std::string_view::npos) continue;  // blank line

    f.fill({});
    size_t field = 0;
    const char* p = line.data();
    const char* end = p + line.size();
    while (true) {
      const char* tab = static_cast<const char*>(std::memchr(p, '\t', size_t(end - p)));
      const char* stop = tab ? tab : end;
      if (field >= field_count_) {
        return tl::unexpected(At(line_no, std::string_view(p, 0), "",
                                 "more fields than the header's " + std::to_string(field_count_)));
      }
      int col = column_of_field_[field];
      if (col >= 0) f[size_t(col)] = std::string_view(p, size_t(stop - p));
      ++field;
      if (!tab) break;
      p = tab + 1;
    }
    if (field != field_count_) {
      return tl::unexpected(At(line_no, std::string_view(end, 0), "",
                               "row has " + std::to_string(field) + " fields, the header " +
                                   std::to_string(field_count_) + " (truncated file?)"));
    }
    for (auto& v : f) {
      hasher.Update(v);
    }

    if (f[kTransactionType].empty()) {
      if (summary_line_ == 0 && report_.rows.empty() && !f[kSettlementId].empty() &&
          !f[kTotalAmount].empty()) {
        summary_fields_ = f;
        summary_line_ = line_no;
        continue;
      }
      if (!f[kTotalAmount].empty()) {
        return tl::unexpected(
            At(line_no, f[kTotalAmount], "total-amount",
               summary_line_ ? "a second summary row" : "summary row must be the first data row"));
      }
      return tl::unexpected(At(line_no, f[kTransactionType], "transaction-type",
                               "detail row without a transaction type"));
    }
    if (summary_line_ == 0) {
      return tl::unexpected(At(line_no, f[kTransactionType], "transaction-type",
                               "no summary row (settlement-id, total-amount, currency) before the "
                               "first detail row"));
    }
    // Detail rows normally leave these blank; when present they must agree with the summary.
    if (!f[kSettlementId].empty() && f[kSettlementId] != summary_fields_[kSettlementId]) {
      return tl::unexpected(At(line_no, f[kSettlementId], "settlement-id",
                               "'" + std::string(f[kSettlementId]) +
                                   "' differs from the summary's '" +
                                   std::string(summary_fields_[kSettlementId]) + "'"));
    }
    if (!f[kCurrency].empty() && f[kCurrency] != summary_fields_[kCurrency]) {
      return tl::unexpected(At(line_no, f[kCurrency], "currency",
                               "'" + std::string(f[kCurrency]) + "' differs from the summary's '" +
                                   std::string(summary_fields_[kCurrency]) + "'"));
    }
    if (f[kAmount].empty()) {
      return tl::unexpected(At(line_no, f[kAmount], "amount", "empty"));
    }
    if (!f[kMarketplaceName].empty() && f[kMarketplaceName] != last_marketplace) {
      last_marketplace = f[kMarketplaceName];
      bool known = false;
      for (const auto& m : report_.marketplaces) known = known || m == last_marketplace;
      if (!known) report_.marketplaces.emplace_back(last_marketplace);
    }
    std::string_view posted = f[kPostedDateTime].empty() ? f[kPostedDate] : f[kPostedDateTime];
    if (!posted.empty() && posted.find('/') != std::string_view::npos) {
      switch (SlashDateEvidence(posted)) {
        case SlashDateOrder::kDayFirst:
          if (!saw_day_first_) day_first_line_ = line_no;
          saw_day_first_ = true;
          break;
        case SlashDateOrder::kMonthFirst:
          if (!saw_month_first_) month_first_line_ = line_no;
          saw_month_first_ = true;
          break;
        case SlashDateOrder::kUnknown:
          break;
      }
    }

    SettlementRow& row = report_.rows.emplace_back();
    row.line = line_no;
    row.transaction_type = f[kTransactionType];
    row.amount_type = f[kAmountType];
    row.amount_description = f[kAmountDescription];
    row.order_id = f[kOrderId];
    row.merchant_order_id = f[kMerchantOrderId];
    row.adjustment_id = f[kAdjustmentId];
    row.shipment_id = f[kShipmentId];
    row.marketplace_name = f[kMarketplaceName];
    row.fulfillment_id = f[kFulfillmentId];
    row.order_item_code = f[kOrderItemCode];
    row.sku = f[kSku];
    row.promotion_id = f[kPromotionId];
    row.amount_text = f[kAmount];
    row.posted_text = posted;
    row.quantity_text = f[kQuantityPurchased];
  }
  if (summary_line_ == 0) {
    return tl::unexpected(At(line_no == 0 ? 1 : line_no, {}, "",
                             "no summary row: the file has a header but no settlement"));
  }
  report_.content_hash = hasher.HexDigest();
  return {};
}

Status Parser::DecideDecimalStyle() {
  if (options_.decimal_style && *options_.decimal_style != DecimalStyle::kDetect) {
    report_.decimal_style = *options_.decimal_style;
    report_.decimal_style_reason = "set by the operator";
    return {};
  }
  std::optional<MarketplaceFormat> decided;
  for (const auto& name : report_.marketplaces) {
    auto format = FormatForMarketplace(name);
    if (!format) continue;
    if (decided && decided->decimal_style != format->decimal_style) {
      return Fail(ErrorCode::kParseError,
                  source_ + ": marketplaces " + std::string(decided->name) + " and " +
                      std::string(format->name) +
                      " write numbers differently; cannot tell how this file writes them");
    }
    if (!decided) decided = format;
  }
  if (decided) {
    report_.decimal_style = decided->decimal_style;
    report_.decimal_style_reason = "marketplace " + std::string(decided->name);
    return {};
  }
  if (auto by_currency = DecimalStyleForCurrency(currency_->code())) {
    report_.decimal_style = *by_currency;
    report_.decimal_style_reason = "currency " + std::string(currency_->code());
    return {};
  }
  // Neither says: let the amounts decide, and refuse if both readings fit with different values.
  bool dot_ok = true, comma_ok = true, differ = false;
  uint32_t dot_fail = 0;
  auto check = [&](std::string_view text, uint32_t line) {
    auto d = Money::Parse(text, *currency_, DecimalStyle::kDotDecimal);
    auto c = Money::Parse(text, *currency_, DecimalStyle::kCommaDecimal);
    if (!d && dot_ok) dot_fail = line;
    dot_ok = dot_ok && d.has_value();
    comma_ok = comma_ok && c.has_value();
    if (d && c && !(*d == *c)) differ = true;
  };
  check(summary_fields_[kTotalAmount], summary_line_);
  for (const auto& row : report_.rows) {
    if (!dot_ok && !comma_ok) break;
    check(row.amount_text, row.line);
  }
  if (dot_ok && comma_ok && differ) {
    return Fail(ErrorCode::kParseError,
                source_ +
                    ": amounts read both as 1,234.56 and as 1.234,56 and no known "
                    "marketplace or currency decides; pass the decimal style explicitly");
  }
  if (comma_ok && !dot_ok) {
    report_.decimal_style = DecimalStyle::kCommaDecimal;
    report_.decimal_style_reason = "amounts only read as comma decimals";
  } else {
    // When both fit with equal values the choice does not matter; when neither fits, the dot
    // reading reports the first bad amount in ConvertRows.
    report_.decimal_style = DecimalStyle::kDotDecimal;
    report_.decimal_style_reason =
        dot_ok ? "amounts read as dot decimals"
               : "no reading fits (first failure line " + std::to_string(dot_fail) + ")";
  }
  return {};
}

Status Parser::DecideSlashDateOrder() {
  if (saw_day_first_ && saw_month_first_) {
    return Fail(ErrorCode::kParseError,
                source_ + ": dates are written day-first (line " + std::to_string(day_first_line_) +
                    ") and month-first (line " + std::to_string(month_first_line_) + ")");
  }
  if (saw_day_first_) {
    slash_order_ = SlashDateOrder::kDayFirst;
  } else if (saw_month_first_) {
    slash_order_ = SlashDateOrder::kMonthFirst;
  } else {
    for (const auto& name : report_.marketplaces) {
      auto format = FormatForMarketplace(name);
      if (format && format->slash_dates != SlashDateOrder::kUnknown) {
        slash_order_ = format->slash_dates;
        break;
      }
    }
  }
  return {};
}

Status Parser::ConvertSummary() {
  auto& s = report_.summary;
  s.settlement_id = std::string(TrimSpaces(summary_fields_[kSettlementId]));
  s.line = summary_line_;
  auto total = Money::Parse(summary_fields_[kTotalAmount], *currency_, report_.decimal_style);
  if (!total) {
    return tl::unexpected(
        At(summary_line_, summary_fields_[kTotalAmount], "total-amount", total.error().message));
  }
  s.total_amount = *total;
  std::string why;
  struct DateField {
    Column column;
    TimePoint* out;
  };
  for (auto [column, out] : {DateField{kStartDate, &s.start}, DateField{kEndDate, &s.end},
                             DateField{kDepositDate, &s.deposit_date}}) {
    std::string_view text = TrimSpaces(summary_fields_[column]);
    if (text.empty()) {
      return tl::unexpected(At(summary_line_, summary_fields_[column], kColumnNames[column],
                               "empty in the summary row"));
    }
    if (!ParseSettlementDate(text, slash_order_, *out, why)) {
      return tl::unexpected(At(summary_line_, summary_fields_[column], kColumnNames[column],
                               "'" + std::string(text) + "': " + why));
    }
  }
  if (s.end < s.start) {
    return tl::unexpected(At(summary_line_, summary_fields_[kEndDate], "settlement-end-date",
                             "before settlement-start-date"));
  }
  return {};
}

Status Parser::ConvertRows() {
  std::string why;
  for (auto& row : report_.rows) {
    auto amount = Money::Parse(row.amount_text, *currency_, report_.decimal_style);
    if (!amount) {
      return tl::unexpected(At(row.line, row.amount_text, "amount",
                               amount.error().message + " [" +
                                   std::string(DecimalStyleName(report_.decimal_style)) + " from " +
                                   report_.decimal_style_reason + "]"));
    }
    row.amount_minor = amount->minor_units();
    std::string_view posted = TrimSpaces(row.posted_text);
    if (!posted.empty()) {
      if (!ParseSettlementDate(posted, slash_order_, row.posted, why)) {
        return tl::unexpected(
            At(row.line, row.posted_text, "posted-date", "'" + std::string(posted) + "': " + why));
      }
      row.has_posted = true;
    }
    std::string_view q = TrimSpaces(row.quantity_text);
    int64_t quantity = 0;
    bool negative = !q.empty() && q.front() == '-';
    if (negative) q.remove_prefix(1);
    for (char c : q) {
      if (c < '0' || c > '9' || quantity > 1'000'000'000) {
        return tl::unexpected(At(row.line, row.quantity_text, "quantity-purchased",
                                 "'" + std::string(row.quantity_text) + "' is not a whole number"));
      }
      quantity = quantity * 10 + (c - '0');
    }
    row.quantity = int32_t(negative ? -quantity : quantity);
  }
  return {};
}

Result<SettlementReport> Parser::Run() {
  report_.source = source_;
  report_.text = text_;
  std::string_view all(*text_);
  if (all.empty()) {
    return Fail(ErrorCode::kParseError, source_ + ":1:1: empty file");
  }
  size_t nl = all.find('\n');
  std::string_view header = all.substr(0, nl);
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
  if (auto st = ReadHeader(header); !st) return tl::unexpected(st.error());
  std::string_view rest = nl == std::string_view::npos ? std::string_view{} : all.substr(nl + 1);
  if (auto st = ReadRows(rest, 2); !st) return tl::unexpected(st.error());

  std::string_view currency_text = TrimSpaces(summary_fields_[kCurrency]);
  auto currency = Currency::Parse(currency_text);
  if (!currency) {
    return tl::unexpected(
        At(summary_line_, summary_fields_[kCurrency], "currency", currency.error().message));
  }
  currency_ = *currency;
  if (auto st = DecideDecimalStyle(); !st) return tl::unexpected(st.error());
  if (auto st = DecideSlashDateOrder(); !st) return tl::unexpected(st.error());
  if (auto st = ConvertSummary(); !st) return tl::unexpected(st.error());
  if (auto st = ConvertRows(); !st) return tl::unexpected(st.error());
  return std::move(report_);
}

}  // namespace

Result<SettlementReport> ParseSettlementReport(std::string text, std::string source,
                                               const ParseOptions& options) {
  Parser parser(std::make_shared<const std::string>(std::move(text)), std::move(source), options);
  return parser.Run();
}

Result<SettlementReport> ParseSettlementBytes(std::string bytes, std::string source,
                                              const ParseOptions& options) {
  auto decoded = DecodeReportBytes(std::move(bytes));
  if (!decoded) {
    return Fail(decoded.error().code, source + ": " + decoded.error().message);
  }
  return ParseSettlementReport(std::move(decoded->text), std::move(source), options);
}

}  // namespace mb::settlement

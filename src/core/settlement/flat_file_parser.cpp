#include "core/settlement/flat_file_parser.hpp"

#include <array>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "core/settlement/charset.hpp"
#include "core/settlement/content_hash.hpp"
#include "core/settlement/delimiter_scan.hpp"
#include "core/settlement/fast_amount.hpp"
#include "core/settlement/marketplace_format.hpp"
#include "core/settlement/settlement_date.hpp"

namespace mb::settlement {

namespace {

// The columns by their short names inside the parser, where they index the fields of every row.
using enum Column;

std::string_view Name(Column col) { return ColumnName(col); }

constexpr Column kRequired[] = {kSettlementId,      kStartDate, kEndDate,         kDepositDate,
                                kTotalAmount,       kCurrency,  kTransactionType, kAmountType,
                                kAmountDescription, kAmount};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string HeaderName(std::string_view s) {
  std::string out(TrimSpaces(s));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c == '_') c = '-';
  }
  return out;
}

std::optional<int32_t> ParseQuantity(std::string_view text) {
  std::string_view q = TrimSpaces(text);
  bool negative = !q.empty() && q.front() == '-';
  if (negative) q.remove_prefix(1);
  if (q.empty() || q.size() > 9) return std::nullopt;
  int32_t quantity = 0;
  for (char c : q) {
    if (c < '0' || c > '9') return std::nullopt;
    quantity = quantity * 10 + (c - '0');
  }
  return negative ? -quantity : quantity;
}

// The fields of one row by column, + a spare slot for unknown columns.
struct Fields {
  std::array<std::string_view, kColumnCount + 1> slot{};
  std::string_view& operator[](size_t i) { return slot[i]; }
  const std::string_view& operator[](size_t i) const { return slot[i]; }
  std::string_view& operator[](Column c) { return slot[size_t(c)]; }
  const std::string_view& operator[](Column c) const { return slot[size_t(c)]; }
};

class Parser {
 public:
  Parser(std::shared_ptr<const void> owner, std::string_view text, std::string source,
         const ParseOptions& options)
      : text_(text), source_(std::move(source)), options_(options) {
    report_.owner = std::move(owner);
    report_.text = text;
    report_.source = source_;
  }

  Result<SettlementReport> Run();

 private:
  // `file:line:column: column-name: why`. The column is the byte offset of the field in its line.
  Error At(uint32_t line, std::string_view field, std::string_view column_name,
           std::string_view why) const;
  Status ReadHeader(std::string_view line);
  Status ReadRows(std::string_view rest, uint32_t first_line);
  Status ProcessRow(uint32_t line_no, std::string_view line, Fields& f, size_t fields);
  Status StartSummary(uint32_t line_no, const Fields& f);
  Status NoteMarketplace(uint32_t line_no, std::string_view name);
  Result<uint16_t> Intern(uint32_t line_no, const Fields& f);
  Status ConvertAmount(uint32_t line_no, std::string_view text, std::string_view column,
                       int64_t& out) const;
  // Returns false (no error) when a slash date's order is not known yet.
  Result<bool> ConvertPosted(uint32_t line_no, std::string_view text, SlashDateOrder order,
                             TimePoint& out);
  Status DecideDecimalStyleFromAmounts();
  Status DecideSlashDateOrder();
  Status ConvertSummary();
  Status ConvertDeferred();

  std::string_view text_;
  std::string source_;
  ParseOptions options_;
  SettlementReport report_;
  std::vector<int> column_of_field_;  // header position → column, or -1 for unknown columns
  size_t field_count_ = 0;
  bool canonical_layout_ = false;
  size_t fields_in_row_ = 0;
  ContentHasher hasher_;

  Fields summary_fields_{};
  uint32_t summary_line_ = 0;
  std::optional<Currency> currency_;
  int minor_digits_ = 2;
  bool style_known_ = false;
  bool by_operator_ = false;
  std::optional<DecimalStyle> marketplace_style_;
  std::string style_marketplace_;

  SlashDateOrder slash_order_ = SlashDateOrder::kUnknown;
  bool saw_day_first_ = false, saw_month_first_ = false;
  uint32_t day_first_line_ = 0, month_first_line_ = 0;
  std::string_view last_posted_;
  TimePoint last_posted_time_{};
  std::string_view last_marketplace_;
  // Rows whose amount (style not known yet) or date (slash order not known yet) waits for the
  // end of the file. Usually none.
  std::vector<uint32_t> deferred_;

  // Combination interning: a direct-mapped cache in front of a map. An order's rows cycle
  // through a handful of combinations; a key string per row would cost more than the parse.
  struct Slot {
    std::string_view tt, at, ad;
    uint16_t index = 0;
    bool valid = false;
  };
  std::array<Slot, 64> slots_{};
  std::unordered_map<std::string, uint16_t> combination_index_;
  std::string key_;
};

Error Parser::At(uint32_t line, std::string_view field, std::string_view column_name,
                 std::string_view why) const {
  size_t column = 1;
  const char* base = text_.data();
  if (field.data() >= base && field.data() <= base + text_.size()) {
    size_t offset = size_t(field.data() - base);
    size_t line_start = text_.rfind('\n', offset == 0 ? 0 : offset - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    if (offset >= line_start) column = offset - line_start + 1;
  }
  std::string msg = source_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  if (!column_name.empty()) msg += std::string(column_name) + ": ";
  msg += why;
  return Error{ErrorCode::kParseError, std::move(msg)};
}

Status Parser::ReadHeader(std::string_view line) {
  report_.position.fill(-1);
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    std::string_view raw =
        line.substr(start, tab == std::string_view::npos ? line.npos : tab - start);
    std::string name = HeaderName(raw);
    int col = -1;
    for (size_t c = 0; c < kColumnCount; ++c) {
      if (Name(Column(c)) == name) col = int(c);
    }
    if (col >= 0) {
      if (report_.position[size_t(col)] >= 0) {
        return tl::unexpected(At(1, raw, "", "column '" + name + "' appears twice"));
      }
      report_.position[size_t(col)] = int16_t(column_of_field_.size());
    }
    column_of_field_.push_back(col);
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  field_count_ = column_of_field_.size();
  std::string missing;
  for (Column c : kRequired) {
    if (report_.position[size_t(c)] < 0) {
      missing += (missing.empty() ? "" : ", ") + std::string(Name(c));
    }
  }
  if (!missing.empty()) {
    return tl::unexpected(At(
        1, line, "", "not a V2 settlement flat file: header lacks required column(s) " + missing));
  }
  // Rows whose columns are exactly the 24 in documented order (Amazon's own layout) hash as
  // whole lines; any other layout hashes its fields in that order, which gives the same digest.
  canonical_layout_ = field_count_ == kColumnCount;
  for (size_t i = 0; canonical_layout_ && i < field_count_; ++i) {
    canonical_layout_ = column_of_field_[i] == int(i);
  }
  return {};
}

Status Parser::ReadRows(std::string_view rest, uint32_t first_line) {
  report_.rows.reserve(rest.size() / 150);
  // Field position → slot in `f`; unknown columns and fields past the header's count all land in
  // the spare slot, so storing a field needs no branch. Every row of the right length assigns
  // every header column, so `f` is not cleared per row.
  Fields f{};
  std::vector<uint8_t> slot_of_field(field_count_ + 1, uint8_t(kColumnCount));
  for (size_t i = 0; i < field_count_; ++i) {
    if (column_of_field_[i] >= 0) slot_of_field[i] = uint8_t(column_of_field_[i]);
  }
  const uint8_t* slots = slot_of_field.data();
  size_t field = 0;
  uint32_t line_no = first_line;
  const char* const base = rest.data();
  const char* const end = base + rest.size();
  const char* field_start = base;
  const char* line_start = base;
  auto delimiter = [&](const char* at) -> Status {
    f[slots[field]] = std::string_view(field_start, size_t(at - field_start));
    field += field < field_count_ ? 1 : 0;
    ++fields_in_row_;
    field_start = at + 1;
    if (*at != '\n') return {};
    auto st = ProcessRow(line_no, std::string_view(line_start, size_t(at - line_start)), f,
                         fields_in_row_);
    ++line_no;
    line_start = at + 1;
    field = 0;
    fields_in_row_ = 0;
    return st;
  };
  const char* block = base;
  for (; block + 64 <= end; block += 64) {
    for (uint64_t mask = DelimiterMask64(block); mask != 0; mask &= mask - 1) {
      if (auto st = delimiter(block + __builtin_ctzll(mask)); !st) return st;
    }
  }
  for (uint64_t mask = DelimiterMaskTail(block, size_t(end - block)); mask != 0; mask &= mask - 1) {
    if (auto st = delimiter(block + __builtin_ctzll(mask)); !st) return st;
  }
  if (line_start < end) {  // last line without a newline
    f[slots[field]] = std::string_view(field_start, size_t(end - field_start));
    ++fields_in_row_;
    std::string_view line(line_start, size_t(end - line_start));
    if (auto st = ProcessRow(line_no, line, f, fields_in_row_); !st) return st;
  }
  if (summary_line_ == 0) {
    return tl::unexpected(At(line_no > 1 ? line_no - 1 : 1, {}, "",
                             "no summary row: the file has a header but no settlement"));
  }
  report_.content_hash = hasher_.HexDigest();
  return {};
}

Status Parser::StartSummary(uint32_t line_no, const Fields& f) {
  summary_fields_ = f;
  summary_line_ = line_no;
  std::string_view currency_text = TrimSpaces(f[kCurrency]);
  auto currency = Currency::Parse(currency_text);
  if (!currency) {
    return tl::unexpected(At(line_no, f[kCurrency], "currency", currency.error().message));
  }
  currency_ = *currency;
  minor_digits_ = currency_->minor_digits();
  // The style is fixed as early as possible so amounts convert in this pass: by the operator,
  // else by a currency written one way everywhere; a marketplace decides when the first row of
  // a known one arrives (NoteMarketplace), and any later disagreement is an error.
  if (options_.decimal_style && *options_.decimal_style != DecimalStyle::kDetect) {
    report_.decimal_style = *options_.decimal_style;
    report_.decimal_style_reason = "set by the operator";
    style_known_ = true;
    by_operator_ = true;
  } else if (auto style = DecimalStyleForCurrency(currency_->code())) {
    report_.decimal_style = *style;
    report_.decimal_style_reason = "currency " + std::string(currency_->code());
    style_known_ = true;
  }
  return {};
}

Status Parser::NoteMarketplace(uint32_t line_no, std::string_view name) {
  for (const auto& m : report_.marketplaces) {
    if (m == name) return {};
  }
  report_.marketplaces.emplace_back(name);
  auto format = FormatForMarketplace(name);
  if (!format || by_operator_) return {};
  if (marketplace_style_ && *marketplace_style_ != format->decimal_style) {
    return Fail(ErrorCode::kParseError,
                source_ + ":" + std::to_string(line_no) + ": marketplaces " + style_marketplace_ +
                    " and " + std::string(name) +
                    " write numbers differently; cannot tell how this file writes them");
  }
  if (style_known_ && report_.decimal_style != format->decimal_style) {
    return Fail(ErrorCode::kParseError, source_ + ":" + std::to_string(line_no) + ": marketplace " +
                                            std::string(name) + " writes " +
                                            std::string(DecimalStyleName(format->decimal_style)) +
                                            " but the file was read with " +
                                            std::string(DecimalStyleName(report_.decimal_style)) +
                                            " (" + report_.decimal_style_reason + ")");
  }
  if (!marketplace_style_) {
    marketplace_style_ = format->decimal_style;
    style_marketplace_ = std::string(format->name);
    report_.decimal_style = format->decimal_style;
    report_.decimal_style_reason = "marketplace " + std::string(format->name);
    style_known_ = true;
  }
  return {};
}

Result<uint16_t> Parser::Intern(uint32_t line_no, const Fields& f) {
  std::string_view tt = f[kTransactionType], at = f[kAmountType], ad = f[kAmountDescription];
  const size_t h =
      (tt.size() * 31 + at.size() * 7 + ad.size() * 3 + (ad.empty() ? 0 : size_t(uint8_t(ad[0]))) +
       (at.empty() ? 0 : size_t(uint8_t(at.back())))) %
      slots_.size();
  Slot& slot = slots_[h];
  if (slot.valid && slot.tt == tt && slot.at == at && slot.ad == ad) return slot.index;
  key_.assign(tt).append(1, '\t').append(at).append(1, '\t').append(ad);
  auto it = combination_index_.find(key_);
  if (it == combination_index_.end()) {
    if (report_.combinations.size() >= UINT16_MAX) {
      return tl::unexpected(
          At(line_no, tt, "transaction-type", "more than 65535 distinct transaction/amount types"));
    }
    report_.combinations.push_back(Combination{std::string(tt), std::string(at), std::string(ad)});
    it = combination_index_.emplace(key_, uint16_t(report_.combinations.size() - 1)).first;
  }
  slot = Slot{tt, at, ad, it->second, true};
  return it->second;
}

Status Parser::ConvertAmount(uint32_t line_no, std::string_view text, std::string_view column,
                             int64_t& out) const {
  if (ParseAmountFast(text, report_.decimal_style, minor_digits_, out)) return {};
  auto amount = Money::Parse(text, *currency_, report_.decimal_style);
  if (!amount) {
    return tl::unexpected(At(line_no, text, column,
                             amount.error().message + " [" +
                                 std::string(DecimalStyleName(report_.decimal_style)) + " from " +
                                 report_.decimal_style_reason + "]"));
  }
  out = amount->minor_units();
  return {};
}

Result<bool> Parser::ConvertPosted(uint32_t line_no, std::string_view text, SlashDateOrder order,
                                   TimePoint& out) {
  // Consecutive rows mostly share a posting time; each distinct text is parsed once.
  if (text == last_posted_) {
    out = last_posted_time_;
    return true;
  }
  std::string_view trimmed = TrimSpaces(text);
  if (order == SlashDateOrder::kUnknown && trimmed.find('/') != std::string_view::npos) {
    SlashDateOrder evidence = SlashDateEvidence(trimmed);
    if (evidence == SlashDateOrder::kDayFirst) {
      if (!saw_day_first_) day_first_line_ = line_no;
      saw_day_first_ = true;
    } else if (evidence == SlashDateOrder::kMonthFirst) {
      if (!saw_month_first_) month_first_line_ = line_no;
      saw_month_first_ = true;
    } else {
      return false;  // e.g. 05/06/2026: decided once the whole file has been seen
    }
  }
  std::string why;
  if (!ParseSettlementDate(trimmed, order, out, why)) {
    return tl::unexpected(
        At(line_no, text, "posted-date", "'" + std::string(trimmed) + "': " + why));
  }
  last_posted_ = text;
  last_posted_time_ = out;
  return true;
}

Status Parser::ProcessRow(uint32_t line_no, std::string_view line, Fields& f, size_t fields) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
    // The \r sits at the end of the last field; take it off whichever column that is.
    int col = fields <= field_count_ ? column_of_field_[fields - 1] : -1;
    if (col >= 0 && !f[size_t(col)].empty() && f[size_t(col)].back() == '\r') {
      f[size_t(col)].remove_suffix(1);
    }
  }
  auto blank = [&] { return line.find_first_not_of("\t ") == std::string_view::npos; };
  if (fields != field_count_) {
    if (blank()) return {};
    if (fields > field_count_) {
      return tl::unexpected(At(line_no, line.substr(line.size()), "",
                               "more fields than the header's " + std::to_string(field_count_)));
    }
    return tl::unexpected(At(line_no, line.substr(line.size()), "",
                             "row has " + std::to_string(fields) + " fields, the header " +
                                 std::to_string(field_count_) + " (truncated file?)"));
  }
  if (canonical_layout_) {
    hasher_.Update(line);
  } else {
    // Same bytes as a canonical line: the 24 values joined by tabs.
    std::string joined;
    for (size_t c = 0; c < kColumnCount; ++c) {
      if (c) joined += '\t';
      joined += f[c];
    }
    hasher_.Update(joined);
  }

  if (f[kTransactionType].empty()) {
    if (blank()) return {};
    if (summary_line_ == 0 && !f[kSettlementId].empty() && !f[kTotalAmount].empty()) {
      return StartSummary(line_no, f);
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
  // Detail rows normally leave these blank or repeat them; when present they must agree.
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
  if (f[kAmount].empty()) return tl::unexpected(At(line_no, f[kAmount], "amount", "empty"));
  if (!f[kMarketplaceName].empty() && f[kMarketplaceName] != last_marketplace_) {
    last_marketplace_ = f[kMarketplaceName];
    if (auto st = NoteMarketplace(line_no, last_marketplace_); !st) return st;
  }

  SettlementRow row;
  row.line = line_no;
  row.offset = uint32_t(line.data() - text_.data());
  row.length = uint32_t(line.size());
  auto combination = Intern(line_no, f);
  if (!combination) return tl::unexpected(combination.error());
  row.combination = *combination;
  if (!f[kQuantityPurchased].empty()) {
    auto q = ParseQuantity(f[kQuantityPurchased]);
    if (!q) {
      return tl::unexpected(
          At(line_no, f[kQuantityPurchased], "quantity-purchased",
             "'" + std::string(f[kQuantityPurchased]) + "' is not a whole number"));
    }
    row.quantity = *q;
  }
  bool deferred = !style_known_;
  if (style_known_) {
    if (auto st = ConvertAmount(line_no, f[kAmount], "amount", row.amount_minor); !st) return st;
  }
  std::string_view posted = f[kPostedDateTime].empty() ? f[kPostedDate] : f[kPostedDateTime];
  if (!posted.empty()) {
    auto done = ConvertPosted(line_no, posted, SlashDateOrder::kUnknown, row.posted);
    if (!done) return tl::unexpected(done.error());
    row.has_posted = *done;
    deferred = deferred || !*done;
  }
  if (deferred) deferred_.push_back(uint32_t(report_.rows.size()));
  report_.rows.push_back(row);
  return {};
}

Status Parser::DecideDecimalStyleFromAmounts() {
  // Neither operator, currency nor marketplace says: let the amounts decide, and refuse if both
  // readings fit with different values.
  bool dot_ok = true, comma_ok = true, differ = false;
  auto check = [&](std::string_view text) {
    auto d = Money::Parse(text, *currency_, DecimalStyle::kDotDecimal);
    auto c = Money::Parse(text, *currency_, DecimalStyle::kCommaDecimal);
    dot_ok = dot_ok && d.has_value();
    comma_ok = comma_ok && c.has_value();
    if (d && c && !(*d == *c)) differ = true;
  };
  check(summary_fields_[kTotalAmount]);
  for (uint32_t i : deferred_) {
    if (!dot_ok && !comma_ok) break;
    check(report_.Field(report_.rows[i], Column::kAmount));
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
    // reading reports the first bad amount.
    report_.decimal_style = DecimalStyle::kDotDecimal;
    report_.decimal_style_reason =
        dot_ok ? "amounts read as dot decimals" : "amounts fit no number format";
  }
  style_known_ = true;
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
  int64_t total = 0;
  auto st = ConvertAmount(summary_line_, summary_fields_[kTotalAmount], "total-amount", total);
  if (!st) return st;
  s.total_amount = Money(total, *currency_);
  std::string why;
  struct DateField {
    Column column;
    TimePoint* out;
  };
  for (auto [column, out] : {DateField{kStartDate, &s.start}, DateField{kEndDate, &s.end},
                             DateField{kDepositDate, &s.deposit_date}}) {
    std::string_view text = TrimSpaces(summary_fields_[column]);
    if (text.empty()) {
      return tl::unexpected(
          At(summary_line_, summary_fields_[column], Name(column), "empty in the summary row"));
    }
    if (!ParseSettlementDate(text, slash_order_, *out, why)) {
      return tl::unexpected(At(summary_line_, summary_fields_[column], Name(column),
                               "'" + std::string(text) + "': " + why));
    }
  }
  if (s.end < s.start) {
    return tl::unexpected(At(summary_line_, summary_fields_[kEndDate], "settlement-end-date",
                             "before settlement-start-date"));
  }
  return {};
}

Status Parser::ConvertDeferred() {
  last_posted_ = {};
  for (uint32_t i : deferred_) {
    SettlementRow& row = report_.rows[i];
    auto amount = report_.Field(row, Column::kAmount);
    if (auto st = ConvertAmount(row.line, amount, "amount", row.amount_minor); !st) return st;
    std::string_view posted = report_.Field(row, Column::kPostedDateTime);
    if (posted.empty()) posted = report_.Field(row, Column::kPostedDate);
    if (posted.empty()) continue;
    auto done = ConvertPosted(row.line, posted, slash_order_, row.posted);
    if (!done) return tl::unexpected(done.error());
    if (!*done) {
      return tl::unexpected(At(row.line, posted, "posted-date",
                               "'" + std::string(TrimSpaces(posted)) +
                                   "': ambiguous date: day and month order unknown for this "
                                   "marketplace"));
    }
    row.has_posted = true;
  }
  return {};
}

Result<SettlementReport> Parser::Run() {
  std::string_view all = text_;
  if (all.empty()) return Fail(ErrorCode::kParseError, source_ + ":1:1: empty file");
  if (all.size() >= UINT32_MAX) {
    return Fail(ErrorCode::kParseError, source_ + ": larger than 4 GB; not a settlement report");
  }
  size_t nl = all.find('\n');
  std::string_view header = all.substr(0, nl);
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
  if (auto st = ReadHeader(header); !st) return tl::unexpected(st.error());
  std::string_view rest = nl == std::string_view::npos ? std::string_view{} : all.substr(nl + 1);
  if (auto st = ReadRows(rest, 2); !st) return tl::unexpected(st.error());
  if (!style_known_) {
    if (auto st = DecideDecimalStyleFromAmounts(); !st) return tl::unexpected(st.error());
  }
  if (auto st = DecideSlashDateOrder(); !st) return tl::unexpected(st.error());
  if (auto st = ConvertSummary(); !st) return tl::unexpected(st.error());
  if (auto st = ConvertDeferred(); !st) return tl::unexpected(st.error());
  return std::move(report_);
}

}  // namespace

Result<SettlementReport> ParseSettlementReport(std::string text, std::string source,
                                               const ParseOptions& options) {
  auto owner = std::make_shared<const std::string>(std::move(text));
  std::string_view view = *owner;
  return Parser(std::move(owner), view, std::move(source), options).Run();
}

Result<SettlementReport> ParseSettlementBuffer(std::shared_ptr<const void> owner,
                                               std::string_view bytes, std::string source,
                                               const ParseOptions& options) {
  std::string converted;
  auto decoded = DecodeReportView(bytes, converted);
  if (!decoded) {
    return Fail(decoded.error().code, source + ": " + decoded.error().message);
  }
  if (decoded->converted) {
    return ParseSettlementReport(std::move(converted), std::move(source), options);
  }
  return Parser(std::move(owner), decoded->text, std::move(source), options).Run();
}

Result<SettlementReport> ParseSettlementBytes(std::string bytes, std::string source,
                                              const ParseOptions& options) {
  auto owner = std::make_shared<const std::string>(std::move(bytes));
  std::string_view view = *owner;
  return ParseSettlementBuffer(std::move(owner), view, std::move(source), options);
}

}  // namespace mb::settlement

#pragma once
// Parser of GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 (SPAPI.md §7.1): tab-separated, columns
// found by header name, the summary row first, detail rows inheriting its id and currency.
// All or nothing: any malformed field rejects the whole file with file:line:column, so a half
// report is never imported.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/settlement/settlement_report.hpp"

namespace mb::settlement {

struct ParseOptions {
  // Forces the number format (an operator who knows better); otherwise decided per file from the
  // marketplace-name column, then the currency, then the amounts themselves — never guessed.
  std::optional<DecimalStyle> decimal_style;
};

// `text` is UTF-8 (see DecodeReportBytes); LF or CRLF line ends. `source` names the file in
// messages. The content hash covers the known columns' values in a fixed order, so it ignores
// column order, line endings, character set and unknown columns.
Result<SettlementReport> ParseSettlementReport(std::string text, std::string source,
                                               const ParseOptions& options = {});

// Bytes as downloaded (or read from disk) → decoded → parsed.
Result<SettlementReport> ParseSettlementBytes(std::string bytes, std::string source,
                                              const ParseOptions& options = {});

// The same over bytes someone else owns (a mapped file): `owner` keeps them alive for as long as
// the report lives. UTF-8 input is parsed in place; other charsets are converted into a copy.
Result<SettlementReport> ParseSettlementBuffer(std::shared_ptr<const void> owner,
                                               std::string_view bytes, std::string source,
                                               const ParseOptions& options = {});

}  // namespace mb::settlement

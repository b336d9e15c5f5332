#include "sync/settlement_sync.hpp"

#include "core/settlement/flat_file_parser.hpp"
#include "core/timestamp.hpp"

namespace mb::sync {

Result<SettlementSyncResult> SettlementSync::RunOnce() {
  SettlementSyncResult result;
  const TimePoint now = clock_.Now();
  auto cursor = cursors_.GetCursor(kCursor);
  if (!cursor) return tl::unexpected(cursor.error());
  TimePoint since = now - options_.initial_lookback;
  if (*cursor) {
    auto newest = ParseTimestamp(**cursor);
    if (newest) since = *newest - options_.overlap;
  }
  std::optional<TimePoint> newest_seen;

  GetReportsRequest request;
  request.report_types = {"GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"};
  request.processing_statuses = {"DONE"};
  request.marketplace_ids = options_.marketplace_ids;
  request.created_since = since;
  while (true) {
    auto page = amazon_.GetReports(request);
    if (!page) return tl::unexpected(page.error());
    for (const auto& report : page->reports) {
      ++result.reports;
      if (report.created_time && (!newest_seen || *report.created_time > *newest_seen)) {
        newest_seen = report.created_time;
      }
      if (report.report_document_id.empty()) continue;
      const std::string source =
          "report " + report.report_id.value() + " (document " + report.report_document_id + ")";
      auto bytes = amazon_.GetReportDocument(report.report_document_id, CallPriority::kBulk);
      if (!bytes) {
        result.failures.push_back(source + ": " + bytes.error().message);
        continue;
      }
      auto parsed = settlement::ParseSettlementBytes(std::move(*bytes), source);
      if (!parsed) {
        result.failures.push_back(parsed.error().message);
        continue;
      }
      auto outcome = service_.Import(*parsed, rules_, options_.compile, now);
      if (!outcome) return tl::unexpected(outcome.error());
      switch (outcome->kind) {
        case settlement::ImportKind::kNew:
          ++result.imported;
          break;
        case settlement::ImportKind::kDuplicate:
          ++result.duplicates;
          break;
        case settlement::ImportKind::kReissue:
          ++result.reissues;
          result.failures.push_back(outcome->message);
          break;
      }
    }
    if (page->next_token.empty()) break;
    GetReportsRequest next;
    next.next_token = page->next_token;
    request = next;
  }
  if (newest_seen) {
    if (auto st = cursors_.SetCursor(kCursor, FormatTimestamp(*newest_seen), now); !st) {
      return tl::unexpected(st.error());
    }
  }
  return result;
}

}  // namespace mb::sync

// Reports 2021-06-30: getReports, getReport, getReportDocument (reports_2021-06-30.json).
// Settlement reports cannot be requested; the settlement loop discovers them with getReports.
#include "amazon/amazon_json.hpp"
#include "amazon/documents.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "core/timestamp.hpp"

namespace mb::amazon {

namespace {

using nlohmann::json;

constexpr char kReportsBase[] = "/reports/2021-06-30";

Result<AmazonReport> ParseReport(const json& object) {
  AmazonReport report;
  auto id = JsonString(object, "reportId");
  auto type = JsonString(object, "reportType");
  auto marketplaces = JsonStrings(object, "marketplaceIds");
  auto start = JsonTime(object, "dataStartTime");
  auto end = JsonTime(object, "dataEndTime");
  auto created = JsonTime(object, "createdTime");
  auto status = JsonString(object, "processingStatus");
  auto p_start = JsonTime(object, "processingStartTime");
  auto p_end = JsonTime(object, "processingEndTime");
  auto schedule = JsonString(object, "reportScheduleId");
  auto document = JsonString(object, "reportDocumentId");
  if (!id || !type || !marketplaces || !start || !end || !created || !status || !p_start ||
      !p_end || !schedule || !document || id->empty() || status->empty()) {
    return Fail(ErrorCode::kMalformedResponse, "amazon: report does not match the model");
  }
  report.report_id = ReportId(*id);
  report.report_type = *type;
  for (const auto& m : *marketplaces) report.marketplace_ids.emplace_back(m);
  report.data_start_time = *start;
  report.data_end_time = *end;
  report.created_time = *created;
  report.processing_status = *status;
  report.processing_start_time = *p_start;
  report.processing_end_time = *p_end;
  report.report_schedule_id = *schedule;
  report.report_document_id = *document;
  return report;
}

}  // namespace

Result<AmazonReportsPage> SpApiAmazonApi::GetReports(const GetReportsRequest& request) {
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = std::string(kReportsBase) + "/reports";
  if (!request.next_token.empty()) {
    // With a token Amazon wants nothing else: the filters of the first call stay in force.
    call.query.emplace_back("nextToken", request.next_token);
  } else {
    if (request.report_types.empty()) {
      return Fail(ErrorCode::kInvalidInput, "amazon: getReports needs reportTypes or a nextToken");
    }
    call.query.emplace_back("reportTypes", JoinCsv(request.report_types));
    if (!request.processing_statuses.empty()) {
      call.query.emplace_back("processingStatuses", JoinCsv(request.processing_statuses));
    }
    if (!request.marketplace_ids.empty()) {
      call.query.emplace_back("marketplaceIds", JoinIds(request.marketplace_ids));
    }
    call.query.emplace_back("pageSize", std::to_string(request.page_size));
    if (request.created_since) {
      call.query.emplace_back("createdSince", FormatTimestamp(*request.created_since));
    }
    if (request.created_until) {
      call.query.emplace_back("createdUntil", FormatTimestamp(*request.created_until));
    }
  }
  call.operation = "getReports";
  call.priority = request.priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  return ParseGuarded<AmazonReportsPage>("getReports", [&]() -> Result<AmazonReportsPage> {
    AmazonReportsPage page;
    if (!body->contains("reports") || !(*body)["reports"].is_array()) {
      return Fail(ErrorCode::kMalformedResponse, "amazon: getReports answer lacks `reports`");
    }
    for (const auto& entry : (*body)["reports"]) {
      auto report = ParseReport(entry);
      if (!report) return tl::unexpected(report.error());
      page.reports.push_back(std::move(*report));
    }
    auto next = JsonString(*body, "nextToken");
    if (!next) return tl::unexpected(next.error());
    page.next_token = *next;
    return page;
  });
}

Result<AmazonReport> SpApiAmazonApi::GetReport(const ReportId& report_id, CallPriority priority) {
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = std::string(kReportsBase) + "/reports/" + PathSegment(report_id.value());
  call.operation = "getReport";
  call.priority = priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  return ParseGuarded<AmazonReport>("getReport", [&] { return ParseReport(*body); });
}

Result<std::string> SpApiAmazonApi::GetReportDocument(const std::string& report_document_id,
                                                      CallPriority priority) {
  return GetDocument(client_, kReportsBase, "getReportDocument", report_document_id, priority,
                     "report document " + report_document_id);
}

}  // namespace mb::amazon

// Reports API 2021-06-30: createReport, getReports, getReport, cancelReport, getReportDocument.
// Schedules are not emulated (docs/sandbox.md).
#include <algorithm>

#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"

namespace sandbox::amazon {

namespace {

using nlohmann::json;

ApiResponse Invalid(const std::string& message) {
  return ApiResponse::Error(400, "InvalidInput", message);
}

json ReportJson(const Report& r) {
  json j = {{"reportId", r.report_id},
            {"reportType", r.report_type},
            {"marketplaceIds", r.marketplace_ids},
            {"createdTime", FormatIso(r.created_time)},
            {"processingStatus", ProcessingStatusName(r.status)}};
  if (r.data_start_time) j["dataStartTime"] = FormatIso(*r.data_start_time);
  if (r.data_end_time) j["dataEndTime"] = FormatIso(*r.data_end_time);
  if (r.processing_start_time) j["processingStartTime"] = FormatIso(*r.processing_start_time);
  if (r.processing_end_time) j["processingEndTime"] = FormatIso(*r.processing_end_time);
  if (!r.report_document_id.empty()) j["reportDocumentId"] = r.report_document_id;
  return j;
}

ApiResponse CreateReport(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto body = ParseJsonBody(req.http, &error);
  if (!body) return error;
  const json& b = *body;
  if (!b.is_object() || !b.contains("reportType") || !b["reportType"].is_string() ||
      !b.contains("marketplaceIds") || !b["marketplaceIds"].is_array()) {
    return Invalid("reportType and marketplaceIds are required.");
  }
  std::vector<std::string> marketplaces;
  for (const auto& m : b["marketplaceIds"]) {
    if (!m.is_string()) return Invalid("marketplaceIds must hold strings.");
    marketplaces.push_back(m);
  }
  std::optional<SimTime> start, end;
  for (auto [field, target] :
       {std::pair{"dataStartTime", &start}, std::pair{"dataEndTime", &end}}) {
    if (!b.contains(field)) continue;
    if (!b[field].is_string() || !(*target = ParseIso(b[field].get<std::string>()))) {
      return Invalid(std::string(field) + " is not a valid ISO 8601 date-time.");
    }
  }
  auto report = world.CreateReport(req.seller_id, b["reportType"], marketplaces, start, end);
  if (!report)
    return ApiResponse::Error(report.error().http_status, report.error().code,
                              report.error().message);
  return ApiResponse::Json(202, {{"reportId", report->report_id}});
}

ApiResponse GetReports(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto q = ParseListQuery(req, "reportTypes", true, &error);
  if (!q) return error;
  std::vector<Report> matching;
  for (auto& r : world.Reports(req.seller_id)) {
    if (ListQueryMatches(*q, r.report_type, ProcessingStatusName(r.status), r.marketplace_ids,
                         r.created_time)) {
      matching.push_back(std::move(r));
    }
  }
  std::stable_sort(matching.begin(), matching.end(), [](const Report& a, const Report& b) {
    return a.created_time > b.created_time;
  });
  json reports = json::array();
  size_t end = std::min(matching.size(), q->offset + static_cast<size_t>(q->page_size));
  for (size_t i = q->offset; i < end; ++i) reports.push_back(ReportJson(matching[i]));
  json body = {{"reports", reports}};
  if (end < matching.size()) body["nextToken"] = NextListToken(*q, end);
  return ApiResponse::Json(200, body);
}

ApiResponse GetReport(AmazonWorld& world, const ApiRequest& req) {
  auto report = world.GetReport(req.seller_id, req.PathParam(1));
  if (!report)
    return ApiResponse::Error(404, "NotFound", "Report " + req.PathParam(1) + " not found.");
  return ApiResponse::Json(200, ReportJson(*report));
}

ApiResponse CancelReport(AmazonWorld& world, const ApiRequest& req) {
  auto done = world.CancelReport(req.seller_id, req.PathParam(1));
  if (!done)
    return ApiResponse::Error(done.error().http_status, done.error().code, done.error().message);
  return ApiResponse::Empty(200);
}

}  // namespace

void AddReportsRoutes(ApiRouter& router, AmazonWorld& world) {
  router.Add("POST", "/reports/2021-06-30/reports", "reports.createReport",
             [&world](const ApiRequest& r) { return CreateReport(world, r); });
  router.Add("GET", "/reports/2021-06-30/reports", "reports.getReports",
             [&world](const ApiRequest& r) { return GetReports(world, r); });
  router.Add("GET", "/reports/2021-06-30/reports/([^/]+)", "reports.getReport",
             [&world](const ApiRequest& r) { return GetReport(world, r); });
  router.Add("DELETE", "/reports/2021-06-30/reports/([^/]+)", "reports.cancelReport",
             [&world](const ApiRequest& r) { return CancelReport(world, r); });
  router.Add(
      "GET", "/reports/2021-06-30/documents/([^/]+)", "reports.getReportDocument",
      [&world](const ApiRequest& r) { return DocumentAnswer(world, r, "reportDocumentId"); });
}

}  // namespace sandbox::amazon

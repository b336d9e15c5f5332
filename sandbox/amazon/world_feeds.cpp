// AmazonWorld: documents, JSON_LISTINGS_FEED processing and reports.
#include <algorithm>

#include "sandbox/amazon/amazon_world.hpp"
#include "sandbox/amazon/gzip.hpp"
#include "sandbox/amazon/iso_time.hpp"
#include "sandbox/amazon/listing_attributes.hpp"

namespace sandbox::amazon {

using nlohmann::json;

namespace {

constexpr int kMaxFeedMessages = 25000;
constexpr int64_t kMaxMessageId = 2147483647;

// Legacy listing feeds Amazon no longer processes (FATAL since 31 July 2025, SPAPI.md §6).
bool IsRetiredFeedType(const std::string& type) {
  return type == "POST_PRODUCT_DATA" || type == "POST_INVENTORY_AVAILABILITY_DATA" ||
         type == "POST_PRODUCT_PRICING_DATA" || type.rfind("POST_FLAT_FILE_", 0) == 0;
}

json ReportIssue(std::optional<int64_t> message_id, const std::string& sku, const std::string& code,
                 const std::string& message, const std::string& attribute = "") {
  json issue = {{"code", code}, {"severity", "ERROR"}, {"message", message}};
  if (message_id) issue["messageId"] = *message_id;
  if (!sku.empty()) issue["sku"] = sku;
  if (!attribute.empty()) issue["attributeName"] = attribute;
  return issue;
}

// The message's shape rules from listings-feed-schema-v2.json; "" when it conforms.
std::string MessageShapeError(const json& msg) {
  if (!msg.contains("sku") || !msg["sku"].is_string() || msg["sku"].get<std::string>().empty()) {
    return "'sku' is required but not supplied.";
  }
  if (!msg.contains("operationType") || !msg["operationType"].is_string()) {
    return "'operationType' is required but not supplied.";
  }
  const std::string op = msg["operationType"];
  auto has = [&](const char* k) { return msg.contains(k); };
  if (op == "UPDATE") {
    if (!has("productType") || !has("attributes"))
      return "UPDATE requires 'productType' and 'attributes'.";
    if (has("patches")) return "'patches' is not applicable to UPDATE.";
  } else if (op == "PARTIAL_UPDATE") {
    if (!has("productType") || !has("attributes"))
      return "PARTIAL_UPDATE requires 'productType' and 'attributes'.";
    if (has("patches") || has("requirements"))
      return "'patches' and 'requirements' are not applicable to PARTIAL_UPDATE.";
  } else if (op == "PATCH") {
    if (!has("productType") || !has("patches"))
      return "PATCH requires 'productType' and 'patches'.";
    if (has("attributes") || has("requirements"))
      return "'attributes' and 'requirements' are not applicable to PATCH.";
  } else if (op == "DELETE") {
    if (has("productType") || has("attributes") || has("patches") || has("requirements")) {
      return "'productType', 'attributes', 'patches' and 'requirements' are not applicable to "
             "DELETE.";
    }
  } else {
    return "'operationType' must be one of UPDATE, PARTIAL_UPDATE, PATCH, DELETE.";
  }
  if (has("productType") && !msg["productType"].is_string())
    return "'productType' must be a string.";
  if (has("attributes") && !msg["attributes"].is_object()) return "'attributes' must be an object.";
  if (has("patches")) return PatchShapeError(msg["patches"]);
  return "";
}

}  // namespace

std::string ProcessingStatusName(ProcessingStatus status) {
  switch (status) {
    case ProcessingStatus::kInQueue:
      return "IN_QUEUE";
    case ProcessingStatus::kInProgress:
      return "IN_PROGRESS";
    case ProcessingStatus::kDone:
      return "DONE";
    case ProcessingStatus::kFatal:
      return "FATAL";
    case ProcessingStatus::kCancelled:
      return "CANCELLED";
  }
  return "FATAL";
}

// ---- Documents ------------------------------------------------------------------------------

Document& AmazonWorld::StoreDocumentLocked(const std::string& content_type, std::string bytes,
                                           bool gzip) {
  Document doc;
  doc.id = "amzn1.tortuga.4.eu." + NewId("", 24);
  doc.content_type = content_type;
  doc.gzip = gzip;
  doc.bytes = gzip ? GzipCompress(bytes) : std::move(bytes);
  doc.uploaded = true;
  auto id = doc.id;
  return documents_[id] = std::move(doc);
}

Document AmazonWorld::CreateUploadDocument(const std::string& content_type) {
  std::lock_guard lock(mu_);
  Document& doc = StoreDocumentLocked(content_type, "", false);
  doc.uploaded = false;
  doc.url_signature = NewId("", 40);
  doc.url_expires = clock_.Now() + config_.document_url_lifetime;
  return doc;
}

bool AmazonWorld::UploadDocument(const std::string& id, const std::string& signature,
                                 std::string bytes) {
  std::lock_guard lock(mu_);
  auto it = documents_.find(id);
  if (it == documents_.end() || it->second.url_signature != signature ||
      clock_.Now() >= it->second.url_expires || document_owner_.count(id) != 0) {
    return false;
  }
  it->second.bytes = std::move(bytes);
  it->second.uploaded = true;
  return true;
}

std::optional<Document> AmazonWorld::GetDocument(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = documents_.find(id);
  if (it == documents_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> AmazonWorld::DocumentUrl(const std::string& id,
                                                    bool content_encoding_header) {
  std::lock_guard lock(mu_);
  auto it = documents_.find(id);
  if (it == documents_.end()) return std::nullopt;
  it->second.url_signature = NewId("", 40);
  it->second.url_expires = clock_.Now() + config_.document_url_lifetime;
  std::string url = document_base_url_ + "/_documents/" + id +
                    "?X-Amz-Expires=" + std::to_string(config_.document_url_lifetime.count()) +
                    "&X-Amz-Signature=" + it->second.url_signature;
  if (content_encoding_header && it->second.gzip) url += "&response-content-encoding=gzip";
  return url;
}

std::string AmazonWorld::DocumentOwner(const std::string& document_id) const {
  std::lock_guard lock(mu_);
  auto it = document_owner_.find(document_id);
  return it == document_owner_.end() ? "" : it->second;
}

// ---- Feeds ----------------------------------------------------------------------------------

Result<Feed> AmazonWorld::CreateFeed(const std::string& seller_id, const std::string& feed_type,
                                     const std::vector<std::string>& marketplace_ids,
                                     const std::string& input_document_id) {
  if (feed_type != "JSON_LISTINGS_FEED" && !IsRetiredFeedType(feed_type)) {
    return tl::unexpected(WorldError{400, "InvalidInput", "Invalid feedType: " + feed_type});
  }
  if (marketplace_ids.empty() || marketplace_ids.size() > 25) {
    return tl::unexpected(
        WorldError{400, "InvalidInput", "marketplaceIds must hold 1 to 25 marketplaces"});
  }
  const Marketplace* first = nullptr;
  for (const auto& id : marketplace_ids) {
    const Marketplace* m = FindMarketplace(id);
    if (m == nullptr)
      return tl::unexpected(WorldError{400, "InvalidInput", "Invalid marketplaceId: " + id});
    if (first != nullptr && m->region != first->region) {
      return tl::unexpected(
          WorldError{400, "InvalidInput", "marketplaceIds span more than one region"});
    }
    first = first ? first : m;
  }
  std::lock_guard lock(mu_);
  auto doc = documents_.find(input_document_id);
  if (doc == documents_.end() || document_owner_.count(input_document_id) != 0) {
    return tl::unexpected(
        WorldError{400, "InvalidInput", "Invalid inputFeedDocumentId: " + input_document_id});
  }
  const SimTime now = clock_.Now();
  Feed feed;
  feed.feed_id = NewId("5", 10);
  feed.seller_id = seller_id;
  feed.feed_type = feed_type;
  feed.marketplace_ids = marketplace_ids;
  feed.region = first->region;
  feed.input_document_id = input_document_id;
  feed.created_time = now;
  feed.start_due = now + config_.feed_queue_delay;
  // Processing time grows with the document; bytes stand in for messages (~200 bytes each).
  feed.end_due =
      feed.start_due + config_.feed_processing_delay +
      config_.feed_processing_per_message * static_cast<int64_t>(doc->second.bytes.size() / 200);
  document_owner_[input_document_id] = seller_id;
  feeds_[feed.feed_id] = feed;
  return feed;
}

void AmazonWorld::FinishFeedLocked(Feed& feed, SimTime now) {
  feed.processing_end_time = feed.end_due;
  const Document& input = documents_.at(feed.input_document_id);
  json header = {{"sellerId", feed.seller_id}, {"version", "2.0"}, {"feedId", feed.feed_id}};
  json issues = json::array();
  int processed = 0, accepted = 0, invalid = 0;
  auto fatal = [&](const std::string& message) {
    feed.status = ProcessingStatus::kFatal;
    issues.push_back(ReportIssue(std::nullopt, "", "100001", message));
  };
  if (IsRetiredFeedType(feed.feed_type)) {
    feed.status = ProcessingStatus::kFatal;
    ++counters_.feeds_fatal;
    return;  // no processing report for retired feed types
  }
  json doc;
  if (!input.uploaded) {
    fatal("The feed document was never uploaded.");
  } else if (doc = json::parse(input.bytes, nullptr, false);
             doc.is_discarded() || !doc.is_object()) {
    fatal("The feed document is not a valid JSON object.");
  } else if (!doc.contains("header") || !doc["header"].is_object() ||
             !doc["header"].contains("sellerId") || !doc["header"]["sellerId"].is_string() ||
             doc["header"].value("version", "") != "2.0") {
    fatal("The feed header must contain 'sellerId' and 'version' \"2.0\".");
  } else if (doc["header"]["sellerId"] != feed.seller_id) {
    fatal("The feed header 'sellerId' does not match the selling partner that submitted the feed.");
  } else if (!doc.contains("messages") || !doc["messages"].is_array() || doc["messages"].empty() ||
             doc["messages"].size() > kMaxFeedMessages) {
    fatal("The feed must contain between 1 and 25000 messages.");
  } else {
    feed.status = ProcessingStatus::kDone;
    const Marketplace& marketplace = *FindMarketplace(feed.marketplace_ids.front());
    std::set<int64_t> seen_ids;
    int applied_count = 0;
    for (const auto& msg : doc["messages"]) {
      ++processed;
      std::optional<int64_t> id;
      if (msg.is_object() && msg.contains("messageId") && msg["messageId"].is_number_integer()) {
        id = msg["messageId"].get<int64_t>();
      }
      const std::string sku = msg.is_object() ? msg.value("sku", "") : "";
      std::string shape;
      if (!msg.is_object()) {
        shape = "The message is not a JSON object.";
      } else if (!id || *id < 1 || *id > kMaxMessageId) {
        shape = "'messageId' must be an integer between 1 and 2147483647.";
      } else if (!seen_ids.insert(*id).second) {
        shape = "'messageId' " + std::to_string(*id) + " is not unique within the feed.";
      } else {
        shape = MessageShapeError(msg);
      }
      if (!shape.empty()) {
        ++invalid;
        issues.push_back(ReportIssue(id, sku, "4000001", shape));
        continue;
      }
      const std::string op = msg["operationType"];
      ++applied_count;
      bool drop = config_.feed_silently_dropped_skus.count(sku) != 0 ||
                  (config_.feed_silently_drop_every_nth > 0 &&
                   applied_count % config_.feed_silently_drop_every_nth == 0);
      Submission sub;
      if (op == "DELETE") {
        if (!drop) listings_.erase(ListingKey{feed.seller_id, feed.region, sku});
        sub.status = "ACCEPTED";
      } else if (op == "PATCH" || op == "PARTIAL_UPDATE") {
        json body = {{"productType", msg["productType"]},
                     {"patches", msg.value("patches", json::array())}};
        if (op == "PARTIAL_UPDATE") {
          for (const auto& [name, value] : msg["attributes"].items()) {
            body["patches"].push_back(
                {{"op", "replace"}, {"path", "/attributes/" + name}, {"value", value}});
          }
        }
        sub = *ApplyPatchLocked(feed.seller_id, marketplace, sku, body, drop, now);
      } else {
        sub = *ApplyPutLocked(feed.seller_id, marketplace, sku, msg, drop, now);
      }
      if (sub.status == "INVALID") {
        ++invalid;
        for (const auto& issue : sub.issues) {
          std::string attribute;
          if (issue.contains("attributeNames") && !issue["attributeNames"].empty()) {
            attribute = issue["attributeNames"][0];
          }
          issues.push_back(ReportIssue(id, sku, issue["code"], issue["message"], attribute));
        }
        continue;
      }
      ++accepted;
      if (drop) {
        ++counters_.feed_messages_silently_dropped;
        continue;
      }
      // A feed offers the listing in every marketplace it names.
      auto listing = listings_.find(ListingKey{feed.seller_id, feed.region, sku});
      if (listing != listings_.end()) {
        listing->second.marketplace_ids.insert(feed.marketplace_ids.begin(),
                                               feed.marketplace_ids.end());
      }
    }
  }
  if (feed.status == ProcessingStatus::kDone) {
    ++counters_.feeds_done;
  } else {
    ++counters_.feeds_fatal;
  }
  json report = {{"header", header},
                 {"issues", issues},
                 {"summary",
                  {{"errors", static_cast<int>(issues.size())},
                   {"warnings", 0},
                   {"messagesProcessed", processed},
                   {"messagesAccepted", accepted},
                   {"messagesInvalid", invalid}}}};
  Document& result =
      StoreDocumentLocked("application/json", report.dump(), config_.gzip_feed_results);
  document_owner_[result.id] = feed.seller_id;
  feed.result_document_id = result.id;
}

void AmazonWorld::ProcessDueLocked(SimTime now) {
  for (auto& [id, feed] : feeds_) {
    if (feed.status == ProcessingStatus::kInQueue && now >= feed.start_due) {
      feed.status = ProcessingStatus::kInProgress;
      feed.processing_start_time = feed.start_due;
    }
    if (feed.status == ProcessingStatus::kInProgress && now >= feed.end_due)
      FinishFeedLocked(feed, now);
  }
  for (auto& [id, report] : reports_) {
    if (report.status == ProcessingStatus::kInQueue &&
        now >= report.due - config_.report_delay / 2) {
      report.status = ProcessingStatus::kInProgress;
      report.processing_start_time = report.due - config_.report_delay / 2;
    }
    if (report.status == ProcessingStatus::kInProgress && now >= report.due) {
      // Requested reports have no data source in the sandbox; Amazon cancels a report that has no
      // data to return.
      report.status = ProcessingStatus::kCancelled;
      report.processing_end_time = report.due;
    }
  }
}

std::optional<Feed> AmazonWorld::GetFeed(const std::string& seller_id,
                                         const std::string& feed_id) const {
  std::lock_guard lock(mu_);
  auto it = feeds_.find(feed_id);
  if (it == feeds_.end() || it->second.seller_id != seller_id) return std::nullopt;
  return it->second;
}

Result<void> AmazonWorld::CancelFeed(const std::string& seller_id, const std::string& feed_id) {
  std::lock_guard lock(mu_);
  ProcessDueLocked(clock_.Now());
  auto it = feeds_.find(feed_id);
  if (it == feeds_.end() || it->second.seller_id != seller_id) {
    return tl::unexpected(WorldError{404, "NotFound", "Feed " + feed_id + " not found"});
  }
  if (it->second.status != ProcessingStatus::kInQueue) {
    return tl::unexpected(
        WorldError{400, "InvalidInput", "Only feeds in status IN_QUEUE can be cancelled"});
  }
  it->second.status = ProcessingStatus::kCancelled;
  return {};
}

std::vector<Feed> AmazonWorld::Feeds(const std::string& seller_id) const {
  std::lock_guard lock(mu_);
  std::vector<Feed> out;
  for (const auto& [id, feed] : feeds_) {
    if (feed.seller_id == seller_id) out.push_back(feed);
  }
  return out;
}

// ---- Reports --------------------------------------------------------------------------------

Result<Report> AmazonWorld::CreateReport(const std::string& seller_id,
                                         const std::string& report_type,
                                         const std::vector<std::string>& marketplace_ids,
                                         std::optional<SimTime> data_start,
                                         std::optional<SimTime> data_end) {
  // Settlement reports are generated on Amazon's schedule only; these are Amazon's answers
  // (amzn/selling-partner-api-models #1265, #1948).
  if (report_type == kSettlementReportType) {
    return tl::unexpected(WorldError{400, "InvalidInput",
                                     "Request for report type 1118 is not allowed at this time"});
  }
  if (report_type == "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE") {
    return tl::unexpected(WorldError{400, "InvalidInput",
                                     "Request for report type 1117 is not allowed at this time"});
  }
  if (report_type.empty() || marketplace_ids.empty() || marketplace_ids.size() > 25) {
    return tl::unexpected(
        WorldError{400, "InvalidInput", "reportType and 1 to 25 marketplaceIds are required"});
  }
  for (const auto& id : marketplace_ids) {
    if (FindMarketplace(id) == nullptr) {
      return tl::unexpected(WorldError{400, "InvalidInput", "Invalid marketplaceId: " + id});
    }
  }
  std::lock_guard lock(mu_);
  Report report;
  report.report_id = NewId("", 11);
  report.seller_id = seller_id;
  report.report_type = report_type;
  report.marketplace_ids = marketplace_ids;
  report.created_time = clock_.Now();
  report.data_start_time = data_start;
  report.data_end_time = data_end;
  report.due = report.created_time + config_.report_delay;
  reports_[report.report_id] = report;
  return report;
}

Report AmazonWorld::AddReport(const std::string& seller_id, const std::string& report_type,
                              const std::string& marketplace_id, std::string content,
                              SimTime created_time, bool gzip) {
  std::lock_guard lock(mu_);
  Report report;
  report.report_id = NewId("", 11);
  report.seller_id = seller_id;
  report.report_type = report_type;
  report.marketplace_ids = {marketplace_id};
  report.created_time = created_time;
  report.status = ProcessingStatus::kDone;
  report.due = created_time;
  report.processing_start_time = created_time;
  report.processing_end_time = created_time;
  Document& doc = StoreDocumentLocked("text/plain", std::move(content), gzip);
  document_owner_[doc.id] = seller_id;
  report.report_document_id = doc.id;
  reports_[report.report_id] = report;
  return report;
}

std::optional<Report> AmazonWorld::GetReport(const std::string& seller_id,
                                             const std::string& report_id) const {
  std::lock_guard lock(mu_);
  auto it = reports_.find(report_id);
  if (it == reports_.end() || it->second.seller_id != seller_id) return std::nullopt;
  return it->second;
}

Result<void> AmazonWorld::CancelReport(const std::string& seller_id, const std::string& report_id) {
  std::lock_guard lock(mu_);
  ProcessDueLocked(clock_.Now());
  auto it = reports_.find(report_id);
  if (it == reports_.end() || it->second.seller_id != seller_id) {
    return tl::unexpected(WorldError{404, "NotFound", "Report " + report_id + " not found"});
  }
  if (it->second.status != ProcessingStatus::kInQueue) {
    return tl::unexpected(
        WorldError{400, "InvalidInput", "Only reports in status IN_QUEUE can be cancelled"});
  }
  it->second.status = ProcessingStatus::kCancelled;
  return {};
}

std::vector<Report> AmazonWorld::Reports(const std::string& seller_id) const {
  std::lock_guard lock(mu_);
  std::vector<Report> out;
  for (const auto& [id, report] : reports_) {
    if (report.seller_id == seller_id) out.push_back(report);
  }
  return out;
}

}  // namespace sandbox::amazon

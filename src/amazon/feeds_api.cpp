// Feeds 2021-06-30 (feeds_2021-06-30.json) and the JSON_LISTINGS_FEED processing report
// (listings-feed-processing-report-schema-v2.json).
#include "amazon/amazon_json.hpp"
#include "amazon/documents.hpp"
#include "amazon/sp_api_amazon_api.hpp"

namespace mb::amazon {

namespace {

using nlohmann::json;

constexpr char kFeedsBase[] = "/feeds/2021-06-30";

struct DocumentLocation {
  std::string url;
  std::string compression;
};

}  // namespace

Result<FeedDocumentUpload> SpApiAmazonApi::CreateFeedDocument(std::string_view content_type,
                                                              CallPriority priority) {
  SpApiRequest call;
  call.method = HttpMethod::kPost;
  call.path = std::string(kFeedsBase) + "/documents";
  call.body = json{{"contentType", content_type}}.dump();
  call.operation = "createFeedDocument";
  call.priority = priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  auto id = JsonString(*body, "feedDocumentId");
  auto url = JsonString(*body, "url");
  if (!id || !url || id->empty() || url->empty()) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: createFeedDocument answer lacks feedDocumentId or url");
  }
  return FeedDocumentUpload{*id, *url};
}

Status SpApiAmazonApi::UploadFeedDocument(const FeedDocumentUpload& document,
                                          std::string_view content_type, std::string_view content) {
  return UploadDocument(client_.http(), document.url, content_type, content);
}

Result<FeedId> SpApiAmazonApi::CreateFeed(const CreateFeedRequest& request) {
  json body = {{"feedType", request.feed_type},
               {"marketplaceIds", json::array()},
               {"inputFeedDocumentId", request.input_feed_document_id}};
  for (const auto& id : request.marketplace_ids) body["marketplaceIds"].push_back(id.value());
  if (!request.feed_options.empty()) body["feedOptions"] = request.feed_options;
  SpApiRequest call;
  call.method = HttpMethod::kPost;
  call.path = std::string(kFeedsBase) + "/feeds";
  call.body = body.dump();
  call.operation = "createFeed";
  call.priority = request.priority;
  // The feed type has its own limit on top of createFeed's (5 per 5 minutes for listings).
  if (DocumentedRateLimit(FeedTypeQuota(request.feed_type))) {
    call.extra_quotas.push_back(FeedTypeQuota(request.feed_type));
  }
  auto response = client_.CallJson(call);
  if (!response) return tl::unexpected(response.error());
  auto id = JsonString(*response, "feedId");
  if (!id || id->empty()) {
    return Fail(ErrorCode::kMalformedResponse, "amazon: createFeed answer lacks feedId");
  }
  return FeedId(*id);
}

Result<FeedId> SpApiAmazonApi::SubmitFeed(const CreateFeedRequest& request,
                                          std::string_view content_type, std::string_view content) {
  auto document = CreateFeedDocument(content_type, request.priority);
  if (!document) return tl::unexpected(document.error());
  if (auto uploaded = UploadFeedDocument(*document, content_type, content); !uploaded) {
    return tl::unexpected(uploaded.error());
  }
  CreateFeedRequest create = request;
  create.input_feed_document_id = document->feed_document_id;
  return CreateFeed(create);
}

Result<AmazonFeed> SpApiAmazonApi::GetFeed(const FeedId& feed_id, CallPriority priority) {
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = std::string(kFeedsBase) + "/feeds/" + PathSegment(feed_id.value());
  call.operation = "getFeed";
  call.priority = priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  return ParseGuarded<AmazonFeed>("getFeed", [&]() -> Result<AmazonFeed> {
    AmazonFeed feed;
    auto id = JsonString(*body, "feedId");
    auto type = JsonString(*body, "feedType");
    auto marketplaces = JsonStrings(*body, "marketplaceIds");
    auto created = JsonTime(*body, "createdTime");
    auto status = JsonString(*body, "processingStatus");
    auto start = JsonTime(*body, "processingStartTime");
    auto end = JsonTime(*body, "processingEndTime");
    auto result = JsonString(*body, "resultFeedDocumentId");
    if (!id || !type || !marketplaces || !created || !status || !start || !end || !result ||
        status->empty()) {
      return Fail(ErrorCode::kMalformedResponse, "amazon: getFeed answer does not match the model");
    }
    feed.feed_id = FeedId(*id);
    feed.feed_type = *type;
    for (const auto& m : *marketplaces) feed.marketplace_ids.emplace_back(m);
    feed.created_time = *created;
    feed.processing_status = *status;
    feed.processing_start_time = *start;
    feed.processing_end_time = *end;
    feed.result_feed_document_id = *result;
    return feed;
  });
}

Result<std::string> SpApiAmazonApi::GetFeedDocument(const std::string& feed_document_id,
                                                    CallPriority priority) {
  return GetDocument(client_, kFeedsBase, "getFeedDocument", feed_document_id, priority,
                     "feed document " + feed_document_id);
}

Result<ListingsFeedReport> ParseListingsFeedReport(std::string_view text) {
  auto body = json::parse(text, nullptr, false);
  if (!body.is_object()) {
    return Fail(ErrorCode::kMalformedResponse, "amazon: listings feed report is not a JSON object");
  }
  return ParseGuarded<ListingsFeedReport>(
      "listings feed report", [&]() -> Result<ListingsFeedReport> {
        ListingsFeedReport report;
        if (body.contains("header")) {
          auto feed_id = JsonString(body["header"], "feedId");
          if (!feed_id) return tl::unexpected(feed_id.error());
          report.feed_id = FeedId(*feed_id);
        }
        if (body.contains("summary")) {
          const auto& s = body["summary"];
          struct {
            const char* field;
            int64_t* target;
          } counts[] = {{"errors", &report.errors},
                        {"warnings", &report.warnings},
                        {"messagesProcessed", &report.messages_processed},
                        {"messagesAccepted", &report.messages_accepted},
                        {"messagesInvalid", &report.messages_invalid}};
          for (auto& c : counts) {
            auto value = JsonInt(s, c.field);
            if (!value) return tl::unexpected(value.error());
            *c.target = *value;
          }
        }
        if (body.contains("issues") && body["issues"].is_array()) {
          for (const auto& i : body["issues"]) {
            ListingsFeedIssue issue;
            auto message_id = JsonInt(i, "messageId");
            auto sku = JsonString(i, "sku");
            auto code = JsonString(i, "code");
            auto severity = JsonString(i, "severity");
            auto message = JsonString(i, "message");
            auto attribute = JsonString(i, "attributeName");
            if (!message_id || !sku || !code || !severity || !message || !attribute) {
              return Fail(ErrorCode::kMalformedResponse,
                          "amazon: listings feed report issue does not match the schema");
            }
            issue.message_id = *message_id;
            issue.sku = Sku(*sku);
            issue.code = *code;
            issue.severity = *severity;
            issue.message = *message;
            issue.attribute_name = *attribute;
            report.issues.push_back(std::move(issue));
          }
        }
        return report;
      });
}

Result<ListingsFeedReport> SpApiAmazonApi::GetListingsFeedReport(
    const std::string& feed_document_id, CallPriority priority) {
  auto text = GetFeedDocument(feed_document_id, priority);
  if (!text) return tl::unexpected(text.error());
  return ParseListingsFeedReport(*text);
}

}  // namespace mb::amazon

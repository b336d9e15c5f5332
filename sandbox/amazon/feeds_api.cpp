// Feeds API 2021-06-30: createFeedDocument, createFeed, getFeed, cancelFeed, getFeeds,
// getFeedDocument. Processing itself lives in AmazonWorld (world_feeds.cpp).
#include <algorithm>

#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"

namespace sandbox::amazon {
namespace {

using nlohmann::json;

ApiResponse Invalid(const std::string& message) {
  return ApiResponse::Error(400, "InvalidInput", message);
}

json FeedJson(const Feed& feed) {
  json j = {{"feedId", feed.feed_id},
            {"feedType", feed.feed_type},
            {"marketplaceIds", feed.marketplace_ids},
            {"createdTime", FormatIso(feed.created_time)},
            {"processingStatus", ProcessingStatusName(feed.status)}};
  if (feed.processing_start_time) j["processingStartTime"] = FormatIso(*feed.processing_start_time);
  if (feed.processing_end_time) j["processingEndTime"] = FormatIso(*feed.processing_end_time);
  if (!feed.result_document_id.empty()) j["resultFeedDocumentId"] = feed.result_document_id;
  return j;
}

ApiResponse CreateFeedDocument(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto body = ParseJsonBody(req.http, &error);
  if (!body) return error;
  if (!body->is_object() || !body->contains("contentType") || !(*body)["contentType"].is_string()) {
    return Invalid("contentType is required.");
  }
  Document doc = world.CreateUploadDocument((*body)["contentType"]);
  auto url = world.DocumentUrl(doc.id, false);
  return ApiResponse::Json(201, {{"feedDocumentId", doc.id}, {"url", *url}});
}

ApiResponse CreateFeed(AmazonWorld& world, RateLimiter& limiter, const ApiRequest& req) {
  ApiResponse error;
  auto body = ParseJsonBody(req.http, &error);
  if (!body) return error;
  const json& b = *body;
  if (!b.is_object() || !b.contains("feedType") || !b["feedType"].is_string() ||
      !b.contains("marketplaceIds") || !b["marketplaceIds"].is_array() ||
      !b.contains("inputFeedDocumentId") || !b["inputFeedDocumentId"].is_string()) {
    return Invalid("feedType, marketplaceIds and inputFeedDocumentId are required.");
  }
  std::vector<std::string> marketplaces;
  for (const auto& m : b["marketplaceIds"]) {
    if (!m.is_string()) return Invalid("marketplaceIds must hold strings.");
    marketplaces.push_back(m);
  }
  if (b.contains("feedOptions") && !b["feedOptions"].is_object())
    return Invalid("feedOptions must be an object.");
  const std::string type = b["feedType"];
  if (type == "JSON_LISTINGS_FEED" && !marketplaces.empty()) {
    const Marketplace* m = FindMarketplace(marketplaces.front());
    if (m != nullptr &&
        !limiter.TryAcquireListingsFeed(req.seller_id, RegionName(m->region), req.now)) {
      return ApiResponse::Error(429, "QuotaExceeded",
                                "You exceeded your quota for the requested resource.");
    }
  }
  auto feed = world.CreateFeed(req.seller_id, type, marketplaces, b["inputFeedDocumentId"]);
  if (!feed)
    return ApiResponse::Error(feed.error().http_status, feed.error().code, feed.error().message);
  return ApiResponse::Json(202, {{"feedId", feed->feed_id}});
}

ApiResponse GetFeed(AmazonWorld& world, const ApiRequest& req) {
  auto feed = world.GetFeed(req.seller_id, req.PathParam(1));
  if (!feed) return ApiResponse::Error(404, "NotFound", "Feed " + req.PathParam(1) + " not found.");
  return ApiResponse::Json(200, FeedJson(*feed));
}

ApiResponse CancelFeed(AmazonWorld& world, const ApiRequest& req) {
  auto done = world.CancelFeed(req.seller_id, req.PathParam(1));
  if (!done)
    return ApiResponse::Error(done.error().http_status, done.error().code, done.error().message);
  return ApiResponse::Empty(200);
}

ApiResponse GetFeeds(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  auto q = ParseListQuery(req, "feedTypes", false, &error);
  if (!q) return error;
  std::vector<Feed> matching;
  for (auto& f : world.Feeds(req.seller_id)) {
    if (ListQueryMatches(*q, f.feed_type, ProcessingStatusName(f.status), f.marketplace_ids,
                         f.created_time)) {
      matching.push_back(std::move(f));
    }
  }
  std::stable_sort(matching.begin(), matching.end(),
                   [](const Feed& a, const Feed& b) { return a.created_time > b.created_time; });
  json feeds = json::array();
  size_t end = std::min(matching.size(), q->offset + static_cast<size_t>(q->page_size));
  for (size_t i = q->offset; i < end; ++i) feeds.push_back(FeedJson(matching[i]));
  json body = {{"feeds", feeds}};
  if (end < matching.size()) body["nextToken"] = NextListToken(*q, end);
  return ApiResponse::Json(200, body);
}

}  // namespace

ApiResponse DocumentAnswer(AmazonWorld& world, const ApiRequest& req, const char* id_field) {
  const std::string id = req.PathParam(1);
  if (world.DocumentOwner(id) != req.seller_id) {
    return ApiResponse::Error(404, "NotFound", "Document " + id + " not found.");
  }
  const bool encoding_header =
      req.Param("enableContentEncodingUrlHeader").value_or("false") == "true";
  auto url = world.DocumentUrl(id, encoding_header);
  auto doc = world.GetDocument(id);
  json body = {{id_field, id}, {"url", *url}};
  if (doc->gzip) body["compressionAlgorithm"] = "GZIP";
  return ApiResponse::Json(200, body);
}

void AddFeedsRoutes(ApiRouter& router, AmazonWorld& world, RateLimiter& limiter) {
  router.Add("POST", "/feeds/2021-06-30/documents", "feeds.createFeedDocument",
             [&world](const ApiRequest& r) { return CreateFeedDocument(world, r); });
  router.Add("GET", "/feeds/2021-06-30/documents/([^/]+)", "feeds.getFeedDocument",
             [&world](const ApiRequest& r) { return DocumentAnswer(world, r, "feedDocumentId"); });
  router.Add("POST", "/feeds/2021-06-30/feeds", "feeds.createFeed",
             [&world, &limiter](const ApiRequest& r) { return CreateFeed(world, limiter, r); });
  router.Add("GET", "/feeds/2021-06-30/feeds", "feeds.getFeeds",
             [&world](const ApiRequest& r) { return GetFeeds(world, r); });
  router.Add("GET", "/feeds/2021-06-30/feeds/([^/]+)", "feeds.getFeed",
             [&world](const ApiRequest& r) { return GetFeed(world, r); });
  router.Add("DELETE", "/feeds/2021-06-30/feeds/([^/]+)", "feeds.cancelFeed",
             [&world](const ApiRequest& r) { return CancelFeed(world, r); });
}

}  // namespace sandbox::amazon

// Listings Items 2021-08-01: get, put, patch, delete, search (listingsItems_2021-08-01.json).
#include "amazon/amazon_json.hpp"
#include "amazon/sp_api_amazon_api.hpp"
#include "core/timestamp.hpp"

namespace mb::amazon {

namespace {

using nlohmann::json;

constexpr char kListingsBase[] = "/listings/2021-08-01/items/";

std::string ItemPath(const SpApiClient& client, const Sku& sku) {
  return kListingsBase + PathSegment(client.seller_id()) + "/" + PathSegment(sku.value());
}

Result<ListingsIssue> ParseIssue(const json& object) {
  ListingsIssue issue;
  auto code = JsonString(object, "code");
  auto message = JsonString(object, "message");
  auto severity = JsonString(object, "severity");
  auto attributes = JsonStrings(object, "attributeNames");
  auto categories = JsonStrings(object, "categories");
  if (!code || !message || !severity || !attributes || !categories) {
    return Fail(ErrorCode::kMalformedResponse, "amazon: listings issue does not match the model");
  }
  issue.code = *code;
  issue.message = *message;
  issue.severity = *severity;
  issue.attribute_names = *attributes;
  issue.categories = *categories;
  return issue;
}

Status ParseIssues(const json& object, std::vector<ListingsIssue>& out) {
  if (!object.contains("issues") || !object["issues"].is_array()) return {};
  for (const auto& entry : object["issues"]) {
    auto issue = ParseIssue(entry);
    if (!issue) return tl::unexpected(issue.error());
    out.push_back(std::move(*issue));
  }
  return {};
}

Result<ListingsSubmission> ParseSubmission(const json& body) {
  ListingsSubmission submission;
  auto sku = JsonString(body, "sku");
  auto status = JsonString(body, "status");
  auto id = JsonString(body, "submissionId");
  if (!sku || !status || !id || status->empty()) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: listings submission response lacks sku, status or submissionId");
  }
  submission.sku = Sku(*sku);
  submission.status = *status;
  submission.submission_id = *id;
  if (auto s = ParseIssues(body, submission.issues); !s) return tl::unexpected(s.error());
  return submission;
}

Result<ListingsItem> ParseItem(const json& body) {
  ListingsItem item;
  auto sku = JsonString(body, "sku");
  if (!sku) return tl::unexpected(sku.error());
  item.sku = Sku(*sku);
  if (body.contains("summaries") && body["summaries"].is_array()) {
    for (const auto& s : body["summaries"]) {
      ListingsItemSummary summary;
      auto marketplace = JsonString(s, "marketplaceId");
      auto asin = JsonString(s, "asin");
      auto type = JsonString(s, "productType");
      auto condition = JsonString(s, "conditionType");
      auto status = JsonStrings(s, "status");
      auto name = JsonString(s, "itemName");
      auto updated = JsonTime(s, "lastUpdatedDate");
      if (!marketplace || !asin || !type || !condition || !status || !name || !updated) {
        return Fail(ErrorCode::kMalformedResponse,
                    "amazon: listings summary does not match the model");
      }
      summary.marketplace_id = MarketplaceId(*marketplace);
      summary.asin = Asin(*asin);
      summary.product_type = *type;
      summary.condition_type = *condition;
      summary.status = *status;
      summary.item_name = *name;
      summary.last_updated_date = *updated;
      item.summaries.push_back(std::move(summary));
    }
  }
  if (body.contains("attributes") && body["attributes"].is_object()) {
    item.attributes_json = body["attributes"].dump();
  }
  if (auto s = ParseIssues(body, item.issues); !s) return tl::unexpected(s.error());
  if (body.contains("offers") && body["offers"].is_array()) {
    for (const auto& o : body["offers"]) {
      auto marketplace = JsonString(o, "marketplaceId");
      auto type = JsonString(o, "offerType");
      auto price = JsonMoney(o, "price");
      if (!marketplace || !type || !price) {
        return Fail(ErrorCode::kMalformedResponse,
                    "amazon: listings offer does not match the model");
      }
      item.offers.push_back({MarketplaceId(*marketplace), *type, *price});
    }
  }
  if (body.contains("fulfillmentAvailability") && body["fulfillmentAvailability"].is_array()) {
    for (const auto& f : body["fulfillmentAvailability"]) {
      auto code = JsonString(f, "fulfillmentChannelCode");
      if (!code) return tl::unexpected(code.error());
      FulfillmentAvailability availability{*code, std::nullopt};
      if (f.contains("quantity") && f["quantity"].is_number_integer()) {
        availability.quantity = f["quantity"].get<int64_t>();
      }
      item.fulfillment_availability.push_back(std::move(availability));
    }
  }
  return item;
}

void AddCommonQuery(QueryParams& query, const std::vector<MarketplaceId>& marketplaces,
                    const std::string& issue_locale) {
  query.emplace_back("marketplaceIds", JoinIds(marketplaces));
  if (!issue_locale.empty()) query.emplace_back("issueLocale", issue_locale);
}

}  // namespace

Result<ListingsItem> SpApiAmazonApi::GetListingsItem(const GetListingsItemRequest& request) {
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = ItemPath(client_, request.sku);
  AddCommonQuery(call.query, request.marketplace_ids, request.issue_locale);
  if (!request.included_data.empty()) {
    call.query.emplace_back("includedData", JoinCsv(request.included_data));
  }
  call.operation = "getListingsItem";
  call.priority = request.priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  return ParseGuarded<ListingsItem>("getListingsItem", [&] { return ParseItem(*body); });
}

Result<ListingsSubmission> SpApiAmazonApi::PutListingsItem(const PutListingsItemRequest& request) {
  auto attributes = json::parse(request.attributes_json, nullptr, false);
  if (!attributes.is_object()) {
    return Fail(ErrorCode::kInvalidInput, "amazon: putListingsItem for " + request.sku.value() +
                                              ": attributes are not a JSON object");
  }
  json body = {{"productType", request.product_type}, {"attributes", attributes}};
  if (!request.requirements.empty()) body["requirements"] = request.requirements;
  SpApiRequest call;
  call.method = HttpMethod::kPut;
  call.path = ItemPath(client_, request.sku);
  AddCommonQuery(call.query, {request.marketplace_id}, request.issue_locale);
  if (request.validation_preview) call.query.emplace_back("mode", "VALIDATION_PREVIEW");
  call.body = body.dump();
  call.operation = "putListingsItem";
  call.priority = request.priority;
  auto response = client_.CallJson(call);
  if (!response) return tl::unexpected(response.error());
  return ParseGuarded<ListingsSubmission>("putListingsItem",
                                          [&] { return ParseSubmission(*response); });
}

Result<ListingsSubmission> SpApiAmazonApi::PatchListingsItem(
    const PatchListingsItemRequest& request) {
  json patches = json::array();
  for (const auto& patch : request.patches) {
    json entry = {{"op", patch.op}, {"path", patch.path}};
    if (!patch.value_json.empty()) {
      auto value = json::parse(patch.value_json, nullptr, false);
      if (!value.is_array()) {
        return Fail(ErrorCode::kInvalidInput, "amazon: patchListingsItem for " +
                                                  request.sku.value() + ": value of " + patch.path +
                                                  " is not a JSON array");
      }
      entry["value"] = std::move(value);
    }
    patches.push_back(std::move(entry));
  }
  SpApiRequest call;
  call.method = HttpMethod::kPatch;
  call.path = ItemPath(client_, request.sku);
  AddCommonQuery(call.query, request.marketplace_ids, request.issue_locale);
  if (request.validation_preview) call.query.emplace_back("mode", "VALIDATION_PREVIEW");
  call.body = json{{"productType", request.product_type}, {"patches", patches}}.dump();
  call.operation = "patchListingsItem";
  call.priority = request.priority;
  auto response = client_.CallJson(call);
  if (!response) return tl::unexpected(response.error());
  return ParseGuarded<ListingsSubmission>("patchListingsItem",
                                          [&] { return ParseSubmission(*response); });
}

Result<ListingsSubmission> SpApiAmazonApi::DeleteListingsItem(
    const DeleteListingsItemRequest& request) {
  SpApiRequest call;
  call.method = HttpMethod::kDelete;
  call.path = ItemPath(client_, request.sku);
  AddCommonQuery(call.query, {request.marketplace_id}, request.issue_locale);
  call.operation = "deleteListingsItem";
  call.priority = request.priority;
  auto response = client_.CallJson(call);
  if (!response) return tl::unexpected(response.error());
  return ParseGuarded<ListingsSubmission>("deleteListingsItem",
                                          [&] { return ParseSubmission(*response); });
}

Result<ListingsItemsPage> SpApiAmazonApi::SearchListingsItems(
    const SearchListingsItemsRequest& request) {
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = kListingsBase + PathSegment(client_.seller_id());
  call.query.emplace_back("marketplaceIds", JoinIds(request.marketplace_ids));
  if (!request.included_data.empty()) {
    call.query.emplace_back("includedData", JoinCsv(request.included_data));
  }
  if (!request.identifiers.empty()) {
    call.query.emplace_back("identifiers", JoinCsv(request.identifiers));
    call.query.emplace_back("identifiersType", request.identifiers_type);
  }
  if (request.last_updated_after) {
    call.query.emplace_back("lastUpdatedAfter", FormatTimestamp(*request.last_updated_after));
  }
  call.query.emplace_back("pageSize", std::to_string(request.page_size));
  if (!request.sort_by.empty()) call.query.emplace_back("sortBy", request.sort_by);
  if (!request.sort_order.empty()) call.query.emplace_back("sortOrder", request.sort_order);
  if (!request.page_token.empty()) call.query.emplace_back("pageToken", request.page_token);
  call.operation = "searchListingsItems";
  call.priority = request.priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  return ParseGuarded<ListingsItemsPage>("searchListingsItems", [&]() -> Result<ListingsItemsPage> {
    ListingsItemsPage page;
    auto count = JsonInt(*body, "numberOfResults");
    if (!count) return tl::unexpected(count.error());
    page.number_of_results = *count;
    if (body->contains("items") && (*body)["items"].is_array()) {
      for (const auto& entry : (*body)["items"]) {
        auto item = ParseItem(entry);
        if (!item) return tl::unexpected(item.error());
        page.items.push_back(std::move(*item));
      }
    }
    if (body->contains("pagination")) {
      auto next = JsonString((*body)["pagination"], "nextToken");
      if (!next) return tl::unexpected(next.error());
      page.next_token = *next;
    }
    return page;
  });
}

Duration SpApiAmazonApi::QuotaWait(std::string_view operation, CallPriority priority) {
  return governor_.TimeUntilAvailable({client_.seller_id(), region_, std::string(operation)},
                                      priority);
}

}  // namespace mb::amazon

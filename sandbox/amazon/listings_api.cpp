// Listings Items API 2021-08-01: get, put, patch, delete, searchListingsItems.
#include <algorithm>
#include <set>

#include "sandbox/amazon/amazon_server.hpp"
#include "sandbox/amazon/iso_time.hpp"

namespace sandbox::amazon {
namespace {

using nlohmann::json;

const std::set<std::string> kItemData = {
    "summaries",   "attributes",    "issues",      "offers", "fulfillmentAvailability",
    "procurement", "relationships", "productTypes"};
const std::set<std::string> kSubmissionData = {"identifiers", "issues"};
constexpr int kMaxPageSize = 20;

ApiResponse Invalid(const std::string& message) {
  return ApiResponse::Error(400, "InvalidInput", message);
}

// marketplaceIds (required) resolved to marketplaces of one region.
std::optional<std::vector<const Marketplace*>> Marketplaces(const ApiRequest& req, size_t max,
                                                            ApiResponse* error) {
  std::vector<const Marketplace*> out;
  auto ids = req.ArrayParam("marketplaceIds");
  if (ids.empty()) {
    *error = Invalid("Missing required parameter marketplaceIds.");
    return std::nullopt;
  }
  if (ids.size() > max) {
    *error =
        Invalid("marketplaceIds accepts " + std::to_string(max) + " value(s) for this operation.");
    return std::nullopt;
  }
  for (const auto& id : ids) {
    const Marketplace* m = FindMarketplace(id);
    if (m == nullptr || (!out.empty() && m->region != out.front()->region)) {
      *error = Invalid("Invalid marketplaceIds value: " + id);
      return std::nullopt;
    }
    out.push_back(m);
  }
  return out;
}

std::optional<std::set<std::string>> Included(const ApiRequest& req,
                                              const std::set<std::string>& allowed,
                                              const std::string& fallback, ApiResponse* error) {
  auto values = req.ArrayParam("includedData");
  if (values.empty()) values = {fallback};
  std::set<std::string> out;
  for (const auto& v : values) {
    if (!allowed.count(v)) {
      *error = Invalid("Invalid includedData value: " + v);
      return std::nullopt;
    }
    out.insert(v);
  }
  return out;
}

bool SellerMatches(const ApiRequest& req, ApiResponse* error) {
  if (req.PathParam(1) == req.seller_id) return true;
  *error = ApiResponse::Error(403, "Unauthorized", "Access to requested resource is denied.");
  return false;
}

std::vector<std::string> ListingStatus(const Listing& listing, const Marketplace& m) {
  if (ListedQuantity(listing) > 0 && OfferPrice(listing, m)) return {"BUYABLE", "DISCOVERABLE"};
  return {"DISCOVERABLE"};
}

json ItemJson(const Listing& listing, const std::vector<const Marketplace*>& marketplaces,
              const std::set<std::string>& included) {
  json item = {{"sku", listing.sku}};
  std::vector<const Marketplace*> offered;
  for (const Marketplace* m : marketplaces) {
    if (listing.marketplace_ids.count(std::string(m->id))) offered.push_back(m);
  }
  if (included.count("summaries")) {
    json summaries = json::array();
    std::string name = listing.sku;
    if (listing.attributes.contains("item_name") && listing.attributes["item_name"].is_array() &&
        !listing.attributes["item_name"].empty()) {
      name = listing.attributes["item_name"][0].value("value", listing.sku);
    }
    for (const Marketplace* m : offered) {
      summaries.push_back({{"marketplaceId", m->id},
                           {"asin", listing.asin},
                           {"productType", listing.product_type},
                           {"conditionType", "new_new"},
                           {"status", ListingStatus(listing, *m)},
                           {"itemName", name},
                           {"createdDate", FormatIso(listing.created_date)},
                           {"lastUpdatedDate", FormatIso(listing.last_updated_date)}});
    }
    item["summaries"] = summaries;
  }
  if (included.count("attributes")) item["attributes"] = listing.attributes;
  if (included.count("issues")) item["issues"] = listing.issues;
  if (included.count("offers")) {
    json offers = json::array();
    for (const Marketplace* m : offered) {
      if (auto price = OfferPrice(listing, *m)) {
        offers.push_back(
            {{"marketplaceId", m->id},
             {"offerType", "B2C"},
             {"price", {{"currencyCode", price->currency}, {"amount", FormatAmount(price->minor)}}},
             {"audience", {{"value", "ALL"}, {"displayName", "Sell on Amazon"}}}});
      }
    }
    item["offers"] = offers;
  }
  if (included.count("fulfillmentAvailability")) {
    json fa = json::array();
    if (listing.attributes.contains("fulfillment_availability")) {
      for (const auto& entry : listing.attributes["fulfillment_availability"]) {
        json out = {{"fulfillmentChannelCode", entry.value("fulfillment_channel_code", "DEFAULT")}};
        if (entry.contains("quantity")) out["quantity"] = entry["quantity"];
        fa.push_back(out);
      }
    }
    item["fulfillmentAvailability"] = fa;
  }
  if (included.count("productTypes")) {
    json types = json::array();
    for (const Marketplace* m : offered)
      types.push_back({{"marketplaceId", m->id}, {"productType", listing.product_type}});
    item["productTypes"] = types;
  }
  return item;
}

ApiResponse SubmissionJson(const Submission& sub, const std::set<std::string>& included,
                           const std::optional<Listing>& listing,
                           const std::vector<const Marketplace*>& ms) {
  json body = {{"sku", sub.sku}, {"status", sub.status}, {"submissionId", sub.submission_id}};
  if (included.count("issues")) body["issues"] = sub.issues;
  if (included.count("identifiers")) {
    json ids = json::array();
    if (listing) {
      for (const Marketplace* m : ms)
        ids.push_back({{"marketplaceId", m->id}, {"asin", listing->asin}});
    }
    body["identifiers"] = ids;
  }
  return ApiResponse::Json(200, body);
}

ApiResponse GetItem(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  if (!SellerMatches(req, &error)) return error;
  auto ms = Marketplaces(req, 50, &error);
  if (!ms) return error;
  auto included = Included(req, kItemData, "summaries", &error);
  if (!included) return error;
  const std::string sku = req.PathParam(2);
  auto listing = world.GetListing(req.seller_id, ms->front()->region, sku);
  if (!listing) {
    return ApiResponse::Error(
        404, "NOT_FOUND",
        "SKU '" + sku + "' not found in marketplace " + std::string(ms->front()->id));
  }
  return ApiResponse::Json(200, ItemJson(*listing, *ms, *included));
}

ApiResponse Submit(AmazonWorld& world, const ApiRequest& req, bool patch) {
  ApiResponse error;
  if (!SellerMatches(req, &error)) return error;
  auto ms = Marketplaces(req, patch ? 50 : 1, &error);
  if (!ms) return error;
  auto included = Included(req, kSubmissionData, "issues", &error);
  if (!included) return error;
  bool validate_only = false;
  if (auto mode = req.Param("mode")) {
    if (*mode != "VALIDATION_PREVIEW") return Invalid("Invalid mode: " + *mode);
    validate_only = true;
  }
  auto body = ParseJsonBody(req.http, &error);
  if (!body) return error;
  const std::string sku = req.PathParam(2);
  const std::string marketplace(ms->front()->id);
  const std::string issue_locale = req.Param("issueLocale").value_or("");
  auto sub =
      patch
          ? world.PatchListing(req.seller_id, marketplace, sku, *body, validate_only, issue_locale)
          : world.PutListing(req.seller_id, marketplace, sku, *body, validate_only, issue_locale);
  if (!sub)
    return ApiResponse::Error(sub.error().http_status, sub.error().code, sub.error().message);
  return SubmissionJson(*sub, *included, world.GetListing(req.seller_id, ms->front()->region, sku),
                        *ms);
}

ApiResponse DeleteItem(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  if (!SellerMatches(req, &error)) return error;
  auto ms = Marketplaces(req, 1, &error);
  if (!ms) return error;
  auto sub = world.DeleteListing(req.seller_id, std::string(ms->front()->id), req.PathParam(2));
  if (!sub)
    return ApiResponse::Error(sub.error().http_status, sub.error().code, sub.error().message);
  return SubmissionJson(*sub, {"issues"}, std::nullopt, *ms);
}

ApiResponse Search(AmazonWorld& world, const ApiRequest& req) {
  ApiResponse error;
  if (!SellerMatches(req, &error)) return error;
  auto ms = Marketplaces(req, 1, &error);
  if (!ms) return error;
  auto included = Included(req, kItemData, "summaries", &error);
  if (!included) return error;
  int page_size = 10;
  if (auto text = req.Param("pageSize")) {
    page_size = std::atoi(text->c_str());
    if (page_size < 1 || page_size > kMaxPageSize)
      return Invalid("pageSize must be between 1 and 20.");
  }
  size_t offset = 0;
  if (auto token = req.Param("pageToken")) {
    auto decoded = HexDecode(*token);
    auto j = decoded ? json::parse(*decoded, nullptr, false) : json(nullptr);
    if (!j.is_object() || !j.contains("o") || !j["o"].is_number_unsigned())
      return Invalid("Invalid pageToken.");
    offset = j["o"].get<size_t>();
  }
  auto identifiers = req.ArrayParam("identifiers");
  if (identifiers.size() > 20) return Invalid("identifiers accepts at most 20 values.");
  const std::string id_type = req.Param("identifiersType").value_or("");
  if (!identifiers.empty() && id_type != "SKU" && id_type != "ASIN") {
    return Invalid("identifiersType SKU or ASIN is required with identifiers.");
  }
  auto with_status = req.ArrayParam("withStatus");
  auto without_status = req.ArrayParam("withoutStatus");
  const std::string sort_by = req.Param("sortBy").value_or("lastUpdatedDate");
  const std::string sort_order = req.Param("sortOrder").value_or("DESC");
  if (sort_by != "sku" && sort_by != "createdDate" && sort_by != "lastUpdatedDate")
    return Invalid("Invalid sortBy.");
  if (sort_order != "ASC" && sort_order != "DESC") return Invalid("Invalid sortOrder.");
  const Marketplace& m = *ms->front();
  const std::string marketplace_id(m.id);
  auto matches = [&](const Listing& listing) {
    if (!listing.marketplace_ids.count(marketplace_id)) return false;
    if (!identifiers.empty()) {
      const std::string& key = id_type == "SKU" ? listing.sku : listing.asin;
      if (std::find(identifiers.begin(), identifiers.end(), key) == identifiers.end()) return false;
    }
    if (with_status.empty() && without_status.empty()) return true;
    auto status = ListingStatus(listing, m);
    auto has = [&](const std::string& s) {
      return std::find(status.begin(), status.end(), s) != status.end();
    };
    if (!with_status.empty() && !std::all_of(with_status.begin(), with_status.end(), has))
      return false;
    return !std::any_of(without_status.begin(), without_status.end(), has);
  };
  // Light rows (SKU, dates) are filtered and sorted; only the page's listings are copied out of
  // the world. A walk by SKU ascending (the world's own order) keeps only the page's SKUs: a
  // seller's 20,000 listings are walked page by page, and a page must not cost a sort of all.
  struct Row {
    std::string sku;
    SimTime created;
    SimTime updated;
  };
  std::vector<Row> matching;
  size_t total = 0;
  const bool sku_walk = identifiers.empty() && sort_by == "sku" && sort_order == "ASC";
  if (sku_walk) {
    world.ForEachListing(req.seller_id, m.region, [&](const Listing& listing) {
      if (!matches(listing)) return;
      if (total >= offset && total < offset + static_cast<size_t>(page_size))
        matching.push_back({listing.sku, listing.created_date, listing.last_updated_date});
      ++total;
    });
  } else {
    auto consider = [&](const Listing& listing) {
      if (matches(listing))
        matching.push_back({listing.sku, listing.created_date, listing.last_updated_date});
    };
    if (!identifiers.empty() && id_type == "SKU") {
      for (const auto& sku : identifiers)
        if (auto listing = world.GetListing(req.seller_id, m.region, sku)) consider(*listing);
    } else {
      world.ForEachListing(req.seller_id, m.region, consider);
    }
    std::stable_sort(matching.begin(), matching.end(), [&](const Row& a, const Row& b) {
      bool less = sort_by == "sku" ? a.sku < b.sku
                  : sort_by == "createdDate"
                      ? std::tie(a.created, a.sku) < std::tie(b.created, b.sku)
                      : std::tie(a.updated, a.sku) < std::tie(b.updated, b.sku);
      bool greater = sort_by == "sku" ? b.sku < a.sku
                     : sort_by == "createdDate"
                         ? std::tie(b.created, b.sku) < std::tie(a.created, a.sku)
                         : std::tie(b.updated, b.sku) < std::tie(a.updated, a.sku);
      return sort_order == "ASC" ? less : greater;
    });
    total = matching.size();
  }
  // `matching` holds the page only on the SKU walk, every match otherwise.
  const size_t end = std::min(total, offset + static_cast<size_t>(page_size));
  const size_t first = sku_walk ? 0 : offset;
  const size_t count = end > offset ? end - offset : 0;
  json items = json::array();
  for (size_t i = first; i < first + count && i < matching.size(); ++i) {
    if (auto listing = world.GetListing(req.seller_id, m.region, matching[i].sku))
      items.push_back(ItemJson(*listing, *ms, *included));
  }
  json body = {{"numberOfResults", total}, {"items", items}};
  json pagination = json::object();
  if (end < total) pagination["nextToken"] = HexEncode(json({{"o", end}}).dump());
  if (offset > 0) {
    pagination["previousToken"] = HexEncode(
        json({{"o", offset > static_cast<size_t>(page_size) ? offset - page_size : 0}}).dump());
  }
  if (!pagination.empty()) body["pagination"] = pagination;
  return ApiResponse::Json(200, body);
}

}  // namespace

void AddListingsRoutes(ApiRouter& router, AmazonWorld& world) {
  const std::string item = "/listings/2021-08-01/items/([^/]+)/([^/]+)";
  router.Add("GET", item, "listings.getListingsItem",
             [&world](const ApiRequest& r) { return GetItem(world, r); });
  router.Add("PUT", item, "listings.putListingsItem",
             [&world](const ApiRequest& r) { return Submit(world, r, false); });
  router.Add("PATCH", item, "listings.patchListingsItem",
             [&world](const ApiRequest& r) { return Submit(world, r, true); });
  router.Add("DELETE", item, "listings.deleteListingsItem",
             [&world](const ApiRequest& r) { return DeleteItem(world, r); });
  router.Add("GET", "/listings/2021-08-01/items/([^/]+)", "listings.searchListingsItems",
             [&world](const ApiRequest& r) { return Search(world, r); });
}

}  // namespace sandbox::amazon

#pragma once
// In-memory Amazon listings and SCAYLE catalogue for the stock loop's unit tests (and the
// flash-sale driver): just enough behaviour to be wrong in the ways the real ones are (feeds that
// reject or silently drop messages, 429s, quota waits).

#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ports/unused_ports.hpp"

namespace mb::sync::testing {

class FakeAmazonListings final : public UnusedAmazonApi {
 public:
  struct Call {
    std::string operation;
    std::string sku;
    std::string body;  // patches or feed document
    CallPriority priority = CallPriority::kNormal;
  };

  // Seller-side state.
  std::map<std::string, int64_t> quantity;      // DEFAULT channel
  std::set<std::string> parents;                // listings without an offer (variation parents)
  std::map<std::string, int> handling_time;     // lead_time_to_ship_max_days
  std::map<std::string, std::string> price;     // marketplace|sku -> value_with_tax text
  std::set<std::string> invalid_skus;           // patch answers INVALID, feed issue ERROR
  std::set<std::string> silently_dropped_skus;  // feed: DONE, no issue, not applied
  // Not listed: patches accepted and not applied (as Amazon does), not found by a search.
  std::set<std::string> unlisted_skus;
  int throttle_next = 0;                       // next N calls answer 429
  bool feeds_done = true;                      // GetFeed reports DONE
  std::map<std::string, Duration> quota_wait;  // operation -> answer of QuotaWait
  // operation -> calls left before QuotaWait asks to wait (absent: no limit); each call spends one.
  std::map<std::string, int> tokens;
  std::vector<Call> calls;

  int CountCalls(const std::string& operation) const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& call : calls) n += call.operation == operation;
    return n;
  }

  Result<ListingsSubmission> PatchListingsItem(const PatchListingsItemRequest& request) override {
    std::lock_guard lock(mu_);
    std::string body;
    for (const auto& p : request.patches) body += p.op + " " + p.path + " " + p.value_json + "\n";
    calls.push_back({"patchListingsItem", request.sku.value(), body, request.priority});
    Spend("patchListingsItem");
    if (throttle_next > 0) {
      --throttle_next;
      return Fail(ErrorCode::kThrottled, "amazon: patchListingsItem returned 429: QuotaExceeded");
    }
    ListingsSubmission answer;
    answer.sku = request.sku;
    answer.submission_id = "sub-" + std::to_string(calls.size());
    if (invalid_skus.count(request.sku.value())) {
      answer.status = "INVALID";
      answer.issues.push_back({"8541", "The SKU does not match the listing", "ERROR", {}, {}});
      return answer;
    }
    answer.status = "ACCEPTED";
    for (const auto& p : request.patches)
      Apply(request.sku.value(), p.path, nlohmann::json::parse(p.value_json));
    return answer;
  }

  Result<FeedId> SubmitFeed(const CreateFeedRequest&, std::string_view,
                            std::string_view content) override {
    std::lock_guard lock(mu_);
    calls.push_back({"createFeed", "", std::string(content), CallPriority::kNormal});
    Spend("createFeed");
    if (throttle_next > 0) {
      --throttle_next;
      return Fail(ErrorCode::kThrottled, "amazon: createFeed returned 429: QuotaExceeded");
    }
    std::string id = "FEED-" + std::to_string(feeds_.size() + 1);
    feeds_[id] = nlohmann::json::parse(content);
    return FeedId(id);
  }

  Result<AmazonFeed> GetFeed(const FeedId& feed_id, CallPriority) override {
    std::lock_guard lock(mu_);
    calls.push_back({"getFeed", "", feed_id.value(), CallPriority::kNormal});
    auto it = feeds_.find(feed_id.value());
    if (it == feeds_.end()) return Fail(ErrorCode::kNotFound, "no feed " + feed_id.value());
    AmazonFeed feed;
    feed.feed_id = feed_id;
    feed.feed_type = "JSON_LISTINGS_FEED";
    if (!feeds_done) {
      feed.processing_status = "IN_PROGRESS";
      return feed;
    }
    feed.processing_status = "DONE";
    feed.result_feed_document_id = "RESULT-" + feed_id.value();
    if (!processed_.count(feed_id.value())) Process(feed_id.value(), it->second);
    return feed;
  }

  Result<ListingsFeedReport> GetListingsFeedReport(const std::string& document_id,
                                                   CallPriority) override {
    std::lock_guard lock(mu_);
    calls.push_back({"getFeedDocument", "", document_id, CallPriority::kNormal});
    auto it = reports_.find(document_id);
    if (it == reports_.end()) return Fail(ErrorCode::kNotFound, "no document " + document_id);
    return it->second;
  }

  Result<ListingsItemsPage> SearchListingsItems(
      const SearchListingsItemsRequest& request) override {
    std::lock_guard lock(mu_);
    calls.push_back({"searchListingsItems", "", "", request.priority});
    Spend("searchListingsItems");
    if (throttle_next > 0) {
      --throttle_next;
      return Fail(ErrorCode::kThrottled, "amazon: searchListingsItems returned 429");
    }
    ListingsItemsPage page;
    std::vector<std::string> skus;
    if (!request.identifiers.empty()) {
      for (const auto& sku : request.identifiers)
        if (quantity.count(sku)) skus.push_back(sku);
    } else {
      for (const auto& [sku, q] : quantity) skus.push_back(sku);
      skus.insert(skus.end(), parents.begin(), parents.end());
    }
    size_t start = request.page_token.empty() ? 0 : std::stoul(request.page_token);
    size_t end = std::min(skus.size(), start + static_cast<size_t>(request.page_size));
    for (size_t i = start; i < end; ++i) {
      ListingsItem item;
      item.sku = Sku(skus[i]);
      if (!parents.count(skus[i]))
        item.fulfillment_availability.push_back({"DEFAULT", quantity[skus[i]]});
      page.items.push_back(std::move(item));
    }
    page.number_of_results = static_cast<int64_t>(skus.size());
    if (end < skus.size()) page.next_token = std::to_string(end);
    return page;
  }

  Duration QuotaWait(std::string_view operation, CallPriority) override {
    std::lock_guard lock(mu_);
    if (auto t = tokens.find(std::string(operation)); t != tokens.end() && t->second <= 0)
      return std::chrono::seconds(1);
    auto it = quota_wait.find(std::string(operation));
    return it == quota_wait.end() ? Duration(0) : it->second;
  }

  // Amazon's own decrement when a buyer orders.
  void BuyerOrders(const std::string& sku, int64_t units) {
    std::lock_guard lock(mu_);
    quantity[sku] = std::max<int64_t>(0, quantity[sku] - units);
  }

 private:
  void Spend(const std::string& operation) {
    if (auto t = tokens.find(operation); t != tokens.end()) --t->second;
  }

  void Apply(const std::string& sku, const std::string& path, const nlohmann::json& value) {
    if (unlisted_skus.count(sku)) return;
    if (path == "/attributes/fulfillment_availability") {
      quantity[sku] = value[0]["quantity"].get<int64_t>();
      if (value[0].contains("lead_time_to_ship_max_days"))
        handling_time[sku] = value[0]["lead_time_to_ship_max_days"].get<int>();
    } else if (path == "/attributes/purchasable_offer") {
      price[value[0]["marketplace_id"].get<std::string>() + "|" + sku] =
          value[0]["our_price"][0]["schedule"][0]["value_with_tax"].dump();
    }
  }

  void Process(const std::string& feed_id, const nlohmann::json& doc) {
    processed_.insert(feed_id);
    ListingsFeedReport report;
    report.feed_id = FeedId(feed_id);
    for (const auto& message : doc["messages"]) {
      std::string sku = message["sku"].get<std::string>();
      ++report.messages_processed;
      if (invalid_skus.count(sku)) {
        ++report.messages_invalid;
        ++report.errors;
        report.issues.push_back({message["messageId"].get<int64_t>(), Sku(sku), "8541", "ERROR",
                                 "The SKU does not match the listing", ""});
        continue;
      }
      ++report.messages_accepted;
      if (silently_dropped_skus.count(sku)) continue;
      for (const auto& patch : message["patches"])
        Apply(sku, patch["path"].get<std::string>(), patch["value"]);
    }
    reports_["RESULT-" + feed_id] = report;
  }

  mutable std::mutex mu_;
  std::map<std::string, nlohmann::json> feeds_;
  std::set<std::string> processed_;
  std::map<std::string, ListingsFeedReport> reports_;
};

class FakeScayleCatalogue final : public UnusedScayleApi {
 public:
  std::vector<ScayleProduct> products;
  std::map<std::string, std::vector<ScaylePrice>> prices;  // sku -> prices
  size_t page_size = 2;

  Status ForEachProduct(
      const std::function<Status(const std::vector<ScayleProduct>&)>& page) override {
    for (size_t i = 0; i < products.size(); i += page_size) {
      std::vector<ScayleProduct> chunk(
          products.begin() + static_cast<std::ptrdiff_t>(i),
          products.begin() + static_cast<std::ptrdiff_t>(std::min(products.size(), i + page_size)));
      if (auto ok = page(chunk); !ok) return ok;
    }
    return {};
  }
  Result<std::vector<ScayleStock>> GetVariantStocks(const ScayleVariantRef&) override {
    return std::vector<ScayleStock>{};
  }
  Result<std::vector<ScaylePrice>> GetVariantPrices(const ScayleVariantRef& variant) override {
    return prices[variant.sku.value()];
  }
  // One product with one variant per SKU, stock in the given warehouse.
  void AddVariant(const std::string& sku, const std::string& warehouse, int64_t quantity,
                  TimePoint changed_at, const std::vector<std::string>& category = {}) {
    ScayleProduct product;
    product.id = static_cast<int64_t>(products.size()) + 1;
    product.reference_key = "P-" + sku;
    if (!category.empty()) product.category_paths.push_back(category);
    ScayleVariant variant;
    variant.ref = ScayleVariantRef{product.id * 10, Sku(sku)};
    variant.stocks.push_back(ScayleStock{WarehouseKey(warehouse), quantity, false, changed_at, ""});
    variant.prices = prices[sku];
    product.variants.push_back(std::move(variant));
    products.push_back(std::move(product));
  }
};

// A product-variant-stock-updated webhook: SCAYLE's stock of `sku` in `warehouse` at `changed_at`.
inline ScayleWebhookEvent StockWebhookEvent(const std::string& key, const std::string& sku,
                                            int64_t quantity, TimePoint changed_at,
                                            const std::string& warehouse = "wh-main") {
  ScayleWebhookEvent event;
  event.key = key;
  event.name = "product-variant-stock-updated";
  event.occurred_at = changed_at;
  ScayleStockChange change;
  change.variant = ScayleVariantRef{1, Sku(sku)};
  change.warehouse = WarehouseKey(warehouse);
  change.quantity = quantity;
  change.created_at = changed_at;
  event.stock = change;
  return event;
}

}  // namespace mb::sync::testing

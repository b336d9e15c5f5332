#pragma once
// What the stock and price loop remembers across restarts: the ledger's inputs (stock readings,
// Amazon orders SCAYLE does not hold yet), every push with Amazon's answer, and every feed with
// the per-SKU outcome of its processing report. `marketbridge sku explain` reads it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace mb {

struct StockLevelRow {
  std::string sku;
  std::string warehouse;
  int64_t quantity = 0;
  TimePoint changed_at{};
};

struct OpenOrderRow {
  std::string order_key;
  std::string region;
  std::string sku;
  int64_t units = 0;
  TimePoint ordered_at{};
  std::optional<TimePoint> held_at;
  std::string held_warehouse;
};

struct StockPushRow {
  int64_t id = 0;
  std::string sku;
  std::string region;
  std::string kind;  // quantity, price
  int64_t value = 0;
  std::string currency;  // prices
  uint64_t version = 0;
  std::string lane;  // urgent, normal
  std::string via;   // patchListingsItem, JSON_LISTINGS_FEED
  std::string feed_id;
  TimePoint submitted_at{};
  // Amazon's answer: ACCEPTED / INVALID (per item), applied / rejected / unapplied (feeds), or
  // the error of a call that failed. "" until it came.
  std::string amazon_status;
  std::string amazon_answer;
  std::optional<TimePoint> answered_at;
};

struct StockFeedRow {
  std::string feed_id;
  std::string region;
  TimePoint submitted_at{};
  int64_t messages = 0;
  std::string processing_status;  // IN_QUEUE ... DONE, FATAL, CANCELLED; "reported" once read back
  int64_t accepted = 0;
  int64_t invalid = 0;
  std::optional<TimePoint> finished_at;
};

class StockStore {
 public:
  virtual ~StockStore() = default;

  virtual Status SaveStockLevel(const StockLevelRow& row) = 0;
  virtual Status SaveStockLevels(const std::vector<StockLevelRow>& rows) = 0;
  virtual Result<std::vector<StockLevelRow>> LoadStockLevels() = 0;

  virtual Status SaveOpenOrder(const OpenOrderRow& row) = 0;
  virtual Status DeleteOpenOrder(const std::string& order_key) = 0;
  virtual Result<std::vector<OpenOrderRow>> LoadOpenOrders() = 0;

  // Returns the push id.
  virtual Result<int64_t> RecordPush(const StockPushRow& row) = 0;
  virtual Status RecordPushAnswer(int64_t push_id, const std::string& status,
                                  const std::string& answer, TimePoint at) = 0;
  // Newest first.
  virtual Result<std::vector<StockPushRow>> PushesFor(const std::string& sku, int limit) = 0;
  // The newest landed push per (sku, region, kind): what Amazon was last told.
  virtual Result<std::vector<StockPushRow>> LastLandedPushes() = 0;

  virtual Status RecordFeed(const StockFeedRow& feed) = 0;
  virtual Status UpdateFeed(const StockFeedRow& feed) = 0;
  // Feeds whose processing report has not been read back yet.
  virtual Result<std::vector<StockFeedRow>> OpenFeeds() = 0;
  virtual Result<std::vector<StockPushRow>> FeedPushes(const std::string& feed_id) = 0;
};

}  // namespace mb

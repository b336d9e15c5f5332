#pragma once
// The order ledger's persistence (DESIGN §2.2): one record per Amazon order, its timeline across
// Amazon, the engine and SCAYLE (for `marketbridge order trace`), and its personal data, sealed by
// a PiiCipher before it reaches the store and purged after the retention period.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/orders/order_ledger.hpp"

namespace mb {

// Seals personal data (buyer, address) for storage. `context` (the order id) is bound to the
// ciphertext: a sealed value only opens for the order it was sealed for.
class PiiCipher {
 public:
  virtual ~PiiCipher() = default;
  virtual Result<std::string> Encrypt(std::string_view plaintext,
                                      std::string_view context) const = 0;
  virtual Result<std::string> Decrypt(std::string_view sealed, std::string_view context) const = 0;
};

struct OrderTimelineEntry {
  TimePoint at{};
  std::string source;  // amazon, engine, scayle
  std::string event;   // e.g. notification, reserved, created, package_shipped, confirmed
  std::string detail;  // one line, never personal data
};

class OrderStore {
 public:
  virtual ~OrderStore() = default;
  virtual Result<std::optional<orders::OrderRecord>> LoadOrder(const AmazonOrderId& id) = 0;
  // Upserts the record and appends `events` to its timeline in one transaction.
  virtual Status SaveOrder(const orders::OrderRecord& record,
                           std::span<const OrderTimelineEntry> events) = 0;
  // Orders not yet finished (not confirmed, not released), oldest first, `limit` at a time: pass
  // the last record of a page as `after` for the next one (a busy day has thousands open).
  virtual Result<std::vector<orders::OrderRecord>> ListOpenOrders(
      int limit, const orders::OrderRecord* after = nullptr) = 0;
  // Every order first seen in [from, to), for reports and benchmarks.
  virtual Result<std::vector<orders::OrderRecord>> ListOrdersSeen(TimePoint from, TimePoint to) = 0;
  virtual Result<std::vector<OrderTimelineEntry>> Timeline(const AmazonOrderId& id) = 0;

  // Personal data, already sealed.
  virtual Status SavePii(const AmazonOrderId& id, std::string_view sealed, TimePoint now) = 0;
  virtual Result<std::optional<std::string>> LoadPii(const AmazonOrderId& id) = 0;
  // Deletes the personal data of every order whose pii_purge_after has passed; returns how many.
  virtual Result<int> PurgePii(TimePoint now) = 0;
};

}  // namespace mb

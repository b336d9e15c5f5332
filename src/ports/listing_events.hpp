#pragma once
// How the stock loop learns the moment the catalogue loop knows that Amazon lists a SKU, or no
// longer does. Amazon accepts a quantity for a SKU it does not list and applies nothing, so the
// stock loop keeps such values back and sends them once the listing exists. Published after the
// change is recorded, synchronously on the catalogue loop's thread: a subscriber must be quick and
// must not call back into the catalogue loop.

#include <functional>
#include <mutex>
#include <vector>

#include "core/ids.hpp"

namespace mb {

struct ListingChange {
  Sku sku;
  MarketplaceId marketplace_id;
  bool listed = false;  // false: delisted
};

class ListingEvents {
 public:
  using Handler = std::function<void(const ListingChange&)>;
  // Before the catalogue loop starts. Handlers are called in subscription order.
  void Subscribe(Handler handler) {
    std::lock_guard lock(mu_);
    handlers_.push_back(std::move(handler));
  }
  void Publish(const ListingChange& change) const {
    std::vector<Handler> handlers;
    {
      std::lock_guard lock(mu_);
      handlers = handlers_;
    }
    for (const auto& handler : handlers) handler(change);
  }

 private:
  mutable std::mutex mu_;
  std::vector<Handler> handlers_;
};

}  // namespace mb

#pragma once
// Why a SKU shows what it shows on Amazon (`marketbridge sku explain SKU`): every input of the
// current ATS, the rule that shaped it, and the last values pushed with Amazon's answer.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/stock/ats_ledger.hpp"

namespace mb::stock {

struct PushRecord {
  std::string kind;   // quantity, price
  std::string value;  // "7" or "19.99 EUR"
  Version version = 0;
  TimePoint at{};
  std::string via;            // patchListingsItem, JSON_LISTINGS_FEED <feedId>
  std::string amazon_status;  // ACCEPTED, INVALID, DONE, applied, unapplied, ...
  std::string amazon_answer;  // issues as Amazon worded them
};

struct SkuExplanation {
  std::string sku;
  std::string region;
  std::optional<AtsValue> ats;  // unset when SCAYLE does not know the SKU
  bool current = true;          // false: an order newer than the inputs is known
  std::optional<int64_t> pending_quantity;
  std::string price_reason;
  std::vector<PushRecord> pushes;  // newest first
};

std::string FormatExplanation(const SkuExplanation& explanation);

}  // namespace mb::stock

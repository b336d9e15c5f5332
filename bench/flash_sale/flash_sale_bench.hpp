#pragma once
// `marketbridge bench flash-sale` (issue 4 "Measure"): one flash-sale scenario, run with the stock
// loop (src/sync/stock_loop, the engine's code) and with a baseline that uploads a full inventory
// feed every 15 minutes, as the hubs do; each with and without a sale buffer. The worlds are
// in-process on a simulated clock in 1 s steps: Amazon behind its documented limits and the
// sandbox's documented feed processing times, SCAYLE stock, D2C and Amazon buyers, and the order
// loop modelled by its latency (see bench/RESULTS.md for the figures and where they come from).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace mb::bench {

struct FlashSaleOptions {
  int skus = 20000;
  int hot = 2000;    // low stock (1-5 units), 80 % of the sale's demand
  int minutes = 40;  // 10 minutes before the sale, then the sale
  uint64_t seed = 7;
  int d2c_per_s = 12;     // D2C purchase attempts per second during the sale
  int amazon_per_s = 12;  // Amazon buyer attempts per second during the sale
  // The order loop: Amazon's ORDER_CHANGE notification reaches the engine this many seconds after
  // the purchase (uniform between min and max), SCAYLE holds the units `hold_s` later.
  int order_notice_min_s = 2;
  int order_notice_max_s = 8;
  int hold_s = 1;
  int webhook_s = 1;  // SCAYLE's stock webhook after a D2C sale or a hold
  // The sale buffer of the "buffered" runs: list 0 while fewer than this many units are available
  // (a seller's choice, stock.buffer_default "zero_below=N").
  int buffer_zero_below = 2;
  int buffer_percent = 0;  // and hold back this percent of what is available (rounded up)
};

// The JSON report: scenario, then per strategy the fields issue 4 names plus context.
nlohmann::json RunFlashSaleBench(const FlashSaleOptions& options);

}  // namespace mb::bench

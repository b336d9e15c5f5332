#pragma once
// `marketbridge bench orders` (issue 5 "Measure"): a simulated trading day of Amazon orders run
// through the order loop against the sandbox worlds in-process (the market simulation of
// sandbox/market is not there yet, so this drives the Amazon, SCAYLE and SQS worlds itself).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace mb::bench {

struct OrdersBenchOptions {
  int orders = 5000;
  uint64_t seed = 42;
  double cancel_share = 0.04;        // cancelled by the buyer while Pending
  double late_cancel_share = 0.01;   // cancelled after payment, once the SCAYLE order exists
  double unmapped_share = 0.01;      // an item whose SKU SCAYLE does not have
  double multi_package_share = 0.2;  // of orders with 2+ units: shipped in 2 packages
  double lost_notification_share = 0.005;
  double confirm_fault_share = 0.02;  // Amazon answers 503 to a confirmShipment
  double unmapped_carrier_share = 0.005;
  bool sqs_duplicates = true;     // at-least-once delivery: duplicate copies
  int scayle_outage_minutes = 5;  // SCAYLE answers 503 for this long at 10:00
  bool restart_with_kill = true;  // at 12:00 the engine dies mid-reservation and restarts
  std::string db_dir;             // "" = /dev/shm or the temp directory
};

// The JSON report (fields named in issue 5 plus context).
nlohmann::json RunOrdersBench(const OrdersBenchOptions& options);

}  // namespace mb::bench

#pragma once
// Settlement discovery (DESIGN §2.4): settlement reports cannot be requested, Amazon creates one
// per settlement period, so each pass lists the GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 reports
// created since the last pass (with an overlap), downloads each document (gunzipped by the
// AmazonApi adapter) and imports it. Importing is idempotent, so the overlap costs only a download.

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/settlement/settlement_import.hpp"
#include "ports/amazon_api.hpp"
#include "ports/state_store.hpp"

namespace mb::sync {

struct SettlementSyncOptions {
  std::vector<MarketplaceId> marketplace_ids;
  // First pass: how far back to look (Amazon keeps reports 90 days).
  Duration initial_lookback = std::chrono::hours(24 * 90);
  // Later passes start this long before the newest report seen, for reports listed late.
  Duration overlap = std::chrono::hours(24);
  settlement::CompileOptions compile;
};

struct SettlementSyncResult {
  int reports = 0;
  int imported = 0;
  int duplicates = 0;
  int reissues = 0;
  // One line per report that could not be downloaded or parsed; the caller logs them once.
  std::vector<std::string> failures;
};

class SettlementSync {
 public:
  static constexpr const char* kCursor = "settlement.reports.created_since";

  SettlementSync(AmazonApi& amazon, CursorStore& cursors, settlement::SettlementService& service,
                 const settlement::RuleTable& rules, const Clock& clock,
                 SettlementSyncOptions options)
      : amazon_(amazon),
        cursors_(cursors),
        service_(service),
        rules_(rules),
        clock_(clock),
        options_(std::move(options)) {}

  // One pass. Fails only when listing reports or the store fails; a bad document is a failure
  // line and the pass goes on.
  Result<SettlementSyncResult> RunOnce();

 private:
  AmazonApi& amazon_;
  CursorStore& cursors_;
  settlement::SettlementService& service_;
  const settlement::RuleTable& rules_;
  const Clock& clock_;
  SettlementSyncOptions options_;
};

}  // namespace mb::sync

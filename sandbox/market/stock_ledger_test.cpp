#include "sandbox/market/stock_ledger.hpp"

#include <gtest/gtest.h>

namespace sandbox::market {
namespace {

TEST(StockLedgerTest, CountsUnitsAcceptedWhenNoneIsLeft) {
  StockLedger ledger;
  ledger.Set("A", 2);
  ledger.Set("B", 0);
  EXPECT_EQ(ledger.Take("A", 1), 0);
  EXPECT_EQ(ledger.Take("A", 3), 2);  // one from stock, two oversold
  EXPECT_EQ(ledger.OnHand("A"), 0);
  EXPECT_EQ(ledger.Take("B", 1), 1);
  ledger.Add("A", 1);  // a cancelled order's unit comes back
  EXPECT_EQ(ledger.Take("A", 1), 0);
  EXPECT_EQ(ledger.Take("unknown", 2), 2);
  EXPECT_EQ(ledger.OversoldTotal(), 5);
  EXPECT_EQ(ledger.OversoldBySku(),
            (std::map<std::string, int64_t>{{"A", 2}, {"B", 1}, {"unknown", 2}}));
}

}  // namespace
}  // namespace sandbox::market

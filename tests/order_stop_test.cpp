// The order loop's long passes under a stop request: the searchOrders backstop ends after the page
// in hand and leaves the cursor where it was (the next pass reads those pages again; ingesting is
// idempotent); the open-orders walk (open-orders pass, shipment poll) ends before the next order.
#include <gtest/gtest.h>

#include <filesystem>
#include <stop_token>

#include "catalogue/stub_amazon_api.hpp"
#include "core/timestamp.hpp"
#include "sync/stock_fakes.hpp"
#include "tests/order_loop.hpp"

namespace mb::order_test {
namespace {

using namespace std::chrono_literals;

// searchOrders with `pages` pages (no orders on them: only the walk matters here).
class PagedOrders final : public catalogue::testing::StubAmazonApi {
 public:
  explicit PagedOrders(int pages) : pages_(pages) {}
  Result<AmazonOrdersPage> SearchOrders(const SearchOrdersRequest& request) override {
    ++calls;
    int page = request.pagination_token.empty() ? 0 : std::stoi(request.pagination_token);
    AmazonOrdersPage out;
    if (page + 1 < pages_) out.next_token = std::to_string(page + 1);
    return out;
  }
  int calls = 0;

 private:
  const int pages_;
};

TEST(OrderStopTest, EndsBetweenPagesWhenStoppingAndLeavesTheCursor) {
  const std::string db_path = (std::filesystem::temp_directory_path() /
                               ("mb_order_backstop_" + std::to_string(::getpid()) + ".db"))
                                  .string();
  std::filesystem::remove(db_path);
  FakeClock clock(MakeTime(2026, 11, 28, 10));
  PagedOrders amazon(3);
  sync::testing::FakeScayleCatalogue scayle;
  {
    OrderLoop loop(db_path, amazon, scayle, clock);
    std::stop_source stopping;
    stopping.request_stop();
    ASSERT_TRUE(loop.intake.RunBackstop(stopping.get_token()));
    EXPECT_EQ(amazon.calls, 1);  // the page in hand, not the two after it
    auto cursor = loop.state.GetCursor(sync::kBackstopCursor);
    ASSERT_TRUE(cursor);
    EXPECT_FALSE(*cursor);  // not moved: the next pass reads these pages again

    ASSERT_TRUE(loop.intake.RunBackstop());
    EXPECT_EQ(amazon.calls, 4);
    cursor = loop.state.GetCursor(sync::kBackstopCursor);
    ASSERT_TRUE(cursor && *cursor);
    EXPECT_EQ(**cursor, FormatTimestamp(clock.Now() - 2min));  // the cut-off
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
}

TEST(OrderStopTest, OpenOrdersWalkEndsBeforeTheNextOrderWhenStopping) {
  const std::string db_path = (std::filesystem::temp_directory_path() /
                               ("mb_order_walk_" + std::to_string(::getpid()) + ".db"))
                                  .string();
  std::filesystem::remove(db_path);
  FakeClock clock(MakeTime(2026, 11, 28, 10));
  PagedOrders amazon(1);
  sync::testing::FakeScayleCatalogue scayle;
  {
    OrderLoop loop(db_path, amazon, scayle, clock);
    for (const char* id : {"302-1", "302-2", "302-3"}) {
      orders::AmazonOrderSnapshot s;
      s.order_id = AmazonOrderId(id);
      s.marketplace_id = MarketplaceId("A1PA6795UKMFR9");
      s.status = "Pending";
      s.last_updated = clock.Now();
      s.lines.push_back({AmazonOrderItemId("1"), Sku("SKU-A"), 1, 0, std::nullopt});
      ASSERT_TRUE(loop.processor.Ingest(s, "test"));
    }
    int visited = 0;
    auto count = [&](const orders::OrderRecord&) -> Status {
      ++visited;
      return {};
    };
    ASSERT_TRUE(loop.processor.ForEachOpenOrder(count));
    EXPECT_EQ(visited, 3);

    visited = 0;
    std::stop_source stopping;
    ASSERT_TRUE(loop.processor.ForEachOpenOrder(
        [&](const orders::OrderRecord& r) -> Status {
          stopping.request_stop();  // asked while the first order is in hand
          return count(r);
        },
        stopping.get_token()));
    EXPECT_EQ(visited, 1);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
}

}  // namespace
}  // namespace mb::order_test

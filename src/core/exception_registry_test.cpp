#include "core/exception_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "core/timestamp.hpp"

namespace mb {
namespace {

using namespace std::chrono_literals;

// An in-memory ExceptionStore with the store's de-duplication rule, so the registry is tested
// alone.
class MemoryExceptionStore : public ExceptionStore {
 public:
  Result<UpsertOutcome> UpsertException(ExceptionType type, std::string_view key,
                                        std::string_view message, std::string_view details,
                                        TimePoint now) override {
    auto& slot = open_[{type, std::string(key)}];
    bool fresh = slot.id == 0;
    if (fresh) {
      slot.id = ++next_id_;
      slot.type = type;
      slot.dedup_key = key;
      slot.first_seen = now;
      slot.occurrences = 0;
    }
    slot.message = message;
    slot.details = details;
    slot.last_seen = now;
    ++slot.occurrences;
    return UpsertOutcome{slot, fresh};
  }
  Result<bool> ResolveException(ExceptionType type, std::string_view key, std::string_view,
                                TimePoint) override {
    return open_.erase({type, std::string(key)}) == 1;
  }
  Result<std::vector<RaisedException>> ListExceptions(const ExceptionFilter&) override {
    std::vector<RaisedException> out;
    for (auto& [k, v] : open_) out.push_back(v);
    return out;
  }

 private:
  std::map<std::pair<ExceptionType, std::string>, RaisedException> open_;
  int64_t next_id_ = 0;
};

class MockAlerts : public Alerts {
 public:
  MOCK_METHOD(void, ExceptionRaised, (const RaisedException&), (override));
  MOCK_METHOD(void, ExceptionResolved, (ExceptionType, std::string_view, std::string_view),
              (override));
};

TEST(ExceptionRegistry, AlertsOnceWhileOpenAndAgainAfterResolution) {
  MemoryExceptionStore store;
  FakeClock clock(MakeTime(2026, 11, 28, 9, 0, 0));
  ::testing::StrictMock<MockAlerts> alerts;
  ExceptionRegistry registry(store, clock, &alerts);

  EXPECT_CALL(alerts,
              ExceptionRaised(::testing::Field(&RaisedException::dedup_key, "123-4567890-1234567")))
      .Times(2);
  EXPECT_CALL(alerts, ExceptionResolved(ExceptionType::kGhostOrder, "123-4567890-1234567",
                                        "created in SCAYLE"))
      .Times(1);

  auto first = registry.Raise(ExceptionType::kGhostOrder, "123-4567890-1234567", "SKU-9 unmapped");
  ASSERT_TRUE(first);
  clock.Advance(1min);
  auto repeat = registry.Raise(ExceptionType::kGhostOrder, "123-4567890-1234567", "SKU-9 unmapped");
  ASSERT_TRUE(repeat);
  EXPECT_EQ(repeat->occurrences, 2);
  EXPECT_EQ(repeat->first_seen, MakeTime(2026, 11, 28, 9, 0, 0));
  EXPECT_EQ(repeat->last_seen, MakeTime(2026, 11, 28, 9, 1, 0));

  EXPECT_TRUE(
      *registry.Resolve(ExceptionType::kGhostOrder, "123-4567890-1234567", "created in SCAYLE"));
  EXPECT_FALSE(
      *registry.Resolve(ExceptionType::kGhostOrder, "123-4567890-1234567", "created in SCAYLE"));
  ASSERT_TRUE(registry.Raise(ExceptionType::kGhostOrder, "123-4567890-1234567", "back again"));
}

TEST(ExceptionRegistry, KeyIsRequiredAndDetailsDefaultToAnObject) {
  MemoryExceptionStore store;
  FakeClock clock(MakeTime(2026, 11, 28));
  ExceptionRegistry registry(store, clock, nullptr);
  auto bad = registry.Raise(ExceptionType::kStockDrift, "", "no key");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  auto ok = registry.Raise(ExceptionType::kStockDrift, "SKU-1", "drift 3 units", "");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->details, "{}");
}

}  // namespace
}  // namespace mb

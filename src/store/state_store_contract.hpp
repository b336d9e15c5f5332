#pragma once
// The contract every StateStore implementation passes (SQLite now, PostgreSQL for scale-out):
// instantiate StateStoreContract with a factory in the implementation's test file.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "core/timestamp.hpp"
#include "ports/state_store.hpp"

namespace mb::store::contract {

struct StateStoreFactory {
  std::string name;
  // A fresh, empty location (a file path, a database schema ...).
  std::function<std::string()> new_location;
  // Opens the store at `location` without migrating; opening the same location again sees the same
  // data (a restart).
  std::function<std::unique_ptr<StateStore>(const std::string& location)> open;
  // The implementation's own migrations of the foundation tables.
  std::span<const Migration> migrations;
};

inline void PrintTo(const StateStoreFactory& f, std::ostream* os) { *os << f.name; }

class StateStoreContract : public ::testing::TestWithParam<StateStoreFactory> {
 protected:
  void SetUp() override {
    location_ = GetParam().new_location();
    store_ = OpenMigrated();
  }

  std::unique_ptr<StateStore> OpenMigrated() {
    auto store = GetParam().open(location_);
    auto applied = store->Migrate(GetParam().migrations, now_);
    EXPECT_TRUE(applied.has_value()) << (applied ? "" : applied.error().message);
    return store;
  }

  // Simulates a crash and restart: the store object is dropped without any clean-up call.
  void Restart() {
    store_.reset();
    store_ = OpenMigrated();
  }

  TimePoint now_ = MakeTime(2026, 11, 28, 12, 0, 0);
  std::string location_;
  std::unique_ptr<StateStore> store_;
};

}  // namespace mb::store::contract

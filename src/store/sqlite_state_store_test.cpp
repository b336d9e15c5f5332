#include "store/sqlite_state_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <atomic>

#include <filesystem>

#include "store/state_store_contract.hpp"

namespace mb::store {
namespace {

std::string NewSqliteLocation() {
  static std::atomic<int> counter{0};
  auto dir =
      std::filesystem::temp_directory_path() / ("mb-store-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / ("store-" + std::to_string(counter++) + ".db");
  std::filesystem::remove(file);
  return file.string();
}

using contract::StateStoreContract;

INSTANTIATE_TEST_SUITE_P(Sqlite, StateStoreContract,
                         ::testing::Values(contract::StateStoreFactory{
                             "sqlite", NewSqliteLocation,
                             [](const std::string& path) -> std::unique_ptr<StateStore> {
                               return std::make_unique<SqliteStateStore>(
                                   std::make_shared<SqliteDatabase>(path));
                             },
                             CoreSqliteMigrations()}),
                         [](const auto& info) { return info.param.name; });

TEST(SqliteStateStore, UsesWriteAheadLogging) {
  auto path = NewSqliteLocation();
  auto store = OpenSqliteStateStore(path, CoreSqliteMigrations(), TimePoint{});
  ASSERT_TRUE(store) << store.error().message;
  auto mode = (*store)->database()->With([](SQLite::Database& db) -> Result<std::string> {
    return db.execAndGet("PRAGMA journal_mode").getString();
  });
  EXPECT_EQ(*mode, "wal");
}

TEST(SqliteStateStore, UnopenableFileIsAClearError) {
  auto store = OpenSqliteStateStore("/nonexistent-dir/x/y.db", CoreSqliteMigrations(), TimePoint{});
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("/nonexistent-dir/x/y.db"), std::string::npos);
}

}  // namespace
}  // namespace mb::store

#pragma once
// One SQLite database file shared by the SQLite repositories of every module: WAL journal, a busy
// timeout, foreign keys on, and a mutex so one connection can serve all threads.

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "ports/state_store.hpp"

namespace mb::store {

class SqliteDatabase {
 public:
  // `path` is a file name, or ":memory:" for tests. Throws std::runtime_error when the file cannot
  // be opened (a start-up failure).
  explicit SqliteDatabase(const std::string& path);

  // Runs `fn` with the connection locked. Exceptions from SQLiteCpp become kStorageError.
  template <typename Fn>
  auto With(Fn&& fn) -> decltype(fn(std::declval<SQLite::Database&>()));

  // Like With(), inside a transaction committed when `fn` returns a value (rolled back on an error
  // or an exception).
  template <typename Fn>
  auto InTransaction(Fn&& fn) -> decltype(fn(std::declval<SQLite::Database&>()));

  Result<std::vector<AppliedMigration>> Migrate(std::span<const Migration> migrations,
                                                TimePoint now);
  Result<std::vector<AppliedMigration>> AppliedMigrations();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::recursive_mutex mu_;
  SQLite::Database db_;
};

Error StorageError(const std::exception& e, std::string_view what);

template <typename Fn>
auto SqliteDatabase::With(Fn&& fn) -> decltype(fn(std::declval<SQLite::Database&>())) {
  std::lock_guard lock(mu_);
  try {
    return fn(db_);
  } catch (const SQLite::Exception& e) {
    return tl::unexpected(StorageError(e, "sqlite"));
  }
}

template <typename Fn>
auto SqliteDatabase::InTransaction(Fn&& fn) -> decltype(fn(std::declval<SQLite::Database&>())) {
  std::lock_guard lock(mu_);
  try {
    SQLite::Transaction tx(db_);
    auto result = fn(db_);
    if (result) tx.commit();
    return result;
  } catch (const SQLite::Exception& e) {
    return tl::unexpected(StorageError(e, "sqlite"));
  }
}

}  // namespace mb::store

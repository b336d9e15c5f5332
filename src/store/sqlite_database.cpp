#include "store/sqlite_database.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace mb::store {

namespace {

const int kOpenFlags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX;

}  // namespace

Error StorageError(const std::exception& e, std::string_view what) {
  return Error{ErrorCode::kStorageError, std::string(what) + ": " + e.what()};
}

SqliteDatabase::SqliteDatabase(const std::string& path) try : path_(path), db_(path, kOpenFlags) {
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA synchronous=NORMAL");
  db_.exec("PRAGMA foreign_keys=ON");
  db_.setBusyTimeout(5000);
  db_.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " module TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL,"
      " applied_at INTEGER NOT NULL, PRIMARY KEY (module, version))");
} catch (const SQLite::Exception& e) {
  throw std::runtime_error("cannot open the state store '" + path + "': " + e.what());
}

Result<std::vector<AppliedMigration>> SqliteDatabase::AppliedMigrations() {
  return With([](SQLite::Database& db) -> Result<std::vector<AppliedMigration>> {
    std::vector<AppliedMigration> out;
    SQLite::Statement q(db,
                        "SELECT module, version, description, applied_at FROM schema_migrations "
                        "ORDER BY module, version");
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt(),
                     q.getColumn(2).getString(), TimePoint(Duration(q.getColumn(3).getInt64()))});
    }
    return out;
  });
}

Result<std::vector<AppliedMigration>> SqliteDatabase::Migrate(std::span<const Migration> migrations,
                                                              TimePoint now) {
  // Group by module and check each module's list counts 1, 2, 3 ... so a gap is caught in tests,
  // not in production.
  std::map<std::string, std::vector<const Migration*>> by_module;
  for (const auto& m : migrations) by_module[std::string(m.module)].push_back(&m);
  for (auto& [module, list] : by_module) {
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->version < b->version; });
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i]->version != int(i) + 1) {
        return Fail(ErrorCode::kInternal,
                    "migrations of module '" + module + "' must be numbered 1, 2, 3 ...; found " +
                        std::to_string(list[i]->version) + " at position " + std::to_string(i + 1));
      }
    }
  }

  auto applied = AppliedMigrations();
  if (!applied) return tl::unexpected(applied.error());
  std::map<std::string, int> current;
  for (const auto& a : *applied) current[a.module] = std::max(current[a.module], a.version);
  for (const auto& [module, version] : current) {
    auto known = by_module.find(module);
    int newest = known == by_module.end() ? 0 : int(known->second.size());
    if (version > newest) {
      return Fail(ErrorCode::kStorageError,
                  "the state store '" + path_ + "' has migration " + module + "/" +
                      std::to_string(version) + " but this binary knows only up to " +
                      std::to_string(newest) + ": it was written by a newer Marketbridge");
    }
  }

  std::vector<AppliedMigration> done;
  for (const auto& [module, list] : by_module) {
    for (const Migration* m : list) {
      if (m->version <= current[module]) continue;
      auto step = InTransaction([&](SQLite::Database& db) -> Status {
        db.exec(std::string(m->sql));
        SQLite::Statement ins(db,
                              "INSERT INTO schema_migrations (module, version, description, "
                              "applied_at) VALUES (?, ?, ?, ?)");
        ins.bind(1, module);
        ins.bind(2, m->version);
        ins.bind(3, std::string(m->description));
        ins.bind(4, static_cast<int64_t>(now.time_since_epoch().count()));
        ins.exec();
        return {};
      });
      if (!step) {
        return Fail(ErrorCode::kStorageError,
                    "migration " + module + "/" + std::to_string(m->version) + " (" +
                        std::string(m->description) + ") failed: " + step.error().message);
      }
      done.push_back({module, m->version, std::string(m->description), now});
    }
  }
  return done;
}

}  // namespace mb::store

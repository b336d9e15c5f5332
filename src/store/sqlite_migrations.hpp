#pragma once

#include <vector>

#include "ports/state_store.hpp"

namespace mb::store {

// Every SQLite migration of every module, the list `migrate` and `run` apply. A module that adds
// tables adds its own list here.
std::vector<Migration> AllSqliteMigrations();

}  // namespace mb::store

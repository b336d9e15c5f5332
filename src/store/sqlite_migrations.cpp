#include "store/sqlite_migrations.hpp"

#include "store/sqlite_catalogue_store.hpp"
#include "store/sqlite_order_store.hpp"
#include "store/sqlite_settlement_store.hpp"
#include "store/sqlite_state_store.hpp"
#include "store/sqlite_stock_store.hpp"

namespace mb::store {

std::vector<Migration> AllSqliteMigrations() {
  std::vector<Migration> all;
  for (auto list : {CoreSqliteMigrations(), SettlementSqliteMigrations(), StockSqliteMigrations(),
                    CatalogueSqliteMigrations(), OrderSqliteMigrations()})
    all.insert(all.end(), list.begin(), list.end());
  return all;
}

}  // namespace mb::store

#include "store/sqlite/statement.h"

#include <cstdio>
#include <cstdlib>

namespace truthbyte::sqlite {

sqlite3_stmt* PrepareCached(sqlite3* db, std::unordered_map<const char*, sqlite3_stmt*>& cache, const char* sql) {
  auto it = cache.find(sql);
  if (it != cache.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    // Our SQL is fixed text: a failure here is a bug, reported loudly.
    std::fprintf(stderr, "truthbyte: bad SQL (%s): %s\n", sqlite3_errmsg(db), sql);
    std::abort();
  }
  cache.emplace(sql, stmt);
  return stmt;
}

Status CheckOn(sqlite3* db, int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  std::string msg = std::string("cannot ") + what + ": " + sqlite3_errmsg(db);
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(msg);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corruption(msg);
  return Status::IoError(msg);
}

}  // namespace truthbyte::sqlite

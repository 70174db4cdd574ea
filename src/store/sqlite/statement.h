// The SQLite engine's statements: prepared once per connection and cached,
// bound and stepped through Query, errors mapped to Status.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace truthbyte::sqlite {

// A prepared statement borrowed from the connection's cache; reset on exit.
class Query {
 public:
  Query(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Query& Bind(int i, const char* v) { return Bind(i, std::string(v)); }
  // Binds without a copy. REQUIRES: `v` outlives this Query.
  Query& BindView(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Query& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Query& Bind(int i, int v) { return Bind(i, static_cast<std::int64_t>(v)); }
  Query& Bind(int i, bool v) { return Bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  Query& Bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Query& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  const char* CText(int col) const { return reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col)); }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

// A prepared statement of `db` for `sql`, from `cache` (keyed by the SQL
// text's address: our SQL is string literals) or prepared once.
sqlite3_stmt* PrepareCached(sqlite3* db, std::unordered_map<const char*, sqlite3_stmt*>& cache, const char* sql);

// Ok for SQLITE_OK, _DONE and _ROW; otherwise "cannot <what>: <SQLite's
// message>" as kUnavailable (busy, locked), kCorruption or kIoError.
Status CheckOn(sqlite3* db, int rc, const char* what);

// A connection a read runs on, with its statement cache: the writer's
// (under the store's lock) or the calling thread's read connection.
struct Connection {
  sqlite3* db;
  std::unordered_map<const char*, sqlite3_stmt*>* statements;
  sqlite3_stmt* Prepare(const char* sql) const { return PrepareCached(db, *statements, sql); }
  Status Check(int rc, const char* what) const { return CheckOn(db, rc, what); }
};

}  // namespace truthbyte::sqlite

// The SQLite engine's schema: its migrations, the SQL functions they use,
// and the indexes a bulk import may build at its end.
#pragma once

#include <sqlite3.h>

#include <span>

#include "core/status.h"

namespace truthbyte::sqlite {

// The migrations in order: entry v moves the schema from version v to
// v + 1 (PRAGMA user_version).
std::span<const char* const> Migrations();
inline int SchemaVersion() { return static_cast<int>(Migrations().size()); }

// Registers the SQL functions the migrations use (truthbyte_normalise).
Status RegisterSqlFunctions(sqlite3* db);

// Indexes of the schema that only speed up reads. An import into an empty
// store drops them and builds each once at its end: one sort instead of a
// random B-tree insert per question. Init re-creates any that are missing,
// e.g. after an import that died half-way.
struct DeferredIndex {
  const char* name;
  const char* create;  // CREATE INDEX IF NOT EXISTS ...
};
std::span<const DeferredIndex> ImportDeferredIndexes();

}  // namespace truthbyte::sqlite

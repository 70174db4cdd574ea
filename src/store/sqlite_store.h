// The embedded engine: one SQLite database file in WAL mode.
//
// Thread-safe: one writing connection guarded by a mutex, whose request-path
// writes from concurrent callers share commits (group commit); several
// processes may open the same file (SQLite's locking, with a busy timeout).
// Durability: WAL with synchronous=FULL, so a write is on disk when its call
// returns (see docs/OPERATIONS.md).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace truthbyte {

// Opens or creates the database at `path` and brings its schema to the
// current version.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

// The schema version this build writes (PRAGMA user_version).
int SqliteSchemaVersion();

}  // namespace truthbyte

// The embedded engine: one SQLite database file in WAL mode.
//
// Thread-safe: one connection guarded by a mutex; several processes may open
// the same file (SQLite's locking, with a busy timeout). Durability: WAL with
// synchronous=NORMAL, so every committed write survives a crash of the
// process (not necessarily a power cut; see docs/OPERATIONS.md).
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

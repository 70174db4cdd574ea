// The distributed engine: the seed's tables on DynamoDB (or anything that
// speaks its JSON protocol: DynamoDB Local, ScyllaDB Alternator, dynalite).
//
// Tables are "{env}-truthbyte-{table}". Items use the seed's attribute names
// and types, so items written by other tools in those shapes are read, and
// ours can be read by them. Without transactions (dynalite has none), the
// invariants hold by idempotent writes in a safe order plus conditional
// writes; `reindex` repairs counts after a crash between writes.
// Thread-safe; any number of processes may share the tables.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "store/dynamodb/dynamodb_client.h"
#include "store/store.h"

namespace truthbyte {

struct DynamoDbOptions {
  std::string env = "dev";
  dynamodb::ClientOptions client;
};

// Opens the engine; checks nothing remote (Init creates the tables).
Result<std::unique_ptr<Store>> OpenDynamoDbStore(const DynamoDbOptions& options);

// The full name of a table for an environment: "{env}-truthbyte-{table}".
std::string DynamoDbTableName(const std::string& env, const std::string& table);

}  // namespace truthbyte

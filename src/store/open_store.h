// Opening a store from its command-line description.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace truthbyte {

struct StoreOptions {
  // "sqlite:PATH" (default "sqlite:truthbyte.db") or "dynamodb:".
  std::string url = "sqlite:truthbyte.db";
  std::string env = "dev";  // DynamoDB table prefix
  std::string region;
  std::string endpoint;
  // For the server: fewer retries and shorter timeouts on the DynamoDB
  // engine, so that a request answers 503 quickly when the store is down.
  bool fail_fast = false;
};

// Opens (and, for SQLite, creates on first use) the store `options` names.
// Invalid descriptions give kInvalidArgument with a message for the operator.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace truthbyte

#include "store/open_store.h"

#include <cstdlib>

#include "store/dynamodb/dynamodb_store.h"
#include "store/sqlite_store.h"

namespace truthbyte {

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  const std::string& url = options.url;
  const auto colon = url.find(':');
  const std::string engine = url.substr(0, colon);
  const std::string rest = colon == std::string::npos ? std::string() : url.substr(colon + 1);
  if (engine == "sqlite") {
    if (rest.empty()) return Status::InvalidArgument("--store sqlite: needs a path, e.g. sqlite:truthbyte.db");
    return OpenSqliteStore(rest);
  }
  if (engine == "dynamodb") {
    if (!rest.empty())
      return Status::InvalidArgument("--store dynamodb: takes no path; use --env, --region and --endpoint");
    DynamoDbOptions dynamo;
    dynamo.env = options.env;
    dynamo.client.endpoint = options.endpoint;
    const char* region = std::getenv("AWS_REGION");
    dynamo.client.region = !options.region.empty() ? options.region : (region && *region ? region : "us-east-1");
    auto credentials = dynamodb::CredentialsFromEnvironment(/*allow_dummy=*/!options.endpoint.empty());
    if (!credentials.ok()) return credentials.status();
    dynamo.client.credentials = std::move(*credentials);
    if (options.fail_fast) {
      dynamo.client.max_attempts = 3;
      dynamo.client.max_backoff = std::chrono::milliseconds(200);
      dynamo.client.connect_timeout = std::chrono::milliseconds(1000);
      dynamo.client.request_timeout = std::chrono::milliseconds(2000);
    }
    return OpenDynamoDbStore(dynamo);
  }
  return Status::InvalidArgument("unknown store \"" + url + "\"; use sqlite:PATH or dynamodb:");
}

}  // namespace truthbyte

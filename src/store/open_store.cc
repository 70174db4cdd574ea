#include "store/open_store.h"

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
  if (engine == "dynamodb")
    return Status::InvalidArgument("the dynamodb engine is not available in this build yet; use --store sqlite:PATH");
  return Status::InvalidArgument("unknown store \"" + url + "\"; use sqlite:PATH or dynamodb:");
}

}  // namespace truthbyte

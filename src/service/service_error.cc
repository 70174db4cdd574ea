#include "service/service_error.h"

namespace truthbyte {

ServiceError ServiceError::FromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
    // A store that refuses our own requests (a missing table, denied
    // permissions, expired credentials) is an outage for the player, not a
    // mistake of theirs.
    case StatusCode::kNotFound:
    case StatusCode::kInvalidArgument: {
      ServiceError e = Make(503, "store_unavailable", "the store is unavailable; try again shortly");
      e.internal_detail = status.ToString();
      return e;
    }
    default: {
      ServiceError e = Make(500, "internal_error", "internal error");
      e.internal_detail = status.ToString();
      return e;
    }
  }
}

}  // namespace truthbyte

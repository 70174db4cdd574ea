#include "service/service_error.h"

namespace truthbyte {

ServiceError ServiceError::FromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable: {
      ServiceError e = Make(503, "store_unavailable", "the store is unavailable; try again shortly");
      e.internal_detail = status.ToString();
      return e;
    }
    case StatusCode::kNotFound:
      return NotFound(status.message());
    case StatusCode::kInvalidArgument:
      return InvalidParameter(status.message());
    default: {
      ServiceError e = Make(500, "internal_error", "internal error");
      e.internal_detail = status.ToString();
      return e;
    }
  }
}

}  // namespace truthbyte

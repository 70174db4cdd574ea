#include "service/service_error.h"

namespace truthbyte {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMissingToken: return "missing_token";
    case ErrorCode::kInvalidToken: return "invalid_token";
    case ErrorCode::kTokenExpired: return "token_expired";
    case ErrorCode::kMissingHeader: return "missing_header";
    case ErrorCode::kInvalidUserId: return "invalid_user_id";
    case ErrorCode::kInvalidParameter: return "invalid_parameter";
    case ErrorCode::kInvalidJson: return "invalid_json";
    case ErrorCode::kValidationFailed: return "validation_failed";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kUserMismatch: return "user_mismatch";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kMethodNotAllowed: return "method_not_allowed";
    case ErrorCode::kAlreadyCompleted: return "already_completed";
    case ErrorCode::kDuplicate: return "duplicate";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kInternalError: return "internal_error";
    case ErrorCode::kStoreUnavailable: return "store_unavailable";
  }
  return "internal_error";
}

ServiceError ServiceError::FromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
    // A store that refuses our own requests (denied permissions, expired
    // credentials, a table of another shape) is an outage for the player,
    // not a mistake of theirs. (kNotFound is never an outage: absence is an
    // empty optional, or kNotFound from a write that needs an item, which
    // its caller handles.)
    case StatusCode::kInvalidArgument: {
      ServiceError e = Of(ErrorCode::kStoreUnavailable, "the store is unavailable; try again shortly");
      e.internal_detail = status.ToString();
      return e;
    }
    default: return Internal(status.ToString());
  }
}

}  // namespace truthbyte

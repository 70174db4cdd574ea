#include "http/error_status.h"

namespace truthbyte {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMissingToken:
    case ErrorCode::kInvalidToken:
    case ErrorCode::kTokenExpired: return 401;
    case ErrorCode::kMissingHeader:
    case ErrorCode::kInvalidUserId:
    case ErrorCode::kInvalidParameter:
    case ErrorCode::kInvalidJson:
    case ErrorCode::kValidationFailed: return 400;
    case ErrorCode::kForbidden:
    case ErrorCode::kUserMismatch: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kAlreadyCompleted:
    case ErrorCode::kDuplicate: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kInternalError: return 500;
    case ErrorCode::kStoreUnavailable: return 503;
  }
  return 500;
}

}  // namespace truthbyte

// The error a service operation reports to its caller, in the domain's
// terms: one of the error codes of SPEC section 5 (no HTTP status: http/
// maps codes to statuses), a message for the player, the problems found
// when there were several, and for a limit the seconds until a retry can
// succeed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/status.h"

namespace truthbyte {

// The error codes of SPEC section 5.
enum class ErrorCode {
  kMissingToken,
  kInvalidToken,
  kTokenExpired,
  kMissingHeader,
  kInvalidUserId,
  kInvalidParameter,
  kInvalidJson,
  kValidationFailed,
  kForbidden,
  kUserMismatch,
  kNotFound,
  kMethodNotAllowed,
  kAlreadyCompleted,
  kDuplicate,
  kPayloadTooLarge,
  kRateLimited,
  kInternalError,
  kStoreUnavailable,
};

// The code as the API spells it: "token_expired".
std::string_view ErrorCodeName(ErrorCode code);

struct ServiceError {
  ErrorCode code = ErrorCode::kInternalError;
  std::string message = "internal error";
  std::vector<std::string> details;  // every problem, when there were several
  std::int64_t retry_after = 0;      // seconds, for kRateLimited
  // For a limit of the service's own (proposals): that limit and when its
  // window ends (unix seconds), reported instead of the request limit.
  std::int64_t own_limit = 0;
  std::int64_t own_limit_reset = 0;
  std::string internal_detail;  // for the server log only, never sent

  static ServiceError Of(ErrorCode code, std::string message, std::vector<std::string> details = {}) {
    ServiceError e;
    e.code = code;
    e.message = std::move(message);
    e.details = std::move(details);
    return e;
  }
  static ServiceError InvalidParameter(std::string message) {
    return Of(ErrorCode::kInvalidParameter, std::move(message));
  }
  static ServiceError NotFound(std::string message) { return Of(ErrorCode::kNotFound, std::move(message)); }
  static ServiceError RateLimited(std::string message, std::int64_t retry_after) {
    ServiceError e = Of(ErrorCode::kRateLimited, std::move(message));
    e.retry_after = retry_after;
    return e;
  }
  // A failure inside the service (a thrown exception): internal, its
  // detail logged only.
  static ServiceError Internal(std::string detail) {
    ServiceError e;
    e.internal_detail = std::move(detail);
    return e;
  }
  // A store failure: kStoreUnavailable when the store is unreachable,
  // kInternalError otherwise (the detail is for the log only).
  static ServiceError FromStatus(const Status& status);
};

// A value or a ServiceError.
template <typename T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Outcome(ServiceError error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const ServiceError& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, ServiceError> v_;
};

}  // namespace truthbyte

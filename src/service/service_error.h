// The error a service operation reports to its caller: an HTTP status, one
// of the error codes of SPEC section 5, a message for the client, optional
// details, and for 429 the seconds until a retry can succeed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace truthbyte {

struct ServiceError {
  int http_status = 500;
  std::string code = "internal_error";
  std::string message = "internal error";
  nlohmann::json details;        // null when there are none
  std::int64_t retry_after = 0;  // seconds, for 429
  // For a 429 from a limit of its own (proposals): that limit, reported in
  // the X-RateLimit-* headers instead of the request limit.
  std::int64_t own_limit = 0;
  std::int64_t own_limit_reset = 0;  // unix seconds
  std::string internal_detail;   // for the server log only, never sent

  static ServiceError Make(int http_status, std::string code, std::string message) {
    ServiceError e;
    e.http_status = http_status;
    e.code = std::move(code);
    e.message = std::move(message);
    return e;
  }
  static ServiceError BadRequest(std::string code, std::string message) {
    return Make(400, std::move(code), std::move(message));
  }
  static ServiceError InvalidParameter(std::string message) { return BadRequest("invalid_parameter", std::move(message)); }
  static ServiceError NotFound(std::string message) { return Make(404, "not_found", std::move(message)); }
  static ServiceError Forbidden(std::string code, std::string message) {
    return Make(403, std::move(code), std::move(message));
  }
  static ServiceError Unauthorized(std::string code, std::string message) {
    return Make(401, std::move(code), std::move(message));
  }
  static ServiceError Conflict(std::string code, std::string message) {
    return Make(409, std::move(code), std::move(message));
  }
  static ServiceError RateLimited(std::string message, std::int64_t retry_after) {
    ServiceError e = Make(429, "rate_limited", std::move(message));
    e.retry_after = retry_after;
    return e;
  }
  // A store failure: 503 when the store is unreachable, 500 otherwise (the
  // detail is for the log, never for the client).
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

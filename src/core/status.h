// Status and Result: errors as values across layers.
//
// A Status is either ok or carries a code and a one-line message meant for
// the person who caused the failure (an operator or a client). Result<T>
// holds either a value or a non-ok Status. Neither throws.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace truthbyte {

enum class StatusCode {
  kOk,
  kInvalidArgument,    // the caller's input is wrong
  kNotFound,           // the thing asked for does not exist
  kAlreadyExists,      // a create met an existing item (conditional create)
  kConditionFailed,    // a conditional write found the state changed
  kUnavailable,        // the store cannot be reached now; retrying may work
  kIoError,            // a file or the database failed
  kCorruption,         // stored data does not decode
  kInternal,           // a bug
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status ConditionFailed(std::string m) { return {StatusCode::kConditionFailed, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ok" or "<code name>: <message>".
  std::string ToString() const;

 private:
  Status(StatusCode c, std::string m) : code_(c), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

const char* StatusCodeName(StatusCode code);

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace truthbyte

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define TB_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::truthbyte::Status tb_status_ = (expr); \
    if (!tb_status_.ok()) return tb_status_; \
  } while (0)

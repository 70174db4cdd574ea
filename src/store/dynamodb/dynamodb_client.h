// A DynamoDB JSON-protocol client over libcurl: signed (Signature V4),
// connection reuse (one curl handle per thread, kept alive), and retries
// with exponential backoff and jitter for throttling, 5xx and connection
// failures. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "store/dynamodb/aws_sigv4.h"

namespace truthbyte::dynamodb {

// The retry policy, one for every retry the engine makes: before retry
// `attempt` (1 for the first retry) the client waits a random time in
// [0, BackoffCeiling(options, attempt)] (full jitter).
struct ClientOptions;
std::chrono::milliseconds BackoffCeiling(const ClientOptions& options, int attempt);

struct ClientOptions {
  std::string region = "us-east-1";
  // "http://127.0.0.1:8000" for local engines; empty for AWS
  // (https://dynamodb.{region}.amazonaws.com).
  std::string endpoint;
  aws::Credentials credentials;
  int max_attempts = 6;                                // first try included
  std::chrono::milliseconds base_backoff{25};          // doubled each retry, full jitter
  std::chrono::milliseconds max_backoff{2000};
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds request_timeout{5000};
};

// Counters for /metrics and tests.
struct ClientStats {
  std::atomic<std::uint64_t> calls{0};     // operations requested
  std::atomic<std::uint64_t> attempts{0};  // HTTP requests sent (retries included)
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::uint64_t> failures{0};  // calls that ended in an error
};

class DynamoDbClient {
 public:
  explicit DynamoDbClient(ClientOptions options);
  ~DynamoDbClient();

  // Calls `operation` ("GetItem", "Query", ...) with the JSON `request`
  // (already in wire format) and returns the JSON response.
  // Errors: kConditionFailed (ConditionalCheckFailedException),
  // kUnavailable (ResourceNotFoundException: a missing table), kAlreadyExists
  // (ResourceInUseException), kInvalidArgument (ValidationException and
  // other client errors; message from DynamoDB), kUnavailable (connection
  // failures, throttling or 5xx after all retries; UnknownOperationException
  // is kInvalidArgument with its message). Other transport failures (a bad
  // URL, TLS certificate errors) are kUnavailable at once; a 200 whose body
  // is not JSON is kInternal. Messages read
  // "DynamoDB <Operation>: <ErrorType>: <DynamoDB's message>".
  Result<nlohmann::json> Call(const std::string& operation, const nlohmann::json& request);

  // Like Call, but the error's DynamoDB type name ("ConditionalCheckFailedException")
  // is also returned through `error_type` when not null.
  Result<nlohmann::json> Call(const std::string& operation, const nlohmann::json& request, std::string* error_type);

  // A batch operation ("BatchGetItem", "BatchWriteItem") with its
  // RequestItems, called again with what DynamoDB left unprocessed (the
  // reply's `unprocessed_field`) after the same wait as any retry, until
  // nothing is left; every reply goes to `on_reply`. kUnavailable when items
  // are still left after max_attempts calls.
  Status CallUntilProcessed(const std::string& operation, nlohmann::json request_items, const char* unprocessed_field,
                            const std::function<Status(const nlohmann::json&)>& on_reply);

  const ClientStats& stats() const { return stats_; }
  const ClientOptions& options() const { return options_; }
  // The URL requests go to ("http://127.0.0.1:8000/").
  const std::string& url() const { return url_; }

  // A thread's curl handle for this client (implementation detail).
  struct Handle;

 private:
  Handle* ThreadHandle();
  void WaitBeforeRetry(int attempt);

  ClientOptions options_;
  std::uint64_t id_;  // unique per instance, never reused: keys the thread-local handles
  std::string url_;
  std::string host_;
  std::string path_;
  ClientStats stats_;
  std::mutex handles_mu_;
  std::vector<std::weak_ptr<Handle>> handles_;  // every thread's handle, closed on destruction
};

// Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN. Missing keys give kInvalidArgument, except that for a
// local endpoint (`allow_dummy`) dummy keys are used.
Result<aws::Credentials> CredentialsFromEnvironment(bool allow_dummy);

}  // namespace truthbyte::dynamodb

#include "store/dynamodb/dynamodb_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/json_text.h"
#include "store/dynamodb/aws_sigv4.h"

namespace truthbyte::dynamodb {

// One curl easy handle, used by one thread for one client. Shared between
// the thread (which uses it) and the client (which closes it when it is
// destroyed first); `mu` guards closing against the thread's own exit.
struct DynamoDbClient::Handle {
  std::mutex mu;
  CURL* curl = nullptr;

  void Close() {
    std::lock_guard<std::mutex> lock(mu);
    if (curl) curl_easy_cleanup(curl);
    curl = nullptr;
  }
  ~Handle() { Close(); }
};

namespace {

std::atomic<std::uint64_t> next_client_id{1};

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The calling thread's handles, by client id. Ids are never reused, so a
// destroyed client's entry can never be picked up by a new client; such
// entries (closed handles) are dropped when the thread adds another.
struct ThreadHandles {
  std::unordered_map<std::uint64_t, std::shared_ptr<DynamoDbClient::Handle>> by_client;
};
thread_local ThreadHandles thread_handles;

std::mt19937_64& ThreadRng() {
  thread_local std::mt19937_64 rng{std::random_device{}() ^
                                   (static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id()))
                                    << 1)};
  return rng;
}

size_t WriteToString(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

bool IsRetryableType(const std::string& type) {
  return type == "ProvisionedThroughputExceededException" || type == "ThrottlingException" ||
         type == "RequestLimitExceeded" || type == "InternalServerError" || type == "ServiceUnavailable";
}

// Transport failures after which the same request may well succeed.
bool IsRetryableCurlError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

// "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" ->
// "ConditionalCheckFailedException".
std::string ShortType(const std::string& type) {
  const auto hash = type.rfind('#');
  std::string t = hash == std::string::npos ? type : type.substr(hash + 1);
  // Some services append ":http://internal.amazon.com/coral/..." to the type.
  const auto colon = t.find(':');
  if (colon != std::string::npos) t.resize(colon);
  return t;
}

std::string Truncate(std::string s, size_t max) {
  if (s.size() > max) {
    s.resize(max);
    s += "...";
  }
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

struct Attempt {
  CURLcode curl_code = CURLE_OK;
  std::string curl_error;
  long http_status = 0;
  std::string body;
};

}  // namespace

DynamoDbClient::DynamoDbClient(ClientOptions options)
    : options_(std::move(options)), id_(next_client_id.fetch_add(1)) {
  GlobalInit();
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  std::string endpoint = options_.endpoint;
  if (endpoint.empty()) endpoint = "https://dynamodb." + options_.region + ".amazonaws.com";
  std::string scheme = "https";
  std::string rest = endpoint;
  if (const auto pos = endpoint.find("://"); pos != std::string::npos) {
    scheme = endpoint.substr(0, pos);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    rest = endpoint.substr(pos + 3);
  }
  std::string path = "/";
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    path = rest.substr(slash);
    rest.resize(slash);
  }
  host_ = rest;
  // The Host header (and so the signed host) carries no default port.
  if (scheme == "http" && host_.size() > 3 && host_.ends_with(":80")) host_.resize(host_.size() - 3);
  if (scheme == "https" && host_.size() > 4 && host_.ends_with(":443")) host_.resize(host_.size() - 4);
  path_ = path;
  url_ = scheme + "://" + rest + path;
}

DynamoDbClient::~DynamoDbClient() {
  std::vector<std::weak_ptr<Handle>> handles;
  {
    std::lock_guard<std::mutex> lock(handles_mu_);
    handles.swap(handles_);
  }
  for (auto& weak : handles) {
    if (auto handle = weak.lock()) handle->Close();
  }
}

DynamoDbClient::Handle* DynamoDbClient::ThreadHandle() {
  auto& map = thread_handles.by_client;
  if (auto it = map.find(id_); it != map.end() && it->second->curl) return it->second.get();

  // Drop handles of clients destroyed since (their curl handle is closed).
  for (auto it = map.begin(); it != map.end();) {
    std::unique_lock<std::mutex> lock(it->second->mu, std::try_to_lock);
    const bool closed = lock.owns_lock() && it->second->curl == nullptr;
    lock.unlock();
    it = closed ? map.erase(it) : std::next(it);
  }

  auto handle = std::make_shared<Handle>();
  handle->curl = curl_easy_init();
  if (!handle->curl) return nullptr;
  CURL* c = handle->curl;
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPIDLE, 30L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPINTVL, 15L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &WriteToString);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  {
    std::lock_guard<std::mutex> lock(handles_mu_);
    // Forget handles of threads that have exited.
    std::erase_if(handles_, [](const std::weak_ptr<Handle>& w) { return w.expired(); });
    handles_.push_back(handle);
  }
  Handle* raw = handle.get();
  map[id_] = std::move(handle);
  return raw;
}

Result<nlohmann::json> DynamoDbClient::Call(const std::string& operation, const nlohmann::json& request) {
  return Call(operation, request, nullptr);
}

Result<nlohmann::json> DynamoDbClient::Call(const std::string& operation, const nlohmann::json& request,
                                            std::string* error_type) {
  stats_.calls.fetch_add(1, std::memory_order_relaxed);
  if (error_type) error_type->clear();
  auto fail = [&](Status status, const std::string& type) -> Result<nlohmann::json> {
    stats_.failures.fetch_add(1, std::memory_order_relaxed);
    if (error_type) *error_type = type;
    return status;
  };

  Handle* handle = ThreadHandle();
  if (!handle) return fail(Status::Internal("DynamoDB: cannot create a curl handle"), "");
  CURL* c = handle->curl;

  const std::string body = JsonText(request);
  const std::string target = "DynamoDB_20120810." + operation;
  const std::string content_type = "application/x-amz-json-1.0";
  std::string last_error;
  std::string last_type;

  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) WaitBeforeRetry(attempt);
    stats_.attempts.fetch_add(1, std::memory_order_relaxed);

    aws::SignableRequest signable;
    signable.method = "POST";
    signable.host = host_;
    signable.path = path_;
    signable.headers = {{"content-type", content_type}, {"x-amz-target", target}};
    signable.payload = body;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const aws::SignedHeaders signed_headers =
        aws::SignV4(signable, options_.credentials, options_.region, "dynamodb", now);

    const std::string header_lines[] = {
        "Host: " + host_,
        "Content-Type: " + content_type,
        "X-Amz-Target: " + target,
        "X-Amz-Date: " + signed_headers.amz_date,
        "Authorization: " + signed_headers.authorization,
        "X-Amz-Security-Token: " + signed_headers.security_token,
    };
    curl_slist* headers = nullptr;
    for (const auto& line : header_lines) {
      if (line == "X-Amz-Security-Token: ") continue;
      headers = curl_slist_append(headers, line.c_str());
    }
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip

    Attempt result;
    char curl_error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
    result.curl_code = curl_easy_perform(c);
    if (result.curl_code == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.http_status);
    result.curl_error = curl_error[0] ? curl_error : curl_easy_strerror(result.curl_code);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);
    curl_slist_free_all(headers);

    if (result.curl_code != CURLE_OK) {
      last_error = result.curl_error;
      last_type.clear();
      if (IsRetryableCurlError(result.curl_code)) continue;
      return fail(Status::Unavailable("DynamoDB " + operation + " at " + url_ + ": " + last_error), "");
    }

    if (result.http_status == 200) {
      auto parsed = nlohmann::json::parse(result.body, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        return fail(Status::Internal("DynamoDB " + operation + " at " + url_ + ": the response is not JSON: " +
                                     Truncate(result.body, 200)),
                    "");
      }
      return parsed;
    }

    // An error: {"__type": "...#Name", "message": "..."} (or "Message").
    std::string type, message;
    auto error = nlohmann::json::parse(result.body, nullptr, false);
    if (error.is_object()) {
      if (auto it = error.find("__type"); it != error.end() && it->is_string()) type = ShortType(it->get<std::string>());
      for (const char* key : {"message", "Message"}) {
        if (auto it = error.find(key); it != error.end() && it->is_string()) {
          message = it->get<std::string>();
          break;
        }
      }
    }
    std::string description = type.empty() ? "HTTP " + std::to_string(result.http_status) : type;
    if (!message.empty()) {
      description += ": " + message;
    } else if (type == "UnknownOperationException") {
      description += ": the endpoint does not support " + operation;
    } else if (type.empty() && !result.body.empty()) {
      description += ": " + Truncate(result.body, 200);
    }
    last_error = description;
    last_type = type;

    if (result.http_status >= 500 || IsRetryableType(type)) continue;

    const std::string text = "DynamoDB " + operation + ": " + description;
    if (type == "ConditionalCheckFailedException") return fail(Status::ConditionFailed(text), type);
    // A table or index the store needs is missing: an outage of the store
    // (`truthbyte init` creates them), never the absence of an item.
    if (type == "ResourceNotFoundException") return fail(Status::Unavailable(text), type);
    if (type == "ResourceInUseException") return fail(Status::AlreadyExists(text), type);
    return fail(Status::InvalidArgument(text), type);
  }

  return fail(Status::Unavailable("DynamoDB at " + url_ + " unavailable: " + operation + " failed after " +
                                  std::to_string(options_.max_attempts) +
                                  (options_.max_attempts == 1 ? " attempt" : " attempts") + " (" + last_error + ")"),
              last_type);
}

std::chrono::milliseconds BackoffCeiling(const ClientOptions& options, int attempt) {
  const auto base = std::max<std::int64_t>(0, options.base_backoff.count());
  const auto cap = std::max<std::int64_t>(0, options.max_backoff.count());
  std::int64_t ceiling = base;
  for (int i = 1; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  return std::chrono::milliseconds(std::min(ceiling, cap));
}

void DynamoDbClient::WaitBeforeRetry(int attempt) {
  std::uniform_int_distribution<std::int64_t> dist(0, BackoffCeiling(options_, attempt).count());
  std::this_thread::sleep_for(std::chrono::milliseconds(dist(ThreadRng())));
  stats_.retries.fetch_add(1, std::memory_order_relaxed);
}

Status DynamoDbClient::CallUntilProcessed(const std::string& operation, nlohmann::json request_items,
                                          const char* unprocessed_field,
                                          const std::function<Status(const nlohmann::json&)>& on_reply) {
  for (int attempt = 0; !request_items.empty(); ++attempt) {
    if (attempt >= options_.max_attempts)
      return Status::Unavailable("DynamoDB " + operation + " left items unprocessed after " +
                                 std::to_string(options_.max_attempts) + " calls");
    if (attempt > 0) WaitBeforeRetry(attempt);
    auto reply = Call(operation, {{"RequestItems", request_items}});
    if (!reply.ok()) return reply.status();
    TB_RETURN_IF_ERROR(on_reply(*reply));
    auto unprocessed = reply->find(unprocessed_field);
    request_items = unprocessed == reply->end() || !unprocessed->is_object() ? nlohmann::json::object() : *unprocessed;
  }
  return Status::Ok();
}

Result<aws::Credentials> CredentialsFromEnvironment(bool allow_dummy) {
  auto get = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value ? value : "";
  };
  aws::Credentials credentials;
  credentials.access_key_id = get("AWS_ACCESS_KEY_ID");
  credentials.secret_access_key = get("AWS_SECRET_ACCESS_KEY");
  credentials.session_token = get("AWS_SESSION_TOKEN");
  if (!credentials.access_key_id.empty() && !credentials.secret_access_key.empty()) return credentials;
  if (allow_dummy) {
    // Local engines want well-formed credentials but check none.
    return aws::Credentials{"AKIDLOCALTRUTHBYTE", "local-secret-not-checked", ""};
  }
  std::string missing;
  if (credentials.access_key_id.empty()) missing = "AWS_ACCESS_KEY_ID";
  if (credentials.secret_access_key.empty()) missing += std::string(missing.empty() ? "" : " and ") + "AWS_SECRET_ACCESS_KEY";
  return Status::InvalidArgument("DynamoDB credentials missing: set " + missing +
                                 " (and AWS_SESSION_TOKEN for temporary credentials)");
}

}  // namespace truthbyte::dynamodb

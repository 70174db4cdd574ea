// The DynamoDB client against a real DynamoDB-compatible server (dynalite),
// plus a scripted fake server for what dynalite cannot be made to do
// (throttling, 5xx, hanging).

#include "store/dynamodb/dynamodb_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/dynalite.h"

namespace truthbyte::dynamodb {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using json = nlohmann::json;
using std::chrono::milliseconds;

// A loopback port bound but not listening: connecting is refused, and no
// one else can take the port while this lives.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot bind a loopback port";
    }
    port_ = ntohs(addr.sin_port);
  }
  ~RefusingPort() { close(fd_); }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A minimal HTTP/1.1 server on loopback answering from a script of
// responses, one per request, keeping connections alive. An empty body
// with status 0 means: read the request and never answer.
class FakeServer {
 public:
  struct Response {
    int status;
    std::string body;
  };
  struct Request {
    std::string head;  // request line and headers
    std::string body;
  };

  explicit FakeServer(std::vector<Response> script) : script_(script.begin(), script.end()) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(listen_fd_, 16) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "fake server cannot listen";
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    thread_.join();
    close(listen_fd_);
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Request> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  int connections() const { return connections_; }

 private:
  bool WaitReadable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  void Serve() {
    while (!stop_) {
      if (!WaitReadable(listen_fd_)) return;
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      ServeConnection(fd);
      close(fd);
    }
  }

  void ServeConnection(int fd) {
    std::string buffer;
    char chunk[4096];
    while (!stop_) {
      // Read one request: head, then Content-Length bytes of body.
      size_t head_end;
      while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!WaitReadable(fd)) return;
        const ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      Request request{buffer.substr(0, head_end), ""};
      size_t length = 0;
      std::string lower = request.head;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (auto pos = lower.find("content-length:"); pos != std::string::npos) {
        length = std::stoul(lower.substr(pos + 15));
      }
      while (buffer.size() < head_end + 4 + length) {
        if (!WaitReadable(fd)) return;
        const ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      request.body = buffer.substr(head_end + 4, length);
      buffer.erase(0, head_end + 4 + length);

      Response response{500, R"({"__type":"script#Exhausted","message":"no more scripted responses"})"};
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
        if (!script_.empty()) {
          response = script_.front();
          script_.pop_front();
        }
      }
      if (response.status == 0) {
        // Hang: keep the connection open without answering until the
        // client gives up (closes) or the server stops.
        while (!stop_) {
          pollfd p{fd, POLLIN, 0};
          if (poll(&p, 1, 20) > 0) {
            if (read(fd, chunk, sizeof(chunk)) <= 0) return;
          }
        }
        return;
      }
      const std::string reason = response.status == 200 ? "OK" : "Error";
      const std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reason +
                              "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " +
                              std::to_string(response.body.size()) + "\r\n\r\n" + response.body;
      if (write(fd, out.data(), out.size()) != static_cast<ssize_t>(out.size())) return;
    }
  }

  std::mutex mu_;
  std::deque<Response> script_;
  std::vector<Request> requests_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

aws::Credentials TestCredentials() { return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""}; }

ClientOptions OptionsFor(const std::string& endpoint) {
  ClientOptions options;
  options.endpoint = endpoint;
  options.credentials = TestCredentials();
  options.base_backoff = milliseconds(5);
  options.max_backoff = milliseconds(40);
  options.connect_timeout = milliseconds(1000);
  options.request_timeout = milliseconds(5000);
  return options;
}

json CreateTableRequest(const std::string& table) {
  return {{"TableName", table},
          {"BillingMode", "PAY_PER_REQUEST"},
          {"AttributeDefinitions", json::array({{{"AttributeName", "id"}, {"AttributeType", "S"}}})},
          {"KeySchema", json::array({{{"AttributeName", "id"}, {"KeyType", "HASH"}}})}};
}

// CreateTable answers while the table is still CREATING (even with
// --createTableMs 0, dynalite flips it to ACTIVE a moment later): wait.
void CreateActiveTable(DynamoDbClient& client, const std::string& table) {
  auto created = client.Call("CreateTable", CreateTableRequest(table));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto described = client.Call("DescribeTable", {{"TableName", table}});
    ASSERT_TRUE(described.ok()) << described.status().ToString();
    if (described->at("Table").at("TableStatus") == "ACTIVE") return;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << table << " never became ACTIVE";
    std::this_thread::sleep_for(milliseconds(5));
  }
}

json Key(const std::string& id) { return {{"id", {{"S", id}}}}; }

json PutRequest(const std::string& table, const std::string& id, const std::string& text) {
  return {{"TableName", table}, {"Item", {{"id", {{"S", id}}}, {"text", {{"S", text}}}}}};
}

// --- against dynalite -------------------------------------------------------

class DynamoDbClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dynalite_ = new testing::Dynalite(); }
  static void TearDownTestSuite() {
    delete dynalite_;
    dynalite_ = nullptr;
  }

  // A table of its own for each test (names must be >= 3 characters).
  std::string NewTable(DynamoDbClient& client) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string table = std::string("client-") + info->name() + "-" + std::to_string(++table_counter_);
    CreateActiveTable(client, table);
    return table;
  }

  static testing::Dynalite* dynalite_;
  static inline int table_counter_ = 0;
};

testing::Dynalite* DynamoDbClientTest::dynalite_ = nullptr;

TEST_F(DynamoDbClientTest, CreateTableThenDescribeTable) {
  DynamoDbClient client(OptionsFor(dynalite_->endpoint()));
  auto created = client.Call("CreateTable", CreateTableRequest("client-describe"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->at("TableDescription").at("TableName"), "client-describe");

  // CREATING for a moment, then ACTIVE.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  Result<json> described = Status::Internal("not called");
  for (;;) {
    described = client.Call("DescribeTable", {{"TableName", "client-describe"}});
    ASSERT_TRUE(described.ok()) << described.status().ToString();
    const std::string status = described->at("Table").at("TableStatus");
    if (status == "ACTIVE") break;
    EXPECT_EQ(status, "CREATING");
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(milliseconds(5));
  }
  const json& table = described->at("Table");
  EXPECT_EQ(table.at("TableName"), "client-describe");
  EXPECT_EQ(table.at("KeySchema"), json::array({{{"AttributeName", "id"}, {"KeyType", "HASH"}}}));

  std::string type;
  auto again = client.Call("CreateTable", CreateTableRequest("client-describe"), &type);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists) << again.status().ToString();
  EXPECT_EQ(type, "ResourceInUseException");
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST_F(DynamoDbClientTest, PutItemGetItemRoundTrip) {
  DynamoDbClient client(OptionsFor(dynalite_->endpoint()));
  const std::string table = NewTable(client);
  const json item = {{"id", {{"S", "q-1"}}},
                     {"text", {{"S", "Is the sky blue? \u00e9\u4e2d \"quoted\""}}},
                     {"difficulty", {{"N", "3"}}},
                     {"answer", {{"BOOL", true}}},
                     {"categories", {{"L", json::array({{{"S", "science"}}, {{"S", "nature"}}})}}},
                     {"meta", {{"M", {{"source", {{"S", "seed"}}}, {"missing", {{"NULL", true}}}}}}}};
  const auto calls_before = client.stats().calls.load();
  const auto attempts_before = client.stats().attempts.load();
  auto put = client.Call("PutItem", {{"TableName", table}, {"Item", item}});
  ASSERT_TRUE(put.ok()) << put.status().ToString();

  auto got = client.Call("GetItem", {{"TableName", table}, {"Key", Key("q-1")}, {"ConsistentRead", true}});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->at("Item"), item);

  auto absent = client.Call("GetItem", {{"TableName", table}, {"Key", Key("nope")}});
  ASSERT_TRUE(absent.ok()) << absent.status().ToString();
  EXPECT_FALSE(absent->contains("Item"));

  EXPECT_EQ(client.stats().calls - calls_before, 3u);
  EXPECT_EQ(client.stats().attempts - attempts_before, 3u);
  EXPECT_EQ(client.stats().failures, 0u);
}

TEST_F(DynamoDbClientTest, ConditionalCheckFailureIsConditionFailedAndNotRetried) {
  DynamoDbClient client(OptionsFor(dynalite_->endpoint()));
  const std::string table = NewTable(client);
  json put = PutRequest(table, "once", "first");
  put["ConditionExpression"] = "attribute_not_exists(id)";
  ASSERT_TRUE(client.Call("PutItem", put).ok());

  put["Item"]["text"] = {{"S", "second"}};
  const auto attempts_before = client.stats().attempts.load();
  std::string type;
  auto second = client.Call("PutItem", put, &type);
  EXPECT_EQ(second.status().code(), StatusCode::kConditionFailed) << second.status().ToString();
  EXPECT_EQ(type, "ConditionalCheckFailedException");
  EXPECT_THAT(second.status().message(), HasSubstr("ConditionalCheckFailedException"));
  EXPECT_EQ(client.stats().attempts - attempts_before, 1u);
  EXPECT_EQ(client.stats().retries, 0u);
  EXPECT_EQ(client.stats().failures, 1u);

  auto got = client.Call("GetItem", {{"TableName", table}, {"Key", Key("once")}});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->at("Item").at("text"), json({{"S", "first"}}));
}

TEST_F(DynamoDbClientTest, MissingTableIsUnavailable) {
  DynamoDbClient client(OptionsFor(dynalite_->endpoint()));
  std::string type;
  auto got = client.Call("GetItem", {{"TableName", "client-no-such-table"}, {"Key", Key("x")}}, &type);
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  EXPECT_EQ(type, "ResourceNotFoundException");
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST_F(DynamoDbClientTest, ValidationErrorIsInvalidArgumentWithDynamoDbMessage) {
  DynamoDbClient client(OptionsFor(dynalite_->endpoint()));
  const std::string table = NewTable(client);
  json keys = json::array();
  for (int i = 0; i < 101; ++i) keys.push_back(Key("k" + std::to_string(i)));
  std::string type;
  auto got = client.Call("BatchGetItem", {{"RequestItems", {{table, {{"Keys", keys}}}}}}, &type);
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument) << got.status().ToString();
  EXPECT_EQ(type, "ValidationException");
  EXPECT_THAT(got.status().message(), HasSubstr("ValidationException"));
  EXPECT_THAT(got.status().message(), HasSubstr("BatchGetItem"));
  // DynamoDB's own words (dynalite words it as AWS does).
  EXPECT_THAT(got.status().message(), HasSubstr("Member must have length less than or equal to 100"));
  EXPECT_EQ(client.stats().retries, 0u);

  // 100 keys are fine.
  keys.erase(keys.begin());
  auto hundred = client.Call("BatchGetItem", {{"RequestItems", {{table, {{"Keys", keys}}}}}});
  EXPECT_TRUE(hundred.ok()) << hundred.status().ToString();
}

TEST_F(DynamoDbClientTest, UnsupportedOperationIsInvalidArgument) {
  DynamoDbClient client(OptionsFor(dynalite_->endpoint()));
  const std::string table = NewTable(client);
  const json request = {
      {"TransactItems", json::array({{{"Put", {{"TableName", table}, {"Item", PutRequest(table, "t", "x")["Item"]}}}}})}};
  std::string type;
  auto got = client.Call("TransactWriteItems", request, &type);
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument) << got.status().ToString();
  EXPECT_EQ(type, "UnknownOperationException");
  EXPECT_THAT(got.status().message(), HasSubstr("TransactWriteItems"));
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST_F(DynamoDbClientTest, ManyThreadsShareOneClient) {
  DynamoDbClient client(OptionsFor(dynalite_->endpoint()));
  const std::string table = NewTable(client);
  const auto calls_before = client.stats().calls.load();
  constexpr int kThreads = 8, kPerThread = 50;
  std::atomic<int> failures{0};
  std::mutex error_mu;
  std::string first_error;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto put = client.Call("PutItem", PutRequest(table, id, "item " + id));
        if (!put.ok()) {
          ++failures;
          std::lock_guard<std::mutex> lock(error_mu);
          if (first_error.empty()) first_error = put.status().ToString();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0) << first_error;
  EXPECT_EQ(client.stats().calls - calls_before, 0u + kThreads * kPerThread);
  EXPECT_EQ(client.stats().failures, 0u);

  // Every item is there.
  int count = 0;
  json request = {{"TableName", table}, {"Select", "COUNT"}};
  for (;;) {
    auto page = client.Call("Scan", request);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    count += page->at("Count").get<int>();
    if (!page->contains("LastEvaluatedKey")) break;
    request["ExclusiveStartKey"] = page->at("LastEvaluatedKey");
  }
  EXPECT_EQ(count, kThreads * kPerThread);
}

TEST_F(DynamoDbClientTest, ClientsOnOneThreadDoNotShareHandles) {
  RefusingPort refusing;
  ClientOptions down_options = OptionsFor(refusing.endpoint());
  down_options.max_attempts = 1;
  DynamoDbClient up(OptionsFor(dynalite_->endpoint()));
  DynamoDbClient down(down_options);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(up.Call("ListTables", json::object()).ok());
    EXPECT_EQ(down.Call("ListTables", json::object()).status().code(), StatusCode::kUnavailable);
  }
  // Clients come and go on this thread; each new one works.
  for (int i = 0; i < 20; ++i) {
    DynamoDbClient short_lived(OptionsFor(dynalite_->endpoint()));
    auto listed = short_lived.Call("ListTables", json::object());
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  }
  // A client used by threads that have exited is destroyed cleanly.
  {
    DynamoDbClient client(OptionsFor(dynalite_->endpoint()));
    std::thread([&] { EXPECT_TRUE(client.Call("ListTables", json::object()).ok()); }).join();
    std::thread([&] { EXPECT_TRUE(client.Call("ListTables", json::object()).ok()); }).join();
  }
  EXPECT_TRUE(up.Call("ListTables", json::object()).ok());
}

// --- connection failures ---------------------------------------------------

TEST(DynamoDbClientConnectionTest, ConnectionRefusedIsUnavailableAfterMaxAttempts) {
  RefusingPort refusing;
  ClientOptions options = OptionsFor(refusing.endpoint());
  options.max_attempts = 4;
  options.base_backoff = milliseconds(10);
  options.max_backoff = milliseconds(30);
  DynamoDbClient client(options);
  const auto start = std::chrono::steady_clock::now();
  auto got = client.Call("GetItem", {{"TableName", "client-any"}, {"Key", Key("x")}});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  EXPECT_THAT(got.status().message(), HasSubstr(refusing.endpoint()));
  EXPECT_THAT(got.status().message(), HasSubstr("4 attempts"));
  EXPECT_EQ(client.stats().calls, 1u);
  EXPECT_EQ(client.stats().attempts, 4u);
  EXPECT_EQ(client.stats().retries, 3u);
  EXPECT_EQ(client.stats().failures, 1u);
  // Backoffs of at most 10 + 20 + 30 ms, and refused connects are instant.
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST(DynamoDbClientConnectionTest, StopAndRestartRecoversWithTheSameClient) {
  testing::DynaliteOptions persistent;
  persistent.persist = true;
  testing::Dynalite dynalite(persistent);
  ClientOptions options = OptionsFor(dynalite.endpoint());
  options.max_attempts = 2;
  DynamoDbClient client(options);
  ASSERT_NO_FATAL_FAILURE(CreateActiveTable(client, "client-restart"));
  auto put = client.Call("PutItem", PutRequest("client-restart", "kept", "before the restart"));
  ASSERT_TRUE(put.ok()) << put.status().ToString();

  dynalite.Stop();
  EXPECT_FALSE(dynalite.running());
  for (int i = 0; i < 2; ++i) {
    auto down = client.Call("GetItem", {{"TableName", "client-restart"}, {"Key", Key("kept")}});
    EXPECT_EQ(down.status().code(), StatusCode::kUnavailable) << down.status().ToString();
    EXPECT_THAT(down.status().message(), HasSubstr(dynalite.endpoint()));
  }

  const std::string endpoint = dynalite.endpoint();
  dynalite.Start();
  EXPECT_EQ(dynalite.endpoint(), endpoint);
  auto got = client.Call("GetItem", {{"TableName", "client-restart"}, {"Key", Key("kept")}});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->at("Item").at("text"), json({{"S", "before the restart"}}));
  // And again from another thread with its own handle.
  std::thread([&] { EXPECT_TRUE(client.Call("ListTables", json::object()).ok()); }).join();
  EXPECT_EQ(client.stats().failures, 2u);
}

TEST(DynamoDbClientConnectionTest, DynaliteRestartsInMemoryEmpty) {
  testing::Dynalite dynalite;
  DynamoDbClient client(OptionsFor(dynalite.endpoint()));
  ASSERT_TRUE(client.Call("CreateTable", CreateTableRequest("client-volatile")).ok());
  dynalite.Stop();
  dynalite.Stop();  // idempotent
  dynalite.Start();
  dynalite.Start();  // idempotent
  auto listed = client.Call("ListTables", json::object());
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(listed->at("TableNames"), json::array());
  EXPECT_THAT(dynalite.Log(), HasSubstr("Dynalite listening at"));
}

// --- scripted server: retries, headers, timeouts ---------------------------

TEST(DynamoDbClientRetryTest, SendsSignedDynamoDbJsonRequests) {
  FakeServer server({{200, R"({"TableNames":["a"]})"}});
  ClientOptions options = OptionsFor(server.endpoint());
  options.region = "eu-west-1";
  options.credentials.session_token = "session-token-123";
  DynamoDbClient client(options);
  auto listed = client.Call("ListTables", {{"Limit", 5}});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(*listed, json({{"TableNames", {"a"}}}));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string& head = requests[0].head;
  EXPECT_THAT(head, StartsWith("POST / HTTP/1.1\r\n"));
  EXPECT_THAT(head, HasSubstr("\r\nContent-Type: application/x-amz-json-1.0\r\n"));
  EXPECT_THAT(head, HasSubstr("\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"));
  EXPECT_THAT(head, HasSubstr("\r\nX-Amz-Date: 20"));
  EXPECT_THAT(head, HasSubstr("\r\nX-Amz-Security-Token: session-token-123\r\n"));
  EXPECT_THAT(head, HasSubstr("\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
  EXPECT_THAT(head, HasSubstr("/eu-west-1/dynamodb/aws4_request"));
  EXPECT_THAT(head, HasSubstr("\r\nHost: " + server.endpoint().substr(7) + "\r\n"));
  EXPECT_EQ(json::parse(requests[0].body), json({{"Limit", 5}}));
}

TEST(DynamoDbClientRetryTest, NoSecurityTokenHeaderWithoutSessionToken) {
  FakeServer server({{200, "{}"}});
  DynamoDbClient client(OptionsFor(server.endpoint()));
  ASSERT_TRUE(client.Call("ListTables", json::object()).ok());
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_THAT(server.requests()[0].head, ::testing::Not(HasSubstr("X-Amz-Security-Token")));
}

TEST(DynamoDbClientRetryTest, RetriesThrottlingAndServerErrorsThenSucceeds) {
  FakeServer server({
      {400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"})"},
      {400, R"({"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"})"},
      {400, R"({"__type":"com.amazonaws.dynamodb.v20120810#RequestLimitExceeded","message":"limit"})"},
      {500, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","Message":"oops"})"},
      {503, R"({"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable"})"},
      {502, "<html>bad gateway</html>"},
      {200, R"({"Item":{"id":{"S":"x"}}})"},
  });
  ClientOptions options = OptionsFor(server.endpoint());
  options.max_attempts = 7;
  DynamoDbClient client(options);
  auto got = client.Call("GetItem", {{"TableName", "t"}, {"Key", Key("x")}});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->at("Item"), Key("x"));
  EXPECT_EQ(client.stats().attempts, 7u);
  EXPECT_EQ(client.stats().retries, 6u);
  EXPECT_EQ(client.stats().failures, 0u);
  EXPECT_EQ(server.requests().size(), 7u);
  // Every retry was on the one kept-alive connection.
  EXPECT_EQ(server.connections(), 1);
}

TEST(DynamoDbClientRetryTest, GivesUpAfterMaxAttemptsWithLastError) {
  std::vector<FakeServer::Response> script(
      3, {400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput"})"});
  FakeServer server(script);
  ClientOptions options = OptionsFor(server.endpoint());
  options.max_attempts = 3;
  DynamoDbClient client(options);
  std::string type;
  auto got = client.Call("PutItem", {{"TableName", "t"}}, &type);
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  EXPECT_THAT(got.status().message(), HasSubstr(server.endpoint()));
  EXPECT_THAT(got.status().message(), HasSubstr("Rate of requests exceeds"));
  EXPECT_EQ(type, "ThrottlingException");
  EXPECT_EQ(client.stats().retries, 2u);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(DynamoDbClientRetryTest, TheBackoffDoublesFromTheBaseUpToTheCap) {
  ClientOptions options;
  options.base_backoff = std::chrono::milliseconds(25);
  options.max_backoff = std::chrono::milliseconds(2000);
  EXPECT_EQ(BackoffCeiling(options, 1).count(), 25);
  EXPECT_EQ(BackoffCeiling(options, 2).count(), 50);
  EXPECT_EQ(BackoffCeiling(options, 3).count(), 100);
  EXPECT_EQ(BackoffCeiling(options, 7).count(), 1600);
  EXPECT_EQ(BackoffCeiling(options, 8).count(), 2000);
  EXPECT_EQ(BackoffCeiling(options, 1000).count(), 2000);
}

TEST(DynamoDbClientRetryTest, ABatchIsCalledAgainWithItsUnprocessedItemsUntilNoneAreLeft) {
  FakeServer server({
      {200, R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"b"}}}}]}})"},
      {200, R"({"UnprocessedItems":{}})"},
  });
  DynamoDbClient client(OptionsFor(server.endpoint()));
  int replies = 0;
  const nlohmann::json items = {{"t", {{{"PutRequest", {{"Item", Key("a")}}}}, {{"PutRequest", {{"Item", Key("b")}}}}}}};
  Status s = client.CallUntilProcessed("BatchWriteItem", items, "UnprocessedItems", [&](const nlohmann::json&) {
    ++replies;
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(replies, 2);
  ASSERT_EQ(server.requests().size(), 2u);
  // The second call carries only what the first left unprocessed.
  const auto second = nlohmann::json::parse(server.requests()[1].body);
  EXPECT_EQ(second["RequestItems"]["t"].size(), 1u);
  EXPECT_EQ(second["RequestItems"]["t"][0]["PutRequest"]["Item"], Key("b"));
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST(DynamoDbClientRetryTest, ABatchLeftUnprocessedPastMaxAttemptsIsUnavailable) {
  std::vector<FakeServer::Response> script(
      3, {200, R"({"UnprocessedKeys":{"t":{"Keys":[{"id":{"S":"a"}}]}}})"});
  FakeServer server(script);
  ClientOptions options = OptionsFor(server.endpoint());
  options.max_attempts = 3;
  DynamoDbClient client(options);
  Status s = client.CallUntilProcessed("BatchGetItem", {{"t", {{"Keys", {Key("a")}}}}}, "UnprocessedKeys",
                                       [](const nlohmann::json&) { return Status::Ok(); });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("unprocessed"));
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(DynamoDbClientRetryTest, ClientErrorsAreNotRetried) {
  FakeServer server({
      {400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"One or more parameter values were invalid"})"},
      {400, R"({"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."})"},
      {400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})"},
      {413, ""},
  });
  DynamoDbClient client(OptionsFor(server.endpoint()));
  std::string type;
  auto validation = client.Call("PutItem", json::object(), &type);
  EXPECT_EQ(validation.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(validation.status().message(),
            "DynamoDB PutItem: ValidationException: One or more parameter values were invalid");
  auto auth = client.Call("PutItem", json::object(), &type);
  EXPECT_EQ(auth.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(type, "UnrecognizedClientException");
  auto condition = client.Call("PutItem", json::object(), &type);
  EXPECT_EQ(condition.status().code(), StatusCode::kConditionFailed);
  auto too_large = client.Call("PutItem", json::object(), &type);
  EXPECT_EQ(too_large.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(too_large.status().message(), HasSubstr("HTTP 413"));
  EXPECT_EQ(type, "");
  EXPECT_EQ(client.stats().retries, 0u);
  EXPECT_EQ(client.stats().failures, 4u);
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST(DynamoDbClientRetryTest, RequestTimeoutIsRetriedThenUnavailable) {
  FakeServer server({{0, ""}, {0, ""}});  // never answers
  ClientOptions options = OptionsFor(server.endpoint());
  options.max_attempts = 2;
  options.request_timeout = milliseconds(200);
  DynamoDbClient client(options);
  const auto start = std::chrono::steady_clock::now();
  auto got = client.Call("GetItem", {{"TableName", "t"}, {"Key", Key("x")}});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  EXPECT_THAT(got.status().message(), HasSubstr("2 attempts"));
  EXPECT_EQ(client.stats().retries, 1u);
  EXPECT_GE(elapsed, milliseconds(400));
  EXPECT_LT(elapsed, milliseconds(3000));
}

TEST(DynamoDbClientRetryTest, NonJsonSuccessIsInternal) {
  FakeServer server({{200, "not json"}});
  DynamoDbClient client(OptionsFor(server.endpoint()));
  auto got = client.Call("ListTables", json::object());
  EXPECT_EQ(got.status().code(), StatusCode::kInternal);
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST(DynamoDbClientRetryTest, DefaultEndpointIsRegional) {
  ClientOptions options;
  options.region = "ap-southeast-2";
  DynamoDbClient client(options);
  EXPECT_EQ(client.url(), "https://dynamodb.ap-southeast-2.amazonaws.com/");
  options.endpoint = "http://127.0.0.1:8000";
  EXPECT_EQ(DynamoDbClient(options).url(), "http://127.0.0.1:8000/");
}

// --- credentials ------------------------------------------------------------

// Sets or unsets AWS_* variables for one test and restores them after.
class ScopedEnv {
 public:
  ScopedEnv() {
    for (const char* name : kNames) {
      const char* value = std::getenv(name);
      saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }
  void Set(const char* name, const char* value) { setenv(name, value, 1); }

 private:
  static constexpr const char* kNames[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"};
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(DynamoDbClientCredentialsTest, ReadsKeysAndSessionToken) {
  ScopedEnv env;
  env.Set("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
  env.Set("AWS_SECRET_ACCESS_KEY", "secret-from-env");
  auto plain = CredentialsFromEnvironment(false);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->access_key_id, "AKIDFROMENV");
  EXPECT_EQ(plain->secret_access_key, "secret-from-env");
  EXPECT_EQ(plain->session_token, "");

  env.Set("AWS_SESSION_TOKEN", "token-from-env");
  auto temporary = CredentialsFromEnvironment(true);
  ASSERT_TRUE(temporary.ok());
  EXPECT_EQ(temporary->access_key_id, "AKIDFROMENV");  // real keys win over dummies
  EXPECT_EQ(temporary->session_token, "token-from-env");
}

TEST(DynamoDbClientCredentialsTest, MissingKeysAreInvalidUnlessDummyAllowed) {
  ScopedEnv env;
  auto none = CredentialsFromEnvironment(false);
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(none.status().message(), HasSubstr("AWS_ACCESS_KEY_ID"));
  EXPECT_THAT(none.status().message(), HasSubstr("AWS_SECRET_ACCESS_KEY"));

  env.Set("AWS_ACCESS_KEY_ID", "AKIDONLY");
  env.Set("AWS_SECRET_ACCESS_KEY", "");  // empty counts as missing
  auto half = CredentialsFromEnvironment(false);
  EXPECT_EQ(half.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(half.status().message(), HasSubstr("AWS_SECRET_ACCESS_KEY"));
  EXPECT_THAT(half.status().message(), ::testing::Not(HasSubstr("AWS_ACCESS_KEY_ID")));

  auto dummy = CredentialsFromEnvironment(true);
  ASSERT_TRUE(dummy.ok());
  EXPECT_FALSE(dummy->access_key_id.empty());
  EXPECT_FALSE(dummy->secret_access_key.empty());
  EXPECT_EQ(dummy->session_token, "");
}

TEST(DynamoDbClientCredentialsTest, DummyCredentialsWorkAgainstDynalite) {
  ScopedEnv env;
  auto dummy = CredentialsFromEnvironment(true);
  ASSERT_TRUE(dummy.ok());
  testing::Dynalite dynalite;
  ClientOptions options = OptionsFor(dynalite.endpoint());
  options.credentials = *dummy;
  DynamoDbClient client(options);
  auto listed = client.Call("ListTables", json::object());
  EXPECT_TRUE(listed.ok()) << listed.status().ToString();
}

}  // namespace
}  // namespace truthbyte::dynamodb

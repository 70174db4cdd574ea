// End-to-end: the server protects itself and its players (SPEC sections 5
// and 6): rate-limit headers and limits, CORS, malformed input of every
// kind answered with a 4xx JSON error, body limits, slow clients, and a
// graceful drain on SIGTERM.

#include <atomic>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

class ProtectionTest : public SharedServerTest<ProtectionTest> {
 public:
  static constexpr const char* kStoreFile = "protection.db";

 protected:

};


std::string Lower(std::string s) { return LowerAscii(std::move(s)); }

// ---- Rate-limit headers ----------------------------------------------------------

TEST_F(ProtectionTest, EveryRoutedResponseCarriesRateLimitHeaders) {
  HttpClient client(port());
  Player p(port());
  ExpectRateLimitHeaders(client.Get("/v1/session"), "GET /v1/session");
  ExpectRateLimitHeaders(client.Get("/v1/categories"), "GET /v1/categories");
  ExpectRateLimitHeaders(client.Get("/health"), "GET /health");
  ExpectRateLimitHeaders(client.Get("/ready"), "GET /ready");
  ExpectRateLimitHeaders(client.Get("/metrics"), "GET /metrics");
  ExpectRateLimitHeaders(p.Get("/v1/fetch-questions"), "GET /v1/fetch-questions");
  ExpectRateLimitHeaders(p.Get("/v1/fetch-questions?num_questions=0"), "400 invalid_parameter");
  ExpectRateLimitHeaders(p.Get("/v1/fetch-questions?category=nothing-here"), "404 no questions");
  ExpectRateLimitHeaders(client.Get("/v1/user"), "401 missing token");
  ExpectRateLimitHeaders(client.Get("/v1/user", {{"Authorization", "Bearer x"}}), "401 invalid token");
  ExpectRateLimitHeaders(p.Post("/v1/submit-answers", "{"), "400 invalid_json");
  ExpectRateLimitHeaders(p.Get("/v1/moderation-queue"), "403 forbidden");
  ExpectRateLimitHeaders(client.Get("/no/such/path"), "404 unknown path");
  ExpectRateLimitHeaders(client.Post("/v1/categories", "{}"), "405");
  ExpectRateLimitHeaders(client.Request("OPTIONS", "/v1/fetch-questions",
                                        {{"Origin", "https://game.example"}, {"Access-Control-Request-Method", "GET"}}),
                         "OPTIONS");
  ExpectRateLimitHeaders(p.Get("/v1/fetch-questions?category=%zz"), "400 bad query");
}

// Responses made by the HTTP layer itself (a request that never reaches
// the API) are responses too: SPEC section 5, "Every response carries
// X-RateLimit-*".
TEST_F(ProtectionTest, ConnectionLevelErrorsCarryRateLimitHeadersToo) {
  {
    RawConnection raw(port());
    ASSERT_TRUE(raw.Send("POST /v1/submit-answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         "Content-Length: 2000000\r\n\r\n[]"));
    auto r = raw.ReadResponse(10s);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(413, r->status);
    ExpectRateLimitHeaders(*r, "413 payload_too_large");
  }
  {
    RawConnection raw(port());
    ASSERT_TRUE(raw.Send("GET /health HTTP/1.1\r\nHost: x\r\nThis line has no colon\r\n\r\n"));
    auto r = raw.ReadResponse(10s);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(400, r->status);
    ExpectRateLimitHeaders(*r, "400 malformed HTTP");
  }
}

TEST_F(ProtectionTest, RemainingCountsDownForOneUser) {
  Player p(port());
  std::vector<long long> remaining;
  for (int i = 0; i < 4; ++i) {
    HttpResult r = p.Get(i % 2 ? "/v1/auth-ping" : "/v1/user");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("1000", r.Header("X-RateLimit-Limit"));
    remaining.push_back(std::stoll(r.Header("X-RateLimit-Remaining")));
    EXPECT_GT(std::stoll(r.Header("X-RateLimit-Reset")), NowSeconds() - 5);
  }
  for (std::size_t i = 1; i < remaining.size(); ++i) EXPECT_EQ(remaining[i - 1] - 1, remaining[i]);
  EXPECT_LT(remaining.back(), 1000);
  // Another user has a budget of their own.
  Player other(port());
  HttpResult r = other.Get("/v1/user");
  EXPECT_EQ(999, std::stoll(r.Header("X-RateLimit-Remaining")));
}

TEST(RateLimitTest, SessionAndUserLimitsAnswer429WithRetryAfter) {
  TempDir dir;
  ServerConfig config;
  config.serve_args = {"--session-rate-limit", "3", "--user-rate-limit", "5"};
  ServerProcess server(dir.File("limits.db"), config);
  HttpClient client(server.port());
  std::vector<json> sessions;
  for (int i = 0; i < 3; ++i) {
    HttpResult r = client.Get("/v1/session", {{"X-User-ID", NewUserId()}});
    ASSERT_EQ(200, r.status) << "session " << i << ": " << r.body;
    EXPECT_EQ("3", r.Header("X-RateLimit-Limit"));
    EXPECT_EQ(std::to_string(2 - i), r.Header("X-RateLimit-Remaining"));
    sessions.push_back(r.Json());
  }
  HttpResult limited = client.Get("/v1/session");
  ExpectError(limited, 429, "rate_limited", "fourth session");
  ASSERT_TRUE(limited.HasHeader("Retry-After"));
  EXPECT_GT(std::stoll(limited.Header("Retry-After")), 0);
  EXPECT_LE(std::stoll(limited.Header("Retry-After")), 3600);
  EXPECT_EQ("0", limited.Header("X-RateLimit-Remaining"));

  Player a(server.port(), sessions[0]["user_id"], sessions[0]["access_token"]);
  for (int i = 0; i < 5; ++i) {
    HttpResult r = a.Get(i % 2 ? "/v1/user" : "/v1/fetch-questions");
    ASSERT_EQ(200, r.status) << "call " << i << ": " << r.body;
  }
  HttpResult r = a.Get("/v1/user");
  ExpectError(r, 429, "rate_limited", "sixth protected call");
  ASSERT_TRUE(r.HasHeader("Retry-After"));
  EXPECT_GT(std::stoll(r.Header("Retry-After")), 0);
  EXPECT_EQ("5", r.Header("X-RateLimit-Limit"));
  ExpectError(a.PostJson("/v1/submit-answers", json::array({{{"question_id", "tb-0001"}, {"answer", true}}})), 429,
              "rate_limited", "POST after the limit");
  // Nothing was recorded by the refused call; another user is not limited.
  Player b(server.port(), sessions[1]["user_id"], sessions[1]["access_token"]);
  HttpResult other = b.Get("/v1/user");
  ASSERT_EQ(200, other.status) << other.body;
  EXPECT_EQ(0, other.Json()["total_answers"]);
  server.Stop();
}

// ---- CORS ----------------------------------------------------------------------------

TEST_F(ProtectionTest, CorsPreflightIsAnsweredForAnyOriginByDefault) {
  HttpClient client(port());
  HttpResult r = client.Request("OPTIONS", "/v1/fetch-questions",
                                {{"Origin", "https://game.example"},
                                 {"Access-Control-Request-Method", "GET"},
                                 {"Access-Control-Request-Headers", "authorization, x-user-id, content-type"}});
  EXPECT_EQ(204, r.status) << r.body;
  EXPECT_TRUE(r.Header("Access-Control-Allow-Origin") == "*" ||
              r.Header("Access-Control-Allow-Origin") == "https://game.example")
      << r.Header("Access-Control-Allow-Origin");
  const std::string allowed = Lower(r.Header("Access-Control-Allow-Headers"));
  EXPECT_THAT(allowed, HasSubstr("authorization"));
  EXPECT_THAT(allowed, HasSubstr("x-user-id"));
  EXPECT_THAT(allowed, HasSubstr("content-type"));
  EXPECT_THAT(r.Header("Access-Control-Allow-Methods"), HasSubstr("GET"));
  // Preflight of a POST endpoint.
  r = client.Request("OPTIONS", "/v1/submit-answers",
                     {{"Origin", "https://game.example"}, {"Access-Control-Request-Method", "POST"},
                      {"Access-Control-Request-Headers", "Content-Type, Authorization, X-User-ID"}});
  EXPECT_EQ(204, r.status);
  EXPECT_THAT(r.Header("Access-Control-Allow-Methods"), HasSubstr("POST"));
  // Actual responses carry the allow-origin header too.
  HttpResult get = client.Get("/v1/categories", {{"Origin", "https://game.example"}});
  EXPECT_EQ(200, get.status);
  EXPECT_TRUE(get.HasHeader("Access-Control-Allow-Origin"));
}

TEST(CorsTest, ConfiguredOriginsOnly) {
  TempDir dir;
  ServerConfig config;
  config.serve_args = {"--cors-origins", "https://a.example"};
  ServerProcess server(dir.File("cors.db"), config);
  HttpClient client(server.port());
  const Headers preflight_headers = {{"Access-Control-Request-Method", "GET"},
                                     {"Access-Control-Request-Headers", "Authorization, X-User-ID"}};
  Headers a = preflight_headers;
  a.emplace_back("Origin", "https://a.example");
  HttpResult r = client.Request("OPTIONS", "/v1/fetch-questions", a);
  EXPECT_EQ(204, r.status) << r.body;
  EXPECT_EQ("https://a.example", r.Header("Access-Control-Allow-Origin"));
  EXPECT_THAT(Lower(r.Header("Access-Control-Allow-Headers")), HasSubstr("authorization"));
  EXPECT_THAT(Lower(r.Header("Access-Control-Allow-Headers")), HasSubstr("x-user-id"));

  Headers b = preflight_headers;
  b.emplace_back("Origin", "https://b.example");
  r = client.Request("OPTIONS", "/v1/fetch-questions", b);
  ExpectError(r, 403, "forbidden", "preflight from another origin");
  EXPECT_FALSE(r.HasHeader("Access-Control-Allow-Origin")) << r.Header("Access-Control-Allow-Origin");
  ExpectError(client.Request("OPTIONS", "/v1/fetch-questions", preflight_headers), 403, "forbidden",
              "preflight without Origin");
  ExpectError(client.Request("OPTIONS", "/v1/no-such-path", a), 404, "not_found", "preflight of an unknown path");
  // A plain request from another origin gets no allow-origin header.
  HttpResult get = client.Get("/v1/categories", {{"Origin", "https://b.example"}});
  EXPECT_EQ(200, get.status);
  EXPECT_FALSE(get.HasHeader("Access-Control-Allow-Origin"));
  get = client.Get("/v1/categories", {{"Origin", "https://a.example"}});
  EXPECT_EQ("https://a.example", get.Header("Access-Control-Allow-Origin"));
  server.Stop();
}

// ---- Malformed requests ------------------------------------------------------------

struct Malformed {
  std::string method;
  std::string target;
  std::optional<std::string> body;
  int status;
  std::string code;
};

std::string Answers(int n) {
  json list = json::array();
  for (int i = 0; i < n; ++i) list.push_back({{"question_id", "tb-0001"}, {"answer", true}, {"timestamp", 1}});
  return list.dump();
}

TEST_F(ProtectionTest, MalformedRequestsGetA4xxJsonErrorAndNeverA5xx) {
  Player p(port());
  const std::string today = p.GetOk("/v1/fetch-daily-questions")["date"];
  const std::string SA = "/v1/submit-answers";
  const std::string SD = "/v1/submit-daily-answers";
  const std::string PQ = "/v1/propose-question";
  const std::string FQ = "/v1/fetch-questions";
  const std::vector<Malformed> cases = {
      {"POST", SA, "{", 400, "invalid_json"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":tr)", 400, "invalid_json"},
      {"POST", SA, "[{\"question_id\":\"tb-\xff\xfe\",\"answer\":true}]", 400, "invalid_json"},
      {"POST", SA, "[{\"question_id\":\"tb-0001\",\"answer\":true}] \xc3", 400, "invalid_json"},
      {"POST", SA, R"("just a string")", 400, "validation_failed"},
      {"POST", SA, "42", 400, "validation_failed"},
      {"POST", SA, "null", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":1}])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":"true"}])", 400, "validation_failed"},
      {"POST", SA, R"({"answers":{"question_id":"tb-0001","answer":true}})", 400, "validation_failed"},
      {"POST", SA, R"({"answers":"all of them"})", 400, "validation_failed"},
      {"POST", SA, R"({"answer":[]})", 400, "validation_failed"},
      {"POST", SA, Answers(101), 400, "validation_failed"},
      {"POST", SA, "[]", 400, "validation_failed"},
      {"POST", SA, R"({"answers":[]})", 400, "validation_failed"},
      {"POST", SA, "[{}]", 400, "validation_failed"},
      {"POST", SA, R"([{"answer":true}])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001"}])", 400, "validation_failed"},
      {"POST", SA, R"([1,2,3])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":12345678901234567890123456789,"answer":true}])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":true,"timestamp":1e300}])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":true,"timestamp":-5}])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":true,"timestamp":"now"}])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":true,"response_time_ms":-1}])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":true,"response_time_ms":1e20}])", 400, "validation_failed"},
      {"POST", SA, R"([{"question_id":"tb-0001","answer":true,"user_id":42}])", 400, "validation_failed"},
      {"POST", SA, "[{\"question_id\":\"" + std::string(500, 'q') + "\",\"answer\":true}]", 400, "validation_failed"},
      {"POST", SA, std::string(10000, '['), 400, "invalid_json"},
      {"POST", SA, std::string(10000, '[') + std::string(10000, ']'), 400, "invalid_json"},
      {"POST", SA, std::string(5000, '{') , 400, "invalid_json"},
      {"POST", SA, "", 400, "invalid_json"},
      {"POST", SA, "   \r\n\t ", 400, "invalid_json"},
      {"POST", SA, "[] trailing", 400, "invalid_json"},
      {"POST", SA, "[NaN]", 400, "invalid_json"},
      {"POST", SA, std::string("[\0]", 3), 400, "invalid_json"},
      {"POST", SA, "{'answers': []}", 400, "invalid_json"},
      {"POST", SD, "[]", 400, "validation_failed"},
      {"POST", SD, "", 400, "invalid_json"},
      {"POST", SD, json({{"date", today}, {"answers", 7}}).dump(), 400, "validation_failed"},
      {"POST", SD, json({{"date", today}, {"answers", json::parse(Answers(101))}}).dump(), 400, "validation_failed"},
      {"POST", SD, json({{"date", "2023-02-30"}, {"answers", json::parse(Answers(10))}}).dump(), 400, "invalid_parameter"},
      {"POST", SD, json({{"date", true}, {"answers", json::parse(Answers(10))}}).dump(), 400, "invalid_parameter"},
      {"POST", PQ, "{", 400, "invalid_json"},
      {"POST", PQ, "42", 400, "validation_failed"},
      {"POST", PQ, R"({"question":"Is this a question with a number answer?","answer":1,"categories":["x"]})", 400,
       "validation_failed"},
      {"POST", PQ, R"({"question":"Is this a question with a huge difficulty?","answer":true,"categories":["x"],"difficulty":1e308})",
       400, "validation_failed"},
      {"POST", "/v1/refresh", "{\"refresh_token\":", 400, "invalid_json"},
      {"POST", "/v1/refresh", "[]", 400, "validation_failed"},
      {"POST", PQ, "{\"question\":\"Is this \xff\xfe a question?\",\"answer\":true}", 400, "invalid_json"},
      {"POST", "/v1/categories", "{}", 405, "method_not_allowed"},
      {"GET", SA, std::nullopt, 405, "method_not_allowed"},
      {"DELETE", "/v1/user", std::nullopt, 405, "method_not_allowed"},
      {"PUT", SD, "{}", 405, "method_not_allowed"},
      {"BREW", "/health", std::nullopt, 405, "method_not_allowed"},
      {"GET", "/v1/no-such-endpoint", std::nullopt, 404, "not_found"},
      {"GET", "/v1/../health", std::nullopt, 404, "not_found"},
      // "/" is the game (web_test.cc); a path that is no route and no web file:
      {"GET", "/no-such-page", std::nullopt, 404, "not_found"},
      {"GET", "/index.html", std::nullopt, 404, "not_found"},
      {"GET", FQ + "?category=%zz", std::nullopt, 400, "invalid_parameter"},
      {"GET", FQ + "?category=%ff", std::nullopt, 400, "invalid_parameter"},
      {"GET", FQ + "?category=%", std::nullopt, 400, "invalid_parameter"},
      {"GET", FQ + "?category=%c3%28", std::nullopt, 400, "invalid_parameter"},
      {"GET", FQ + "?%zz=1", std::nullopt, 400, "invalid_parameter"},
      {"GET", FQ + "?category=" + std::string(60, 'a'), std::nullopt, 400, "invalid_parameter"},
      {"GET", FQ + "?num_questions=1e3", std::nullopt, 400, "invalid_parameter"},
      {"GET", FQ + "?num_questions=%2B5", std::nullopt, 400, "invalid_parameter"},
      {"GET", "/v1/fetch-daily-questions?date=2023-02-30", std::nullopt, 400, "invalid_parameter"},
      {"GET", "/v1/fetch-daily-questions?date=" + AddDays(today, 2), std::nullopt, 400, "invalid_parameter"},
      {"GET", "/v1/fetch-daily-questions?date=9999-99-99", std::nullopt, 400, "invalid_parameter"},
      {"GET", "/v1/fetch-daily-questions?date=%00", std::nullopt, 400, "invalid_parameter"},
  };
  ASSERT_GE(cases.size(), 30u);
  for (const auto& c : cases) {
    const std::string what = c.method + " " + c.target + " " + (c.body ? c.body->substr(0, 80) : std::string());
    HttpResult r;
    try {
      r = p.client().Request(c.method, c.target, p.Auth(), c.body);
    } catch (const std::exception& e) {
      ADD_FAILURE() << what << ": " << e.what();
      continue;
    }
    EXPECT_LT(r.status, 500) << what;
    EXPECT_GE(r.status, 400) << what;
    ExpectError(r, c.status, c.code, what);
  }
  // The player's state is untouched and the server is fine.
  EXPECT_EQ(0, p.GetOk("/v1/user")["total_answers"]);
  HttpClient fresh(port());
  EXPECT_EQ(200, fresh.Get("/health").status);
}

TEST_F(ProtectionTest, MalformedHttpGetsA400AndTheServerCarriesOn) {
  const std::vector<std::string> requests = {
      "GET /health HTTP/1.1\r\nHost: x\r\nThis line has no colon\r\n\r\n",
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      std::string("\x00\x01\x02\x03 binary junk\r\n\r\n", 20),
      "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "POST /v1/submit-answers HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n[]",
      "POST /v1/submit-answers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n[]\r\n0\r\n\r\n",
      "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n",
      "GET /he alth HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  for (const auto& bytes : requests) {
    const std::string what = bytes.substr(0, 60);
    RawConnection raw(port());
    raw.Send(bytes);
    auto r = raw.ReadResponse(10s);
    ASSERT_TRUE(r.has_value()) << "no response to: " << what;
    EXPECT_EQ(400, r->status) << what;
    json body = r->Json();
    ASSERT_TRUE(body.is_object()) << what << ": " << r->body;
    EXPECT_TRUE(body["error"].is_string()) << r->body;
    EXPECT_TRUE(body["error_code"].is_string()) << r->body;
    EXPECT_TRUE(body["request_id"].is_string()) << r->body;
  }
  HttpClient client(port());
  EXPECT_EQ(200, client.Get("/health").status);
}

TEST_F(ProtectionTest, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection raw(port());
  ASSERT_TRUE(raw.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto first = raw.ReadResponse(10s);
  auto second = raw.ReadResponse(10s);
  auto third = raw.ReadResponse(10s);
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(200, first->status);
  EXPECT_EQ("ok", first->Json()["status"]);
  EXPECT_EQ(404, second->status);
  EXPECT_EQ(200, third->status);
  EXPECT_EQ("ready", third->Json()["status"]);
}

TEST_F(ProtectionTest, ChunkedBodiesAreRead) {
  Player p(port());
  RawConnection raw(port());
  const std::string body = R"([{"question_id":"tb-0001","answer":true},{"question_id":"tb-0002","answer":true}])";
  std::string request = "POST /v1/submit-answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n";
  for (const auto& [k, v] : p.Auth()) request += k + ": " + v + "\r\n";
  request += "\r\n";
  request += fmt::format("{:x}\r\n{}\r\n", 10, body.substr(0, 10));
  request += fmt::format("{:x}\r\n{}\r\n0\r\n\r\n", body.size() - 10, body.substr(10));
  ASSERT_TRUE(raw.Send(request));
  auto r = raw.ReadResponse(10s);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(200, r->status) << r->body;
  EXPECT_EQ(2, r->Json()["recorded"]);
}

// RFC 9110 section 9.3.2: a response to HEAD carries no content. A body
// after a HEAD response is read by a keep-alive client as the start of the
// next response.
TEST_F(ProtectionTest, HeadResponsesHaveNoBodySoTheConnectionStaysInSync) {
  RawConnection raw(port());
  ASSERT_TRUE(raw.Send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto head = raw.ReadResponse(10s, /*to_head=*/true);
  ASSERT_TRUE(head.has_value()) << "no response to HEAD";
  EXPECT_LT(head->status, 500);
  auto next = raw.ReadResponse(5s);
  ASSERT_TRUE(next.has_value()) << "the response after a HEAD response could not be read: the HEAD response had a body";
  EXPECT_EQ(200, next->status);
  EXPECT_EQ("ok", next->Json()["status"]) << next->body;
}

TEST_F(ProtectionTest, BodiesOverOneMebibyteGet413) {
  Player p(port());
  // Announced too large: refused before the body is read.
  {
    RawConnection raw(port());
    std::string head = "POST /v1/submit-answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    for (const auto& [k, v] : p.Auth()) head += k + ": " + v + "\r\n";
    head += "Origin: https://game.example\r\n";
    head += "Content-Length: " + std::to_string((1 << 20) + 1) + "\r\n\r\n[";
    ASSERT_TRUE(raw.Send(head));
    auto r = raw.ReadResponse(10s);
    ASSERT_TRUE(r.has_value()) << "no response to an oversized body";
    ExpectError(*r, 413, "payload_too_large");
    EXPECT_THAT(r->Header("X-Request-ID"), ::testing::StartsWith("conn-"));
    // A browser can read it: CORS headers as on any response.
    EXPECT_TRUE(r->HasHeader("Access-Control-Allow-Origin"));
    EXPECT_TRUE(raw.WaitForClose(5s)) << "the connection stays open after a 413";
  }
  // The whole oversized body sent anyway, chunked: still a 413.
  {
    RawConnection raw(port());
    std::string request = "POST /v1/submit-answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n";
    for (const auto& [k, v] : p.Auth()) request += k + ": " + v + "\r\n";
    request += "\r\n";
    const std::string chunk(64 * 1024, ' ');
    for (int i = 0; i < 20; ++i) request += fmt::format("{:x}\r\n{}\r\n", chunk.size(), chunk);
    request += "0\r\n\r\n";
    raw.Send(request);  // the server may stop reading once it has seen enough
    auto r = raw.ReadResponse(10s);
    ASSERT_TRUE(r.has_value()) << "no response to an oversized chunked body";
    ExpectError(*r, 413, "payload_too_large");
  }
  // Exactly 1 MiB is still read (and then judged on its content).
  {
    std::string body = "[]" + std::string((1 << 20) - 2, ' ');
    HttpResult r = p.Post("/v1/submit-answers", body);
    ExpectError(r, 400, "validation_failed", "a 1 MiB body");
  }
  HttpClient client(port());
  EXPECT_EQ(200, client.Get("/health").status);
}

// ---- Slow clients and SIGTERM -------------------------------------------------------

TEST(SlowClientTest, HalfARequestDoesNotBlockOthersAndTimesOut) {
  TempDir dir;
  ServerConfig config;
  config.serve_args = {"--request-timeout", "2", "--threads", "1"};
  ServerProcess server(dir.File("slow.db"), config);

  RawConnection slow(server.port());
  ASSERT_TRUE(slow.Send("GET /v1/categ"));
  RawConnection silent(server.port());  // connects and sends nothing
  RawConnection slow_header(server.port());
  ASSERT_TRUE(slow_header.Send("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  // Others are served meanwhile (even with one worker thread).
  for (int i = 0; i < 5; ++i) {
    HttpClient client(server.port(), 5s);
    HttpResult r = client.Get("/v1/categories");
    EXPECT_EQ(200, r.status);
  }
  Player p(server.port());
  EXPECT_EQ(200, p.Get("/v1/fetch-questions").status);

  bool closed = false;
  const std::string answer = slow.ReadUntilClose(6s, &closed);
  EXPECT_TRUE(closed) << "a half-sent request line kept its connection open";
  EXPECT_EQ("", answer) << "a timed-out request is closed without a response";
  EXPECT_TRUE(silent.WaitForClose(3s)) << "a silent connection was never closed";
  EXPECT_TRUE(slow_header.WaitForClose(3s)) << "a half-sent header kept its connection open";

  // An idle keep-alive connection is closed as well.
  RawConnection idle(server.port());
  ASSERT_TRUE(idle.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = idle.ReadResponse(5s);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(200, r->status);
  EXPECT_TRUE(idle.WaitForClose(6s)) << "an idle keep-alive connection was never closed";

  HttpClient client(server.port());
  EXPECT_EQ(200, client.Get("/health").status);
  server.Stop();
}

TEST(SigtermTest, DrainsInFlightRequestsAndExitsZero) {
  TempDir dir;
  const std::string store = dir.File("sigterm.db");
  ServerProcess server(store);
  constexpr int kThreads = 4;
  std::vector<std::unique_ptr<Player>> players;
  for (int i = 0; i < kThreads; ++i) players.push_back(std::make_unique<Player>(server.port()));

  std::atomic<int> completed{0};
  std::atomic<bool> stop{false};
  std::vector<int> truncated(kThreads, 0), bad(kThreads, 0);
  std::vector<std::int64_t> last_total(kThreads, 0);
  std::vector<std::string> bad_bodies(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Player& p = *players[static_cast<std::size_t>(t)];
      const auto deadline = std::chrono::steady_clock::now() + 30s;
      int n = 0;
      int failures = 0;
      while (!stop.load() && std::chrono::steady_clock::now() < deadline) {
        json answers = json::array();
        for (int k = 0; k < 5; ++k, ++n)
          answers.push_back({{"question_id", fmt::format("tb-{:04}", n % 200 + 1)}, {"answer", n % 3 == 0}});
        try {
          HttpResult r = p.PostJson("/v1/submit-answers", answers);
          json j = r.Json();
          if (r.status != 200 || !j.is_object() || j.value("success", false) != true) {
            ++bad[static_cast<std::size_t>(t)];
            bad_bodies[static_cast<std::size_t>(t)] = std::to_string(r.status) + " " + r.body;
          } else {
            last_total[static_cast<std::size_t>(t)] = j["total_answers"].get<std::int64_t>();
            completed.fetch_add(1);
          }
        } catch (const std::exception&) {
          if (p.client().last_read_had_header()) ++truncated[static_cast<std::size_t>(t)];
          // The server is going away: a couple more tries, then stop.
          if (++failures >= 3) return;
          std::this_thread::sleep_for(20ms);
        }
      }
    });
  }
  ASSERT_TRUE(Eventually([&] { return completed.load() >= 20; }, 20s)) << "the workload did not get going";
  server.Signal(SIGTERM);
  const int code = server.WaitForExit(20s);
  EXPECT_THAT(server.Stdout(), HasSubstr("TruthByte stopped"));
  stop.store(true);
  for (auto& th : threads) th.join();
  EXPECT_EQ(0, code);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(0, truncated[static_cast<std::size_t>(t)]) << "thread " << t << " got a truncated response";
    EXPECT_EQ(0, bad[static_cast<std::size_t>(t)]) << "thread " << t << ": " << bad_bodies[static_cast<std::size_t>(t)];
  }

  // Every answer the server acknowledged is in the store.
  ServerProcess again(store);
  for (int t = 0; t < kThreads; ++t) {
    Player p(again.port(), players[static_cast<std::size_t>(t)]->user_id(),
             players[static_cast<std::size_t>(t)]->access_token());
    json user = p.GetOk("/v1/user");
    EXPECT_GE(user["total_answers"].get<std::int64_t>(), last_total[static_cast<std::size_t>(t)]) << "thread " << t;
  }
  again.Stop();
}

}  // namespace
}  // namespace truthbyte::e2e

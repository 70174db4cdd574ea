// Shared helpers of the end-to-end tests: players with sessions, error-body
// checks, UUIDs, dates, and JWTs built by hand (base64url + HMAC-SHA256 via
// OpenSSL) for the token-forgery tests.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/http_client.h"
#include "e2e/server_process.h"

namespace truthbyte::e2e {

using json = nlohmann::json;

// A random UUID v4 in lower case.
inline std::string NewUserId() {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^
                                          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
  std::string hex;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) hex.push_back(kHex[rng() & 15]);
  hex[12] = '4';
  hex[16] = "89ab"[rng() & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

// ---- Dates (UTC) ------------------------------------------------------------

inline std::string FormatDate(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}
inline std::chrono::sys_days ParseDate(const std::string& text) {
  const int y = std::stoi(text.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}
inline std::string TodayUtc() {
  return FormatDate(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}
inline std::string AddDays(const std::string& date, int days) { return FormatDate(ParseDate(date) + std::chrono::days{days}); }
inline std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// ---- JWT by hand --------------------------------------------------------------

inline std::string B64Url(const std::string& data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(data[k])); };
  for (; i + 2 < data.size(); i += 3) {
    const std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(v >> s) & 63];
  }
  if (data.size() - i == 1) {
    const std::uint32_t v = byte(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (data.size() - i == 2) {
    const std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

inline std::string B64UrlDecode(const std::string& text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    else throw std::runtime_error("not base64url");
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

inline std::string Hmac(const EVP_MD* md, const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), len);
}

// header.payload.signature with the given header and payload, signed with
// HMAC-SHA256 (or `md`) and `secret`.
inline std::string SignJwt(const json& header, const json& payload, const std::string& secret,
                           const EVP_MD* md = EVP_sha256()) {
  const std::string input = B64Url(header.dump()) + "." + B64Url(payload.dump());
  return input + "." + B64Url(Hmac(md, secret, input));
}

struct JwtParts {
  std::string header, payload, signature;  // still encoded
};
inline JwtParts SplitJwt(const std::string& token) {
  const auto a = token.find('.');
  const auto b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}
inline json JwtPayload(const std::string& token) { return json::parse(B64UrlDecode(SplitJwt(token).payload)); }

// ---- Responses ----------------------------------------------------------------

// Checks an error response: `status`, a JSON body {error, error_code,
// request_id} with `code`. Returns the body.
inline json ExpectError(const HttpResult& r, int status, const std::string& code, const std::string& what = "") {
  EXPECT_EQ(status, r.status) << what << " body: " << r.body;
  json body = r.Json();
  EXPECT_TRUE(body.is_object()) << what << " body is not a JSON object: " << r.body;
  if (!body.is_object()) return body;
  EXPECT_TRUE(body.contains("error") && body["error"].is_string() && !body["error"].get<std::string>().empty())
      << what << " body: " << r.body;
  EXPECT_TRUE(body.contains("request_id") && body["request_id"].is_string() &&
              !body["request_id"].get<std::string>().empty())
      << what << " body: " << r.body;
  EXPECT_EQ(code, body.value("error_code", std::string("<none>"))) << what << " body: " << r.body;
  EXPECT_NE(std::string::npos, r.Header("Content-Type").find("application/json")) << what;
  return body;
}

inline void ExpectRateLimitHeaders(const HttpResult& r, const std::string& what) {
  EXPECT_TRUE(r.HasHeader("X-RateLimit-Limit")) << what << " (status " << r.status << ")";
  EXPECT_TRUE(r.HasHeader("X-RateLimit-Remaining")) << what << " (status " << r.status << ")";
  EXPECT_TRUE(r.HasHeader("X-RateLimit-Reset")) << what << " (status " << r.status << ")";
}

// ---- Players --------------------------------------------------------------------

// A player: a connection, a session bound to a user, and authenticated
// requests.
class Player {
 public:
  // Opens a session bound to `user_id` (a new UUID when empty).
  explicit Player(std::uint16_t port, std::string user_id = "") : client_(port) {
    user_id_ = user_id.empty() ? NewUserId() : std::move(user_id);
    HttpResult r = client_.Get("/v1/session", {{"X-User-ID", user_id_}});
    if (r.status != 200) throw std::runtime_error("GET /v1/session failed: " + std::to_string(r.status) + " " + r.body);
    const json j = r.Json();
    access_token_ = j.at("access_token").get<std::string>();
    refresh_token_ = j.at("refresh_token").get<std::string>();
    session_id_ = j.at("session_id").get<std::string>();
  }
  // A player with an existing token.
  Player(std::uint16_t port, std::string user_id, std::string access_token)
      : client_(port), user_id_(std::move(user_id)), access_token_(std::move(access_token)) {}

  Headers Auth() const { return {{"Authorization", "Bearer " + access_token_}, {"X-User-ID", user_id_}}; }
  HttpResult Get(const std::string& target) { return client_.Get(target, Auth()); }
  HttpResult Post(const std::string& target, const std::string& body) { return client_.Post(target, body, Auth()); }
  HttpResult PostJson(const std::string& target, const json& body) { return client_.PostJson(target, body, Auth()); }

  // GET that must answer 200 with JSON; returns the body.
  json GetOk(const std::string& target) {
    HttpResult r = Get(target);
    EXPECT_EQ(200, r.status) << "GET " << target << ": " << r.body;
    return r.Json();
  }

  const std::string& user_id() const { return user_id_; }
  const std::string& access_token() const { return access_token_; }
  const std::string& refresh_token() const { return refresh_token_; }
  const std::string& session_id() const { return session_id_; }
  HttpClient& client() { return client_; }

 private:
  HttpClient client_;
  std::string user_id_;
  std::string access_token_;
  std::string refresh_token_;
  std::string session_id_;
};

// Ids of a list of Question objects.
inline std::vector<std::string> QuestionIds(const json& questions) {
  std::vector<std::string> ids;
  for (const auto& q : questions) ids.push_back(q.at("id").get<std::string>());
  return ids;
}

// Daily answers for `questions`: the canonical answer, flipped for the
// first `wrong` questions.
inline json DailyAnswers(const json& questions, int wrong) {
  json answers = json::array();
  int i = 0;
  for (const auto& q : questions) {
    const bool truth = q.at("answer").get<bool>();
    answers.push_back({{"question_id", q.at("id")}, {"answer", i < wrong ? !truth : truth}, {"timestamp", NowSeconds()}});
    ++i;
  }
  return answers;
}

// Writes JSON Lines.
inline void WriteJsonLines(const std::string& path, const std::vector<json>& rows) {
  std::string text;
  for (const auto& r : rows) text += r.dump() + "\n";
  truthbyte::testing::WriteFile(path, text);
}

// Polls `check` every 100 ms until it returns true or `timeout` passes.
template <typename F>
bool Eventually(F check, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (check()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// A suite whose tests share one server: started before the first test and
// stopped (expecting exit code 0) after the last. `Suite` names the store
// file (`static constexpr const char* kStoreFile`) and may give its own
// `static ServerConfig Config()`.
template <typename Suite>
class SharedServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new ServerProcess(dir_->File(Suite::kStoreFile), Suite::Config());
  }
  static void TearDownTestSuite() {
    server_->Stop();
    delete server_;
    delete dir_;
    server_ = nullptr;
    dir_ = nullptr;
  }
  static ServerConfig Config() { return {}; }
  static std::uint16_t port() { return server_->port(); }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
};

}  // namespace truthbyte::e2e

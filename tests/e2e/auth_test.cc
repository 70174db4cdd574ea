// End-to-end: authentication failures and user binding (SPEC section 5,
// "Authentication"; section 6, "Secure"). The server runs with a known
// TRUTHBYTE_JWT_SECRET so the tests can sign tokens themselves.

#include <latch>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

using ::testing::HasSubstr;
using truthbyte::testing::SplitLines;

constexpr char kSecret[] = "e2e-known-secret-0123456789abcdef";

class AuthTest : public SharedServerTest<AuthTest> {
 public:
  static constexpr const char* kStoreFile = "auth.db";
  static ServerConfig Config() {
    ServerConfig config;
    config.env["TRUTHBYTE_JWT_SECRET"] = kSecret;
    return config;
  }

 protected:

  static HttpResult Ping(const std::string& token, const std::string& user = "") {
    HttpClient client(port());
    Headers h{{"Authorization", "Bearer " + token}};
    if (!user.empty()) h.emplace_back("X-User-ID", user);
    return client.Get("/v1/auth-ping", h);
  }

};


TEST_F(AuthTest, MissingOrMalformedAuthorization) {
  HttpClient client(port());
  const std::string user = NewUserId();
  for (const std::string path : {"/v1/auth-ping", "/v1/fetch-questions", "/v1/user", "/v1/fetch-daily-questions"})
    ExpectError(client.Get(path, {{"X-User-ID", user}}), 401, "missing_token", path);
  ExpectError(client.PostJson("/v1/submit-answers", json::array(), {{"X-User-ID", user}}), 401, "missing_token");
  ExpectError(client.Get("/v1/auth-ping", {{"Authorization", "Bearer garbage"}, {"X-User-ID", user}}), 401,
              "invalid_token", "Bearer garbage");
  ExpectError(client.Get("/v1/auth-ping", {{"Authorization", "Bearer a.b.c"}, {"X-User-ID", user}}), 401,
              "invalid_token", "Bearer a.b.c");
  Player p(port());
  ExpectError(client.Get("/v1/auth-ping", {{"Authorization", "Basic " + p.access_token()}, {"X-User-ID", user}}), 401,
              "invalid_token", "Basic scheme");
  ExpectError(client.Get("/v1/auth-ping", {{"Authorization", p.access_token()}, {"X-User-ID", user}}), 401,
              "invalid_token", "no scheme");
}

TEST_F(AuthTest, OurOwnSignatureIsAcceptedSoTheForgeryTestsAreMeaningful) {
  Player p(port());
  const json payload = JwtPayload(p.access_token());
  json mine = payload;
  mine["exp"] = NowSeconds() + 600;
  const std::string token = SignJwt({{"alg", "HS256"}, {"typ", "JWT"}}, mine, kSecret);
  HttpResult r = Ping(token, p.user_id());
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(mine["exp"], r.Json()["payload"]["exp"]);
}

TEST_F(AuthTest, ForgedTokensAreRejected) {
  Player p(port());
  const std::string real = p.access_token();
  const JwtParts parts = SplitJwt(real);
  ASSERT_EQ(200, Ping(real, p.user_id()).status);

  // alg "none" with the real payload and no signature.
  const std::string none = B64Url(R"({"alg":"none","typ":"JWT"})") + "." + parts.payload + ".";
  ExpectError(Ping(none, p.user_id()), 401, "invalid_token", "alg none");
  // alg "none" keeping the real signature.
  ExpectError(Ping(B64Url(R"({"alg":"none","typ":"JWT"})") + "." + parts.payload + "." + parts.signature, p.user_id()),
              401, "invalid_token", "alg none with signature");
  // HS512, correctly signed with the real secret.
  const std::string hs512 = SignJwt({{"alg", "HS512"}, {"typ", "JWT"}}, JwtPayload(real), kSecret, EVP_sha512());
  ExpectError(Ping(hs512, p.user_id()), 401, "invalid_token", "HS512");
  // The HS256 header claimed with an HS512 signature.
  ExpectError(Ping(SignJwt({{"alg", "HS256"}, {"typ", "JWT"}}, JwtPayload(real), kSecret, EVP_sha512()), p.user_id()),
              401, "invalid_token", "HS512 signature under an HS256 header");
  // One signature character changed (in the middle: every bit counts).
  std::string sig = parts.signature;
  sig[10] = sig[10] == 'A' ? 'B' : 'A';
  ExpectError(Ping(parts.header + "." + parts.payload + "." + sig, p.user_id()), 401, "invalid_token", "signature");
  // Payload changed under the original signature.
  json other = JwtPayload(real);
  other["exp"] = other["exp"].get<std::int64_t>() + 3600;
  ExpectError(Ping(parts.header + "." + B64Url(other.dump()) + "." + parts.signature, p.user_id()), 401,
              "invalid_token", "payload changed");
  // Signed with another secret.
  ExpectError(Ping(SignJwt({{"alg", "HS256"}, {"typ", "JWT"}}, JwtPayload(real), "another-secret-0123456789"),
                   p.user_id()),
              401, "invalid_token", "other secret");
  // Truncated, extra part, empty.
  ExpectError(Ping(parts.header + "." + parts.payload, p.user_id()), 401, "invalid_token", "two parts");
  ExpectError(Ping(real + ".x", p.user_id()), 401, "invalid_token", "four parts");
  // The refresh token is not an access token.
  ExpectError(Ping(p.refresh_token(), p.user_id()), 401, "invalid_token", "refresh token as access token");
  // A validly signed token of a session that does not exist.
  json ghost = JwtPayload(real);
  ghost["session_id"] = NewUserId();
  ExpectError(Ping(SignJwt({{"alg", "HS256"}, {"typ", "JWT"}}, ghost, kSecret), p.user_id()), 401, "invalid_token",
              "unknown session");
  // A validly signed token with a type that is neither access nor refresh.
  json weird = JwtPayload(real);
  weird["type"] = "admin";
  ExpectError(Ping(SignJwt({{"alg", "HS256"}, {"typ", "JWT"}}, weird, kSecret), p.user_id()), 401, "invalid_token",
              "unknown type");
  // The real token still works afterwards.
  EXPECT_EQ(200, Ping(real, p.user_id()).status);
}

TEST_F(AuthTest, ExpiredTokensAreRejected) {
  Player p(port());
  json expired = JwtPayload(p.access_token());
  expired["iat"] = NowSeconds() - 50000;
  expired["exp"] = NowSeconds() - 10;
  const std::string token = SignJwt({{"alg", "HS256"}, {"typ", "JWT"}}, expired, kSecret);
  ExpectError(Ping(token, p.user_id()), 401, "token_expired", "expired access token");
  HttpClient client(port());
  ExpectError(client.Get("/v1/user", {{"Authorization", "Bearer " + token}}), 401, "token_expired", "/v1/user");

  json refresh = JwtPayload(p.refresh_token());
  refresh["exp"] = NowSeconds() - 10;
  ExpectError(client.PostJson("/v1/refresh", {{"refresh_token", SignJwt({{"alg", "HS256"}, {"typ", "JWT"}}, refresh, kSecret)}}),
              401, "token_expired", "expired refresh token");
}

TEST_F(AuthTest, TokenBoundAtSessionCannotServeAnotherUser) {
  const std::string a = NewUserId(), b = NewUserId();
  Player p(port(), a);
  ExpectError(Ping(p.access_token(), b), 403, "user_mismatch");
  HttpClient client(port());
  ExpectError(client.Get("/v1/user", {{"Authorization", "Bearer " + p.access_token()}, {"X-User-ID", b}}), 403,
              "user_mismatch", "/v1/user");
  // Without X-User-ID the bound user is used; the same id in upper case is
  // the same user.
  HttpResult r = client.Get("/v1/user", {{"Authorization", "Bearer " + p.access_token()}});
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(a, r.Json()["user_id"]);
  std::string upper = a;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(200, Ping(p.access_token(), upper).status);
}

TEST_F(AuthTest, UnboundTokenBindsToTheFirstUserItIsUsedWith) {
  HttpClient client(port());
  HttpResult s = client.Get("/v1/session");
  ASSERT_EQ(200, s.status);
  const std::string token = s.Json()["access_token"];
  // Unbound and no X-User-ID: nobody to act for.
  ExpectError(Ping(token), 400, "missing_header", "unbound token without X-User-ID");
  const std::string a = NewUserId(), b = NewUserId();
  HttpResult first = Ping(token, a);
  ASSERT_EQ(200, first.status) << first.body;
  EXPECT_EQ(a, first.Json()["user_id"]);
  ExpectError(Ping(token, b), 403, "user_mismatch", "second user");
  HttpResult bare = client.Get("/v1/user", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(200, bare.status) << bare.body;
  EXPECT_EQ(a, bare.Json()["user_id"]);
  EXPECT_EQ(200, Ping(token, a).status);

  // A refreshed token of that session is bound too.
  HttpResult refreshed = client.PostJson("/v1/refresh", {{"refresh_token", s.Json()["refresh_token"]}});
  ASSERT_EQ(200, refreshed.status) << refreshed.body;
  EXPECT_EQ(a, refreshed.Json()["user_id"]);
  ExpectError(Ping(refreshed.Json()["access_token"], b), 403, "user_mismatch", "refreshed token, second user");
}

TEST_F(AuthTest, RacingFirstUsesBindTheTokenToExactlyOneUser) {
  HttpClient setup(port());
  const std::string token = setup.Get("/v1/session").Json()["access_token"];
  constexpr int kThreads = 8;
  std::vector<std::string> users;
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < kThreads; ++i) {
    users.push_back(NewUserId());
    clients.push_back(std::make_unique<HttpClient>(port()));
    ASSERT_EQ(200, clients.back()->Get("/health").status);  // connected before the race
  }
  std::latch start(kThreads);
  std::vector<int> status(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const auto k = static_cast<std::size_t>(i);
      start.arrive_and_wait();
      try {
        status[k] = clients[k]->Get("/v1/user", {{"Authorization", "Bearer " + token}, {"X-User-ID", users[k]}}).status;
      } catch (const std::exception&) {
        status[k] = -1;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::string winner;
  int ok = 0;
  for (int i = 0; i < kThreads; ++i) {
    if (status[static_cast<std::size_t>(i)] == 200) {
      ++ok;
      winner = users[static_cast<std::size_t>(i)];
    } else {
      EXPECT_EQ(403, status[static_cast<std::size_t>(i)]) << "thread " << i;
    }
  }
  ASSERT_EQ(1, ok);
  HttpResult bare = setup.Get("/v1/user", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(winner, bare.Json()["user_id"]);
}

// RFC 9110 section 11.1: the authentication scheme is case-insensitive, so
// "bearer" and "BEARER" name the same scheme as "Bearer".
TEST_F(AuthTest, TheBearerSchemeIsCaseInsensitive) {
  Player p(port());
  HttpClient client(port());
  for (const std::string scheme : {"bearer", "BEARER"}) {
    HttpResult r = client.Get("/v1/auth-ping", {{"Authorization", scheme + " " + p.access_token()}, {"X-User-ID", p.user_id()}});
    EXPECT_EQ(200, r.status) << scheme << ": " << r.body;
  }
}

TEST_F(AuthTest, UserIdMustBeAUuidV4) {
  Player p(port());
  for (const std::string bad :
       {"not-a-uuid", "6ba7b810-9dad-11d1-80b4-00c04fd430c8" /* v1 */, "123e4567-e89b-42d3-c456-426614174000" /* variant */,
        "123e4567e89b42d3a456426614174000", "123e4567-e89b-42d3-a456-42661417400g", "' OR 1=1 --"}) {
    ExpectError(Ping(p.access_token(), bad), 400, "invalid_user_id", bad);
  }
}

TEST_F(AuthTest, NormalUsersCannotModerate) {
  Player p(port());
  ExpectError(p.Get("/v1/moderation-queue"), 403, "forbidden", "moderation-queue");
  ExpectError(p.PostJson("/v1/approve-question", {{"question_id", "sub_0000"}, {"action", "approve"}}), 403, "forbidden",
              "approve-question");
  // An admin claim in a token signed by someone else does not help.
  json forged = JwtPayload(p.access_token());
  forged["admin"] = true;
  HttpClient client(port());
  ExpectError(client.Get("/v1/moderation-queue",
                         {{"Authorization", "Bearer " + SignJwt({{"alg", "HS256"}, {"typ", "JWT"}}, forged,
                                                                "not-the-secret-0123456789")}}),
              401, "invalid_token", "forged admin token");
}

// The admin token from the CLI with the dev secret kept in the store: made
// before the server starts and while it runs.
TEST(AdminTokenTest, CliAdminTokenCanModerateOverHttp) {
  TempDir dir;
  const std::string store = dir.File("admin.db");
  auto before = RunCli(store, {"token", "--admin"});
  ASSERT_EQ(0, before.exit_code) << before.err;
  const std::string early = SplitLines(before.out).at(0);

  ServerProcess server(store);
  HttpClient client(server.port());
  HttpResult r = client.Get("/v1/moderation-queue", {{"Authorization", "Bearer " + early}});
  ASSERT_EQ(200, r.status) << r.body;
  json j = r.Json();
  ASSERT_TRUE(j["submissions"].is_array()) << r.body;
  EXPECT_TRUE(j["submissions"].empty());

  auto during = RunCli(store, {"token", "--admin"});
  ASSERT_EQ(0, during.exit_code) << during.err;
  const std::string late = SplitLines(during.out).at(0);
  r = client.Get("/v1/moderation-queue", {{"Authorization", "Bearer " + late}});
  EXPECT_EQ(200, r.status) << r.body;
  ExpectError(client.PostJson("/v1/approve-question", {{"question_id", "sub_doesnotexist"}, {"action", "approve"}},
                              {{"Authorization", "Bearer " + late}}),
              404, "not_found", "unknown submission");

  // A player token is refused.
  Player p(server.port());
  ExpectError(p.Get("/v1/moderation-queue"), 403, "forbidden");

  // An admin token moderates and does not play; auth-ping shows it.
  const Headers admin = {{"Authorization", "Bearer " + late}};
  HttpResult ping = client.Get("/v1/auth-ping", admin);
  ASSERT_EQ(200, ping.status) << ping.body;
  EXPECT_EQ(true, ping.Json()["payload"]["admin"]);
  EXPECT_EQ("admin", ping.Json()["user_id"]);
  EXPECT_EQ("access", ping.Json()["payload"]["type"]);
  ExpectError(client.Get("/v1/fetch-questions", admin), 403, "forbidden", "admin fetch-questions");
  ExpectError(client.Get("/v1/user", admin), 403, "forbidden", "admin user");
  ExpectError(client.PostJson("/v1/submit-answers", json::array({{{"question_id", "tb-0001"}, {"answer", true}}}), admin),
              403, "forbidden", "admin submit-answers");
  ExpectError(client.Get("/v1/fetch-daily-questions", admin), 403, "forbidden", "admin daily");
  Headers admin_as_player = admin;
  admin_as_player.emplace_back("X-User-ID", p.user_id());
  ExpectError(client.PostJson("/v1/propose-question",
                              {{"question", "Can an admin token propose a question?"}, {"answer", true}, {"categories", {"x"}}},
                              admin_as_player),
              403, "forbidden", "admin propose");
  EXPECT_EQ(0, p.GetOk("/v1/user-submissions")["count"]);
  server.Stop();
}

// With a secret in the environment, the CLI and the server agree too.
TEST_F(AuthTest, CliAdminTokenWithTheEnvironmentSecret) {
  auto token = RunCli(server_->store_path(), {"token", "--admin"}, {{"TRUTHBYTE_JWT_SECRET", kSecret}});
  ASSERT_EQ(0, token.exit_code) << token.err;
  HttpClient client(port());
  HttpResult r = client.Get("/v1/moderation-queue", {{"Authorization", "Bearer " + SplitLines(token.out).at(0)}});
  EXPECT_EQ(200, r.status) << r.body;
  // A token made with the store's dev secret is not valid for this server.
  auto dev = RunCli(server_->store_path(), {"token", "--admin"});
  ASSERT_EQ(0, dev.exit_code) << dev.err;
  ExpectError(client.Get("/v1/moderation-queue", {{"Authorization", "Bearer " + SplitLines(dev.out).at(0)}}), 401,
              "invalid_token", "dev-secret token against an env-secret server");
}

TEST(ProdEnvTest, ServeRefusesToStartWithoutASecret) {
  TempDir dir;
  auto outcome = RunWithTimeout({"--store", "sqlite:" + dir.File("prod.db"), "--env", "prod", "serve", "--host",
                                 "127.0.0.1", "--port", "0", "--demo"},
                                {}, std::chrono::seconds(20));
  ASSERT_TRUE(outcome.exit_code.has_value()) << "serve --env prod without a secret kept running; stdout: " << outcome.out;
  EXPECT_EQ(1, *outcome.exit_code) << outcome.err;
  std::vector<std::string> lines;
  for (const auto& l : SplitLines(outcome.err))
    if (!l.empty()) lines.push_back(l);
  EXPECT_EQ(1u, lines.size()) << outcome.err;
  EXPECT_THAT(outcome.err, HasSubstr("TRUTHBYTE_JWT_SECRET"));
  EXPECT_THAT(outcome.out, ::testing::Not(HasSubstr("on http://")));

  // A secret that is too short is refused too.
  auto short_secret = RunWithTimeout({"--store", "sqlite:" + dir.File("prod.db"), "--env", "prod", "serve", "--host",
                                      "127.0.0.1", "--port", "0"},
                                     {{"TRUTHBYTE_JWT_SECRET", "short"}}, std::chrono::seconds(20));
  ASSERT_TRUE(short_secret.exit_code.has_value()) << "a 5-character secret was accepted";
  EXPECT_EQ(1, *short_secret.exit_code);
  EXPECT_THAT(short_secret.err, HasSubstr("TRUTHBYTE_JWT_SECRET"));

  // With the secret it starts.
  ServerConfig config;
  config.serve_args = {};
  config.env["TRUTHBYTE_JWT_SECRET"] = kSecret;
  config.env["TRUTHBYTE_ENV"] = "prod";
  ServerProcess server(dir.File("prod.db"), config);
  HttpClient client(server.port());
  EXPECT_EQ(200, client.Get("/health").status);
  server.Stop();
}

}  // namespace
}  // namespace truthbyte::e2e

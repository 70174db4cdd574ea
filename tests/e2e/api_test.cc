// End-to-end: every endpoint and alias of HTTP API v1 (SPEC section 5)
// answers with the documented shape, against a real `truthbyte serve --demo`.

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class ApiTest : public SharedServerTest<ApiTest> {
 public:
  static constexpr const char* kStoreFile = "api.db";

 protected:

  // Every starter question by id (from 200 fetched in batches until all
  // are seen; the catalog has exactly 200).
  static const std::map<std::string, json>& AllQuestions() {
    static std::map<std::string, json> all;
    if (all.empty()) {
      Player p(port());
      for (int round = 0; round < 500 && all.size() < 200; ++round) {
        json body = p.GetOk("/v1/fetch-questions?num_questions=20");
        for (const auto& q : body["questions"]) all[q["id"].get<std::string>()] = q;
      }
    }
    return all;
  }

};


void ExpectQuestionShape(const json& q) {
  ASSERT_TRUE(q.is_object()) << q;
  EXPECT_TRUE(q["id"].is_string()) << q;
  EXPECT_TRUE(q["question"].is_string()) << q;
  EXPECT_TRUE(q["title"].is_string()) << q;
  EXPECT_TRUE(q["passage"].is_string()) << q;
  EXPECT_TRUE(q["answer"].is_boolean()) << q;
  EXPECT_TRUE(q["categories"].is_array()) << q;
  EXPECT_TRUE(q["difficulty"].is_number_integer()) << q;
  EXPECT_TRUE(q.contains("tags")) << q;
}

TEST_F(ApiTest, SessionWithUserIdReturnsTheDocumentedTokenPair) {
  HttpClient client(port());
  const std::string user = NewUserId();
  const auto before = NowSeconds();
  HttpResult r = client.Get("/v1/session", {{"X-User-ID", user}});
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_THAT(r.Header("Content-Type"), HasSubstr("application/json"));
  json j = r.Json();
  ASSERT_TRUE(j.is_object()) << r.body;
  ASSERT_TRUE(j["access_token"].is_string());
  ASSERT_TRUE(j["refresh_token"].is_string());
  EXPECT_EQ("Bearer", j["token_type"]);
  EXPECT_EQ(43200, j["expires_in"]);
  EXPECT_EQ(j["access_token"], j["token"]);
  ASSERT_TRUE(j["session_id"].is_string());
  EXPECT_FALSE(j["session_id"].get<std::string>().empty());
  EXPECT_EQ(user, j["user_id"]);
  EXPECT_NE(j["access_token"], j["refresh_token"]);

  // The tokens are JWT HS256 carrying session_id, type, sub and exp.
  const std::string access = j["access_token"];
  const json header = json::parse(B64UrlDecode(SplitJwt(access).header));
  EXPECT_EQ("HS256", header["alg"]);
  const json payload = JwtPayload(access);
  EXPECT_EQ(j["session_id"], payload["session_id"]);
  EXPECT_EQ("access", payload["type"]);
  EXPECT_EQ(user, payload["sub"]);
  ASSERT_TRUE(payload["exp"].is_number_integer());
  EXPECT_GE(payload["exp"].get<std::int64_t>(), before + 43200 - 5);
  EXPECT_LE(payload["exp"].get<std::int64_t>(), NowSeconds() + 43200 + 5);
  const json refresh = JwtPayload(j["refresh_token"]);
  EXPECT_EQ("refresh", refresh["type"]);
  EXPECT_EQ(j["session_id"], refresh["session_id"]);
  EXPECT_GE(refresh["exp"].get<std::int64_t>(), before + 30 * 24 * 3600 - 5);
}

TEST_F(ApiTest, SessionWithoutUserIdHasNullUserId) {
  HttpClient client(port());
  HttpResult r = client.Get("/v1/session");
  ASSERT_EQ(200, r.status) << r.body;
  json j = r.Json();
  ASSERT_TRUE(j.contains("user_id")) << r.body;
  EXPECT_TRUE(j["user_id"].is_null()) << r.body;
  EXPECT_EQ(j["access_token"], j["token"]);
  EXPECT_EQ("Bearer", j["token_type"]);
  EXPECT_EQ(43200, j["expires_in"]);
  // An unbound session's tokens have an empty subject; refreshing it before
  // any use still names no user.
  EXPECT_EQ("", JwtPayload(j["access_token"])["sub"]);
  HttpResult refreshed = client.PostJson("/v1/refresh", {{"refresh_token", j["refresh_token"]}});
  ASSERT_EQ(200, refreshed.status) << refreshed.body;
  EXPECT_TRUE(refreshed.Json()["user_id"].is_null()) << refreshed.body;
}

TEST_F(ApiTest, SessionRejectsAnInvalidUserId) {
  HttpClient client(port());
  ExpectError(client.Get("/v1/session", {{"X-User-ID", "not-a-uuid"}}), 400, "invalid_user_id");
}

TEST_F(ApiTest, RefreshGivesAWorkingAccessTokenForTheSameSession) {
  Player p(port());
  HttpClient client(port());
  HttpResult r = client.PostJson("/v1/refresh", {{"refresh_token", p.refresh_token()}});
  ASSERT_EQ(200, r.status) << r.body;
  json j = r.Json();
  ASSERT_TRUE(j["access_token"].is_string()) << r.body;
  EXPECT_EQ(j["access_token"], j["token"]);
  EXPECT_EQ("Bearer", j["token_type"]);
  EXPECT_EQ(43200, j["expires_in"]);
  EXPECT_EQ(p.session_id(), j["session_id"]);
  EXPECT_EQ(p.user_id(), j["user_id"]);
  const std::string fresh = j["access_token"];
  EXPECT_EQ("access", JwtPayload(fresh)["type"]);

  HttpResult ping = client.Get("/v1/auth-ping", {{"Authorization", "Bearer " + fresh}, {"X-User-ID", p.user_id()}});
  ASSERT_EQ(200, ping.status) << ping.body;
  EXPECT_EQ(p.session_id(), ping.Json()["payload"]["session_id"]);
  // Without X-User-ID the refreshed token still identifies the bound user.
  HttpResult user = client.Get("/v1/user", {{"Authorization", "Bearer " + fresh}});
  ASSERT_EQ(200, user.status) << user.body;
  EXPECT_EQ(p.user_id(), user.Json()["user_id"]);
}

TEST_F(ApiTest, RefreshRejectsBadInput) {
  Player p(port());
  HttpClient client(port());
  ExpectError(client.PostJson("/v1/refresh", {{"refresh_token", p.access_token()}}), 401, "invalid_token",
              "access token as refresh token");
  ExpectError(client.PostJson("/v1/refresh", {{"refresh_token", "garbage"}}), 401, "invalid_token", "garbage");
  ExpectError(client.PostJson("/v1/refresh", json::object()), 400, "validation_failed", "no refresh_token");
  ExpectError(client.PostJson("/v1/refresh", {{"refresh_token", 42}}), 400, "validation_failed", "number");
  ExpectError(client.Post("/v1/refresh", "{"), 400, "invalid_json", "truncated");
  ExpectError(client.Get("/v1/refresh"), 405, "method_not_allowed", "GET /v1/refresh");
}

TEST_F(ApiTest, AuthPingAndItsAliasDescribeTheToken) {
  Player p(port());
  for (const std::string path : {"/v1/auth-ping", "/v1/ping"}) {
    HttpResult r = p.Get(path);
    ASSERT_EQ(200, r.status) << path << ": " << r.body;
    json j = r.Json();
    EXPECT_EQ(true, j["valid"]) << path;
    ASSERT_TRUE(j["payload"].is_object()) << path << ": " << r.body;
    EXPECT_EQ(p.session_id(), j["payload"]["session_id"]) << path;
    EXPECT_EQ("access", j["payload"]["type"]) << path;
    EXPECT_EQ(p.user_id(), j["payload"]["sub"]) << path;
    EXPECT_TRUE(j["payload"]["exp"].is_number_integer()) << path;
    EXPECT_TRUE(j["message"].is_string()) << path;
  }
}

TEST_F(ApiTest, FetchQuestionsDefaultsToSevenGeneralQuestions) {
  Player p(port());
  json j = p.GetOk("/v1/fetch-questions");
  ASSERT_TRUE(j["questions"].is_array()) << j;
  EXPECT_EQ(7u, j["questions"].size());
  EXPECT_EQ(7, j["count"]);
  EXPECT_EQ("general", j["category"]);
  EXPECT_TRUE(j["difficulty"].is_null()) << j;
  EXPECT_EQ(7, j["requested_count"]);
  for (const auto& q : j["questions"]) ExpectQuestionShape(q);
  const auto ids = QuestionIds(j["questions"]);
  EXPECT_EQ(ids.size(), std::set<std::string>(ids.begin(), ids.end()).size());
}

TEST_F(ApiTest, FetchQuestionsHonoursNumQuestionsAndTheCountAlias) {
  Player p(port());
  json j = p.GetOk("/v1/fetch-questions?num_questions=20");
  EXPECT_EQ(20u, j["questions"].size());
  EXPECT_EQ(20, j["count"]);
  EXPECT_EQ(20, j["requested_count"]);
  j = p.GetOk("/v1/fetch-questions?count=3");
  EXPECT_EQ(3u, j["questions"].size());
  EXPECT_EQ(3, j["count"]);
  EXPECT_EQ(3, j["requested_count"]);
  j = p.GetOk("/v1/fetch-questions?num_questions=1");
  EXPECT_EQ(1u, j["questions"].size());
}

TEST_F(ApiTest, FetchQuestionsNeverRepeatsAnIdInOneResponse) {
  Player p(port());
  for (int i = 0; i < 30; ++i) {
    json j = p.GetOk("/v1/fetch-questions?num_questions=20");
    const auto ids = QuestionIds(j["questions"]);
    ASSERT_EQ(20u, ids.size());
    ASSERT_EQ(20u, std::set<std::string>(ids.begin(), ids.end()).size()) << j;
  }
  // A category with exactly 20 questions: asking for 20 gives all of them.
  for (int i = 0; i < 10; ++i) {
    json j = p.GetOk("/v1/fetch-questions?category=science&num_questions=20");
    const auto ids = QuestionIds(j["questions"]);
    ASSERT_EQ(20u, ids.size()) << j;
    ASSERT_EQ(20u, std::set<std::string>(ids.begin(), ids.end()).size()) << j;
  }
}

TEST_F(ApiTest, FetchQuestionsFiltersByCategoryAndDifficulty) {
  Player p(port());
  for (int i = 0; i < 5; ++i) {
    json j = p.GetOk("/v1/fetch-questions?category=science&num_questions=10");
    EXPECT_EQ("science", j["category"]);
    ASSERT_EQ(10u, j["questions"].size());
    for (const auto& q : j["questions"]) EXPECT_THAT(q["categories"], Contains(json("science"))) << q;
  }
  for (int d = 1; d <= 5; ++d) {
    json j = p.GetOk("/v1/fetch-questions?difficulty=" + std::to_string(d) + "&num_questions=20");
    EXPECT_EQ(d, j["difficulty"]);
    ASSERT_FALSE(j["questions"].empty()) << "difficulty " << d;
    for (const auto& q : j["questions"]) EXPECT_EQ(d, q["difficulty"]) << q;
  }
  json j = p.GetOk("/v1/fetch-questions?category=history&difficulty=2&num_questions=20");
  ASSERT_FALSE(j["questions"].empty());
  for (const auto& q : j["questions"]) {
    EXPECT_EQ(2, q["difficulty"]) << q;
    EXPECT_THAT(q["categories"], Contains(json("history"))) << q;
  }
}

TEST_F(ApiTest, FetchQuestionsRejectsBadParameters) {
  Player p(port());
  ExpectError(p.Get("/v1/fetch-questions?category=no-such-category-e2e"), 404, "not_found", "unknown category");
  for (const std::string bad : {"num_questions=0", "num_questions=21", "num_questions=abc", "num_questions=-1",
                                "num_questions=99999999999999999999", "count=0", "count=21", "difficulty=6",
                                "difficulty=0", "difficulty=x", "num_questions=5.5"}) {
    ExpectError(p.Get("/v1/fetch-questions?" + bad), 400, "invalid_parameter", bad);
  }
}

TEST_F(ApiTest, SubmitAnswersCountsAndScoresExactly) {
  const auto& all = AllQuestions();
  ASSERT_EQ(200u, all.size());
  std::vector<json> qs;
  for (const auto& [id, q] : all) {
    qs.push_back(q);
    if (qs.size() == 6) break;
  }
  auto answer = [&](int i, bool correct) {
    const bool truth = qs[static_cast<std::size_t>(i)]["answer"].get<bool>();
    return json{{"question_id", qs[static_cast<std::size_t>(i)]["id"]}, {"answer", correct ? truth : !truth},
                {"timestamp", NowSeconds()}};
  };

  Player p(port());
  // A bare JSON list: 3 correct, 1 wrong.
  json list = json::array({answer(0, true), answer(1, true), answer(2, true), answer(3, false)});
  HttpResult r = p.PostJson("/v1/submit-answers", list);
  ASSERT_EQ(200, r.status) << r.body;
  json j = r.Json();
  EXPECT_EQ(true, j["success"]);
  EXPECT_TRUE(j["message"].is_string());
  EXPECT_EQ(4, j["recorded"]);
  EXPECT_EQ(0, j["duplicates"]);
  EXPECT_EQ(0, j["unknown_questions"]);
  EXPECT_EQ(3, j["correct_answers"]);
  EXPECT_EQ(4, j["total_answers"]);
  EXPECT_DOUBLE_EQ(4.0 / 6.0, j["trust_score"].get<double>());

  // {"answers": [...]}: a second (flipped) answer to question 3 is a
  // duplicate that changes nothing; one new correct, one new wrong
  // (with user_id and response_time_ms), one unknown question.
  json second = answer(5, false);
  second["user_id"] = p.user_id();
  second["response_time_ms"] = 1234;
  json wrapped = {{"answers", json::array({answer(3, true), answer(4, true), second,
                                           {{"question_id", "no-such-question-e2e"}, {"answer", true},
                                            {"timestamp", NowSeconds()}}})}};
  r = p.PostJson("/v1/submit-answers", wrapped);
  ASSERT_EQ(200, r.status) << r.body;
  j = r.Json();
  EXPECT_EQ(2, j["recorded"]);
  EXPECT_EQ(1, j["duplicates"]);
  EXPECT_EQ(1, j["unknown_questions"]);
  EXPECT_EQ(4, j["correct_answers"]);
  EXPECT_EQ(6, j["total_answers"]);
  EXPECT_DOUBLE_EQ(5.0 / 8.0, j["trust_score"].get<double>());

  // Only duplicates: trust does not move.
  r = p.PostJson("/v1/submit-answers", json::array({answer(0, false), answer(1, false)}));
  ASSERT_EQ(200, r.status) << r.body;
  j = r.Json();
  EXPECT_EQ(0, j["recorded"]);
  EXPECT_EQ(2, j["duplicates"]);
  EXPECT_EQ(6, j["total_answers"]);
  EXPECT_DOUBLE_EQ(5.0 / 8.0, j["trust_score"].get<double>());

  // The profile agrees.
  json user = p.GetOk("/v1/user");
  EXPECT_EQ(p.user_id(), user["user_id"]);
  EXPECT_EQ(6, user["total_answers"]);
  EXPECT_EQ(4, user["correct_answers"]);
  EXPECT_DOUBLE_EQ(5.0 / 8.0, user["trust_score"].get<double>());
}

TEST_F(ApiTest, SubmitAnswersRejectsAnotherUsersId) {
  Player p(port());
  json list = json::array({{{"question_id", "tb-0001"}, {"answer", true}, {"timestamp", NowSeconds()},
                            {"user_id", NewUserId()}}});
  ExpectError(p.PostJson("/v1/submit-answers", list), 403, "user_mismatch");
  EXPECT_EQ(0, p.GetOk("/v1/user")["total_answers"]);
}

TEST_F(ApiTest, SubmitAnswersAcceptsTheSessionIdAsUserId) {
  // The deployed client posts a bare list with its session id as user_id.
  Player p(port());
  json list = json::array({{{"user_id", p.session_id()}, {"question_id", "tb-0001"}, {"answer", true},
                            {"timestamp", NowSeconds()}},
                           {{"user_id", p.user_id()}, {"question_id", "tb-0002"}, {"answer", true},
                            {"timestamp", NowSeconds()}}});
  HttpResult r = p.PostJson("/v1/submit-answers", list);
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(2, r.Json()["recorded"]);
  EXPECT_EQ(2, p.GetOk("/v1/user")["total_answers"]);
  // Another player's session id is still someone else.
  Player other(port());
  list = json::array({{{"user_id", other.session_id()}, {"question_id", "tb-0003"}, {"answer", true}}});
  ExpectError(p.PostJson("/v1/submit-answers", list), 403, "user_mismatch");
  EXPECT_EQ(2, p.GetOk("/v1/user")["total_answers"]);
}

TEST_F(ApiTest, UserProfileHasTheDocumentedFields) {
  Player p(port());
  json j = p.GetOk("/v1/user");
  EXPECT_EQ(p.user_id(), j["user_id"]);
  for (const char* field : {"trust_score", "created_at", "last_active", "daily_progress", "current_daily_streak",
                            "best_daily_streak", "total_answers", "correct_answers"})
    EXPECT_TRUE(j.contains(field)) << field << " missing in " << j;
  EXPECT_DOUBLE_EQ(0.5, j["trust_score"].get<double>());
  EXPECT_EQ(0, j["total_answers"]);
  EXPECT_EQ(0, j["correct_answers"]);
  EXPECT_EQ(0, j["current_daily_streak"]);
  EXPECT_EQ(0, j["best_daily_streak"]);
  // A user never seen: defaults, and reading the profile stores nothing.
  EXPECT_TRUE(j["created_at"].is_null()) << j;
  EXPECT_TRUE(j["last_active"].is_null()) << j;
  EXPECT_EQ(json::object(), j["daily_progress"]);
  auto users = RunCli(server_->store_path(), {"export", "--what", "users"});
  ASSERT_EQ(0, users.exit_code) << users.err;
  EXPECT_THAT(users.out, ::testing::Not(HasSubstr(p.user_id())));

  // After an answer the user exists, with timestamps.
  ASSERT_EQ(200, p.PostJson("/v1/submit-answers", json::array({{{"question_id", "tb-0001"}, {"answer", true}}})).status);
  j = p.GetOk("/v1/user");
  EXPECT_TRUE(j["created_at"].is_string()) << j;
  EXPECT_TRUE(j["last_active"].is_string()) << j;
  EXPECT_EQ(1, j["total_answers"]);
}

TEST_F(ApiTest, QueryStringConventions) {
  Player p(port());
  // A parameter given twice: the first one wins.
  EXPECT_EQ(3u, p.GetOk("/v1/fetch-questions?num_questions=3&num_questions=5")["questions"].size());
  // num_questions wins over count.
  EXPECT_EQ(2u, p.GetOk("/v1/fetch-questions?count=5&num_questions=2")["questions"].size());
  // An empty value counts as absent.
  json j = p.GetOk("/v1/fetch-questions?difficulty=&num_questions=&category=");
  EXPECT_EQ(7u, j["questions"].size());
  EXPECT_TRUE(j["difficulty"].is_null());
  EXPECT_EQ("general", j["category"]);
  // The category is trimmed and lower-cased; + is a space.
  j = p.GetOk("/v1/fetch-questions?category=%20Science+&num_questions=3");
  EXPECT_EQ("science", j["category"]);
  ASSERT_EQ(3u, j["questions"].size());
  for (const auto& q : j["questions"]) EXPECT_THAT(q["categories"], Contains(json("science")));
  // Unknown parameters are ignored.
  EXPECT_EQ(4u, p.GetOk("/v1/fetch-questions?count=4&foo=bar&&x")["questions"].size());
}

// docs/API.md: "an empty value (?difficulty=) counts as absent" and
// "num_questions (alias count)": an empty num_questions must leave the
// count alias in charge.
TEST_F(ApiTest, EmptyNumQuestionsLeavesTheCountAliasInCharge) {
  Player p(port());
  json j = p.GetOk("/v1/fetch-questions?num_questions=&count=5");
  EXPECT_EQ(5u, j["questions"].size()) << "count=5 was ignored because num_questions was present but empty";
  EXPECT_EQ(5, j["requested_count"]);
}

TEST_F(ApiTest, EveryResponseHasARequestIdAndErrorsRepeatIt) {
  HttpClient client(port());
  Player p(port());
  std::set<std::string> ids;
  for (const HttpResult& r : {client.Get("/health"), client.Get("/v1/categories"), client.Get("/v1/user"),
                              client.Get("/nope"), p.Get("/v1/fetch-questions"),
                              client.Get("/health", {{"X-Request-ID", "client-chosen"}})}) {
    const std::string id = r.Header("X-Request-ID");
    EXPECT_FALSE(id.empty()) << r.status;
    EXPECT_NE("client-chosen", id) << "an incoming X-Request-ID must be ignored";
    EXPECT_TRUE(ids.insert(id).second) << "request id repeated: " << id;
    EXPECT_EQ("nosniff", r.Header("X-Content-Type-Options")) << "user text must never be sniffed into HTML";
    if (r.status >= 400) {
      EXPECT_EQ(id, r.Json()["request_id"]) << r.body;
    }
  }
  // 405 names the allowed method.
  HttpResult r = client.Post("/v1/categories", "{}");
  ExpectError(r, 405, "method_not_allowed");
  EXPECT_THAT(r.Header("Allow"), HasSubstr("GET"));
  r = client.Get("/v1/submit-answers");
  ExpectError(r, 405, "method_not_allowed");
  EXPECT_THAT(r.Header("Allow"), HasSubstr("POST"));
}

TEST_F(ApiTest, CategoriesAndTheirAliasListLargestFirst) {
  HttpClient client(port());
  json first;
  for (const std::string path : {"/v1/categories", "/v1/get-categories"}) {
    HttpResult r = client.Get(path);
    ASSERT_EQ(200, r.status) << path << ": " << r.body;
    json j = r.Json();
    ASSERT_TRUE(j["categories"].is_array()) << r.body;
    ASSERT_FALSE(j["categories"].empty());
    EXPECT_EQ(200, j["total_questions"]) << path;
    EXPECT_EQ(j["categories"].size(), j["total_categories"].get<std::size_t>()) << path;
    EXPECT_EQ("general", j["categories"][0]["name"]) << path;
    EXPECT_EQ(200, j["categories"][0]["count"]) << path;
    EXPECT_EQ("General", j["categories"][0]["display_name"]) << path;
    std::int64_t previous = INT64_MAX;
    std::string previous_name;
    for (const auto& c : j["categories"]) {
      EXPECT_TRUE(c["name"].is_string()) << c;
      EXPECT_TRUE(c["display_name"].is_string()) << c;
      ASSERT_TRUE(c["count"].is_number_integer()) << c;
      EXPECT_LE(c["count"].get<std::int64_t>(), previous) << path << " is not largest first: " << j;
      if (c["count"].get<std::int64_t>() == previous) {
        EXPECT_LT(previous_name, c["name"].get<std::string>()) << "ties by name";
      }
      previous = c["count"].get<std::int64_t>();
      previous_name = c["name"];
    }
    if (first.is_null()) {
      first = j["categories"];
    } else {
      EXPECT_EQ(first, j["categories"]) << "the alias answers differently";
    }
  }
  // The counts are real: a listed category serves that many questions.
  Player p(port());
  for (const auto& c : first) {
    if (c["name"] == "general" || c["count"].get<int>() > 20) continue;
    json j = p.GetOk("/v1/fetch-questions?num_questions=20&category=" + c["name"].get<std::string>());
    EXPECT_EQ(c["count"].get<std::size_t>(), j["questions"].size()) << c;
  }
}

// Writes wait for a commit they share with other connections' writes (off
// the socket threads); many players at once each get their own exact
// counts, and reads keep being served meanwhile.
TEST_F(ApiTest, ManyPlayersSubmittingAtOnceEachGetTheirOwnCounts) {
  const auto& all = AllQuestions();
  std::vector<json> qs;
  for (const auto& [id, q] : all) {
    qs.push_back(q);
    if (qs.size() == 9) break;
  }
  constexpr int kPlayers = 12;
  std::vector<std::string> failures(kPlayers);
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < kPlayers; ++i) {
    threads.emplace_back([&, i] {
      try {
        Player p(port());
        while (!go.load()) std::this_thread::yield();
        int correct = 0;
        for (int round = 0; round < 3; ++round) {
          json answers = json::array();
          for (int k = 0; k < 3; ++k) {
            const json& q = qs[static_cast<std::size_t>(3 * round + k)];
            // Player i answers question k of each round right when bit k of i is set.
            const bool right = ((i >> k) & 1) != 0;
            correct += right;
            answers.push_back({{"question_id", q["id"]},
                               {"answer", right ? q["answer"].get<bool>() : !q["answer"].get<bool>()},
                               {"timestamp", NowSeconds()}});
          }
          HttpResult r = p.PostJson("/v1/submit-answers", answers);
          const json j = r.Json();
          if (r.status != 200 || j["recorded"] != 3 || j["total_answers"] != 3 * (round + 1) ||
              j["correct_answers"] != correct) {
            failures[i] = "round " + std::to_string(round) + ": " + std::to_string(r.status) + " " + r.body;
            return;
          }
          if (p.Get("/v1/fetch-questions?num_questions=3").status != 200) {
            failures[i] = "fetch failed";
            return;
          }
        }
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  for (int i = 0; i < kPlayers; ++i) EXPECT_EQ("", failures[i]) << "player " << i;
}

TEST_F(ApiTest, HealthReadyAndMetrics) {
  HttpClient client(port());
  HttpResult health = client.Get("/health");
  EXPECT_EQ(200, health.status);
  EXPECT_EQ("ok", health.Json()["status"]) << health.body;
  HttpResult ready = client.Get("/ready");
  EXPECT_EQ(200, ready.status) << ready.body;
  EXPECT_EQ("ready", ready.Json()["status"]) << ready.body;
  EXPECT_EQ(200, ready.Json()["questions"]) << ready.body;
  client.Get("/v1/categories");
  HttpResult metrics = client.Get("/metrics");
  EXPECT_EQ(200, metrics.status);
  EXPECT_THAT(metrics.Header("Content-Type"), HasSubstr("text/plain"));
  EXPECT_THAT(metrics.body, HasSubstr("truthbyte_requests_total"));
  EXPECT_THAT(metrics.body, HasSubstr("truthbyte_requests_total{endpoint=\"categories\",code=\"200\"}"));
  EXPECT_THAT(metrics.body, HasSubstr("truthbyte_catalog_questions 200"));
}

TEST_F(ApiTest, KeepAliveServesManyRequestsOnOneConnection) {
  Player p(port());
  for (int i = 0; i < 20; ++i) {
    HttpResult r = p.Get("/v1/auth-ping");
    ASSERT_EQ(200, r.status) << r.body;
    ASSERT_TRUE(r.keep_alive);
    ASSERT_TRUE(p.client().connected());
  }
  // "Connection: close" is honoured.
  HttpResult r = p.client().Get("/health", {{"Connection", "close"}});
  EXPECT_EQ(200, r.status);
  EXPECT_FALSE(r.keep_alive);
}

}  // namespace
}  // namespace truthbyte::e2e

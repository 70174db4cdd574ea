// End-to-end: the daily challenge over HTTP (SPEC sections 4 and 5):
// the same ten questions for everyone, the CLI agrees, scores, ranks,
// streaks, validation, one completion per user even under a race.

#include <atomic>
#include <latch>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

using ::testing::HasSubstr;

class DailyTest : public SharedServerTest<DailyTest> {
 public:
  static constexpr const char* kStoreFile = "daily.db";

 protected:

  // Today's challenge as a player sees it.
  static json FetchDaily(Player& p, const std::string& query = "") {
    HttpResult r = p.Get("/v1/fetch-daily-questions" + query);
    EXPECT_EQ(200, r.status) << r.body;
    return r.Json();
  }

};


TEST_F(DailyTest, EveryoneGetsTheSameTenQuestionsAndTheCliAgrees) {
  Player a(port()), b(port());
  json da = FetchDaily(a);
  json db = FetchDaily(b);
  ASSERT_TRUE(da["questions"].is_array()) << da;
  ASSERT_EQ(10u, da["questions"].size());
  EXPECT_EQ(10, da["total_questions"]);
  const auto ids = QuestionIds(da["questions"]);
  EXPECT_EQ(ids, QuestionIds(db["questions"])) << "two users got different daily questions";
  EXPECT_EQ(10u, std::set<std::string>(ids.begin(), ids.end()).size());
  for (const auto& q : da["questions"]) {
    EXPECT_GE(q["difficulty"].get<int>(), 1) << q;
    EXPECT_LE(q["difficulty"].get<int>(), 4) << q;
    EXPECT_TRUE(q["answer"].is_boolean()) << q;
  }
  const std::string today = da["date"];
  EXPECT_EQ(today, db["date"]);
  EXPECT_TRUE(today == TodayUtc() || today == AddDays(TodayUtc(), -1)) << today;  // around midnight

  // Not completed yet.
  const json& progress = da["daily_progress"];
  EXPECT_EQ(false, progress["completed"]);
  EXPECT_TRUE(progress["score"].is_null());
  EXPECT_TRUE(progress["rank"].is_null());
  EXPECT_EQ(0, progress["correct_count"]);
  EXPECT_EQ(10, progress["total_questions"]);
  EXPECT_TRUE(progress["answers"].is_array() && progress["answers"].empty());
  EXPECT_TRUE(progress["completed_at"].is_null());
  EXPECT_EQ(0, da["streak_info"]["current_streak"]);
  EXPECT_EQ(0, da["streak_info"]["best_streak"]);
  EXPECT_EQ(true, da["streak_info"]["streak_eligible"]);

  // Asking again (and for the explicit date) gives the same list.
  EXPECT_EQ(ids, QuestionIds(FetchDaily(a)["questions"]));
  EXPECT_EQ(ids, QuestionIds(FetchDaily(a, "?date=" + today)["questions"]));

  // The operator command on the same store shows the same frozen set.
  auto cli = RunCli(server_->store_path(), {"daily", "--date", today, "--json"});
  ASSERT_EQ(0, cli.exit_code) << cli.err;
  json doc = json::parse(cli.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << cli.out;
  EXPECT_EQ(today, doc["date"]);
  EXPECT_EQ(json(ids), doc["question_ids"]);
}

TEST_F(DailyTest, DatesAreValidated) {
  Player p(port());
  const std::string today = FetchDaily(p)["date"];
  ExpectError(p.Get("/v1/fetch-daily-questions?date=" + AddDays(today, 1)), 400, "invalid_parameter", "tomorrow");
  ExpectError(p.Get("/v1/fetch-daily-questions?date=" + AddDays(today, 400)), 400, "invalid_parameter", "next year");
  for (const std::string bad : {"2023-02-30", "2023-13-01", "2023-1-5", "yesterday", "20230105", "2023-02-29"})
    ExpectError(p.Get("/v1/fetch-daily-questions?date=" + bad), 400, "invalid_parameter", bad);

  // Days before the first challenge this store froze had none: refused and
  // not stored, however far back (the server froze today first).
  for (const std::string& before : {AddDays(today, -1), std::string("2024-02-29"), std::string("0001-01-01")})
    ExpectError(p.Get("/v1/fetch-daily-questions?date=" + before), 400, "invalid_parameter", "no daily challenge on");
}

TEST_F(DailyTest, PastDaysSinceTheFirstAreServedAndStable) {
  // An operator froze a day long ago (the CLI freezes any day that started):
  // days since then are served (frozen within --daily-window days, computed
  // beyond it).
  Player p(port());
  const std::string today = FetchDaily(p)["date"];
  ASSERT_EQ(0, RunCli(server_->store_path(), {"daily", "--date", "2024-01-15"}).exit_code);
  // The running server read its first day at its first request: a new one
  // sees the operator's day.
  ServerProcess fresh(server_->store_path());
  Player q(fresh.port());
  json past = FetchDaily(q, "?date=2024-01-15");
  EXPECT_EQ("2024-01-15", past["date"]);
  ASSERT_EQ(10u, past["questions"].size());
  EXPECT_EQ(false, past["streak_info"]["streak_eligible"]);
  json leap = FetchDaily(q, "?date=2024-02-29");
  EXPECT_EQ("2024-02-29", leap["date"]);
  ASSERT_EQ(10u, leap["questions"].size());
  EXPECT_EQ(QuestionIds(leap["questions"]), QuestionIds(FetchDaily(q, "?date=2024-02-29")["questions"]));
  json recent = FetchDaily(q, "?date=" + AddDays(today, -30));
  ASSERT_EQ(10u, recent["questions"].size());
  ExpectError(q.Get("/v1/fetch-daily-questions?date=2024-01-14"), 400, "invalid_parameter", "the first was 2024-01-15");
  // Which of these days were stored is the service tests' part
  // (GameDailyTest): the CLI freezes whatever it is asked about.
  fresh.Stop();
}

TEST_F(DailyTest, PerfectScoreIsRankSAndStartsAStreak) {
  Player p(port());
  // Two ordinary answers first, on questions outside today's set.
  json daily = FetchDaily(p);
  const auto ids = QuestionIds(daily["questions"]);
  const std::set<std::string> in_daily(ids.begin(), ids.end());
  json pool = p.GetOk("/v1/fetch-questions?num_questions=20");
  json extra = json::array();
  for (const auto& q : pool["questions"]) {
    if (in_daily.count(q["id"]) || extra.size() == 2) continue;
    extra.push_back({{"question_id", q["id"]}, {"answer", q["answer"]}, {"timestamp", NowSeconds()}});
  }
  ASSERT_EQ(2u, extra.size());
  ASSERT_EQ(200, p.PostJson("/v1/submit-answers", extra).status);

  const std::string today = daily["date"];
  HttpResult r = p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", DailyAnswers(daily["questions"], 0)}});
  ASSERT_EQ(200, r.status) << r.body;
  json j = r.Json();
  EXPECT_EQ(true, j["success"]);
  EXPECT_EQ(today, j["date"]);
  EXPECT_EQ(10, j["score"]["correct_count"]);
  EXPECT_EQ(10, j["score"]["total_questions"]);
  EXPECT_DOUBLE_EQ(100.0, j["score"]["score_percentage"].get<double>());
  EXPECT_EQ("S", j["score"]["rank"]);
  EXPECT_EQ(true, j["score"]["streak_eligible"]);
  EXPECT_EQ(1, j["streak_info"]["current_streak"]);
  EXPECT_EQ(1, j["streak_info"]["best_streak"]);
  EXPECT_EQ(false, j["streak_info"]["streak_continued"]);

  // Once only.
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", DailyAnswers(daily["questions"], 0)}}),
              409, "already_completed");
  // Also without a date (today by default).
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"answers", DailyAnswers(daily["questions"], 3)}}), 409,
              "already_completed", "no date");

  // The challenge now shows the result.
  json after = FetchDaily(p);
  EXPECT_EQ(ids, QuestionIds(after["questions"]));
  const json& progress = after["daily_progress"];
  EXPECT_EQ(true, progress["completed"]) << after;
  EXPECT_DOUBLE_EQ(100.0, progress["score"].get<double>());
  EXPECT_EQ("S", progress["rank"]);
  EXPECT_EQ(10, progress["correct_count"]);
  EXPECT_EQ(10, progress["total_questions"]);
  EXPECT_EQ(10u, progress["answers"].size());
  EXPECT_TRUE(progress["completed_at"].is_string());
  EXPECT_EQ(1, after["streak_info"]["current_streak"]);
  EXPECT_EQ(1, after["streak_info"]["best_streak"]);
  EXPECT_EQ(false, after["streak_info"]["streak_eligible"]);

  // The profile counts the daily answers with the ordinary ones.
  json user = p.GetOk("/v1/user");
  EXPECT_EQ(1, user["current_daily_streak"]);
  EXPECT_EQ(1, user["best_daily_streak"]);
  EXPECT_EQ(12, user["total_answers"]);
  EXPECT_EQ(12, user["correct_answers"]);
  EXPECT_DOUBLE_EQ(13.0 / 14.0, user["trust_score"].get<double>());
  ASSERT_TRUE(user["daily_progress"].contains(today)) << user;
  EXPECT_EQ(true, user["daily_progress"][today]["completed"]);
  EXPECT_EQ("S", user["daily_progress"][today]["rank"]);

  // Another player is not affected.
  Player other(port());
  EXPECT_EQ(false, FetchDaily(other)["daily_progress"]["completed"]);
}

TEST_F(DailyTest, SevenOfTenIsRankBAndCounts) {
  Player p(port());
  json daily = FetchDaily(p);
  HttpResult r = p.PostJson("/v1/submit-daily-answers",
                            {{"date", daily["date"]}, {"answers", DailyAnswers(daily["questions"], 3)}});
  ASSERT_EQ(200, r.status) << r.body;
  json j = r.Json();
  EXPECT_EQ(7, j["score"]["correct_count"]);
  EXPECT_EQ(10, j["score"]["total_questions"]);
  EXPECT_DOUBLE_EQ(70.0, j["score"]["score_percentage"].get<double>());
  EXPECT_EQ("B", j["score"]["rank"]);
  EXPECT_EQ(true, j["score"]["streak_eligible"]);
  EXPECT_EQ(1, j["streak_info"]["current_streak"]);
  EXPECT_EQ(1, j["streak_info"]["best_streak"]);
  json user = p.GetOk("/v1/user");
  EXPECT_EQ(1, user["current_daily_streak"]);
  EXPECT_EQ(10, user["total_answers"]);
  EXPECT_EQ(7, user["correct_answers"]);
}

TEST_F(DailyTest, FiveOfTenIsRankDAndDoesNotCount) {
  Player p(port());
  json daily = FetchDaily(p);
  HttpResult r = p.PostJson("/v1/submit-daily-answers",
                            {{"date", daily["date"]}, {"answers", DailyAnswers(daily["questions"], 5)}});
  ASSERT_EQ(200, r.status) << r.body;
  json j = r.Json();
  EXPECT_EQ(5, j["score"]["correct_count"]);
  EXPECT_DOUBLE_EQ(50.0, j["score"]["score_percentage"].get<double>());
  EXPECT_EQ("D", j["score"]["rank"]);
  EXPECT_EQ(false, j["score"]["streak_eligible"]);
  EXPECT_EQ(0, j["streak_info"]["current_streak"]);
  EXPECT_EQ(0, j["streak_info"]["best_streak"]);
  json after = FetchDaily(p);
  EXPECT_EQ(true, after["daily_progress"]["completed"]);
  EXPECT_EQ("D", after["daily_progress"]["rank"]);
  EXPECT_EQ(0, p.GetOk("/v1/user")["current_daily_streak"]);
}

TEST_F(DailyTest, SubmissionsMustAnswerExactlyTodaysQuestionsOnce) {
  Player p(port());
  json daily = FetchDaily(p);
  const std::string today = daily["date"];
  const json full = DailyAnswers(daily["questions"], 0);

  json missing = full;
  const std::string dropped = missing.back()["question_id"];
  missing.erase(missing.size() - 1);
  json body = ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", missing}}), 400,
                          "validation_failed", "missing one");
  ASSERT_TRUE(body["details"].is_array()) << body;
  EXPECT_FALSE(body["details"].empty());
  EXPECT_THAT(body["details"].dump(), HasSubstr(dropped));

  json extra = full;
  extra.push_back({{"question_id", "not-in-the-challenge-e2e"}, {"answer", true}, {"timestamp", NowSeconds()}});
  body = ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", extra}}), 400,
                     "validation_failed", "extra question");
  ASSERT_TRUE(body["details"].is_array()) << body;
  EXPECT_THAT(body["details"].dump(), HasSubstr("not-in-the-challenge-e2e"));

  json repeated = full;
  repeated[9] = repeated[0];
  body = ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", repeated}}), 400,
                     "validation_failed", "repeated question");
  ASSERT_TRUE(body["details"].is_array()) << body;
  EXPECT_GE(body["details"].size(), 1u);

  json twice = full;
  twice.push_back(full[0]);
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", twice}}), 400, "validation_failed",
              "eleven answers, one twice");

  // Another day than today.
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", AddDays(today, -1)}, {"answers", full}}), 400,
              "invalid_parameter", "yesterday");
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", AddDays(today, 1)}, {"answers", full}}), 400,
              "invalid_parameter", "tomorrow");
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", "2023-02-30"}, {"answers", full}}), 400,
              "invalid_parameter", "impossible date");
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", 20240115}, {"answers", full}}), 400,
              "invalid_parameter", "numeric date");
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", today}}), 400, "validation_failed", "no answers");
  ExpectError(p.PostJson("/v1/submit-daily-answers", full), 400, "validation_failed", "bare list");

  // None of that counted: nothing recorded, and a proper submission works.
  json user = p.GetOk("/v1/user");
  EXPECT_EQ(0, user["total_answers"]);
  EXPECT_EQ(false, FetchDaily(p)["daily_progress"]["completed"]);
  HttpResult ok = p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", full}});
  EXPECT_EQ(200, ok.status) << ok.body;
}

TEST_F(DailyTest, EarlierAnswersToDailyQuestionsStayTheRecordedOnes) {
  Player p(port());
  json daily = FetchDaily(p);
  // Question 0 answered wrongly in ordinary play first.
  const json& q0 = daily["questions"][0];
  HttpResult r = p.PostJson("/v1/submit-answers",
                            json::array({{{"question_id", q0["id"]}, {"answer", !q0["answer"].get<bool>()}}}));
  ASSERT_EQ(200, r.status) << r.body;
  // The daily score is about the daily answers: 10/10.
  r = p.PostJson("/v1/submit-daily-answers", {{"answers", DailyAnswers(daily["questions"], 0)}});
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(10, r.Json()["score"]["correct_count"]);
  EXPECT_EQ("S", r.Json()["score"]["rank"]);
  // The answer dataset keeps the first answer per question.
  json user = p.GetOk("/v1/user");
  EXPECT_EQ(10, user["total_answers"]);
  EXPECT_EQ(9, user["correct_answers"]);
}

TEST_F(DailyTest, DailyAnswersMustBeTheCallersOwn) {
  Player p(port());
  json daily = FetchDaily(p);
  json answers = DailyAnswers(daily["questions"], 0);
  answers[4]["user_id"] = NewUserId();
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"answers", answers}}), 403, "user_mismatch");
  answers[4]["user_id"] = p.user_id();
  EXPECT_EQ(200, p.PostJson("/v1/submit-daily-answers", {{"answers", answers}}).status);
}

TEST_F(DailyTest, RacingSubmissionsForOneUserCompleteOnce) {
  Player owner(port());
  json daily = FetchDaily(owner);
  const json body = {{"date", daily["date"]}, {"answers", DailyAnswers(daily["questions"], 0)}};
  constexpr int kThreads = 10;
  std::vector<std::unique_ptr<Player>> players;
  for (int i = 0; i < kThreads; ++i) {
    players.push_back(std::make_unique<Player>(port(), owner.user_id(), owner.access_token()));
    // Open each connection before the race starts.
    ASSERT_EQ(200, players.back()->Get("/v1/auth-ping").status);
  }
  std::latch start(kThreads);
  std::vector<HttpResult> results(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        results[static_cast<std::size_t>(i)] = players[static_cast<std::size_t>(i)]->PostJson("/v1/submit-daily-answers", body);
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  int ok = 0, conflict = 0;
  for (int i = 0; i < kThreads; ++i) {
    const auto& r = results[static_cast<std::size_t>(i)];
    ASSERT_TRUE(errors[static_cast<std::size_t>(i)].empty()) << errors[static_cast<std::size_t>(i)];
    if (r.status == 200) {
      ++ok;
    } else {
      ++conflict;
      ExpectError(r, 409, "already_completed", "racing submission");
    }
  }
  EXPECT_EQ(1, ok);
  EXPECT_EQ(kThreads - 1, conflict);
  json user = owner.GetOk("/v1/user");
  EXPECT_EQ(10, user["total_answers"]) << "the daily answers were recorded more than once";
  EXPECT_EQ(10, user["correct_answers"]);
  EXPECT_EQ(1, user["current_daily_streak"]);
}

// The deployed client parses the daily reply with Zig's std.json into a
// 16,384-byte buffer, about 2.7 bytes of it per byte of JSON: the compact
// default must stay under 5,500 bytes for ten real questions (the original's
// curated set, with long passages), new or completed.
TEST(DailyReplyTest, TheCompactReplyFitsTheDeployedClientInEitherState) {
  TempDir dir;
  const std::string store = dir.File("compact.db");
  auto imported = RunCli(store, {"import", truthbyte::testing::SharedDataFile("curated_questions.jsonl")});
  ASSERT_EQ(0, imported.exit_code) << imported.err;
  ServerConfig config;
  config.demo = false;
  ServerProcess server(store, config);
  Player p(server.port());

  HttpResult fresh = p.Get("/v1/fetch-daily-questions");
  ASSERT_EQ(200, fresh.status) << fresh.body;
  EXPECT_LT(fresh.body.size(), 5500u);
  const json day = fresh.Json();
  ASSERT_EQ(10u, day["questions"].size());
  for (const auto& q : day["questions"]) {
    EXPECT_FALSE(q.contains("passage")) << q;
    EXPECT_FALSE(q.contains("tags")) << q;
    // What the client reads, and what a player needs to see.
    EXPECT_TRUE(q["id"].is_string() && q["question"].is_string() && q["answer"].is_boolean()) << q;
    EXPECT_TRUE(q["title"].is_string() && q["difficulty"].is_number_integer() && q["categories"].is_array()) << q;
  }
  // The client reads the streaks as floats (an integer reads as 0 there).
  EXPECT_THAT(fresh.body, HasSubstr(R"("streak_info":{"current_streak":0.0,"best_streak":0.0,)"));

  // The full shape, on request: every question as fetch-questions serves it.
  const json full = p.GetOk("/v1/fetch-daily-questions?include=passage,tags");
  ASSERT_EQ(10u, full["questions"].size());
  EXPECT_EQ(QuestionIds(day["questions"]), QuestionIds(full["questions"]));
  std::size_t passage_bytes = 0;
  for (const auto& q : full["questions"]) {
    ASSERT_TRUE(q["passage"].is_string()) << q;
    EXPECT_TRUE(q["tags"].is_array()) << q;
    passage_bytes += q["passage"].get<std::string>().size();
  }
  EXPECT_GT(passage_bytes, 3000u) << "the test needs questions with real passages";
  const json only_tags = p.GetOk("/v1/fetch-daily-questions?include=tags");
  EXPECT_FALSE(only_tags["questions"][0].contains("passage"));
  EXPECT_TRUE(only_tags["questions"][0].contains("tags"));
  ExpectError(p.Get("/v1/fetch-daily-questions?include=passage,answers"), 400, "invalid_parameter", "answers");

  // The client's own submission body: the answers only, no date, no user id.
  json answers = json::array();
  for (const auto& q : day["questions"])
    answers.push_back({{"question_id", q["id"]}, {"answer", q["answer"]}, {"timestamp", 1796255000}});
  ASSERT_EQ(200, p.PostJson("/v1/submit-daily-answers", {{"answers", answers}}).status);

  HttpResult done = p.Get("/v1/fetch-daily-questions");
  ASSERT_EQ(200, done.status) << done.body;
  EXPECT_LT(done.body.size(), 5500u);
  const json progress = done.Json()["daily_progress"];
  EXPECT_EQ(true, progress["completed"]);
  EXPECT_EQ("S", progress["rank"]);
  ASSERT_EQ(10u, progress["answers"].size());
  for (const auto& a : progress["answers"]) {
    EXPECT_EQ(true, a["is_correct"]) << a;
    EXPECT_TRUE(a["question_id"].is_string() && a["answer"].is_boolean()) << a;
    EXPECT_FALSE(a.contains("timestamp")) << a;
  }
  EXPECT_THAT(done.body, HasSubstr(R"("current_streak":1.0,"best_streak":1.0,)"));
  const json stamped = p.GetOk("/v1/fetch-daily-questions?include=timestamps");
  EXPECT_EQ(1796255000, stamped["daily_progress"]["answers"][0]["timestamp"]);
  EXPECT_FALSE(stamped["questions"][0].contains("passage"));
  const json all = p.GetOk("/v1/fetch-daily-questions?include=all");
  EXPECT_TRUE(all["questions"][0].contains("passage"));
  EXPECT_TRUE(all["daily_progress"]["answers"][0].contains("timestamp"));
  server.Stop();
}

}  // namespace
}  // namespace truthbyte::e2e

// End-to-end: the server over time. The catalog follows imports made by
// another process without a restart, and a restarted server on the same
// store carries on where the old one stopped (tokens, totals, streaks, the
// frozen daily set, submissions).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

using ::testing::Contains;

TEST(CatalogRefreshTest, ImportsShowUpWithoutARestart) {
  TempDir dir;
  ServerConfig config;
  config.serve_args = {"--catalog-refresh", "0.2"};
  ServerProcess server(dir.File("catalog.db"), config);
  Player p(server.port());
  const std::string category = "e2e-imported";
  ExpectError(p.Get("/v1/fetch-questions?category=" + category), 404, "not_found", "before the import");

  std::vector<json> rows;
  for (int i = 1; i <= 3; ++i) {
    rows.push_back({{"id", "e2e-import-" + std::to_string(i)},
                    {"question", "Is imported test question number " + std::to_string(i) + " true?"},
                    {"title", "Imported " + std::to_string(i)},
                    {"passage", "A question imported while the server runs."},
                    {"answer", i % 2 == 1},
                    {"categories", json::array({category})},
                    {"difficulty", i}});
  }
  const std::string file = dir.File("new.jsonl");
  WriteJsonLines(file, rows);
  auto imported = RunCli(server.store_path(), {"import", file});
  ASSERT_EQ(0, imported.exit_code) << imported.err;

  // Both the questions and the category list follow (the category list
  // may lag the questions by a refresh interval).
  HttpClient client(server.port());
  json fetched, cats;
  auto category_count = [&](const json& list) -> std::int64_t {
    for (const auto& c : list["categories"])
      if (c["name"] == category) return c["count"].get<std::int64_t>();
    return -1;
  };
  const bool visible = Eventually(
      [&] {
        HttpResult r = p.Get("/v1/fetch-questions?num_questions=20&category=" + category);
        if (r.status != 200) return false;
        fetched = r.Json();
        cats = client.Get("/v1/categories").Json();
        return fetched["questions"].size() == 3 && category_count(cats) == 3;
      },
      std::chrono::seconds(10));
  ASSERT_TRUE(visible) << "the imported category never appeared in full; last questions: " << fetched
                       << "\nlast categories: " << cats;
  auto ids = QuestionIds(fetched["questions"]);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ((std::vector<std::string>{"e2e-import-1", "e2e-import-2", "e2e-import-3"}), ids);
  for (const auto& q : fetched["questions"]) EXPECT_THAT(q["categories"], Contains(json(category)));
  EXPECT_EQ(203, cats["total_questions"]);
  EXPECT_EQ(3, category_count(cats));
  EXPECT_EQ(1u, p.GetOk("/v1/fetch-questions?category=" + category + "&difficulty=2")["questions"].size());

  // Answers to the imported questions are scored against them.
  HttpResult answered = p.PostJson("/v1/submit-answers", json::array({{{"question_id", "e2e-import-1"}, {"answer", true}},
                                                                      {{"question_id", "e2e-import-2"}, {"answer", true}}}));
  ASSERT_EQ(200, answered.status) << answered.body;
  EXPECT_EQ(2, answered.Json()["recorded"]);
  EXPECT_EQ(0, answered.Json()["unknown_questions"]);
  EXPECT_EQ(1, answered.Json()["correct_answers"]);

  // An update of an existing question (upsert by id) is followed too.
  rows[0]["question"] = "Is imported test question number 1 updated now?";
  WriteJsonLines(file, {rows[0]});
  imported = RunCli(server.store_path(), {"import", file});
  ASSERT_EQ(0, imported.exit_code) << imported.err;
  const bool updated = Eventually(
      [&] {
        json j = p.GetOk("/v1/fetch-questions?num_questions=20&category=" + category);
        for (const auto& q : j["questions"])
          if (q["id"] == "e2e-import-1") return q["question"] == rows[0]["question"];
        return false;
      },
      std::chrono::seconds(10));
  EXPECT_TRUE(updated);
  server.Stop();
}

TEST(RestartTest, ANewServerOnTheSameStoreCarriesOn) {
  TempDir dir;
  const std::string store = dir.File("restart.db");
  std::string token, refresh_token, user, unbound_token, unbound_user;
  std::vector<std::string> daily_ids;
  std::string today, submission_id;
  json user_before;
  {
    ServerProcess server(store);
    Player p(server.port());
    token = p.access_token();
    refresh_token = p.refresh_token();
    user = p.user_id();

    json daily = p.GetOk("/v1/fetch-daily-questions");
    daily_ids = QuestionIds(daily["questions"]);
    today = daily["date"];
    ASSERT_EQ(10u, daily_ids.size());
    // Four ordinary answers outside the daily set (3 correct).
    json pool = p.GetOk("/v1/fetch-questions?num_questions=20");
    json answers = json::array();
    for (const auto& q : pool["questions"]) {
      if (std::find(daily_ids.begin(), daily_ids.end(), q["id"]) != daily_ids.end() || answers.size() == 4) continue;
      const bool truth = q["answer"];
      answers.push_back({{"question_id", q["id"]}, {"answer", answers.size() == 0 ? !truth : truth}});
    }
    ASSERT_EQ(4u, answers.size());
    HttpResult r = p.PostJson("/v1/submit-answers", answers);
    ASSERT_EQ(200, r.status) << r.body;
    r = p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", DailyAnswers(daily["questions"], 0)}});
    ASSERT_EQ(200, r.status) << r.body;
    r = p.PostJson("/v1/propose-question", {{"question", "Does this question survive a server restart?"},
                                            {"answer", true},
                                            {"categories", {"science"}}});
    ASSERT_EQ(201, r.status) << r.body;
    submission_id = r.Json()["data"]["id"];
    user_before = p.GetOk("/v1/user");
    EXPECT_EQ(14, user_before["total_answers"]);
    EXPECT_EQ(13, user_before["correct_answers"]);
    EXPECT_EQ(1, user_before["current_daily_streak"]);

    // A session bound on first use.
    HttpClient client(server.port());
    unbound_token = client.Get("/v1/session").Json()["access_token"];
    unbound_user = NewUserId();
    ASSERT_EQ(200, client.Get("/v1/auth-ping", {{"Authorization", "Bearer " + unbound_token}, {"X-User-ID", unbound_user}}).status);

    EXPECT_EQ(0, server.Stop());
  }

  ServerProcess server(store);
  EXPECT_THAT(server.Stdout(), ::testing::HasSubstr("serving 200 questions")) << "the store was imported twice?";
  Player p(server.port(), user, token);
  HttpResult ping = p.Get("/v1/auth-ping");
  ASSERT_EQ(200, ping.status) << "the old access token no longer works: " << ping.body;

  json after = p.GetOk("/v1/user");
  EXPECT_EQ(user, after["user_id"]);
  EXPECT_EQ(user_before["total_answers"], after["total_answers"]);
  EXPECT_EQ(user_before["correct_answers"], after["correct_answers"]);
  EXPECT_EQ(user_before["trust_score"], after["trust_score"]);
  EXPECT_EQ(1, after["current_daily_streak"]);
  EXPECT_EQ(1, after["best_daily_streak"]);

  json daily = p.GetOk("/v1/fetch-daily-questions?date=" + today);
  EXPECT_EQ(daily_ids, QuestionIds(daily["questions"]));
  EXPECT_EQ(true, daily["daily_progress"]["completed"]);
  EXPECT_DOUBLE_EQ(100.0, daily["daily_progress"]["score"].get<double>());
  EXPECT_EQ("S", daily["daily_progress"]["rank"]);
  ExpectError(p.PostJson("/v1/submit-daily-answers", {{"date", today}, {"answers", DailyAnswers(daily["questions"], 0)}}),
              409, "already_completed", "after restart");

  json subs = p.GetOk("/v1/user-submissions");
  ASSERT_EQ(1u, subs["submissions"].size()) << subs;
  EXPECT_EQ(submission_id, subs["submissions"][0]["id"]);
  EXPECT_EQ("pending", subs["submissions"][0]["status"]);

  // Another player gets the same frozen daily set from the new server.
  Player fresh(server.port());
  EXPECT_EQ(daily_ids, QuestionIds(fresh.GetOk("/v1/fetch-daily-questions")["questions"]));

  // The refresh token still works, and bindings made on first use hold.
  HttpClient client(server.port());
  HttpResult refreshed = client.PostJson("/v1/refresh", {{"refresh_token", refresh_token}});
  ASSERT_EQ(200, refreshed.status) << refreshed.body;
  EXPECT_EQ(user, refreshed.Json()["user_id"]);
  ExpectError(client.Get("/v1/auth-ping", {{"Authorization", "Bearer " + unbound_token}, {"X-User-ID", NewUserId()}}),
              403, "user_mismatch", "binding after restart");
  HttpResult bound = client.Get("/v1/user", {{"Authorization", "Bearer " + unbound_token}});
  ASSERT_EQ(200, bound.status) << bound.body;
  EXPECT_EQ(unbound_user, bound.Json()["user_id"]);
  server.Stop();
}

}  // namespace
}  // namespace truthbyte::e2e

// Crowd truth in the running server: the model is refitted in the
// background while answers arrive, and each player's reliability shows in
// their profile and in the submit-answers reply.
#include <chrono>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

TEST(CrowdTruthTest, AReliablePlayerAndARandomOneAreToldApartWhileTheyPlay) {
  TempDir dir;
  ServerConfig config;
  config.serve_args = {"--crowd-refit", "0.2"};
  ServerProcess server(dir.File("crowd.db"), config);
  Player fresh(server.port());
  EXPECT_TRUE(fresh.GetOk("/v1/user")["reliability"].is_null()) << "no answers, no estimate";

  // Both answer the same questions, the twenty of one category (each is
  // served all of them: answers to questions never served are no
  // judgments): one always with the label, the other the label only every
  // other time.
  Player good(server.port()), coin(server.port());
  const json questions = good.GetOk("/v1/fetch-questions?category=science&num_questions=20")["questions"];
  ASSERT_EQ(questions.size(), 20u);
  ASSERT_EQ(coin.GetOk("/v1/fetch-questions?category=science&num_questions=20")["questions"].size(), 20u);
  json good_answers = json::array(), coin_answers = json::array();
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const bool label = questions[i]["answer"].get<bool>();
    // Five seconds a question: answers a person could give.
    const double shown = 1764669600.0 + 5.0 * static_cast<double>(i);
    good_answers.push_back({{"question_id", questions[i]["id"]}, {"answer", label}, {"timestamp", shown}});
    coin_answers.push_back({{"question_id", questions[i]["id"]}, {"answer", i % 2 ? label : !label}, {"timestamp", shown}});
  }
  HttpResult submitted = good.PostJson("/v1/submit-answers", good_answers);
  ASSERT_EQ(200, submitted.status) << submitted.body;
  EXPECT_TRUE(submitted.Json().contains("reliability"));
  ASSERT_EQ(200, coin.PostJson("/v1/submit-answers", coin_answers).status);

  double good_reliability = 0, coin_reliability = 0;
  EXPECT_TRUE(Eventually([&] {
    const json g = good.GetOk("/v1/user")["reliability"], c = coin.GetOk("/v1/user")["reliability"];
    if (!g.is_number() || !c.is_number()) return false;
    good_reliability = g.get<double>();
    coin_reliability = c.get<double>();
    return true;
  }, std::chrono::seconds(10))) << "no refit showed the players' reliabilities";
  EXPECT_GT(good_reliability, 0.8);
  EXPECT_NEAR(coin_reliability, 0.5, 0.2);
  EXPECT_GT(good_reliability, coin_reliability + 0.2);
  server.Stop();
}

// mode=label over the wire: no answer sent, never a question the player
// answered, and the outcome comes back with the submission; mode random
// stops re-serving answered questions.
TEST(CrowdTruthTest, LabelModeHidesTheAnswerAndNeverRepeatsAQuestion) {
  TempDir dir;
  ServerProcess server(dir.File("label.db"));
  Player p(server.port());
  std::set<std::string> answered;
  for (int round = 0; round < 3; ++round) {
    const json fetched = p.GetOk("/v1/fetch-questions?mode=label&num_questions=20");
    ASSERT_FALSE(fetched["questions"].empty());
    json answers = json::array();
    for (const json& q : fetched["questions"]) {
      EXPECT_FALSE(q.contains("answer")) << q.dump();
      EXPECT_TRUE(answered.insert(q["id"].get<std::string>()).second) << "served again: " << q["id"];
      answers.push_back({{"question_id", q["id"]}, {"answer", true}});
    }
    const json reply = p.PostJson("/v1/submit-answers", answers).Json();
    ASSERT_EQ(reply["results"].size(), answers.size()) << reply.dump();
    for (std::size_t i = 0; i < answers.size(); ++i) {
      EXPECT_EQ(reply["results"][i]["question_id"], answers[i]["question_id"]);
      EXPECT_EQ(reply["results"][i]["correct"], reply["results"][i]["label"]) << "answered true";
    }
  }
  // Random mode: 7 of the questions not answered yet.
  const json random = p.GetOk("/v1/fetch-questions?num_questions=7");
  for (const json& q : random["questions"]) {
    EXPECT_TRUE(q.contains("answer"));
    EXPECT_EQ(answered.count(q["id"].get<std::string>()), 0u) << q["id"];
  }
  HttpResult bad = p.Get("/v1/fetch-questions?mode=wrong");
  EXPECT_EQ(400, bad.status);
  EXPECT_EQ("invalid_parameter", bad.Json()["error_code"]);
  server.Stop();
}

// The dataset owner's view: players who agree on everything else contradict
// the labels of four questions; those are listed as disputed (admin only),
// page by page exactly once, and question-stats says the same.
TEST(CrowdTruthTest, TheLabelsTheCrowdContradictsAreListedAsDisputes) {
  TempDir dir;
  ServerConfig config;
  config.serve_args = {"--crowd-refit", "0.2"};
  ServerProcess server(dir.File("disputes.db"), config);
  auto token = RunCli(server.store_path(), {"token", "--admin"});
  ASSERT_EQ(0, token.exit_code) << token.err;
  const Headers admin = {{"Authorization", "Bearer " + testing::SplitLines(token.out).at(0)}};
  HttpClient client(server.port());

  // Every player is served the twenty questions of one category.
  const std::string all_science = "/v1/fetch-questions?category=science&num_questions=20";
  Player first(server.port());
  const json questions = first.GetOk(all_science)["questions"];
  ASSERT_EQ(questions.size(), 20u);
  std::set<std::string> contradicted;
  for (int i = 0; i < 4; ++i) contradicted.insert(questions[i]["id"].get<std::string>());
  for (int p = 0; p < 8; ++p) {
    Player player(server.port());
    ASSERT_EQ(player.GetOk(all_science)["questions"].size(), 20u);
    json answers = json::array();
    for (const json& q : questions) {
      const bool label = q["answer"].get<bool>();
      answers.push_back({{"question_id", q["id"]}, {"answer", contradicted.count(q["id"]) ? !label : label}});
    }
    ASSERT_EQ(200, player.PostJson("/v1/submit-answers", answers).status);
  }
  json listed;
  EXPECT_TRUE(Eventually([&] {
    HttpResult r = client.Get("/v1/disputed-questions", admin);
    if (r.status != 200) return false;
    listed = r.Json();
    // A refit that began while the players answered saw only some of them.
    if (listed["questions"].size() != 4) return false;
    for (const json& d : listed["questions"])
      if (d["answers"] != 8) return false;
    return true;
  }, std::chrono::seconds(10))) << listed.dump();
  ASSERT_EQ(listed["questions"].size(), 4u);
  EXPECT_TRUE(listed["next_cursor"].is_null());
  double previous = 1.0;
  for (const json& d : listed["questions"]) {
    EXPECT_EQ(contradicted.count(d["question_id"].get<std::string>()), 1u) << d.dump();
    EXPECT_FALSE(d["question"].get<std::string>().empty());
    EXPECT_EQ(d["answers"], 8);
    EXPECT_GE(d["confidence"].get<double>(), 0.9);
    EXPECT_LE(d["confidence"].get<double>(), previous) << "most confident first";
    previous = d["confidence"].get<double>();
    EXPECT_EQ(d["true_votes"], d["label"].get<bool>() ? 0 : 8);
  }
  // Page by page: each once, then no cursor.
  std::set<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    const json r = client.Get("/v1/disputed-questions?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor), admin).Json();
    ASSERT_LE(r["questions"].size(), 1u) << r.dump();
    for (const json& d : r["questions"]) EXPECT_TRUE(paged.insert(d["question_id"].get<std::string>()).second);
    if (r["next_cursor"].is_null()) break;
    cursor = r["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(paged, contradicted);

  const std::string disputed_id = *contradicted.begin();
  const json stats = first.GetOk("/v1/question-stats?question_id=" + disputed_id);
  EXPECT_EQ(stats["question_id"], disputed_id);
  EXPECT_EQ(stats["answers"], 8);
  EXPECT_EQ(stats["disputed"], true);
  EXPECT_DOUBLE_EQ(stats["agreement"].get<double>(), 0.0);
  EXPECT_TRUE(stats["empirical_difficulty"].is_number());
  const json agreed = first.GetOk("/v1/question-stats?question_id=" + questions[10]["id"].get<std::string>());
  EXPECT_EQ(agreed["disputed"], false);
  EXPECT_DOUBLE_EQ(agreed["agreement"].get<double>(), 1.0);
  EXPECT_EQ(agreed["empirical_difficulty"], 1);

  ExpectError(first.Get("/v1/disputed-questions"), 403, "forbidden", "a player token");
  ExpectError(client.Get("/v1/disputed-questions"), 401, "missing_token");
  ExpectError(client.Get("/v1/disputed-questions?limit=501", admin), 400, "invalid_parameter");
  ExpectError(client.Get("/v1/disputed-questions?min_confidence=0.2", admin), 400, "invalid_parameter");
  ExpectError(client.Get("/v1/disputed-questions?cursor=junk", admin), 400, "invalid_parameter");
  ExpectError(first.Get("/v1/question-stats"), 400, "invalid_parameter");
  ExpectError(first.Get("/v1/question-stats?question_id=no-such-question"), 404, "not_found");

  // The reviewer decides: keep one label, flip one, retire one question.
  const std::vector<std::string> ids(contradicted.begin(), contradicted.end());
  const int total_before = client.Get("/v1/categories").Json()["total_questions"].get<int>();
  const json kept = client.PostJson("/v1/resolve-dispute", {{"question_id", ids[0]}, {"action", "keep"}}, admin).Json();
  EXPECT_EQ(kept["success"], true) << kept.dump();
  EXPECT_EQ(kept["resolution"]["action"], "keep");
  EXPECT_FALSE(kept["resolution"]["reviewer"].get<std::string>().empty());
  const bool label1 = first.GetOk("/v1/question-stats?question_id=" + ids[1])["label"].get<bool>();
  const json flipped = client.PostJson("/v1/resolve-dispute",
                                       {{"question_id", ids[1]}, {"action", "flip"}, {"label", label1},
                                        {"notes", "the passage says otherwise"}},
                                       admin).Json();
  EXPECT_EQ(flipped["resolution"]["label_before"], label1) << flipped.dump();
  EXPECT_EQ(flipped["resolution"]["label_after"], !label1);
  ExpectError(client.PostJson("/v1/resolve-dispute", {{"question_id", ids[1]}, {"action", "flip"}, {"label", label1}},
                              admin),
              409, "already_completed");
  EXPECT_EQ(200, client.PostJson("/v1/resolve-dispute", {{"question_id", ids[2]}, {"action", "retire"}}, admin).status);
  const json after = client.Get("/v1/disputed-questions", admin).Json();
  ASSERT_EQ(after["questions"].size(), 1u) << after.dump();
  EXPECT_EQ(after["questions"][0]["question_id"], ids[3]);
  const json flipped_stats = first.GetOk("/v1/question-stats?question_id=" + ids[1]);
  EXPECT_EQ(flipped_stats["label"], !label1);
  EXPECT_EQ(flipped_stats["disputed"], false);
  EXPECT_EQ(flipped_stats["resolution"]["action"], "flip");
  EXPECT_EQ(flipped_stats["resolution"]["notes"], "the passage says otherwise");
  EXPECT_EQ(client.Get("/v1/categories").Json()["total_questions"].get<int>(), total_before - 1);
  // The export shows each question's resolution.
  auto exported = RunCli(server.store_path(), {"export", "--what", "judgments"});
  ASSERT_EQ(0, exported.exit_code) << exported.err;
  int resolved = 0;
  for (const std::string& line : testing::SplitLines(exported.out)) {
    const json j = json::parse(line);
    if (j["resolution"].is_null()) continue;
    ++resolved;
    EXPECT_EQ(j["disputed"], false) << line;
    if (j["id"] == ids[1]) {
      EXPECT_EQ(j["label"], !label1);
    }
  }
  EXPECT_EQ(resolved, 3);

  ExpectError(first.PostJson("/v1/resolve-dispute", {{"question_id", ids[3]}, {"action", "keep"}}), 403, "forbidden");
  ExpectError(client.PostJson("/v1/resolve-dispute", {{"question_id", ids[3]}, {"action", "delete"}}, admin), 400,
              "validation_failed");
  ExpectError(client.PostJson("/v1/resolve-dispute", {{"question_id", "no-such-question"}, {"action", "keep"}}, admin),
              404, "not_found");
  server.Stop();
}

// Judgment hygiene over the wire: a round whose questions were all "shown"
// in the same second is recorded and scored, but kept out of the model
// (counted in /metrics and marked in the export); --min-answer-ms 0 turns
// the rule off.
TEST(CrowdTruthTest, AnswersTooFastToBeReadAreRecordedButNoJudgments) {
  for (const char* min_ms : {"1000", "0"}) {
    SCOPED_TRACE(std::string("--min-answer-ms ") + min_ms);
    TempDir dir;
    ServerConfig config;
    config.serve_args = {"--crowd-refit", "0.2", "--min-answer-ms", min_ms};
    ServerProcess server(dir.File("fast.db"), config);
    Player p(server.port());
    const json questions = p.GetOk("/v1/fetch-questions?num_questions=5")["questions"];
    json answers = json::array();
    for (const json& q : questions)
      answers.push_back({{"question_id", q["id"]}, {"answer", q["answer"]}, {"timestamp", 1764669600}});
    const json reply = p.PostJson("/v1/submit-answers", answers).Json();
    EXPECT_EQ(reply["recorded"], 5) << reply.dump();
    EXPECT_EQ(reply["correct_answers"], 5) << "scored as always";
    HttpClient client(server.port());
    const std::string metrics = client.Get("/metrics").body;
    const bool on = std::string(min_ms) != "0";
    // The last answer of the round has no next one to time it by.
    EXPECT_THAT(metrics, ::testing::HasSubstr(on ? "truthbyte_answers_submitted_total{judgment=\"too_fast\"} 4\n"
                                                 : "truthbyte_answers_submitted_total{judgment=\"too_fast\"} 0\n"));
    EXPECT_THAT(metrics, ::testing::HasSubstr(on ? "truthbyte_answers_submitted_total{judgment=\"counted\"} 1\n"
                                                 : "truthbyte_answers_submitted_total{judgment=\"counted\"} 5\n"));
    server.Stop();
    auto exported = RunCli(server.store_path(), {"export", "--what", "answers"});
    ASSERT_EQ(0, exported.exit_code) << exported.err;
    int too_fast = 0;
    for (const std::string& line : testing::SplitLines(exported.out))
      too_fast += json::parse(line)["judgment"] == "too_fast" ? 1 : 0;
    EXPECT_EQ(too_fast, on ? 4 : 0);
  }
}

TEST(CrowdTruthTest, WithoutRefitsTheProfileSaysNothingAndABadPriorIsRefused) {
  TempDir dir;
  ServerConfig config;
  config.serve_args = {"--crowd-refit", "0"};
  ServerProcess server(dir.File("off.db"), config);
  Player p(server.port());
  EXPECT_TRUE(p.GetOk("/v1/user")["reliability"].is_null());
  const json off = ExpectError(p.Get("/v1/question-stats?question_id=tb-0001"), 404, "not_found");
  EXPECT_THAT(off["error"].get<std::string>(), ::testing::HasSubstr("--crowd-refit"));
  server.Stop();

  std::vector<std::string> args = StoreArgs(dir.File("bad.db"));
  args.insert(args.end(), {"serve", "--host", "127.0.0.1", "--port", "0", "--label-prior", "1"});
  CommandOutcome r = RunWithTimeout(args, EngineEnv(dir.File("bad.db"), {}), std::chrono::seconds(20));
  EXPECT_EQ(1, r.exit_code) << r.err;
  EXPECT_EQ(1u, testing::SplitLines(r.err).size()) << r.err;
  EXPECT_THAT(r.err, ::testing::HasSubstr("--label-prior"));
}

}  // namespace
}  // namespace truthbyte::e2e

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

  // Both answer the same questions: one always with the label, the other
  // the label only every other time.
  Player good(server.port()), coin(server.port());
  const json questions = good.GetOk("/v1/fetch-questions?num_questions=20")["questions"];
  ASSERT_GE(questions.size(), 10u);
  json good_answers = json::array(), coin_answers = json::array();
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const bool label = questions[i]["answer"].get<bool>();
    good_answers.push_back({{"question_id", questions[i]["id"]}, {"answer", label}, {"timestamp", 1764669600}});
    coin_answers.push_back({{"question_id", questions[i]["id"]}, {"answer", i % 2 ? label : !label}, {"timestamp", 1764669600}});
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

TEST(CrowdTruthTest, WithoutRefitsTheProfileSaysNothingAndABadPriorIsRefused) {
  TempDir dir;
  ServerConfig config;
  config.serve_args = {"--crowd-refit", "0"};
  ServerProcess server(dir.File("off.db"), config);
  Player p(server.port());
  EXPECT_TRUE(p.GetOk("/v1/user")["reliability"].is_null());
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

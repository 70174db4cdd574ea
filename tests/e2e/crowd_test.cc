// Crowd truth in the running server: the model is refitted in the
// background while answers arrive, and each player's reliability shows in
// their profile and in the submit-answers reply.
#include <chrono>
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

// SimulateCrowd: a small crowd with adversaries played through the game,
// its disputed list scored against the flips.

#include "service/crowd_simulator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

std::vector<Question> Questions(int n) {
  std::vector<Question> questions;
  for (int i = 0; i < n; ++i) {
    Question q = testing::MakeQuestion("q" + std::to_string(1000 + i));
    q.answer = i % 3 != 0;
    questions.push_back(std::move(q));
  }
  return questions;
}

class CrowdSimulatorTest : public ::testing::Test {
 protected:
  Result<CrowdSimulationReport> Simulate(const std::string& name, const CrowdSimulationOptions& options,
                                         int questions = 200) {
    auto store = OpenSqliteStore(dir_.File(name + ".db"));
    if (!store.ok()) return store.status();
    return SimulateCrowd(**store, Questions(questions), options);
  }

  // 200 questions, 10 of them flipped; 30 players, 40 % of them random or
  // adversarial: majority vote is misled where the model reads the
  // adversaries backwards.
  static CrowdSimulationOptions Hostile(AnswerChoice choice) {
    CrowdSimulationOptions o;
    o.players = 30;
    o.mix.bad_share = 0.4;
    o.choice = choice;
    o.seed = 42;
    return o;
  }

  testing::TempDir dir_;
};

TEST_F(CrowdSimulatorTest, TheAdaptiveCrowdFindsTheFlipsFarBetterThanMajorityVote) {
  auto r = Simulate("adaptive", Hostile(AnswerChoice::kAdaptive));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->questions, 200u);
  EXPECT_EQ(r->flipped, 10u);
  EXPECT_THAT(r->players, ::testing::ElementsAre(13, 5, 6, 6));
  EXPECT_EQ(r->answers, 2000u);
  EXPECT_GT(r->refits, 10);
  EXPECT_GE(r->fewest_answers, 1) << "adaptive choice gives every question answers";
  EXPECT_EQ(r->model.flipped, 10);
  EXPECT_GE(r->model.precision, 0.9);
  EXPECT_GE(r->model.recall, 0.9);
  EXPECT_LT(r->majority.precision, r->model.precision - 0.3);
  EXPECT_LT(r->reliability_error, 0.1);
  // The adversaries are read backwards, not as noise.
  EXPECT_LT(r->reliability_error_by_kind[static_cast<int>(PlayerKind::kAdversarial)], 0.1);
}

TEST_F(CrowdSimulatorTest, TheSameSeedReplaysTheRunAndAnotherSeedDoesNot) {
  CrowdSimulationOptions o = Hostile(AnswerChoice::kUniform);
  o.answers_per_question = 5;
  auto a = Simulate("a", o);
  auto b = Simulate("b", o);
  o.seed = 43;
  auto c = Simulate("c", o);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->answers, 1000u);
  EXPECT_EQ(a->model.disputed, b->model.disputed);
  EXPECT_EQ(a->model.found, b->model.found);
  EXPECT_EQ(a->majority.disputed, b->majority.disputed);
  EXPECT_EQ(a->fewest_answers, b->fewest_answers);
  EXPECT_EQ(a->below_dispute_minimum, b->below_dispute_minimum);
  EXPECT_DOUBLE_EQ(a->reliability_error, b->reliability_error);
  EXPECT_NE(a->reliability_error, c->reliability_error);
  // Uniform choice leaves some questions below the dispute minimum at 5
  // answers a question; they cannot be disputed.
  EXPECT_GT(a->below_dispute_minimum, 0);
}

TEST_F(CrowdSimulatorTest, TheBudgetStopsAtOneAnswerOfEveryPlayerToEveryQuestion) {
  CrowdSimulationOptions o;
  o.players = 3;
  o.answers_per_question = 10;
  auto r = Simulate("few", o, 20);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->answers, 60u);
  EXPECT_EQ(r->fewest_answers, 3);
}

TEST_F(CrowdSimulatorTest, AStoreWithQuestionsAndBadOptionsAreRefused) {
  auto store = OpenSqliteStore(dir_.File("used.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->UpsertQuestions(Questions(1), nullptr).ok());
  auto used = SimulateCrowd(**store, Questions(5), {});
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.status().code(), StatusCode::kConditionFailed);

  CrowdSimulationOptions bad;
  bad.flip_share = 1.5;
  auto r = Simulate("bad", bad, 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  auto none = Simulate("none", {}, 0);
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace truthbyte

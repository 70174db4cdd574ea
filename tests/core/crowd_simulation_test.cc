// Simulated crowds: players' mix and answers, the flips, and the scores of a
// disputed list.

#include "core/crowd_simulation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace truthbyte {
namespace {

using ::testing::ElementsAre;

TEST(CrowdSimulationTest, TheMixGivesEachKindItsRoundedShareInKindOrder) {
  SplitMix64 rng(7);
  const std::vector<SimulatedPlayer> players = MakeSimulatedPlayers(100, {}, rng);
  ASSERT_EQ(players.size(), 100u);
  // 20 bad (10 random, 10 adversarial), 30 % of the other 80 mediocre.
  EXPECT_THAT(CountByKind(players), ElementsAre(56, 24, 10, 10));
  for (std::size_t i = 1; i < players.size(); ++i) EXPECT_LE(players[i - 1].kind, players[i].kind);
  for (const SimulatedPlayer& p : players) {
    switch (p.kind) {
      case PlayerKind::kGood:
        EXPECT_GE(p.reliability, 0.9);
        EXPECT_LE(p.reliability, 0.95);
        break;
      case PlayerKind::kMediocre:
        EXPECT_EQ(p.reliability, 0.7);
        break;
      case PlayerKind::kRandom:
        EXPECT_EQ(p.reliability, 0.5);
        break;
      case PlayerKind::kAdversarial:
        EXPECT_EQ(p.reliability, 0.2);
        break;
    }
  }
  // An odd number of bad players: the odd one is random.
  SplitMix64 again(7);
  EXPECT_THAT(CountByKind(MakeSimulatedPlayers(15, {.bad_share = 0.2, .mediocre_share = 0}, again)),
              ElementsAre(12, 0, 2, 1));
  EXPECT_EQ(PlayerKindName(PlayerKind::kAdversarial), "adversarial");
}

TEST(CrowdSimulationTest, APlayerIsRightAsOftenAsItsReliabilityOnTrueAndFalseQuestions) {
  SplitMix64 rng(11);
  constexpr int kDraws = 20000;
  for (double reliability : {0.95, 0.7, 0.5, 0.2}) {
    const SimulatedPlayer player{PlayerKind::kGood, reliability};
    for (bool truth : {true, false}) {
      int right = 0;
      for (int i = 0; i < kDraws; ++i) right += SimulatedAnswer(player, truth, rng) == truth ? 1 : 0;
      // Four standard deviations of a binomial share at most 0.0142.
      EXPECT_NEAR(static_cast<double>(right) / kDraws, reliability, 0.015) << reliability << " " << truth;
    }
  }
  for (int i = 0; i < 1000; ++i) {
    const double u = UnitDraw(rng);
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

TEST(CrowdSimulationTest, FlipsAreTheRoundedShareOfDistinctQuestionsAndTheSeedReplaysThem) {
  SplitMix64 a(3), b(3), c(4);
  const std::vector<std::uint32_t> flips = ChooseFlips(3270, 0.05, a);
  ASSERT_EQ(flips.size(), 164u);  // 163.5 rounded
  EXPECT_TRUE(std::is_sorted(flips.begin(), flips.end()));
  EXPECT_EQ(std::adjacent_find(flips.begin(), flips.end()), flips.end()) << "distinct";
  EXPECT_LT(flips.back(), 3270u);
  EXPECT_EQ(ChooseFlips(3270, 0.05, b), flips);
  EXPECT_NE(ChooseFlips(3270, 0.05, c), flips);
  SplitMix64 d(5);
  EXPECT_TRUE(ChooseFlips(10, 0, d).empty());
  EXPECT_EQ(ChooseFlips(10, 1, d).size(), 10u);
}

TEST(CrowdSimulationTest, ScoresCountTheDisputedFlipsAgainstBothLists) {
  //                                  q0     q1     q2     q3     q4
  const std::vector<bool> disputed = {true, true, false, true, false};
  const std::vector<bool> flipped = {true, false, true, true, false};
  const DisputeScore s = ScoreDisputes(disputed, flipped);
  EXPECT_EQ(s.disputed, 3);
  EXPECT_EQ(s.flipped, 3);
  EXPECT_EQ(s.found, 2);
  EXPECT_DOUBLE_EQ(s.precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.recall, 2.0 / 3);

  const DisputeScore none = ScoreDisputes({false, false}, {true, false});
  EXPECT_EQ(none.precision, 1.0) << "an empty list names no right label";
  EXPECT_EQ(none.recall, 0.0);
  const DisputeScore nothing_wrong = ScoreDisputes({true, false}, {false, false});
  EXPECT_EQ(nothing_wrong.precision, 0.0);
  EXPECT_EQ(nothing_wrong.recall, 1.0);
}

TEST(CrowdSimulationTest, MajorityVoteDisputesOnStrictlyMoreThanHalfAgainstAndEnoughAnswers) {
  EXPECT_TRUE(MajorityDisputes(5, 3, 5));
  EXPECT_FALSE(MajorityDisputes(6, 3, 5)) << "a tie keeps the label";
  EXPECT_TRUE(MajorityDisputes(6, 4, 5));
  EXPECT_FALSE(MajorityDisputes(4, 4, 5)) << "too few answers";
  EXPECT_FALSE(MajorityDisputes(0, 0, 0));
  EXPECT_TRUE(MajorityDisputes(1, 1, 0));
}

TEST(CrowdSimulationTest, TheReliabilityErrorIsTheMeanAbsoluteDifference) {
  const std::vector<double> truth = {0.9, 0.5, 0.2};
  const std::vector<double> estimate = {0.85, 0.6, 0.2};
  EXPECT_NEAR(MeanAbsoluteError(truth, estimate), 0.05, 1e-12);
  EXPECT_EQ(MeanAbsoluteError({}, {}), 0.0);
}

}  // namespace
}  // namespace truthbyte

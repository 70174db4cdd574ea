#include "core/scoring.h"

#include <optional>

#include <gtest/gtest.h>

#include "core/test_printers.h"

namespace truthbyte {
namespace {

CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

// --- ScoreDaily --------------------------------------------------------------

struct RankCase {
  int correct;
  int total;
  char rank;
  bool eligible;
};

TEST(ScoreDailyTest, RankBoundaries) {
  const RankCase cases[] = {
      {10, 10, 'S', true}, {9, 10, 'A', true},  {8, 10, 'A', true},  {7, 10, 'B', true},
      {6, 10, 'C', false}, {5, 10, 'D', false}, {1, 10, 'D', false}, {0, 10, 'D', false},
      // Totals other than 10.
      {5, 5, 'S', true},   {4, 5, 'A', true},   {3, 5, 'C', false},  {7, 9, 'B', true},  // 77.8
      {6, 9, 'C', false},  // 66.7
      {1, 1, 'S', true},   {0, 1, 'D', false},  {2, 3, 'C', false},  // 66.7
      {79, 100, 'B', true}, {80, 100, 'A', true}, {69, 100, 'C', false}, {70, 100, 'B', true},
      {59, 100, 'D', false}, {60, 100, 'C', false}, {99, 100, 'A', true},
      // 7/10 computed in floating point is 69.999...; the boundary must hold.
      {7, 10, 'B', true}, {14, 20, 'B', true}, {21, 30, 'B', true}, {49, 70, 'B', true},
      {12, 15, 'A', true}, {3, 5, 'C', false}, {6, 10, 'C', false},
  };
  for (const RankCase& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.correct << "/" << c.total);
    const DailyScore s = ScoreDaily(c.correct, c.total);
    EXPECT_EQ(s.rank, c.rank);
    EXPECT_EQ(s.streak_eligible, c.eligible);
    EXPECT_EQ(s.correct, c.correct);
    EXPECT_EQ(s.total, c.total);
    EXPECT_DOUBLE_EQ(s.percentage, 100.0 * c.correct / c.total);
  }
}

TEST(ScoreDailyTest, Percentages) {
  EXPECT_DOUBLE_EQ(ScoreDaily(10, 10).percentage, 100.0);
  EXPECT_DOUBLE_EQ(ScoreDaily(7, 10).percentage, 70.0);
  EXPECT_NEAR(ScoreDaily(7, 9).percentage, 77.78, 0.01);
  EXPECT_DOUBLE_EQ(ScoreDaily(4, 5).percentage, 80.0);
  EXPECT_DOUBLE_EQ(ScoreDaily(0, 10).percentage, 0.0);
}

TEST(ScoreDailyTest, StreakEligibleExactlyFromSeventy) {
  for (int total = 1; total <= 40; ++total) {
    for (int correct = 0; correct <= total; ++correct) {
      const bool expected = 100 * correct >= 70 * total;
      EXPECT_EQ(ScoreDaily(correct, total).streak_eligible, expected) << correct << "/" << total;
    }
  }
}

TEST(ScoreDailyTest, RankMatchesThresholdsForAllSmallTotals) {
  for (int total = 1; total <= 40; ++total) {
    for (int correct = 0; correct <= total; ++correct) {
      const int c100 = 100 * correct;
      const char expected = correct == total     ? 'S'
                            : c100 >= 80 * total ? 'A'
                            : c100 >= 70 * total ? 'B'
                            : c100 >= 60 * total ? 'C'
                                                 : 'D';
      EXPECT_EQ(ScoreDaily(correct, total).rank, expected) << correct << "/" << total;
    }
  }
}

TEST(ScoreDailyTest, ZeroTotal) {
  const DailyScore s = ScoreDaily(0, 0);
  EXPECT_EQ(s.total, 0);
  EXPECT_EQ(s.percentage, 0.0);
  EXPECT_EQ(s.rank, 'D');
  EXPECT_FALSE(s.streak_eligible);
}

// --- Streaks -----------------------------------------------------------------

StreakState State(int current, int best, std::optional<CivilDate> last) {
  StreakState s;
  s.current = current;
  s.best = best;
  s.last_counted = last;
  return s;
}

TEST(StreakTest, FirstCountedDayStartsAtOne) {
  const StreakUpdate u = AdvanceStreak(StreakState{}, D(2024, 1, 15), true);
  EXPECT_EQ(u.state.current, 1);
  EXPECT_EQ(u.state.best, 1);
  EXPECT_EQ(u.state.last_counted, D(2024, 1, 15));
  EXPECT_FALSE(u.continued);
}

TEST(StreakTest, FirstDayThatDoesNotCount) {
  const StreakUpdate u = AdvanceStreak(StreakState{}, D(2024, 1, 15), false);
  EXPECT_EQ(u.state.current, 0);
  EXPECT_EQ(u.state.best, 0);
  EXPECT_EQ(u.state.last_counted, std::nullopt);
  EXPECT_FALSE(u.continued);
}

TEST(StreakTest, ConsecutiveDaysIncrement) {
  StreakState s;
  CivilDate day = D(2024, 1, 10);
  for (int i = 1; i <= 7; ++i, day = day.AddDays(1)) {
    const StreakUpdate u = AdvanceStreak(s, day, true);
    EXPECT_EQ(u.state.current, i);
    EXPECT_EQ(u.state.best, i);
    EXPECT_EQ(u.continued, i > 1);
    EXPECT_EQ(u.state.last_counted, day);
    s = u.state;
  }
}

TEST(StreakTest, GapResetsToOneAndKeepsBest) {
  const StreakUpdate u = AdvanceStreak(State(3, 5, D(2024, 1, 10)), D(2024, 1, 12), true);
  EXPECT_EQ(u.state.current, 1);
  EXPECT_EQ(u.state.best, 5);
  EXPECT_EQ(u.state.last_counted, D(2024, 1, 12));
  EXPECT_FALSE(u.continued);

  const StreakUpdate long_gap = AdvanceStreak(State(9, 9, D(2023, 6, 1)), D(2024, 6, 2), true);
  EXPECT_EQ(long_gap.state.current, 1);
  EXPECT_EQ(long_gap.state.best, 9);
}

TEST(StreakTest, DayThatDoesNotCountZeroesCurrentAndKeepsBest) {
  const StreakUpdate u = AdvanceStreak(State(3, 4, D(2024, 1, 10)), D(2024, 1, 11), false);
  EXPECT_EQ(u.state.current, 0);
  EXPECT_EQ(u.state.best, 4);
  EXPECT_FALSE(u.continued);

  // The next counted day starts over, since the day before did not count.
  const StreakUpdate next = AdvanceStreak(u.state, D(2024, 1, 12), true);
  EXPECT_EQ(next.state.current, 1);
  EXPECT_EQ(next.state.best, 4);
  EXPECT_FALSE(next.continued);
}

TEST(StreakTest, BestIsTheMaximum) {
  // Below the best: best stays.
  StreakUpdate u = AdvanceStreak(State(2, 7, D(2024, 1, 10)), D(2024, 1, 11), true);
  EXPECT_EQ(u.state.current, 3);
  EXPECT_EQ(u.state.best, 7);
  // At the best: the best grows with the streak.
  u = AdvanceStreak(State(7, 7, D(2024, 1, 10)), D(2024, 1, 11), true);
  EXPECT_EQ(u.state.current, 8);
  EXPECT_EQ(u.state.best, 8);
}

TEST(StreakTest, ContinuesAcrossMonthAndYearEnds) {
  struct Pair {
    CivilDate previous, next;
  };
  const Pair pairs[] = {
      {D(2024, 1, 31), D(2024, 2, 1)},  {D(2024, 2, 28), D(2024, 2, 29)}, {D(2024, 2, 29), D(2024, 3, 1)},
      {D(2023, 2, 28), D(2023, 3, 1)},  {D(2024, 4, 30), D(2024, 5, 1)},  {D(2023, 12, 31), D(2024, 1, 1)},
      {D(2024, 6, 30), D(2024, 7, 1)},  {D(1999, 12, 31), D(2000, 1, 1)},
  };
  for (const Pair& p : pairs) {
    SCOPED_TRACE(p.previous.ToString() + " -> " + p.next.ToString());
    const StreakUpdate u = AdvanceStreak(State(4, 4, p.previous), p.next, true);
    EXPECT_EQ(u.state.current, 5);
    EXPECT_EQ(u.state.best, 5);
    EXPECT_TRUE(u.continued);
  }
}

TEST(StreakTest, LeapDayGapsAreGaps) {
  // 2024 has a 29th of February, so the 28th -> 1st of March skips a day.
  EXPECT_EQ(AdvanceStreak(State(4, 4, D(2024, 2, 28)), D(2024, 3, 1), true).state.current, 1);
  // Jan 30 -> Feb 1 skips Jan 31.
  EXPECT_EQ(AdvanceStreak(State(4, 4, D(2024, 1, 30)), D(2024, 2, 1), true).state.current, 1);
  // Apr 29 -> May 1 skips Apr 30.
  EXPECT_EQ(AdvanceStreak(State(4, 4, D(2024, 4, 29)), D(2024, 5, 1), true).state.current, 1);
  // Same day of the next month is not the next day.
  EXPECT_EQ(AdvanceStreak(State(4, 4, D(2024, 1, 15)), D(2024, 2, 15), true).state.current, 1);
  // Dec 31 -> Jan 1 of the year after next.
  EXPECT_EQ(AdvanceStreak(State(4, 4, D(2022, 12, 31)), D(2024, 1, 1), true).state.current, 1);
}

TEST(VisibleStreakTest, ShownOnTheDayAndTheDayAfterThenZero) {
  const StreakState s = State(5, 6, D(2024, 1, 31));
  EXPECT_EQ(VisibleStreak(s, D(2024, 1, 31)), 5);
  EXPECT_EQ(VisibleStreak(s, D(2024, 2, 1)), 5);
  EXPECT_EQ(VisibleStreak(s, D(2024, 2, 2)), 0);
  EXPECT_EQ(VisibleStreak(s, D(2024, 3, 1)), 0);
}

TEST(VisibleStreakTest, AcrossYearEnd) {
  const StreakState s = State(3, 3, D(2023, 12, 31));
  EXPECT_EQ(VisibleStreak(s, D(2024, 1, 1)), 3);
  EXPECT_EQ(VisibleStreak(s, D(2024, 1, 2)), 0);
}

TEST(VisibleStreakTest, ZeroWithoutHistoryOrAfterAMiss) {
  EXPECT_EQ(VisibleStreak(StreakState{}, D(2024, 1, 15)), 0);
  EXPECT_EQ(VisibleStreak(State(0, 4, D(2024, 1, 14)), D(2024, 1, 15)), 0);
}

TEST(StreakTest, AWeekOfPlay) {
  // counted: Mon Tue Wed, Thu missed entirely, Fri counts, Sat fails, Sun counts.
  StreakState s;
  s = AdvanceStreak(s, D(2024, 1, 1), true).state;
  s = AdvanceStreak(s, D(2024, 1, 2), true).state;
  s = AdvanceStreak(s, D(2024, 1, 3), true).state;
  EXPECT_EQ(s.current, 3);
  EXPECT_EQ(VisibleStreak(s, D(2024, 1, 4)), 3);
  EXPECT_EQ(VisibleStreak(s, D(2024, 1, 5)), 0);
  s = AdvanceStreak(s, D(2024, 1, 5), true).state;
  EXPECT_EQ(s.current, 1);
  s = AdvanceStreak(s, D(2024, 1, 6), false).state;
  EXPECT_EQ(s.current, 0);
  EXPECT_EQ(VisibleStreak(s, D(2024, 1, 6)), 0);
  s = AdvanceStreak(s, D(2024, 1, 7), true).state;
  EXPECT_EQ(s.current, 1);
  EXPECT_EQ(s.best, 3);
}

// --- Trust ---------------------------------------------------------------------

TEST(TrustScoreTest, LaplaceSmoothedRatio) {
  EXPECT_DOUBLE_EQ(TrustScore(0, 0), 0.5);
  EXPECT_DOUBLE_EQ(TrustScore(3, 8), 0.4);
  EXPECT_DOUBLE_EQ(TrustScore(1, 1), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(TrustScore(0, 1), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(TrustScore(10, 10), 11.0 / 12.0);
  EXPECT_DOUBLE_EQ(TrustScore(0, 10), 1.0 / 12.0);
  EXPECT_DOUBLE_EQ(TrustScore(5, 10), 0.5);
}

TEST(TrustScoreTest, AlwaysStrictlyBetweenZeroAndOne) {
  for (std::int64_t total = 0; total <= 60; ++total) {
    for (std::int64_t correct = 0; correct <= total; ++correct) {
      const double t = TrustScore(correct, total);
      EXPECT_GT(t, 0.0);
      EXPECT_LT(t, 1.0);
    }
  }
  EXPECT_LT(TrustScore(1000000, 1000000), 1.0);
  EXPECT_GT(TrustScore(0, 1000000), 0.0);
  // More correct answers never lower the score.
  EXPECT_LT(TrustScore(4, 10), TrustScore(5, 10));
}

}  // namespace
}  // namespace truthbyte

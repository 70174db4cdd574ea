// Scores, ranks, streaks and trust: the numbers a player sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/civil_date.h"

namespace truthbyte {

// The result of one daily challenge.
struct DailyScore {
  int correct = 0;
  int total = 0;
  double percentage = 0;    // 100 * correct / total (0 when total is 0)
  char rank = 'D';          // S = 100, A >= 80, B >= 70, C >= 60, D below
  bool streak_eligible = false;  // the day counts toward a streak (>= 70)
};

// REQUIRES: 0 <= correct <= total.
DailyScore ScoreDaily(int correct, int total);

// What is stored about a user's daily streak.
struct StreakState {
  int current = 0;
  int best = 0;
  std::optional<CivilDate> last_counted;  // the last day that counted
};

struct StreakUpdate {
  StreakState state;
  bool continued = false;  // the day counted and so did the day before
};

// Applies a completed challenge on `day`: current = previous + 1 when the
// previous UTC day counted, 1 when it did not, 0 when `day` does not count;
// best = max(best, current).
StreakUpdate AdvanceStreak(const StreakState& previous, const CivilDate& day, bool day_counts);

// The streak as shown on `today`: 0 once a whole day has passed without a
// counted challenge (read later than the day after the last counted day).
int VisibleStreak(const StreakState& state, const CivilDate& today);

// (correct + 1) / (total + 2), in (0, 1): a user with no history gets 0.5.
double TrustScore(std::int64_t correct, std::int64_t total);

}  // namespace truthbyte

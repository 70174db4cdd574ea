#include "core/scoring.h"

#include <algorithm>

namespace truthbyte {

DailyScore ScoreDaily(int correct, int total) {
  DailyScore s;
  s.correct = correct;
  s.total = total;
  if (total <= 0) return s;
  s.percentage = 100.0 * correct / total;
  // Integer comparisons: no rounding at the boundaries (7/10 is exactly B).
  const long long c100 = 100LL * correct;
  if (correct == total) {
    s.rank = 'S';
  } else if (c100 >= 80LL * total) {
    s.rank = 'A';
  } else if (c100 >= 70LL * total) {
    s.rank = 'B';
  } else if (c100 >= 60LL * total) {
    s.rank = 'C';
  } else {
    s.rank = 'D';
  }
  s.streak_eligible = c100 >= 70LL * total;
  return s;
}

StreakUpdate AdvanceStreak(const StreakState& previous, const CivilDate& day, bool day_counts) {
  StreakUpdate u;
  u.state = previous;
  if (!day_counts) {
    u.state.current = 0;
    return u;
  }
  const bool previous_day_counted =
      previous.last_counted && previous.current > 0 && *previous.last_counted == day.AddDays(-1);
  u.continued = previous_day_counted;
  u.state.current = previous_day_counted ? previous.current + 1 : 1;
  u.state.best = std::max(previous.best, u.state.current);
  u.state.last_counted = day;
  return u;
}

int VisibleStreak(const StreakState& state, const CivilDate& today) {
  if (!state.last_counted || state.current <= 0) return 0;
  return today.DaysSinceEpoch() - state.last_counted->DaysSinceEpoch() <= 1 ? state.current : 0;
}

double TrustScore(std::int64_t correct, std::int64_t total) {
  return (static_cast<double>(correct) + 1.0) / (static_cast<double>(total) + 2.0);
}

}  // namespace truthbyte

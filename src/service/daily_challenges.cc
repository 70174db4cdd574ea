#include "service/daily_challenges.h"

#include <utility>

#include "core/daily_challenge.h"

namespace truthbyte {

DailyChallenge ComputeDailyChallenge(std::vector<std::string> pool, const CivilDate& date) {
  DailyChallenge challenge;
  challenge.date = date.ToString();
  challenge.question_ids = SelectDailyQuestions(std::move(pool), date);
  return challenge;
}

Result<DailyChallenge> FreezeDailyChallenge(Store& store, std::vector<std::string> pool, const CivilDate& date) {
  if (pool.empty()) return Status::NotFound("no questions of difficulty 1-4 for the daily challenge of " + date.ToString());
  return store.FreezeDailyChallenge(ComputeDailyChallenge(std::move(pool), date));
}

Result<DailyChallengeView> GetDailyChallenge(Store& store, const CivilDate& date, bool freeze) {
  auto stored = store.GetDailyChallenge(date.ToString());
  if (!stored.ok()) return stored.status();
  if (*stored) return DailyChallengeView{std::move(**stored), true};
  auto pool = store.ListQuestionIds(1, 4);
  if (!pool.ok()) return pool.status();
  if (!freeze) return DailyChallengeView{ComputeDailyChallenge(std::move(*pool), date), false};
  auto frozen = FreezeDailyChallenge(store, std::move(*pool), date);
  if (!frozen.ok()) return frozen.status();
  return DailyChallengeView{std::move(*frozen), true};
}

}  // namespace truthbyte

#include "service/daily_challenges.h"

#include "core/daily_challenge.h"

namespace truthbyte {

Result<DailyChallengeView> GetDailyChallenge(Store& store, const CivilDate& date, bool freeze) {
  const std::string key = date.ToString();
  auto stored = store.GetDailyChallenge(key);
  if (!stored.ok()) return stored.status();
  if (*stored) return DailyChallengeView{std::move(**stored), true};

  auto pool = store.ListQuestionIds(1, 4);
  if (!pool.ok()) return pool.status();
  DailyChallenge challenge;
  challenge.date = key;
  challenge.question_ids = SelectDailyQuestions(std::move(*pool), date);
  if (!freeze) return DailyChallengeView{std::move(challenge), false};
  if (challenge.question_ids.empty())
    return Status::NotFound("no questions of difficulty 1-4 for the daily challenge of " + key);
  auto frozen = store.FreezeDailyChallenge(challenge);
  if (!frozen.ok()) return frozen.status();
  return DailyChallengeView{std::move(*frozen), true};
}

}  // namespace truthbyte

#include "service/judgment_hygiene.h"

#include <algorithm>

namespace truthbyte {

void JudgmentHygiene::Classify(const std::string& user_id, std::span<const TimedAnswer> timing,
                               std::span<Answer> answers, std::int64_t now_seconds) const {
  if (policy_.min_answer_ms > 0) {
    const auto durations = AnswerDurations(timing);
    for (std::size_t i = 0; i < answers.size() && i < durations.size(); ++i)
      if (answers[i].judgment == Judgment::kCounted && durations[i] && *durations[i] < policy_.min_answer_ms)
        answers[i].judgment = Judgment::kTooFast;
  }
  if (policy_.max_per_hour <= 0 || !limiter_) return;
  std::int64_t counted = 0;
  for (const Answer& a : answers) counted += a.judgment == Judgment::kCounted ? 1 : 0;
  if (counted == 0) return;
  // The window's count after this batch; what it adds beyond the budget is
  // the batch's last counted answers.
  const std::int64_t after = limiter_->Count("judgments:" + user_id, counted, 3600, now_seconds);
  const std::int64_t before = std::max<std::int64_t>(0, after - counted);
  std::int64_t excess = std::max<std::int64_t>(0, counted - std::max<std::int64_t>(0, policy_.max_per_hour - before));
  for (auto it = answers.rbegin(); it != answers.rend() && excess > 0; ++it) {
    if (it->judgment != Judgment::kCounted) continue;
    it->judgment = Judgment::kOverRate;
    --excess;
  }
}

}  // namespace truthbyte

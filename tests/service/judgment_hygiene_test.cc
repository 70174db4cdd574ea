// Judgment hygiene: answers too fast to be read, and a player's answers
// beyond the hourly budget, are kept out of the model (and still recorded).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/answer_timing.h"
#include "service/judgment_hygiene.h"

namespace truthbyte {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

TEST(AnswerDurationsTest, SentTimesWinThenTheGapToTheNextAnswer) {
  const std::vector<TimedAnswer> batch{{100.0, std::nullopt}, {106.0, std::nullopt}, {103.0, 2500},
                                       {106.0, std::nullopt}, {std::nullopt, std::nullopt}};
  // By timestamp: 100, 103 (sent 2500), 106, 106 (the last: unknown); no
  // timestamp: unknown.
  EXPECT_THAT(AnswerDurations(batch),
              ElementsAre(Optional(3000), Optional(0), Optional(2500), std::nullopt, std::nullopt));
  EXPECT_THAT(AnswerDurations(std::vector<TimedAnswer>{{5.0, std::nullopt}}), ElementsAre(std::nullopt));
}

Answer Counted(const std::string& q) { return {"u", q, true, true, 0.0, std::nullopt, Judgment::kCounted}; }

TEST(JudgmentHygieneTest, TooFastAnswersAreMarkedAndDailyOnesLeftAlone) {
  JudgmentHygiene hygiene({.min_answer_ms = 1000, .max_per_hour = 0}, nullptr);
  std::vector<Answer> answers{Counted("a"), Counted("b"), Counted("c"), Counted("d")};
  answers[3].judgment = Judgment::kDaily;
  const std::vector<TimedAnswer> timing{{10, 400}, {11, 1000}, {12, std::nullopt}, {13, 5}};
  hygiene.Classify("u", timing, answers, 0);
  EXPECT_EQ(answers[0].judgment, Judgment::kTooFast);
  EXPECT_EQ(answers[1].judgment, Judgment::kCounted) << "exactly the threshold is plausible";
  EXPECT_EQ(answers[2].judgment, Judgment::kCounted) << "unknown time";
  EXPECT_EQ(answers[3].judgment, Judgment::kDaily);
}

TEST(JudgmentHygieneTest, AnswersBeyondTheHourlyBudgetAreOverRateUntilTheWindowEnds) {
  MemoryRateLimiter limiter;
  JudgmentHygiene hygiene({.min_answer_ms = 0, .max_per_hour = 5}, &limiter);
  std::vector<Answer> first{Counted("a"), Counted("b"), Counted("c")};
  const std::vector<TimedAnswer> timing(3);
  hygiene.Classify("u", timing, first, 1000);
  for (const Answer& a : first) EXPECT_EQ(a.judgment, Judgment::kCounted);
  std::vector<Answer> second{Counted("d"), Counted("e"), Counted("f")};
  hygiene.Classify("u", timing, second, 1001);
  EXPECT_EQ(second[0].judgment, Judgment::kCounted);
  EXPECT_EQ(second[1].judgment, Judgment::kCounted);
  EXPECT_EQ(second[2].judgment, Judgment::kOverRate);
  std::vector<Answer> third{Counted("g")};
  hygiene.Classify("u", std::vector<TimedAnswer>(1), third, 2000);
  EXPECT_EQ(third[0].judgment, Judgment::kOverRate);
  std::vector<Answer> other{Counted("a")};
  hygiene.Classify("someone-else", std::vector<TimedAnswer>(1), other, 2000);
  EXPECT_EQ(other[0].judgment, Judgment::kCounted) << "a budget per player";
  std::vector<Answer> next_hour{Counted("h")};
  hygiene.Classify("u", std::vector<TimedAnswer>(1), next_hour, 1000 + 3600);
  EXPECT_EQ(next_hour[0].judgment, Judgment::kCounted);
}

}  // namespace
}  // namespace truthbyte

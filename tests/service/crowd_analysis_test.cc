// AnalyzeCrowd over a store: which answers are judgments (daily ones are
// kept out and counted apart), and each question's empirical difficulty.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/crowd_analysis.h"
#include "store/sqlite_store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

TEST(CrowdAnalysisTest, DailyAnswersAreKeptOutAndImportedOnesCount) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.File("c.db"));
  ASSERT_TRUE(store.ok());
  std::vector<Question> questions;
  for (std::string id : {"easy0", "easy1", "easy2", "easy3", "easy4", "easy5", "easy6", "easy7", "hard"}) {
    questions.push_back(testing::MakeQuestion(id));
    questions.back().answer = true;
  }
  ASSERT_TRUE((*store)->UpsertQuestions(questions, nullptr).ok());
  std::vector<Answer> answers;
  // Eight good players: all right on the easy ones, and half of them on "hard".
  for (int p = 0; p < 8; ++p) {
    const std::string user = "good" + std::to_string(p);
    for (int q = 0; q < 8; ++q)
      answers.push_back({user, "easy" + std::to_string(q), true, true, 1.0, std::nullopt, Judgment::kCounted});
    answers.push_back({user, "hard", p % 2 == 0, p % 2 == 0, 1.0, std::nullopt,
                       p < 4 ? Judgment::kImported : Judgment::kCounted});
  }
  // Ten daily answers against "easy0": not judgments.
  for (int p = 0; p < 10; ++p)
    answers.push_back({"daily" + std::to_string(p), "easy0", false, false, 1.0, std::nullopt, Judgment::kDaily});
  ASSERT_TRUE((*store)->RecordAnswers(answers, "2026-12-03T00:00:00.000Z").ok());

  auto analysis = AnalyzeCrowd(**store, {});
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  EXPECT_EQ(analysis->answers, 72u);
  EXPECT_EQ(analysis->excluded[static_cast<int>(Judgment::kDaily)], 10u);
  ASSERT_EQ(analysis->questions.size(), 9u);
  const QuestionJudgment& easy = analysis->questions[0];
  const QuestionJudgment& hard = analysis->questions[8];
  EXPECT_EQ(easy.answers, 8);
  EXPECT_FALSE(easy.disputed) << "the daily answers against it do not count";
  EXPECT_GT(easy.p_true, 0.99);
  EXPECT_EQ(easy.empirical_difficulty, 1);
  EXPECT_EQ(hard.answers, 8);
  EXPECT_GE(hard.empirical_difficulty, 3) << "half of the players get it wrong (the right half weighs more)";
  EXPECT_EQ(EmpiricalDifficulty(0.95), 1);
  EXPECT_EQ(EmpiricalDifficulty(0.8), 2);
  EXPECT_EQ(EmpiricalDifficulty(0.65), 3);
  EXPECT_EQ(EmpiricalDifficulty(0.5), 4);
  EXPECT_EQ(EmpiricalDifficulty(0.2), 5);
}

}  // namespace
}  // namespace truthbyte

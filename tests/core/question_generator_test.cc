#include "core/question_generator.h"

#include <algorithm>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/question_format.h"

namespace truthbyte {
namespace {

TEST(QuestionGeneratorTest, SameSeedAndIndexGiveSameQuestion) {
  QuestionGenerator a(42, "gen-"), b(42, "gen-");
  for (std::uint64_t i : {0ULL, 1ULL, 17ULL, 123456ULL}) {
    const Question first = a.Generate(i);
    EXPECT_TRUE(first.SameContent(a.Generate(i))) << i;  // repeatable on one generator
    const Question other = b.Generate(i);
    EXPECT_TRUE(first.SameContent(other)) << i;  // and on a fresh one
    EXPECT_EQ(first.source, other.source);
  }
  // Order of generation does not matter.
  QuestionGenerator c(42, "gen-");
  const Question late = c.Generate(99);
  QuestionGenerator d(42, "gen-");
  for (std::uint64_t i = 0; i < 99; ++i) d.Generate(i);
  EXPECT_TRUE(late.SameContent(d.Generate(99)));
}

TEST(QuestionGeneratorTest, DifferentSeedsGiveDifferentQuestions) {
  QuestionGenerator a(1, "g"), b(2, "g");
  int differing = 0;
  for (std::uint64_t i = 0; i < 50; ++i) {
    const Question x = a.Generate(i), y = b.Generate(i);
    EXPECT_EQ(x.id, y.id);
    differing += (x.question != y.question || x.passage != y.passage);
  }
  EXPECT_GE(differing, 49);
}

TEST(QuestionGeneratorTest, DifferentIndicesGiveDifferentPassages) {
  QuestionGenerator g(7, "g");
  std::set<std::string> passages;
  for (std::uint64_t i = 0; i < 200; ++i) passages.insert(g.Generate(i).passage);
  EXPECT_EQ(passages.size(), 200u);
}

TEST(QuestionGeneratorTest, IdsArePrefixAndSevenDigits) {
  QuestionGenerator g(3, "bench-");
  EXPECT_EQ(g.Generate(0).id, "bench-0000000");
  EXPECT_EQ(g.Generate(42).id, "bench-0000042");
  EXPECT_EQ(g.Generate(9999999).id, "bench-9999999");
  QuestionGenerator bare(3, "");
  EXPECT_EQ(bare.Generate(1234567).id, "1234567");
}

TEST(QuestionGeneratorTest, RealisticSpreadsOverTwoThousandQuestions) {
  QuestionGenerator g(2024, "syn-");
  int true_answers = 0, false_answers = 0;
  std::set<int> difficulties;
  std::set<std::string> categories;
  std::set<std::string> ids;
  int multi_category = 0;
  std::size_t min_passage = SIZE_MAX, max_passage = 0;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    const Question q = g.Generate(i);
    SCOPED_TRACE(q.id);
    (q.answer ? true_answers : false_answers)++;
    difficulties.insert(q.difficulty);
    for (const auto& c : q.categories) categories.insert(c);
    multi_category += q.categories.size() > 2;  // two real categories besides "general"
    min_passage = std::min(min_passage, q.passage.size());
    max_passage = std::max(max_passage, q.passage.size());
    ids.insert(q.id);

    // Shape of every question.
    ASSERT_EQ(q.id.size(), 4u + 7u);
    EXPECT_EQ(q.id.substr(0, 4), "syn-");
    EXPECT_TRUE(std::all_of(q.id.begin() + 4, q.id.end(), [](char c) { return c >= '0' && c <= '9'; }));
    EXPECT_GE(q.difficulty, 1);
    EXPECT_LE(q.difficulty, 5);
    ASSERT_FALSE(q.question.empty());
    EXPECT_EQ(q.question.back(), '?');
    EXPECT_FALSE(q.title.empty());
    EXPECT_FALSE(q.passage.empty());
    EXPECT_NE(std::find(q.categories.begin(), q.categories.end(), "general"), q.categories.end());
    EXPECT_EQ(q.categories, NormaliseCategories(q.categories));

    // Every question survives the export/import format.
    Result<Question> back = ParseQuestionRecord(QuestionToJsonLine(q));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(back->SameContent(q));
  }
  EXPECT_GT(true_answers, 0);
  EXPECT_GT(false_answers, 0);
  EXPECT_GT(true_answers, 600);  // roughly balanced
  EXPECT_GT(false_answers, 600);
  EXPECT_EQ(difficulties, (std::set<int>{1, 2, 3, 4, 5}));
  EXPECT_GE(categories.size(), 9u);  // at least 8 besides "general"
  EXPECT_GT(multi_category, 100);  // the full format's category lists get exercised
  EXPECT_LT(min_passage, 200u);
  EXPECT_GT(max_passage, 1000u);
  EXPECT_EQ(ids.size(), 2000u);
}

}  // namespace
}  // namespace truthbyte

// The in-memory catalog over a real SQLite store.

#include "service/question_catalog.h"

#include <gtest/gtest.h>

#include <set>

#include "store/sqlite_store.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

Question Q(std::string id, std::vector<std::string> categories, int difficulty, bool answer = true) {
  Question q;
  q.id = std::move(id);
  q.question = "Question " + q.id + "?";
  q.answer = answer;
  q.categories = NormaliseCategories(categories);
  q.tags = q.categories;
  q.difficulty = difficulty;
  return q;
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("c.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    std::vector<Question> qs;
    for (int i = 0; i < 50; ++i) qs.push_back(Q("s" + std::to_string(i), {"science"}, 1 + i % 5, i % 2 == 0));
    for (int i = 0; i < 5; ++i) qs.push_back(Q("h" + std::to_string(i), {"history"}, 2));
    ASSERT_TRUE(store_->UpsertQuestions(qs, nullptr).ok());
  }
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(CatalogTest, SamplesDistinctQuestionsOfTheCategoryAndDifficulty) {
  QuestionCatalog catalog(*store_);
  ASSERT_TRUE(catalog.RefreshNow().ok());
  auto snap = catalog.Current();
  EXPECT_EQ(snap->entries.size(), 55u);
  SplitMix64 rng(42);
  for (int round = 0; round < 200; ++round) {
    auto picked = snap->Sample("science", 0, 20, rng);
    ASSERT_EQ(picked.size(), 20u);
    std::set<std::string> ids;
    for (const auto* e : picked) {
      EXPECT_EQ(e->id[0], 's');
      ids.insert(e->id);
    }
    EXPECT_EQ(ids.size(), 20u) << "no duplicates in one sample";
  }
  for (const auto* e : snap->Sample("science", 3, 20, rng)) EXPECT_EQ(e->difficulty, 3);
  EXPECT_EQ(snap->Sample("science", 3, 20, rng).size(), 10u);
  EXPECT_EQ(snap->Sample("history", 0, 7, rng).size(), 5u);
  EXPECT_EQ(snap->Sample("general", 0, 20, rng).size(), 20u);
  EXPECT_TRUE(snap->Sample("sport", 0, 5, rng).empty());
  EXPECT_TRUE(snap->Sample("history", 5, 5, rng).empty());
}

TEST_F(CatalogTest, EveryQuestionOfASmallCategoryIsReachable) {
  QuestionCatalog catalog(*store_);
  ASSERT_TRUE(catalog.RefreshNow().ok());
  SplitMix64 rng(7);
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i)
    for (const auto* e : catalog.Current()->Sample("science", 0, 3, rng)) seen.insert(e->id);
  EXPECT_EQ(seen.size(), 50u);
}

TEST_F(CatalogTest, FollowsChangesByVersion) {
  QuestionCatalog catalog(*store_);
  ASSERT_TRUE(catalog.RefreshNow().ok());
  const auto before = catalog.refreshes();
  ASSERT_TRUE(catalog.CheckForChanges().ok());
  EXPECT_EQ(catalog.refreshes(), before) << "no change, no reload";

  std::vector<Question> more{Q("x1", {"space"}, 4)};
  ASSERT_TRUE(store_->UpsertQuestions(more, nullptr).ok());
  ASSERT_TRUE(catalog.CheckForChanges().ok());
  EXPECT_EQ(catalog.refreshes(), before + 1);
  auto snap = catalog.Current();
  ASSERT_NE(snap->Find("x1"), nullptr);
  EXPECT_EQ(snap->Find("x1")->difficulty, 4);
  EXPECT_NE(snap->Find("x1")->json.find("\"categories\":[\"space\",\"general\"]"), std::string::npos);
  EXPECT_TRUE(snap->HasNormalisedText("question x1"));
  EXPECT_FALSE(snap->HasNormalisedText("question x2"));
  const auto daily_ids = snap->DailyPoolIds();
  EXPECT_EQ(std::count(daily_ids.begin(), daily_ids.end(), "x1"), 1);
}

TEST_F(CatalogTest, DailyPoolIsSortedAndExcludesDifficultyFive) {
  QuestionCatalog catalog(*store_);
  ASSERT_TRUE(catalog.RefreshNow().ok());
  auto snap = catalog.Current();
  const auto daily_ids = snap->DailyPoolIds();
  EXPECT_TRUE(std::is_sorted(daily_ids.begin(), daily_ids.end()));
  EXPECT_EQ(daily_ids.size(), 45u);  // 10 science questions have difficulty 5
}

}  // namespace
}  // namespace truthbyte

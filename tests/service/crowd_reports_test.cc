// ListDisputes and StatsOf over a hand-made fit: the order, the threshold,
// cursors that page through every dispute exactly once, and bad cursors.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "service/crowd_reports.h"
#include "store/sqlite_store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

using ::testing::ElementsAre;

class CrowdReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("r.db"));
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    std::vector<Question> questions;
    for (int i = 0; i < 30; ++i) {
      Question q = testing::MakeQuestion("q" + std::to_string(100 + i), {}, 3, "Is claim " + std::to_string(i) + " true?");
      q.answer = true;
      questions.push_back(q);
      QuestionJudgment j;
      j.question_id = q.id;
      j.label = true;
      j.answers = i < 25 ? 10 : 2;  // the last five have too few answers
      // Confidences 0.99, 0.98, ... with ties every other question.
      j.confidence = 1.0 - 0.01 * (1 + i / 2);
      j.p_true = 1.0 - j.confidence;
      j.true_votes = 1;
      j.disputed = j.answers >= 5 && j.confidence >= 0.9;
      crowd_.analysis.questions.push_back(j);
    }
    ASSERT_TRUE(store_->UpsertQuestions(questions, nullptr).ok());
    catalog_ = std::make_unique<QuestionCatalog>(*store_);
    ASSERT_TRUE(catalog_->RefreshNow().ok());
    crowd_.Index();
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<QuestionCatalog> catalog_;
  CrowdSnapshot crowd_;
};

TEST_F(CrowdReportsTest, DisputesComeMostConfidentFirstAboveTheThreshold) {
  auto page = ListDisputes(crowd_, *catalog_->Current(), {});
  ASSERT_TRUE(page.ok());
  // Confidence >= 0.9 (the default threshold): q100..q117 (0.99 .. 0.91 in pairs) and q118, q119 at 0.90.
  ASSERT_EQ(page->questions.size(), 20u);
  EXPECT_EQ(page->questions[0].judgment.question_id, "q100");
  EXPECT_EQ(page->questions[0].question, "Is claim 0 true?");
  EXPECT_EQ(page->questions[1].judgment.question_id, "q101");  // the tie, by id
  EXPECT_TRUE(page->next_cursor.empty());
  auto looser = ListDisputes(crowd_, *catalog_->Current(), {.min_confidence = 0.5, .limit = 500, .cursor = ""});
  ASSERT_TRUE(looser.ok());
  EXPECT_EQ(looser->questions.size(), 25u) << "the five with 2 answers are never listed";
}

TEST_F(CrowdReportsTest, CursorsPageThroughEveryDisputeExactlyOnce) {
  for (int limit : {1, 3, 7, 20}) {
    std::vector<std::string> seen;
    DisputeQuery query{.min_confidence = 0.5, .limit = limit, .cursor = ""};
    int pages = 0;
    do {
      auto page = ListDisputes(crowd_, *catalog_->Current(), query);
      ASSERT_TRUE(page.ok());
      ASSERT_LE(page->questions.size(), static_cast<std::size_t>(limit));
      for (const auto& d : page->questions) seen.push_back(d.judgment.question_id);
      query.cursor = page->next_cursor;
      ASSERT_LT(++pages, 100);
    } while (!query.cursor.empty());
    EXPECT_EQ(seen.size(), 25u) << "limit " << limit;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u) << "limit " << limit;
    EXPECT_EQ(seen.front(), "q100");
    EXPECT_EQ(seen.back(), "q124");
  }
}

TEST_F(CrowdReportsTest, ABadCursorIs400) {
  for (const char* bad : {"nonsense!", "AAAA", "MC41"}) {
    auto page = ListDisputes(crowd_, *catalog_->Current(), {.min_confidence = std::nullopt, .limit = 50, .cursor = bad});
    ASSERT_FALSE(page.ok()) << bad;
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidParameter);
  }
}

TEST_F(CrowdReportsTest, StatsOfAQuestionAndOfOneTheFitHasNotSeen) {
  auto stats = StatsOf(crowd_, *catalog_->Current(), "q100");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->judgment.answers, 10);
  EXPECT_TRUE(stats->judgment.disputed);
  ASSERT_TRUE(stats->agreement);
  EXPECT_DOUBLE_EQ(*stats->agreement, 0.1);
  auto unknown = StatsOf(crowd_, *catalog_->Current(), "nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

  CrowdSnapshot empty;
  empty.Index();
  auto fresh = StatsOf(empty, *catalog_->Current(), "q100");
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->judgment.answers, 0);
  EXPECT_FALSE(fresh->agreement);
  EXPECT_DOUBLE_EQ(fresh->judgment.p_true, 0.9);
}

}  // namespace
}  // namespace truthbyte

// The stored crowd fit: what `crowd analyze` stores comes back whole, and a
// server starts from it only when it was made with the server's options
// and no refit came first.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/crowd_truth.h"
#include "service/stored_fit.h"
#include "store/sqlite_store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

StoredFit SampleFit() {
  StoredFit fit;
  fit.fitted_at = "2026-12-04T18:00:00.000Z";
  fit.options.label_prior = 0.8;
  fit.analysis.answers = 12;
  fit.analysis.excluded[static_cast<int>(Judgment::kDaily)] = 3;
  fit.analysis.iterations = 7;
  fit.analysis.converged = true;
  fit.analysis.seconds = 0.25;
  fit.analysis.disputed = 1;
  QuestionJudgment q;
  q.question_id = "q1";
  q.label = true;
  q.p_true = 0.0123456789012345;
  q.confidence = 1 - q.p_true;
  q.answers = 6;
  q.true_votes = 0;
  q.disputed = true;
  q.empirical_difficulty = 2;
  fit.analysis.questions.push_back(q);
  fit.analysis.players.push_back({"player-ü", 0.95, 0.85, 0.0, 6});
  return fit;
}

TEST(StoredFitTest, ADocumentComesBackAsItWasEncoded) {
  auto decoded = DecodeFit(EncodeFit(SampleFit()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->fitted_at, "2026-12-04T18:00:00.000Z");
  EXPECT_DOUBLE_EQ(decoded->options.label_prior, 0.8);
  EXPECT_EQ(decoded->analysis.answers, 12u);
  EXPECT_EQ(decoded->analysis.excluded[static_cast<int>(Judgment::kDaily)], 3u);
  EXPECT_EQ(decoded->analysis.iterations, 7);
  ASSERT_EQ(decoded->analysis.questions.size(), 1u);
  const QuestionJudgment& q = decoded->analysis.questions[0];
  EXPECT_EQ(q.question_id, "q1");
  EXPECT_EQ(q.p_true, 0.0123456789012345) << "bit for bit";
  EXPECT_TRUE(q.disputed);
  EXPECT_EQ(q.empirical_difficulty, 2);
  ASSERT_EQ(decoded->analysis.players.size(), 1u);
  EXPECT_EQ(decoded->analysis.players[0].user_id, "player-ü");
  EXPECT_DOUBLE_EQ(decoded->analysis.players[0].reliability, PlayerReliability(0.95, 0.85));
}

TEST(StoredFitTest, SomethingElseIsCorruption) {
  for (const char* bad : {"", "[]", R"({"format":2})", R"({"format":1,"fitted_at":3})"}) {
    auto decoded = DecodeFit(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << bad;
  }
}

TEST(StoredFitTest, AServerStartsFromAFitMadeWithItsOptionsUntilItsFirstRefit) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.File("f.db"));
  ASSERT_TRUE(store.ok());
  auto none = LoadFit(**store);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  ASSERT_TRUE(StoreFit(**store, SampleFit()).ok());
  auto loaded = LoadFit(**store);
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(*loaded);

  CrowdTruth other_prior(**store, {.label_prior = 0.9});
  EXPECT_FALSE(other_prior.StartFrom(**loaded));
  EXPECT_EQ(other_prior.Current(), nullptr);

  CrowdTruth same(**store, {.label_prior = 0.8});
  ASSERT_TRUE(same.StartFrom(**loaded));
  auto current = same.Current();
  ASSERT_NE(current, nullptr);
  EXPECT_THAT(current->by_confidence, ::testing::ElementsAre(0u));
  EXPECT_TRUE(current->Reliability("player-ü"));
  // After a refit (of an empty store) the stored fit is gone and stays gone.
  ASSERT_TRUE(same.RefitNow().ok());
  EXPECT_TRUE(same.Current()->analysis.questions.empty());
  EXPECT_FALSE(same.StartFrom(**loaded));
  EXPECT_TRUE(same.Current()->analysis.questions.empty());
}

}  // namespace
}  // namespace truthbyte

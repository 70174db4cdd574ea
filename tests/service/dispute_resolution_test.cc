// ResolveDispute: keep, flip and retire as a reviewer uses them, and what
// each changes downstream — the disputed list, a question's statistics, the
// catalog (play, the daily pool, the category counts) and the next fit.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/daily_challenge.h"
#include "service/crowd_analysis.h"
#include "service/crowd_reports.h"
#include "service/dispute_resolution.h"
#include "store/sqlite_store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

constexpr std::int64_t kNowMs = 1'700'000'000'000;

class DisputeResolutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("r.db"));
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    // q1..q6, all labelled true, in "science" (q1-q3) or "history" (q4-q6).
    std::vector<Question> questions;
    for (int i = 1; i <= 6; ++i) {
      Question q = testing::MakeQuestion("q" + std::to_string(i), {i <= 3 ? "science" : "history"}, 2);
      q.answer = true;
      questions.push_back(q);
    }
    ASSERT_TRUE(store_->UpsertQuestions(questions, nullptr).ok());
    // Seven players say false to q1 and q2 and true to the others: the
    // crowd disputes the labels of q1 and q2.
    std::vector<Answer> answers;
    for (int p = 0; p < 7; ++p)
      for (int i = 1; i <= 6; ++i) {
        Answer a;
        a.user_id = "player-" + std::to_string(p);
        a.question_id = "q" + std::to_string(i);
        a.answer = i > 2;
        a.is_correct = a.answer;
        a.timestamp = 1000 + i;
        answers.push_back(a);
      }
    ASSERT_TRUE(store_->RecordAnswers(answers, "2024-01-01T00:00:00.000Z").ok());
    catalog_ = std::make_unique<QuestionCatalog>(*store_);
    ASSERT_TRUE(catalog_->RefreshNow().ok());
    Refit();
  }

  void Refit() {
    auto analysis = AnalyzeCrowd(*store_);
    ASSERT_TRUE(analysis.ok());
    crowd_ = CrowdSnapshot{};
    crowd_.analysis = std::move(*analysis);
    crowd_.Index();
  }

  std::vector<std::string> Disputed() {
    auto page = ListDisputes(crowd_, *catalog_->Current(), {});
    EXPECT_TRUE(page.ok());
    std::vector<std::string> ids;
    if (page.ok())
      for (const auto& d : page->questions) ids.push_back(d.judgment.question_id);
    return ids;
  }

  Outcome<Resolution> Resolve(const std::string& id, ResolutionAction action, std::optional<bool> label = {}) {
    return ResolveDispute(*store_, catalog_.get(), {id, action, "looked it up", label}, "admin-7", kNowMs);
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<QuestionCatalog> catalog_;
  CrowdSnapshot crowd_;
};

TEST_F(DisputeResolutionTest, KeepStopsFlaggingTheLabelAtOnceAndAfterTheNextFit) {
  ASSERT_THAT(Disputed(), ::testing::ElementsAre("q1", "q2"));
  auto kept = Resolve("q1", ResolutionAction::kKeep);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->reviewer, "admin-7");
  EXPECT_EQ(kept->resolved_at, "2023-11-14T22:13:20.000Z");
  EXPECT_TRUE(kept->label_before);
  EXPECT_TRUE(kept->label_after);
  EXPECT_EQ(kept->notes, "looked it up");
  // The fit in memory is the old one; the catalog knows the resolution.
  EXPECT_THAT(Disputed(), ::testing::ElementsAre("q2"));
  auto stats = StatsOf(crowd_, *catalog_->Current(), "q1");
  ASSERT_TRUE(stats.ok());
  EXPECT_FALSE(stats->judgment.disputed);
  ASSERT_TRUE(stats->judgment.resolution);
  EXPECT_EQ(stats->judgment.resolution->action, ResolutionAction::kKeep);
  // The label stays and so does the crowd's view of it.
  EXPECT_TRUE(catalog_->Current()->Find("q1")->answer);
  EXPECT_GT(stats->judgment.confidence, 0.9);

  Refit();
  const QuestionJudgment& q1 = crowd_.analysis.questions[0];
  EXPECT_FALSE(q1.disputed);
  ASSERT_TRUE(q1.resolution);
  EXPECT_EQ(crowd_.analysis.disputed, 1);
  EXPECT_THAT(Disputed(), ::testing::ElementsAre("q2"));
}

TEST_F(DisputeResolutionTest, FlipChangesTheLabelAndKeepsBothInTheHistory) {
  auto flipped = Resolve("q2", ResolutionAction::kFlip, /*label=*/true);
  ASSERT_TRUE(flipped.ok());
  EXPECT_TRUE(flipped->label_before);
  EXPECT_FALSE(flipped->label_after);
  auto stored = store_->GetQuestions(std::vector<std::string>{"q2"});
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->at(0).answer);
  EXPECT_FALSE(catalog_->Current()->Find("q2")->answer);
  EXPECT_THAT(Disputed(), ::testing::ElementsAre("q1"));
  // Judged against the label now, the crowd agrees with it.
  auto stats = StatsOf(crowd_, *catalog_->Current(), "q2");
  ASSERT_TRUE(stats.ok());
  EXPECT_FALSE(stats->judgment.label);
  EXPECT_LT(stats->judgment.confidence, 0.5);
  EXPECT_DOUBLE_EQ(*stats->agreement, 1.0);

  // A retry of the same decision (the client saw the old label) is refused
  // and flips nothing back.
  auto again = Resolve("q2", ResolutionAction::kFlip, /*label=*/true);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyCompleted);
  EXPECT_FALSE(catalog_->Current()->Find("q2")->answer);

  Refit();
  EXPECT_FALSE(crowd_.analysis.questions[1].disputed);
  EXPECT_THAT(Disputed(), ::testing::ElementsAre("q1"));
  std::vector<Resolution> history;
  ASSERT_TRUE(store_->ScanResolutions([&](const Resolution& r) {
                      history.push_back(r);
                      return Status::Ok();
                    })
                  .ok());
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].action, ResolutionAction::kFlip);
}

TEST_F(DisputeResolutionTest, RetireTakesTheQuestionOutOfPlayButKeepsItScorable) {
  const auto before = catalog_->Current();
  const std::uint64_t version = before->version;
  ASSERT_TRUE(Resolve("q1", ResolutionAction::kRetire).ok());
  const auto after = catalog_->Current();
  EXPECT_GT(after->version, version);
  EXPECT_TRUE(after->IsRetired("q1"));
  ASSERT_NE(after->Find("q1"), nullptr) << "answers to it are still scored";
  // Never served again, in any category or difficulty, nor in a daily set.
  SplitMix64 rng(3);
  for (int round = 0; round < 50; ++round)
    for (const char* category : {"general", "science"})
      for (int difficulty : {0, 2})
        for (const auto* e : after->Sample(category, difficulty, 3, rng)) EXPECT_NE(e->id, "q1");
  EXPECT_THAT(after->DailyPoolIds(), ::testing::Not(::testing::Contains("q1")));
  EXPECT_EQ(after->Pool("science", 0)->size(), 2u);
  // The counts leave it out too.
  const auto categories = nlohmann::json::parse(after->categories_json);
  EXPECT_EQ(categories["total_questions"], 5);
  for (const auto& c : categories["categories"]) {
    if (c["name"] == "science") {
      EXPECT_EQ(c["count"], 2);
    } else if (c["name"] == "general") {
      EXPECT_EQ(c["count"], 5);
    }
  }
  EXPECT_THAT(Disputed(), ::testing::ElementsAre("q2"));
  // A later keep brings it back into play.
  ASSERT_TRUE(Resolve("q1", ResolutionAction::kKeep).ok());
  EXPECT_FALSE(catalog_->Current()->IsRetired("q1"));
  EXPECT_EQ(catalog_->Current()->Pool("science", 0)->size(), 3u);
}

TEST_F(DisputeResolutionTest, AnUnknownQuestionIs404) {
  auto missing = Resolve("nope", ResolutionAction::kKeep);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  int count = 0;
  ASSERT_TRUE(store_->ScanResolutions([&](const Resolution&) {
                      ++count;
                      return Status::Ok();
                    })
                  .ok());
  EXPECT_EQ(count, 0);
}

TEST(SettlesTest, ARetirementAlwaysAndAKeepOrFlipWhileItsLabelHolds) {
  Resolution r;
  r.action = ResolutionAction::kRetire;
  EXPECT_TRUE(Settles(r, true));
  EXPECT_TRUE(Settles(r, false));
  r.action = ResolutionAction::kFlip;
  r.label_before = true;
  r.label_after = false;
  EXPECT_TRUE(Settles(r, false));
  EXPECT_FALSE(Settles(r, true)) << "relabelled since: the dispute opens again";
}

}  // namespace
}  // namespace truthbyte

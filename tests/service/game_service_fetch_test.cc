// GameService::FetchQuestions: mode random serves the questions a player has
// not answered first and keeps the deployed client's shape; mode label serves
// only unanswered questions, the least settled first, without their answer.
// And SubmitAnswers reports each answer's outcome for a client without the
// label.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "service/crowd_truth.h"
#include "service/game_service.h"
#include "store/sqlite_store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

using ::testing::ElementsAre;
using ::testing::FieldsAre;

class GameFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("f.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    std::vector<Question> questions;
    for (int i = 0; i < 10; ++i) {
      Question q = testing::MakeQuestion("q" + std::to_string(i), {i < 5 ? "science" : "history"});
      q.answer = true;
      questions.push_back(q);
    }
    ASSERT_TRUE(store_->UpsertQuestions(questions, nullptr).ok());
    catalog_ = std::make_unique<QuestionCatalog>(*store_);
    ASSERT_TRUE(catalog_->RefreshNow().ok());
  }

  void Answer(const std::string& user, const std::string& question, bool value) {
    GameService game(*store_, *catalog_);
    ASSERT_TRUE(game.SubmitAnswers(user, {{question, value, 1.0, std::nullopt}}, 1000).ok());
  }

  // The ids (and the parsed objects) of one fetch.
  static std::vector<nlohmann::json> Parse(const FetchedQuestions& fetched) {
    std::vector<nlohmann::json> out;
    for (std::string_view j : fetched.question_json) out.push_back(nlohmann::json::parse(j));
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<QuestionCatalog> catalog_;
};

TEST_F(GameFetchTest, RandomServesUnansweredQuestionsFirstThenFillsWithAnsweredOnes) {
  for (int i = 0; i < 7; ++i) Answer("u1", "q" + std::to_string(i), true);
  GameService game(*store_, *catalog_);
  for (int round = 0; round < 20; ++round) {
    auto fetched = game.FetchQuestions("u1", {.category = "general", .count = 7});
    ASSERT_TRUE(fetched.ok()) << fetched.error().message;
    std::set<std::string> ids;
    for (const auto& q : Parse(*fetched)) {
      ids.insert(q["id"].get<std::string>());
      EXPECT_TRUE(q.contains("answer")) << "mode random keeps the deployed client's shape";
    }
    EXPECT_EQ(ids.size(), 7u);
    for (const char* unanswered : {"q7", "q8", "q9"}) EXPECT_EQ(ids.count(unanswered), 1u) << unanswered;
  }
  // A category of which the player answered 2 of 5: 3 asked, 3 unanswered served.
  for (int round = 0; round < 20; ++round) {
    auto fetched = game.FetchQuestions("u1", {.category = "history", .count = 3});
    ASSERT_TRUE(fetched.ok());
    std::set<std::string> ids;
    for (const auto& q : Parse(*fetched)) ids.insert(q["id"].get<std::string>());
    EXPECT_EQ(ids, (std::set<std::string>{"q7", "q8", "q9"}));
  }
}

TEST_F(GameFetchTest, LabelModeServesOnlyUnansweredQuestionsWithoutTheirAnswer) {
  for (int i = 0; i < 8; ++i) Answer("u2", "q" + std::to_string(i), true);
  GameService game(*store_, *catalog_);
  auto fetched = game.FetchQuestions("u2", {.category = "general", .count = 7, .mode = FetchMode::kLabel});
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  std::set<std::string> ids;
  for (const auto& q : Parse(*fetched)) {
    ids.insert(q["id"].get<std::string>());
    EXPECT_FALSE(q.contains("answer")) << q.dump();
    EXPECT_TRUE(q.contains("passage") && q.contains("question") && q.contains("categories"));
  }
  EXPECT_EQ(ids, (std::set<std::string>{"q8", "q9"}));

  Answer("u2", "q8", true);
  Answer("u2", "q9", false);
  auto none = game.FetchQuestions("u2", {.category = "general", .mode = FetchMode::kLabel});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(none.error().message, ::testing::HasSubstr("answered every question"));
}

TEST_F(GameFetchTest, LabelModeServesTheLeastSettledQuestionsFirst) {
  // q3's players say false against its label; q0-q2 and q4-q9 are agreed
  // by five players each; so q3 is the one a new player should see first.
  for (int p = 0; p < 5; ++p) {
    const std::string user = "crowd" + std::to_string(p);
    for (int i = 0; i < 10; ++i) Answer(user, "q" + std::to_string(i), i != 3 || p == 0);
  }
  CrowdTruth crowd(*store_, {});
  ASSERT_TRUE(crowd.RefitNow().ok());
  ASSERT_GT(crowd.Current()->analysis.questions[3].confidence, 0.5);
  GameService game(*store_, *catalog_, kDefaultDailyWindowDays, &crowd, 0.9);
  for (int round = 0; round < 10; ++round) {
    auto fetched = game.FetchQuestions("newcomer", {.category = "general", .count = 1, .mode = FetchMode::kLabel});
    ASSERT_TRUE(fetched.ok());
    EXPECT_EQ(Parse(*fetched)[0]["id"], "q3");
  }
}

TEST_F(GameFetchTest, LabelModeSpreadsPlayersOverQuestionsBetweenTwoFits) {
  // q3 leans against its label, with too few answers for a dispute; five
  // questions added after the fit need what fresh ones need. Served again
  // and again before the next fit, q3 gives way to them: its answers are
  // on their way.
  for (int p = 0; p < 4; ++p) {
    const std::string user = "crowd" + std::to_string(p);
    for (int i = 0; i < 10; ++i) Answer(user, "q" + std::to_string(i), i != 3 || p == 0);
  }
  CrowdTruth crowd(*store_, {});
  ASSERT_TRUE(crowd.RefitNow().ok());
  const QuestionJudgment& q3 = crowd.Current()->analysis.questions[3];
  ASSERT_GT(q3.confidence, 0.5);
  ASSERT_FALSE(q3.disputed);
  std::vector<Question> fresh;
  for (int i = 0; i < 5; ++i) fresh.push_back(testing::MakeQuestion("n" + std::to_string(i)));
  ASSERT_TRUE(store_->UpsertQuestions(fresh, nullptr).ok());
  ASSERT_TRUE(catalog_->RefreshNow().ok());
  GameService game(*store_, *catalog_, kDefaultDailyWindowDays, &crowd, 0.9);
  game.SeedQuestionChoice(7);
  std::map<std::string, int> served;
  for (int player = 0; player < 20; ++player) {
    auto fetched = game.FetchQuestions("newcomer" + std::to_string(player),
                                       {.category = "general", .count = 1, .mode = FetchMode::kLabel});
    ASSERT_TRUE(fetched.ok());
    ++served[Parse(*fetched)[0]["id"].get<std::string>()];
  }
  // q3's need (1 + its confidence) and the fresh ones' (0.2), each divided
  // by the times served: q3 most, and every fresh one too.
  EXPECT_GE(served["q3"], 10);
  EXPECT_LT(served["q3"], 20);
  int fresh_served = 0;
  for (int i = 0; i < 5; ++i) {
    EXPECT_GE(served["n" + std::to_string(i)], 1) << i;
    fresh_served += served["n" + std::to_string(i)];
  }
  EXPECT_EQ(fresh_served + served["q3"], 20) << "the agreed questions wait";
}

TEST(AnswerNeedTest, LeaningAgainstTheLabelComesFirstThenUncertaintyThenDisputesAndSettledOnes) {
  QuestionJudgment fresh{.question_id = "q", .label = true, .p_true = 0.9, .confidence = 0.1, .answers = 0};
  QuestionJudgment agreed{.question_id = "q", .label = true, .p_true = 0.999, .confidence = 0.001, .answers = 4};
  QuestionJudgment split{.question_id = "q", .label = true, .p_true = 0.55, .confidence = 0.45, .answers = 6};
  QuestionJudgment leaning{.question_id = "q", .label = true, .p_true = 0.3, .confidence = 0.7, .answers = 3};
  QuestionJudgment disputed{.question_id = "q", .label = true, .p_true = 0.02, .confidence = 0.98, .answers = 8, .disputed = true};
  QuestionJudgment saturated{.question_id = "q", .label = true, .p_true = 0.5, .confidence = 0.5, .answers = kAnswersToSettle};
  EXPECT_GT(AnswerNeed(leaning), AnswerNeed(split));
  EXPECT_GT(AnswerNeed(split), AnswerNeed(fresh));
  EXPECT_GT(AnswerNeed(fresh), AnswerNeed(agreed));
  EXPECT_GT(AnswerNeed(disputed), AnswerNeed(saturated));
  EXPECT_LT(AnswerNeed(disputed), AnswerNeed(fresh));
  EXPECT_EQ(AnswerNeed(saturated), 0.0);
}

TEST_F(GameFetchTest, SubmitReportsEachKnownAnswersOutcomeAndLabel) {
  GameService game(*store_, *catalog_);
  auto result = game.SubmitAnswers("u3", {{"q1", true, 1.0, std::nullopt}, {"nope", true, 1.0, std::nullopt},
                                          {"q2", false, 1.0, std::nullopt}},
                                   1000);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->results, ElementsAre(FieldsAre("q1", true, true), FieldsAre("q2", false, true)));
  EXPECT_EQ(result->unknown_questions, 1);
}

}  // namespace
}  // namespace truthbyte

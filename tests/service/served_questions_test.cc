// ServedQuestions: answers to questions fetch-questions never served to
// the player are no judgments, whichever instance served them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "service/game_service.h"
#include "service/served_questions.h"
#include "store/sqlite_store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

std::vector<Answer> AnswersTo(const std::string& user, std::vector<std::string> ids) {
  std::vector<Answer> out;
  for (const std::string& id : ids) {
    Answer a;
    a.user_id = user;
    a.question_id = id;
    out.push_back(a);
  }
  return out;
}

std::vector<Judgment> KindsOf(const std::vector<Answer>& answers) {
  std::vector<Judgment> out;
  for (const Answer& a : answers) out.push_back(a.judgment);
  return out;
}

class ServedQuestionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("s.db"));
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
  }
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ServedQuestionsTest, OnlyAnswersToServedQuestionsStayCounted) {
  ServedQuestions served(*store_);
  served.Note("u1", std::vector<std::string>{"q1", "q2"});
  auto answers = AnswersTo("u1", {"q1", "q2", "q3"});
  answers[1].judgment = Judgment::kImported;  // other kinds are left alone
  ASSERT_TRUE(served.Classify("u1", answers).ok());
  EXPECT_THAT(KindsOf(answers), ::testing::ElementsAre(Judgment::kCounted, Judgment::kImported, Judgment::kUnserved));
  // Served to someone else is not served to this player.
  auto theirs = AnswersTo("u2", {"q1"});
  ASSERT_TRUE(served.Classify("u2", theirs).ok());
  EXPECT_THAT(KindsOf(theirs), ::testing::ElementsAre(Judgment::kUnserved));
}

TEST_F(ServedQuestionsTest, AnotherInstanceFindsTheNotesInTheStoreAfterAFlush) {
  ServedQuestions here(*store_), there(*store_);
  here.Note("u1", std::vector<std::string>{"q1", "q2"});
  EXPECT_EQ(here.pending(), 2u);
  ASSERT_TRUE(here.Flush().ok());
  EXPECT_EQ(here.pending(), 0u);
  auto answers = AnswersTo("u1", {"q2", "q1", "q001"});
  ASSERT_TRUE(there.Classify("u1", answers).ok());
  EXPECT_THAT(KindsOf(answers), ::testing::ElementsAre(Judgment::kCounted, Judgment::kCounted, Judgment::kUnserved));
}

TEST_F(ServedQuestionsTest, NotesForgottenInMemoryAreFlushedBeforeTheStoreIsAsked) {
  // A ttl of 0: nothing is remembered in memory, everything comes from the store.
  ServedQuestions served(*store_, std::chrono::seconds(0));
  served.Note("u1", std::vector<std::string>{"q1"});
  auto answers = AnswersTo("u1", {"q1", "q9"});
  ASSERT_TRUE(served.Classify("u1", answers).ok());
  EXPECT_THAT(KindsOf(answers), ::testing::ElementsAre(Judgment::kCounted, Judgment::kUnserved));
}

TEST_F(ServedQuestionsTest, TheWaitingNotesAreBounded) {
  ServedQuestions served(*store_, std::chrono::hours(1), 1000, /*max_pending=*/3);
  served.Note("u1", std::vector<std::string>{"q1", "q2", "q3", "q4", "q5"});
  EXPECT_EQ(served.pending(), 3u);
  EXPECT_EQ(served.dropped(), 2u);
  // This process still knows them all.
  auto answers = AnswersTo("u1", {"q1", "q5"});
  ASSERT_TRUE(served.Classify("u1", answers).ok());
  EXPECT_THAT(KindsOf(answers), ::testing::ElementsAre(Judgment::kCounted, Judgment::kCounted));
}

// Through the game: the deployed client's offline questions (ids that
// exist, never fetched) are scored but are no judgments.
TEST_F(ServedQuestionsTest, TheGameScoresUnservedAnswersAndMarksThem) {
  std::vector<Question> questions;
  for (int i = 1; i <= 30; ++i) questions.push_back(testing::MakeQuestion("q" + std::to_string(100 + i)));
  ASSERT_TRUE(store_->UpsertQuestions(questions, nullptr).ok());
  QuestionCatalog catalog(*store_);
  ASSERT_TRUE(catalog.RefreshNow().ok());
  ServedQuestions served(*store_);
  GameService game(*store_, catalog, kDefaultDailyWindowDays, nullptr, 0.9, nullptr, &served);
  auto fetched = game.FetchQuestions("player-1", {.category = "general", .difficulty = 0, .count = 5});
  ASSERT_TRUE(fetched.ok());
  std::vector<std::string> ids;
  for (std::string_view j : fetched->question_json) {
    const auto q = nlohmann::json::parse(j);
    ids.push_back(q["id"].get<std::string>());
  }
  ASSERT_EQ(ids.size(), 5u);
  std::string unserved;
  for (const Question& q : questions)
    if (std::find(ids.begin(), ids.end(), q.id) == ids.end()) unserved = q.id;
  std::vector<AnswerInput> inputs;
  for (const std::string& id : ids) inputs.push_back({id, true, 1000, std::nullopt, false});
  inputs.push_back({unserved, true, 1000, std::nullopt, false});
  auto submitted = game.SubmitAnswers("player-1", inputs, 1'700'000'000'000);
  ASSERT_TRUE(submitted.ok());
  EXPECT_EQ(submitted->recorded, 6);
  EXPECT_EQ(submitted->judgments[static_cast<int>(Judgment::kCounted)], 5);
  EXPECT_EQ(submitted->judgments[static_cast<int>(Judgment::kUnserved)], 1);
  EXPECT_EQ(submitted->results.size(), 6u) << "scored as any other";
  auto stored = store_->AnswersForQuestion(unserved);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->at(0).judgment, Judgment::kUnserved);
}

}  // namespace
}  // namespace truthbyte

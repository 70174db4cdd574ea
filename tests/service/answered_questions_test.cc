// AnsweredQuestions: a fetch reads the store once per player and ttl; this
// process's own answers show at once, another process's after the ttl.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/answered_questions.h"
#include "store/sqlite_store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class AnsweredQuestionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("a.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    std::vector<Question> questions;
    for (const char* id : {"a", "b", "c", "d"}) questions.push_back(testing::MakeQuestion(id));
    ASSERT_TRUE(store_->UpsertQuestions(questions, nullptr).ok());
    catalog_ = std::make_unique<QuestionCatalog>(*store_);
    ASSERT_TRUE(catalog_->RefreshNow().ok());
  }

  void RecordElsewhere(const std::string& user, const std::string& question) {
    Answer a{user, question, true, true, 1.0, std::nullopt};
    ASSERT_TRUE(store_->RecordAnswers(std::vector<Answer>{a}, "2026-12-03T00:00:00.000Z").ok());
  }

  std::vector<std::uint32_t> Seen(AnsweredQuestions& answered, const std::string& user, bool fresh = false) {
    auto seen = answered.SeenIn(user, *catalog_->Current(), fresh);
    EXPECT_TRUE(seen.ok());
    return seen.ok() ? **seen : std::vector<std::uint32_t>();
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<QuestionCatalog> catalog_;
};

TEST_F(AnsweredQuestionsTest, OwnAnswersShowAtOnceAndOtherProcessesAnswersAfterTheTtl) {
  RecordElsewhere("u", "b");
  AnsweredQuestions answered(*store_, std::chrono::seconds(3600));
  EXPECT_THAT(Seen(answered, "u"), ElementsAre(1u));  // "b" is entry 1
  const std::vector<Answer> mine{{"u", "d", true, true, 1.0, std::nullopt}};
  answered.Add("u", mine, *catalog_->Current());
  EXPECT_THAT(Seen(answered, "u"), ElementsAre(1u, 3u));
  RecordElsewhere("u", "a");
  EXPECT_THAT(Seen(answered, "u"), ElementsAre(1u, 3u)) << "kept within the ttl";
  EXPECT_THAT(Seen(answered, "u", /*fresh=*/true), ElementsAre(0u, 1u)) << "the store, which has not got \"d\"";

  AnsweredQuestions expiring(*store_, std::chrono::seconds(0));
  EXPECT_THAT(Seen(expiring, "u"), ElementsAre(0u, 1u));
  RecordElsewhere("u", "c");
  EXPECT_THAT(Seen(expiring, "u"), ElementsAre(0u, 1u, 2u));
  EXPECT_THAT(Seen(expiring, "nobody"), IsEmpty());
}

TEST_F(AnsweredQuestionsTest, AFullCacheForgetsAndReadsAgain) {
  AnsweredQuestions answered(*store_, std::chrono::seconds(3600), /*max_players=*/16);
  for (int i = 0; i < 200; ++i) Seen(answered, "p" + std::to_string(i));
  RecordElsewhere("p0", "c");
  // 200 players in 16 entries: p0 was dropped when its shard filled, and
  // is read again.
  EXPECT_THAT(Seen(answered, "p0"), ElementsAre(2u));
}

}  // namespace
}  // namespace truthbyte

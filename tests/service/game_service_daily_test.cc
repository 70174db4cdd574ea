// GameService's daily challenge over a real SQLite store: which past days
// are frozen, served without being stored, or refused.

#include <gtest/gtest.h>

#include <memory>

#include "service/game_service.h"
#include "store/sqlite_store.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

const CivilDate kToday = *CivilDate::Parse("2026-12-02");

class GameDailyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("g.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    std::vector<Question> qs;
    for (int i = 0; i < 30; ++i) {
      Question q;
      q.id = "q" + std::to_string(i);
      q.question = "Question " + q.id + "?";
      q.answer = i % 2 == 0;
      q.categories = NormaliseCategories({"science"});
      q.difficulty = 1 + i % 4;
      qs.push_back(q);
    }
    ASSERT_TRUE(store_->UpsertQuestions(qs, nullptr).ok());
    catalog_ = std::make_unique<QuestionCatalog>(*store_);
    ASSERT_TRUE(catalog_->RefreshNow().ok());
  }

  bool Stored(const CivilDate& date) {
    auto got = store_->GetDailyChallenge(date.ToString());
    EXPECT_TRUE(got.ok());
    return got.ok() && got->has_value();
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<QuestionCatalog> catalog_;
};

TEST_F(GameDailyTest, ANewStoreRefusesDaysBeforeToday) {
  GameService game(*store_, *catalog_, 30);
  auto before = game.FetchDaily("u1", kToday.AddDays(-1), kToday);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, ErrorCode::kInvalidParameter);
  EXPECT_NE(before.error().message.find("the first was 2026-12-02"), std::string::npos) << before.error().message;
  EXPECT_FALSE(Stored(kToday.AddDays(-1)));

  ASSERT_TRUE(game.FetchDaily("u1", kToday, kToday).ok());
  EXPECT_TRUE(Stored(kToday));
  auto first = store_->FirstDailyChallengeDate();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, std::optional<std::string>("2026-12-02"));
  // Still refused once today is frozen, and by a new instance too.
  EXPECT_FALSE(game.FetchDaily("u1", CivilDate{1, 1, 1}, kToday).ok());
  GameService other(*store_, *catalog_, 30);
  EXPECT_FALSE(other.FetchDaily("u1", kToday.AddDays(-1), kToday).ok());
}

TEST_F(GameDailyTest, PastDaysWithinTheWindowAreFrozenOlderOnesServedWithoutStoring) {
  const CivilDate first = kToday.AddDays(-100);
  {
    // The service of a hundred days ago froze its day.
    GameService then(*store_, *catalog_, 30);
    ASSERT_TRUE(then.FetchDaily("u1", first, first).ok());
  }
  GameService game(*store_, *catalog_, 30);
  const CivilDate inside = kToday.AddDays(-30);
  auto near = game.FetchDaily("u1", inside, kToday);
  ASSERT_TRUE(near.ok()) << near.error().message;
  EXPECT_EQ(near->date, inside.ToString());
  EXPECT_EQ(near->total_questions, 10u);
  EXPECT_TRUE(Stored(inside));

  const CivilDate outside = kToday.AddDays(-31);
  auto far = game.FetchDaily("u1", outside, kToday);
  ASSERT_TRUE(far.ok()) << far.error().message;
  EXPECT_EQ(far->date, outside.ToString());
  EXPECT_EQ(far->total_questions, 10u);
  EXPECT_FALSE(Stored(outside));
  // The same set again: chosen deterministically from the same pool.
  auto again = game.FetchDaily("u1", outside, kToday);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->questions_json, *far->questions_json);
  EXPECT_FALSE(Stored(outside));

  // The first day itself is stored, so still served; the day before it is not.
  EXPECT_TRUE(game.FetchDaily("u1", first, kToday).ok());
  auto earlier = game.FetchDaily("u1", first.AddDays(-1), kToday);
  ASSERT_FALSE(earlier.ok());
  EXPECT_EQ(earlier.error().code, ErrorCode::kInvalidParameter);
}

TEST_F(GameDailyTest, AZeroWindowStoresOnlyToday) {
  {
    GameService then(*store_, *catalog_, 0);
    ASSERT_TRUE(then.FetchDaily("u1", kToday.AddDays(-5), kToday.AddDays(-5)).ok());
  }
  GameService game(*store_, *catalog_, 0);
  ASSERT_TRUE(game.FetchDaily("u1", kToday.AddDays(-1), kToday).ok());
  EXPECT_FALSE(Stored(kToday.AddDays(-1)));
  ASSERT_TRUE(game.FetchDaily("u1", kToday, kToday).ok());
  EXPECT_TRUE(Stored(kToday));
}

}  // namespace
}  // namespace truthbyte

// GameService::Profile: what a player's profile shows follows from the
// stored user and today: the trust score, and a streak that lapses once a
// day is missed.

#include <gtest/gtest.h>

#include <memory>

#include "service/game_service.h"
#include "store/sqlite_store.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

class GameProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("p.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    catalog_ = std::make_unique<QuestionCatalog>(*store_);
    ASSERT_TRUE(catalog_->RefreshNow().ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<QuestionCatalog> catalog_;
};

TEST_F(GameProfileTest, AnUnknownPlayerHasANeutralProfileThatIsNotStored) {
  GameService game(*store_, *catalog_);
  auto profile = game.Profile("7d1f3c2a-8b4e-4f6a-9c3d-2e1b0a9f8c7d", *CivilDate::Parse("2026-12-02"));
  ASSERT_TRUE(profile.ok()) << profile.error().message;
  EXPECT_EQ("7d1f3c2a-8b4e-4f6a-9c3d-2e1b0a9f8c7d", profile->user.user_id);
  EXPECT_DOUBLE_EQ(TrustScore(0, 0), profile->trust_score);
  EXPECT_EQ(0, profile->current_streak);
  EXPECT_EQ(0, profile->best_streak);
  auto stored = store_->GetUser("7d1f3c2a-8b4e-4f6a-9c3d-2e1b0a9f8c7d");
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
}

TEST_F(GameProfileTest, TheStreakShowsUntilADayIsMissedAndTheBestStays) {
  const std::string user = "0b6c9e1a-2d3f-4a5b-8c7d-6e5f4a3b2c1d";
  DailyProgress day;
  day.date = "2026-12-02";
  day.score = 80;
  day.rank = "A";
  day.correct_count = 8;
  day.total_questions = 10;
  day.completed_at = "2026-12-02T10:00:00Z";
  StreakState streak;
  streak.current = 3;
  streak.best = 5;
  streak.last_counted = CivilDate::Parse("2026-12-02");
  ASSERT_TRUE(store_->CompleteDailyChallenge(user, day, streak, "2026-12-02T10:00:00Z").ok());

  GameService game(*store_, *catalog_);
  auto next_day = game.Profile(user, *CivilDate::Parse("2026-12-03"));
  ASSERT_TRUE(next_day.ok()) << next_day.error().message;
  EXPECT_EQ(3, next_day->current_streak);  // today can still extend it
  EXPECT_EQ(5, next_day->best_streak);
  auto lapsed = game.Profile(user, *CivilDate::Parse("2026-12-05"));
  ASSERT_TRUE(lapsed.ok());
  EXPECT_EQ(0, lapsed->current_streak);
  EXPECT_EQ(5, lapsed->best_streak);
  EXPECT_EQ(1u, lapsed->user.daily_progress.count("2026-12-02"));
}

}  // namespace
}  // namespace truthbyte

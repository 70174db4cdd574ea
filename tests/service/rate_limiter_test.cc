#include "service/rate_limiter.h"

#include "store/sqlite_store.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

TEST(RateLimiterTest, CountsWithinAWindowAndRefusesPastTheLimit) {
  MemoryRateLimiter limiter;
  for (int i = 1; i <= 3; ++i) {
    RateDecision d = limiter.Hit("ip:1", 3, 3600, 1000);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 3 - i);
    EXPECT_EQ(d.limit, 3);
    EXPECT_EQ(d.reset, 4600);
  }
  RateDecision refused = limiter.Hit("ip:1", 3, 3600, 1200);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.reset, 4600);
}

TEST(RateLimiterTest, ANewWindowStartsWhenTheOldEnds) {
  MemoryRateLimiter limiter;
  limiter.Hit("k", 1, 10, 0);
  EXPECT_FALSE(limiter.Hit("k", 1, 10, 9).allowed);
  RateDecision d = limiter.Hit("k", 1, 10, 10);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reset, 20);
}

TEST(RateLimiterTest, KeysAreIndependentAndPeekDoesNotCount) {
  MemoryRateLimiter limiter;
  limiter.Hit("a", 2, 60, 0);
  EXPECT_EQ(limiter.Peek("a", 2, 60, 1).remaining, 1);
  EXPECT_EQ(limiter.Peek("a", 2, 60, 1).remaining, 1);
  EXPECT_EQ(limiter.Hit("b", 2, 60, 1).remaining, 1);
  EXPECT_EQ(limiter.Hit("a", 2, 60, 1).remaining, 0);
}

}  // namespace
}  // namespace truthbyte

namespace truthbyte {
namespace {

TEST(StoreRateLimiterTest, TwoLimitersOnOneStoreShareTheCount) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.File("limits.db"));
  ASSERT_TRUE(store.ok());
  StoreRateLimiter a(**store), b(**store);
  EXPECT_EQ(a.Hit("user:1", 3, 3600, 100).remaining, 2);
  EXPECT_EQ(b.Hit("user:1", 3, 3600, 101).remaining, 1);
  EXPECT_TRUE(a.Hit("user:1", 3, 3600, 102).allowed);
  RateDecision refused = b.Hit("user:1", 3, 3600, 103);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.reset, 3700);
  EXPECT_EQ(a.Peek("user:1", 3, 3600, 104).remaining, 0) << "peek reports the last count seen";
  EXPECT_TRUE(a.Hit("user:1", 3, 3600, 3700).allowed) << "a new window";
  EXPECT_TRUE(a.Hit("user:2", 3, 3600, 103).allowed);
}

}  // namespace
}  // namespace truthbyte

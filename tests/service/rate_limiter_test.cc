#include "service/rate_limiter.h"

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

TEST(RateLimiterTest, CountsWithinAWindowAndRefusesPastTheLimit) {
  RateLimiter limiter;
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
  RateLimiter limiter;
  limiter.Hit("k", 1, 10, 0);
  EXPECT_FALSE(limiter.Hit("k", 1, 10, 9).allowed);
  RateDecision d = limiter.Hit("k", 1, 10, 10);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reset, 20);
}

TEST(RateLimiterTest, KeysAreIndependentAndPeekDoesNotCount) {
  RateLimiter limiter;
  limiter.Hit("a", 2, 60, 0);
  EXPECT_EQ(limiter.Peek("a", 2, 60, 1).remaining, 1);
  EXPECT_EQ(limiter.Peek("a", 2, 60, 1).remaining, 1);
  EXPECT_EQ(limiter.Hit("b", 2, 60, 1).remaining, 1);
  EXPECT_EQ(limiter.Hit("a", 2, 60, 1).remaining, 0);
}

}  // namespace
}  // namespace truthbyte

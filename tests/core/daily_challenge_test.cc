#include "core/daily_challenge.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/test_printers.h"

namespace truthbyte {
namespace {

using Ids = std::vector<std::string>;

CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

// q0001 ... q<n>, zero-padded to 4 digits: already in byte order.
Ids NumberedPool(int n) {
  Ids pool;
  for (int i = 1; i <= n; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "q%04d", i);
    pool.push_back(buf);
  }
  return pool;
}

TEST(DailyChallengeTest, SpecVectorThousandQuestions) {
  EXPECT_EQ(SelectDailyQuestions(NumberedPool(1000), D(2024, 1, 15)),
            (Ids{"q0376", "q0996", "q0248", "q0744", "q0441", "q0103", "q0890", "q0560", "q0769", "q0568"}));
}

TEST(DailyChallengeTest, SpecVectorThreeQuestions) {
  EXPECT_EQ(SelectDailyQuestions({"a", "b", "c"}, D(2024, 1, 15)), (Ids{"b", "c", "a"}));
}

TEST(DailyChallengeTest, AnotherDateIndependentlyComputed) {
  // Computed with an independent Python implementation of SPEC section 4.
  EXPECT_EQ(SelectDailyQuestions(NumberedPool(1000), D(2024, 1, 16)),
            (Ids{"q0267", "q0738", "q0662", "q0917", "q0320", "q0116", "q0864", "q0574", "q0071", "q0520"}));
}

TEST(DailyChallengeTest, KIsMinOfTenAndPoolSize) {
  const CivilDate day = D(2024, 1, 15);
  EXPECT_EQ(SelectDailyQuestions({}, day), Ids{});
  EXPECT_EQ(SelectDailyQuestions({"x"}, day), Ids{"x"});
  // n = 9: every question, shuffled.
  EXPECT_EQ(SelectDailyQuestions(NumberedPool(9), day),
            (Ids{"q0004", "q0009", "q0001", "q0008", "q0007", "q0006", "q0002", "q0005", "q0003"}));
  EXPECT_EQ(SelectDailyQuestions(NumberedPool(10), day),
            (Ids{"q0004", "q0010", "q0001", "q0009", "q0007", "q0006", "q0002", "q0003", "q0005", "q0008"}));
  EXPECT_EQ(SelectDailyQuestions(NumberedPool(11), day),
            (Ids{"q0005", "q0011", "q0001", "q0009", "q0008", "q0006", "q0002", "q0010", "q0007", "q0004"}));
  EXPECT_EQ(kDailyQuestionCount, 10u);
}

TEST(DailyChallengeTest, SizesAndNoDuplicates) {
  for (int n : {0, 1, 2, 9, 10, 11, 50, 1000}) {
    const Ids pool = NumberedPool(n);
    const Ids day = SelectDailyQuestions(pool, D(2024, 3, 1));
    ASSERT_EQ(day.size(), static_cast<std::size_t>(std::min(n, 10))) << n;
    const std::set<std::string> unique(day.begin(), day.end());
    EXPECT_EQ(unique.size(), day.size()) << n;
    const std::set<std::string> all(pool.begin(), pool.end());
    for (const auto& id : day) EXPECT_TRUE(all.count(id)) << id;
  }
}

TEST(DailyChallengeTest, SmallerKIsPrefixOfTheFullSelection) {
  const Ids ten = SelectDailyQuestions(NumberedPool(1000), D(2024, 1, 15));
  EXPECT_EQ(SelectDailyQuestions(NumberedPool(1000), D(2024, 1, 15), 3), Ids(ten.begin(), ten.begin() + 3));
  EXPECT_EQ(SelectDailyQuestions(NumberedPool(1000), D(2024, 1, 15), 0), Ids{});
  EXPECT_EQ(SelectDailyQuestions(NumberedPool(20), D(2024, 1, 15), 20).size(), 20u);
}

TEST(DailyChallengeTest, SameDateSameSetDifferentDatesDifferentSets) {
  const Ids pool = NumberedPool(500);
  std::set<Ids> seen;
  CivilDate day = D(2023, 12, 20);
  for (int i = 0; i < 40; ++i, day = day.AddDays(1)) {
    const Ids a = SelectDailyQuestions(pool, day);
    EXPECT_EQ(a, SelectDailyQuestions(pool, day)) << day.ToString();
    EXPECT_TRUE(seen.insert(a).second) << "repeated set on " << day.ToString();
  }
}

TEST(DailySeedTest, BigEndianPrefixOfSha256) {
  // printf 'truthbyte-daily-2024-01-15' | sha256sum
  //   fa9dc72487d70bf77fdd7fe5c8cc9db75693f28b41e7e649611832704899da74
  EXPECT_EQ(DailySeed(D(2024, 1, 15)), 0xfa9dc72487d70bf7ULL);
  // printf 'truthbyte-daily-2024-01-16' | sha256sum
  //   38c8042c5e85ba2b59a8af21141d3dded651869334be94da868335e68621e0e2
  EXPECT_EQ(DailySeed(D(2024, 1, 16)), 0x38c8042c5e85ba2bULL);
}

TEST(SplitMix64Test, KnownOutputsForSeedZero) {
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(rng.Next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(rng.Next(), 0x06C45D188009454FULL);
}

TEST(SplitMix64Test, SameSeedSameSequence) {
  SplitMix64 a(12345), b(12345), c(12346);
  bool any_difference = false;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    any_difference |= x != c.Next();
  }
  EXPECT_TRUE(any_difference);
}

TEST(SplitMix64Test, BelowStaysInRangeAndUsesHighBits) {
  SplitMix64 rng(7);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(rng.Below(1), 0u);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 6000; ++i) {
    const std::uint64_t v = rng.Below(6);
    ASSERT_LT(v, 6u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_GT(c, 800);  // roughly uniform (expected 1000)

  // Below is (Next() * bound) >> 64: with seed 0 the first output is
  // 0xE220A8397B1DCDAF, so Below(1000) = floor(0.8833 * 1000) = 883.
  SplitMix64 zero(0);
  EXPECT_EQ(zero.Below(1000), 883u);
}

TEST(DailyChallengeTest, EligibleDifficultiesAreOneToFour) {
  EXPECT_FALSE(IsDailyEligible(0));
  EXPECT_TRUE(IsDailyEligible(1));
  EXPECT_TRUE(IsDailyEligible(2));
  EXPECT_TRUE(IsDailyEligible(3));
  EXPECT_TRUE(IsDailyEligible(4));
  EXPECT_FALSE(IsDailyEligible(5));
  EXPECT_FALSE(IsDailyEligible(-1));
}

}  // namespace
}  // namespace truthbyte

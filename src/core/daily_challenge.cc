#include "core/daily_challenge.h"

#include <utility>

#include "core/sha256.h"

namespace truthbyte {

std::uint64_t SplitMix64::Next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t DailySeed(const CivilDate& date) {
  const Sha256Digest digest = Sha256("truthbyte-daily-" + date.ToString());
  std::uint64_t seed = 0;
  for (int i = 0; i < 8; ++i) seed = (seed << 8) | digest[i];
  return seed;
}

bool IsDailyEligible(int difficulty) { return difficulty >= 1 && difficulty <= 4; }

std::vector<std::string> SelectDailyQuestions(std::vector<std::string> pool, const CivilDate& date,
                                              std::size_t k) {
  const std::size_t n = pool.size();
  if (k > n) k = n;
  SplitMix64 rng(DailySeed(date));
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(rng.Below(n - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(k);
  return pool;
}

UnstoredDay ClassifyUnstoredDay(const CivilDate& date, const CivilDate& today,
                                const std::optional<std::string>& first_day, int window_days) {
  if (date > today) return UnstoredDay::kPreview;
  // Dates compare as text: both are YYYY-MM-DD.
  if (date.ToString() < first_day.value_or(today.ToString())) return UnstoredDay::kBeforeFirst;
  if (date < today.AddDays(-window_days)) return UnstoredDay::kPreview;
  return UnstoredDay::kFreeze;
}

}  // namespace truthbyte

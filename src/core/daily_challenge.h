// The deterministic daily challenge of SPEC section 4: every instance picks
// the same questions for a date from the same pool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"

namespace truthbyte {

inline constexpr std::size_t kDailyQuestionCount = 10;

// SplitMix64 (Steele, Lea, Flood 2014): state += golden gamma, then the
// 30/27/31 xor-shift-multiply finaliser.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next();
  // Uniform in [0, bound) by the 128-bit multiply-shift; REQUIRES bound > 0.
  std::uint64_t Below(std::uint64_t bound) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(Next()) * bound) >> 64);
  }

 private:
  std::uint64_t state_;
};

// First 8 bytes, big-endian, of SHA-256("truthbyte-daily-" + date).
std::uint64_t DailySeed(const CivilDate& date);

// Whether a question of this difficulty can be in a daily challenge (1-4).
bool IsDailyEligible(int difficulty);

// The day's questions: partial Fisher-Yates over `pool`, which REQUIRES the
// ids of all eligible questions sorted in byte order. Returns min(k, n) ids
// in challenge order.
std::vector<std::string> SelectDailyQuestions(std::vector<std::string> pool, const CivilDate& date,
                                              std::size_t k = kDailyQuestionCount);

inline constexpr int kDefaultDailyWindowDays = 30;

// What becomes of a day whose challenge is not stored yet, asked for on
// `today`. Stored (frozen): a day that has started, from the first stored
// day (today when none is) and at most `window_days` back. Preview (served,
// not stored): a future day, or one older than the window, so walking the
// calendar back cannot fill the store. Before the first day: no challenge
// existed then, which the API refuses and an operator may still preview.
enum class UnstoredDay { kFreeze, kPreview, kBeforeFirst };
UnstoredDay ClassifyUnstoredDay(const CivilDate& date, const CivilDate& today,
                                const std::optional<std::string>& first_day, int window_days);

}  // namespace truthbyte

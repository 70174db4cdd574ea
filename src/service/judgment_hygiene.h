// Judgment hygiene: which recorded answers the crowd model may count. An
// answer given faster than a person reads a question, or beyond the number
// of judgments a person plausibly gives in an hour, is recorded and scored
// as any other, and kept out of the model (Judgment::kTooFast, kOverRate).
// Thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/answer_timing.h"
#include "core/records.h"
#include "service/rate_limiter.h"

namespace truthbyte {

struct JudgmentPolicy {
  std::int64_t min_answer_ms = 1000;  // 0: no time rule
  std::int64_t max_per_hour = 600;    // judgments a player gives in an hour; 0: no rate rule
};

class JudgmentHygiene {
 public:
  // `limiter` keeps the hourly counts (shared by every instance on
  // DynamoDB); null turns the rate rule off.
  JudgmentHygiene(JudgmentPolicy policy, RateLimiter* limiter) : policy_(policy), limiter_(limiter) {}

  // Marks the counted answers among `answers` (one player's batch, timed by
  // `timing`, in the same order) that are too fast, then those beyond the
  // player's hourly budget. Other kinds are left alone.
  void Classify(const std::string& user_id, std::span<const TimedAnswer> timing, std::span<Answer> answers,
                std::int64_t now_seconds) const;

 private:
  const JudgmentPolicy policy_;
  RateLimiter* const limiter_;
};

}  // namespace truthbyte

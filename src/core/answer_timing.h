// How long a player took over each answer of a batch, for judgment hygiene
// (an answer given faster than a person reads a question is no judgment).
// Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace truthbyte {

struct TimedAnswer {
  std::optional<double> timestamp;  // seconds, the client's clock; none when the client gave none
  std::optional<std::int64_t> response_time_ms;
};

// Per answer: its response_time_ms when the client sent one; else, when the
// batch has several timestamped answers, the time to the next one (the
// deployed client stamps each answer with the second its question was
// shown, and sends the round at its end); else unknown. Answers stamped the
// same second as the next took under a second: 0.
std::vector<std::optional<std::int64_t>> AnswerDurations(std::span<const TimedAnswer> answers);

}  // namespace truthbyte

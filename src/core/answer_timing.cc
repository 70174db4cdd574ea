#include "core/answer_timing.h"

#include <algorithm>
#include <cmath>

namespace truthbyte {

std::vector<std::optional<std::int64_t>> AnswerDurations(std::span<const TimedAnswer> answers) {
  std::vector<std::optional<std::int64_t>> out(answers.size());
  std::vector<std::size_t> order;  // the timestamped answers, by time
  for (std::size_t i = 0; i < answers.size(); ++i) {
    out[i] = answers[i].response_time_ms;
    if (answers[i].timestamp && std::isfinite(*answers[i].timestamp)) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return *answers[a].timestamp < *answers[b].timestamp; });
  for (std::size_t k = 0; k + 1 < order.size(); ++k) {
    std::optional<std::int64_t>& d = out[order[k]];
    if (!d) d = static_cast<std::int64_t>(std::llround((*answers[order[k + 1]].timestamp - *answers[order[k]].timestamp) * 1000.0));
  }
  return out;
}

}  // namespace truthbyte

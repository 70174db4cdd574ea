#include "core/crowd_simulation.h"

#include <algorithm>
#include <cmath>

namespace truthbyte {

std::string_view PlayerKindName(PlayerKind kind) {
  switch (kind) {
    case PlayerKind::kGood:
      return "good";
    case PlayerKind::kMediocre:
      return "mediocre";
    case PlayerKind::kRandom:
      return "random";
    case PlayerKind::kAdversarial:
      return "adversarial";
  }
  return "unknown";
}

double UnitDraw(SplitMix64& rng) { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; }

std::vector<SimulatedPlayer> MakeSimulatedPlayers(int n, const CrowdMix& mix, SplitMix64& rng) {
  const int bad = static_cast<int>(std::lround(n * mix.bad_share));
  const int adversarial = bad / 2;
  const int random = bad - adversarial;
  const int mediocre = static_cast<int>(std::lround((n - bad) * mix.mediocre_share));
  const int good = n - bad - mediocre;
  std::vector<SimulatedPlayer> players;
  players.reserve(static_cast<std::size_t>(std::max(n, 0)));
  for (int i = 0; i < good; ++i)
    players.push_back({PlayerKind::kGood, mix.good_low + (mix.good_high - mix.good_low) * UnitDraw(rng)});
  for (int i = 0; i < mediocre; ++i) players.push_back({PlayerKind::kMediocre, mix.mediocre});
  for (int i = 0; i < random; ++i) players.push_back({PlayerKind::kRandom, 0.5});
  for (int i = 0; i < adversarial; ++i) players.push_back({PlayerKind::kAdversarial, mix.adversarial});
  return players;
}

std::array<int, kPlayerKinds> CountByKind(std::span<const SimulatedPlayer> players) {
  std::array<int, kPlayerKinds> counts{};
  for (const SimulatedPlayer& p : players) ++counts[static_cast<int>(p.kind)];
  return counts;
}

bool SimulatedAnswer(const SimulatedPlayer& player, bool truth, SplitMix64& rng) {
  return UnitDraw(rng) < player.reliability ? truth : !truth;
}

std::vector<std::uint32_t> ChooseFlips(std::size_t n, double share, SplitMix64& rng) {
  const auto k = std::min(n, static_cast<std::size_t>(std::llround(share * static_cast<double>(n))));
  // A partial Fisher-Yates shuffle: the first k places are the sample.
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = 0; i < k; ++i) std::swap(order[i], order[i + rng.Below(n - i)]);
  order.resize(k);
  std::sort(order.begin(), order.end());
  return order;
}

DisputeScore ScoreDisputes(const std::vector<bool>& disputed, const std::vector<bool>& flipped) {
  DisputeScore score;
  for (std::size_t q = 0; q < disputed.size(); ++q) {
    score.disputed += disputed[q] ? 1 : 0;
    score.flipped += flipped[q] ? 1 : 0;
    score.found += disputed[q] && flipped[q] ? 1 : 0;
  }
  if (score.disputed > 0) score.precision = static_cast<double>(score.found) / score.disputed;
  if (score.flipped > 0) score.recall = static_cast<double>(score.found) / score.flipped;
  return score;
}

bool MajorityDisputes(int answers, int against_label, int min_answers) {
  return answers >= min_answers && 2 * against_label > answers;
}

double MeanAbsoluteError(std::span<const double> truth, std::span<const double> estimate) {
  if (truth.empty()) return 0.0;
  double sum = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) sum += std::fabs(estimate[i] - truth[i]);
  return sum / static_cast<double>(truth.size());
}

}  // namespace truthbyte

// Simulated crowds, for measuring the crowd model: players of known
// reliability answering from a seeded generator, labels flipped on purpose,
// and the scores of a disputed list against the flips. Pure: every draw
// comes from the SplitMix64 the caller passes, so a seed replays a run.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/daily_challenge.h"  // SplitMix64

namespace truthbyte {

enum class PlayerKind : std::uint8_t { kGood, kMediocre, kRandom, kAdversarial };
inline constexpr int kPlayerKinds = 4;

// "good", "mediocre", "random", "adversarial".
std::string_view PlayerKindName(PlayerKind kind);

struct SimulatedPlayer {
  PlayerKind kind = PlayerKind::kGood;
  // The probability of answering a question correctly (against its true
  // label), on true and false questions alike: what the model's
  // PlayerReliability estimates.
  double reliability = 0.5;
};

// Who plays. The bad players (random or adversarial) are `bad_share` of
// all, half of each (an odd one is random); `mediocre_share` of the others
// are mediocre, the rest good.
struct CrowdMix {
  double bad_share = 0.2;
  double mediocre_share = 0.3;
  double good_low = 0.9;  // a good player's reliability, uniform in [good_low, good_high]
  double good_high = 0.95;
  double mediocre = 0.7;
  double adversarial = 0.2;  // answers the opposite on purpose 80 % of the time
};

// `n` players in kind order (good, mediocre, random, adversarial), the
// counts rounded to the nearest. REQUIRES: shares in [0, 1].
std::vector<SimulatedPlayer> MakeSimulatedPlayers(int n, const CrowdMix& mix, SplitMix64& rng);

// How many of `players` are of each kind, by PlayerKind.
std::array<int, kPlayerKinds> CountByKind(std::span<const SimulatedPlayer> players);

// Uniform in [0, 1).
double UnitDraw(SplitMix64& rng);

// The answer `player` gives to a question whose true label is `truth`.
bool SimulatedAnswer(const SimulatedPlayer& player, bool truth, SplitMix64& rng);

// round(share × n) distinct indexes of [0, n), uniformly at random, sorted.
// REQUIRES: share in [0, 1].
std::vector<std::uint32_t> ChooseFlips(std::size_t n, double share, SplitMix64& rng);

// A disputed list against the labels known to be wrong. Precision is 1 for
// an empty list (it names no right label), recall 1 when nothing is wrong.
struct DisputeScore {
  int disputed = 0;
  int flipped = 0;
  int found = 0;  // disputed and flipped
  double precision = 1.0;
  double recall = 1.0;
};

// REQUIRES: disputed.size() == flipped.size() (one entry per question).
DisputeScore ScoreDisputes(const std::vector<bool>& disputed, const std::vector<bool>& flipped);

// Majority vote's dispute: strictly more than half of a question's
// `answers` contradict its label, and it has at least `min_answers`. A tie
// keeps the label.
bool MajorityDisputes(int answers, int against_label, int min_answers);

// The mean of |estimate - truth|, 0 for none. REQUIRES: equal sizes.
double MeanAbsoluteError(std::span<const double> truth, std::span<const double> estimate);

}  // namespace truthbyte

// The crowd model on the real crowds of ../shared/data/crowd, as reported
// in docs/CROWD.md: agreement with gold with a neutral label prior, and the
// disputed list against deliberately corrupted labels.
//
//   truthbyte_crowd_eval [--data DIR] [--corrupt SHARE] [--seed N] [--seeds FIRST-LAST] [--smoothing S]
//
// Both crowds are corrupted; --seed is one corruption, --seeds (default
// 1-20) the range the means are taken over (--seeds 0 for none).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/crowd_model.h"

namespace {

using truthbyte::CrowdAnswers;
using truthbyte::CrowdFit;
using truthbyte::CrowdModelOptions;
using truthbyte::FitCrowdModel;

struct RealCrowd {
  CrowdAnswers answers;
  std::vector<bool> gold;
  std::vector<int> true_votes, votes;
};

// The first five columns of a standardized CSV (none quoted).
bool Read(const std::string& path, RealCrowd* crowd) {
  std::ifstream in(path);
  if (!in) return false;
  std::map<std::string, std::uint32_t> workers, items;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream f(line);
    std::string annotation, worker, item, response, gold;
    std::getline(f, annotation, ',');
    std::getline(f, worker, ',');
    std::getline(f, item, ',');
    std::getline(f, response, ',');
    std::getline(f, gold, ',');
    const auto w = workers.emplace(worker, static_cast<std::uint32_t>(workers.size())).first->second;
    const auto q = items.emplace(item, static_cast<std::uint32_t>(items.size())).first->second;
    const bool says = response == "1" || response == "after";
    crowd->answers.Add(w, q, says);
    if (crowd->gold.size() <= q) {
      crowd->gold.resize(q + 1);
      crowd->true_votes.resize(q + 1);
      crowd->votes.resize(q + 1);
    }
    crowd->gold[q] = gold == "1" || gold == "after";
    crowd->true_votes[q] += says;
    crowd->votes[q] += 1;
  }
  return true;
}

struct DisputeCount {
  int disputed = 0, flipped_disputed = 0, flipped = 0;
  double precision() const { return disputed ? static_cast<double>(flipped_disputed) / disputed : 0.0; }
  double recall() const { return flipped ? static_cast<double>(flipped_disputed) / flipped : 0.0; }
};

// Flips each label with probability `corrupt` (seeded), fits with `label_prior`
// and scores the disputed list (the rule of service/crowd_analysis: the
// posterior disagrees with the label with confidence >= 0.9 after at least
// 5 answers) against the flipped items.
DisputeCount Disputes(RealCrowd crowd, double corrupt, unsigned seed, const CrowdModelOptions& options) {
  const std::uint32_t Q = crowd.answers.questions;
  std::mt19937 rng(seed);
  std::vector<bool> flipped(Q);
  for (std::uint32_t q = 0; q < Q; ++q) {
    flipped[q] = std::uniform_real_distribution<>(0, 1)(rng) < corrupt;
    crowd.answers.label[q] = (crowd.gold[q] != flipped[q]) ? 1 : 0;
  }
  const CrowdFit fit = FitCrowdModel(crowd.answers, options);
  DisputeCount count;
  for (std::uint32_t q = 0; q < Q; ++q) {
    const double confidence = crowd.answers.label[q] == 1 ? 1 - fit.p_true[q] : fit.p_true[q];
    const bool disputed = confidence >= 0.9 && crowd.votes[q] >= 5;
    count.disputed += disputed;
    count.flipped_disputed += disputed && flipped[q];
    count.flipped += flipped[q];
  }
  return count;
}

void Evaluate(const std::string& name, RealCrowd crowd, double corrupt, unsigned seed, unsigned first_seed,
              unsigned last_seed, double smoothing) {
  const std::uint32_t Q = crowd.answers.questions;
  double majority = 0;
  for (std::uint32_t q = 0; q < Q; ++q) {
    const int yes = crowd.true_votes[q], all = crowd.votes[q];
    majority += 2 * yes == all ? 0.5 : ((2 * yes > all) == crowd.gold[q] ? 1.0 : 0.0);
  }
  for (std::uint32_t q = 0; q < Q; ++q) crowd.answers.label[q] = crowd.gold[q] ? 1 : 0;
  const CrowdFit neutral = FitCrowdModel(crowd.answers, {.label_prior = 0.5, .smoothing = smoothing});
  int agree = 0;
  for (std::uint32_t q = 0; q < Q; ++q) agree += (neutral.p_true[q] > 0.5) == crowd.gold[q];
  std::printf("%s: %u items, %zu answers; majority vote %.4f, model (label prior 0.5) %.4f (%d items, %d iterations)\n",
              name.c_str(), Q, crowd.answers.size(), majority / Q, static_cast<double>(agree) / Q, agree,
              neutral.iterations);
  if (corrupt <= 0) return;
  const CrowdModelOptions options{.label_prior = 0.9, .smoothing = smoothing};
  const DisputeCount one = Disputes(crowd, corrupt, seed, options);
  std::printf("  %.0f%% of labels flipped (seed %u), label prior 0.9: disputed %d, of them flipped %d; missed %d; "
              "precision %.3f, recall %.3f\n",
              corrupt * 100, seed, one.disputed, one.flipped_disputed, one.flipped - one.flipped_disputed,
              one.precision(), one.recall());
  if (last_seed < first_seed) return;
  double precision = 0, recall = 0, min_p = 1, max_p = 0, min_r = 1, max_r = 0;
  for (unsigned s = first_seed; s <= last_seed; ++s) {
    const DisputeCount c = Disputes(crowd, corrupt, s, options);
    precision += c.precision();
    recall += c.recall();
    min_p = std::min(min_p, c.precision());
    max_p = std::max(max_p, c.precision());
    min_r = std::min(min_r, c.recall());
    max_r = std::max(max_r, c.recall());
  }
  const double seeds = last_seed - first_seed + 1;
  std::printf("  seeds %u-%u: mean precision %.3f (%.3f to %.3f), mean recall %.3f (%.3f to %.3f)\n", first_seed,
              last_seed, precision / seeds, min_p, max_p, recall / seeds, min_r, max_r);
}

// "FIRST-LAST" or "N"; "0" is no range (last < first).
void ParseSeeds(const std::string& range, unsigned* first, unsigned* last) {
  const auto dash = range.find('-');
  *first = static_cast<unsigned>(std::atoi(range.c_str()));
  *last = dash == std::string::npos ? *first : static_cast<unsigned>(std::atoi(range.c_str() + dash + 1));
  if (*first == 0) {
    *first = 1;
    *last = 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = "../shared/data/crowd";
  double corrupt = 0.1, smoothing = 2.0;
  unsigned seed = 42, first_seed = 1, last_seed = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--data") data = argv[i + 1];
    else if (flag == "--corrupt") corrupt = std::atof(argv[i + 1]);
    else if (flag == "--seed") seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else if (flag == "--seeds") ParseSeeds(argv[i + 1], &first_seed, &last_seed);
    else if (flag == "--smoothing") smoothing = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "truthbyte_crowd_eval: unknown option %s\n", flag.c_str());
      return 1;
    }
  }
  for (const char* name : {"rte", "temp"}) {
    RealCrowd crowd;
    const std::string path = data + "/" + name + ".standardized.csv";
    if (!Read(path, &crowd)) {
      std::fprintf(stderr, "truthbyte_crowd_eval: cannot read %s\n", path.c_str());
      return 1;
    }
    Evaluate(name, std::move(crowd), corrupt, seed, first_seed, last_seed, smoothing);
  }
  return 0;
}

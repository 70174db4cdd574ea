// Adaptive question choice (fetch-questions mode=label): the questions whose
// crowd label is least settled are served first, so each answer goes where
// it teaches the model the most. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "core/daily_challenge.h"
#include "service/crowd_truth.h"
#include "service/question_catalog.h"

namespace truthbyte {

// A question with this many answers needs no more (whatever they say).
inline constexpr int kAnswersToSettle = 30;

// How much a question needs another answer, higher first:
//  * above 1: its posterior leans against its label without being a
//    dispute yet (1 + the confidence that the label is wrong): confirm or
//    clear it;
//  * 0 to 1: 2 min(P(true), P(false)), nearest 0.5 first; a question with
//    no answers stands at its label prior (0.2 at 0.9), and every agreeing
//    answer lowers it;
//  * 0.01: a dispute (the operator's turn); 0: kAnswersToSettle reached.
double AnswerNeed(const QuestionJudgment& judgment);

class AdaptiveChoice {
 public:
  // `crowd` may be null (no crowd truth: every question as if unanswered).
  AdaptiveChoice(const CrowdTruth* crowd, double label_prior) : crowd_(crowd), label_prior_(label_prior) {}

  // Up to `n` entries of `pool` (of `catalog`) not in `seen` (sorted entry
  // indexes), the neediest first, near-ties at random. A question served k
  // times since the fit counts with its need divided by k + 1: the answers
  // on their way are not in the fit yet, and without this every player
  // between two fits would be served the same few questions.
  std::vector<const QuestionCatalog::Entry*> Choose(const std::shared_ptr<const QuestionCatalog::Snapshot>& catalog,
                                                    const std::vector<std::uint32_t>& pool,
                                                    std::span<const std::uint32_t> seen, std::size_t n,
                                                    SplitMix64& rng);

 private:
  // AnswerNeed of every catalog entry under one crowd fit, and how often
  // each was served since.
  struct NeedTable {
    std::shared_ptr<const QuestionCatalog::Snapshot> catalog;
    std::shared_ptr<const CrowdSnapshot> crowd;
    std::vector<float> need;  // per catalog entry
    mutable std::vector<std::atomic<std::uint32_t>> served;  // per catalog entry
  };
  std::shared_ptr<const NeedTable> Needs(const std::shared_ptr<const QuestionCatalog::Snapshot>& catalog);

  const CrowdTruth* crowd_;
  const double label_prior_;
  std::mutex mu_;
  std::shared_ptr<const NeedTable> table_;  // under mu_; rebuilt when the catalog or the fit changes
};

}  // namespace truthbyte

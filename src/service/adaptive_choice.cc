#include "service/adaptive_choice.h"

#include <algorithm>
#include <utility>

namespace truthbyte {

double AnswerNeed(const QuestionJudgment& j) {
  if (j.answers >= kAnswersToSettle) return 0.0;
  if (j.disputed) return 0.01;
  if (j.confidence > 0.5) return 1.0 + j.confidence;
  return 2.0 * std::min(j.p_true, 1.0 - j.p_true);
}

std::shared_ptr<const AdaptiveChoice::NeedTable> AdaptiveChoice::Needs(
    const std::shared_ptr<const QuestionCatalog::Snapshot>& catalog) {
  std::shared_ptr<const CrowdSnapshot> crowd = crowd_ ? crowd_->Current() : nullptr;
  std::lock_guard lock(mu_);
  if (table_ && table_->catalog == catalog && table_->crowd == crowd) return table_;
  auto table = std::make_shared<NeedTable>();
  table->catalog = catalog;
  table->crowd = crowd;
  table->need.resize(catalog->entries.size());
  table->served = std::vector<std::atomic<std::uint32_t>>(catalog->entries.size());
  // Both lists are in id byte order: one merge. A question the fit has not
  // seen (added since) needs what one without answers needs.
  const std::vector<QuestionJudgment>* fitted = crowd ? &crowd->analysis.questions : nullptr;
  std::size_t f = 0;
  for (std::size_t e = 0; e < catalog->entries.size(); ++e) {
    const QuestionCatalog::Entry& entry = catalog->entries[e];
    while (fitted && f < fitted->size() && (*fitted)[f].question_id < entry.id) ++f;
    if (fitted && f < fitted->size() && (*fitted)[f].question_id == entry.id && (*fitted)[f].label == entry.answer) {
      table->need[e] = static_cast<float>(AnswerNeed((*fitted)[f]));
    } else {
      table->need[e] = static_cast<float>(AnswerNeed(UnansweredJudgment(entry.id, entry.answer, label_prior_)));
    }
  }
  table_ = std::move(table);
  return table_;
}

std::vector<const QuestionCatalog::Entry*> AdaptiveChoice::Choose(
    const std::shared_ptr<const QuestionCatalog::Snapshot>& catalog, const std::vector<std::uint32_t>& pool,
    std::span<const std::uint32_t> seen, std::size_t n, SplitMix64& rng) {
  const std::shared_ptr<const NeedTable> table = Needs(catalog);
  // Each need jittered by up to 25 %: questions that need about as much
  // (every fresh one) are taken at random, so players fetching at once
  // between two fits spread over them, and a clearly needier one still
  // comes first.
  std::vector<std::pair<float, std::uint32_t>> candidates;
  candidates.reserve(pool.size());
  for (std::uint32_t index : pool) {
    if (std::binary_search(seen.begin(), seen.end(), index)) continue;
    const float jitter = 1.0f + 0.25f * static_cast<float>(rng.Below(1u << 16)) / 65536.0f;
    const auto served = static_cast<float>(table->served[index].load(std::memory_order_relaxed));
    candidates.emplace_back(table->need[index] / (1.0f + served) * jitter, index);
  }
  const std::size_t take = std::min(candidates.size(), n);
  auto neediest_first = [](const auto& a, const auto& b) { return a.first > b.first; };
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(take), candidates.end(),
                    neediest_first);
  candidates.resize(take);
  std::vector<const QuestionCatalog::Entry*> out;
  out.reserve(take);
  for (const auto& [need, index] : candidates) {
    table->served[index].fetch_add(1, std::memory_order_relaxed);
    out.push_back(&catalog->entries[index]);
  }
  return out;
}

}  // namespace truthbyte

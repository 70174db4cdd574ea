#include "service/crowd_truth.h"

#include <algorithm>

namespace truthbyte {

std::optional<double> CrowdSnapshot::Reliability(const std::string& user_id) const {
  auto it = player_index.find(user_id);
  if (it == player_index.end()) return std::nullopt;
  return analysis.players[it->second].reliability;
}

void CrowdSnapshot::Index() {
  player_index.clear();
  for (std::size_t i = 0; i < analysis.players.size(); ++i) player_index.emplace(analysis.players[i].user_id, i);
  by_confidence.clear();
  for (std::size_t i = 0; i < analysis.questions.size(); ++i) {
    const QuestionJudgment& j = analysis.questions[i];
    if (j.answers >= dispute_min_answers && j.confidence > 0.5) by_confidence.push_back(static_cast<std::uint32_t>(i));
  }
  std::sort(by_confidence.begin(), by_confidence.end(), [&](std::uint32_t a, std::uint32_t b) {
    const QuestionJudgment& x = analysis.questions[a];
    const QuestionJudgment& y = analysis.questions[b];
    return ListedBefore(x.confidence, x.question_id, y.confidence, y.question_id);
  });
}

namespace {

// A fit with the options it was made with, indexed.
std::shared_ptr<CrowdSnapshot> MakeSnapshot(CrowdAnalysis analysis, const CrowdAnalysisOptions& options) {
  auto snapshot = std::make_shared<CrowdSnapshot>();
  snapshot->analysis = std::move(analysis);
  snapshot->label_prior = options.label_prior;
  snapshot->dispute_confidence = options.dispute_confidence;
  snapshot->dispute_min_answers = options.dispute_min_answers;
  snapshot->Index();
  return snapshot;
}

}  // namespace

std::shared_ptr<const CrowdSnapshot> CrowdTruth::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

bool CrowdTruth::StartFrom(StoredFit fit) {
  const CrowdAnalysisOptions& o = fit.options;
  if (o.label_prior != options_.label_prior || o.dispute_confidence != options_.dispute_confidence ||
      o.dispute_min_answers != options_.dispute_min_answers)
    return false;
  auto snapshot = MakeSnapshot(std::move(fit.analysis), o);
  std::lock_guard lock(mu_);
  if (current_) return false;
  current_ = std::move(snapshot);
  return true;
}

Status CrowdTruth::RefitNow() {
  std::lock_guard refit(refit_mu_);
  // Answers noted from here on are not necessarily in this fit: they keep
  // the next one due.
  const std::int64_t seen = pending_.load(std::memory_order_relaxed);
  auto analysis = AnalyzeCrowd(store_, options_);
  if (!analysis.ok()) {
    failed_refits_.fetch_add(1, std::memory_order_relaxed);
    return analysis.status();
  }
  auto snapshot = MakeSnapshot(std::move(*analysis), options_);
  {
    std::lock_guard lock(mu_);
    current_ = std::move(snapshot);
  }
  pending_.fetch_sub(seen, std::memory_order_relaxed);
  refits_.fetch_add(1, std::memory_order_relaxed);
  return Status::Ok();
}

}  // namespace truthbyte

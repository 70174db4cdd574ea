#include "service/crowd_analysis.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

namespace truthbyte {

QuestionJudgment UnansweredJudgment(const std::string& question_id, bool label, double label_prior) {
  QuestionJudgment j;
  j.question_id = question_id;
  j.label = label;
  j.p_true = label ? label_prior : 1.0 - label_prior;
  j.confidence = 1.0 - label_prior;
  return j;
}

void JudgeAgainstLabel(QuestionJudgment& j, double dispute_confidence, int dispute_min_answers,
                       const Resolution* resolution) {
  j.confidence = j.label ? 1.0 - j.p_true : j.p_true;
  j.disputed = j.answers >= dispute_min_answers && j.confidence >= dispute_confidence &&
               !(resolution && Settles(*resolution, j.label));
}

int EmpiricalDifficulty(double share_right) {
  if (share_right >= 0.9) return 1;
  if (share_right >= 0.75) return 2;
  if (share_right >= 0.6) return 3;
  if (share_right >= 0.45) return 4;
  return 5;
}

Result<CrowdAnalysis> AnalyzeCrowd(Store& store, const CrowdAnalysisOptions& options) {
  CrowdAnalysis analysis;
  CrowdAnswers crowd;
  std::unordered_map<std::string, std::uint32_t> question_index;
  TB_RETURN_IF_ERROR(store.ScanQuestions([&](const Question& q) {
    question_index.emplace(q.id, static_cast<std::uint32_t>(analysis.questions.size()));
    QuestionJudgment j;
    j.question_id = q.id;
    j.label = q.answer;
    analysis.questions.push_back(std::move(j));
    crowd.label.push_back(q.answer ? 1 : 0);
    return Status::Ok();
  }));
  crowd.questions = static_cast<std::uint32_t>(analysis.questions.size());

  // Visits by question then time: the last one a question has is in force.
  TB_RETURN_IF_ERROR(store.ScanResolutions([&](const Resolution& r) {
    if (auto q = question_index.find(r.question_id); q != question_index.end())
      analysis.questions[q->second].resolution = r;
    return Status::Ok();
  }));

  std::unordered_map<std::string, std::uint32_t> player_index;
  TB_RETURN_IF_ERROR(store.ScanAnswersUnordered([&](const Answer& a) {
    if (!IsJudgment(a.judgment)) {
      ++analysis.excluded[static_cast<int>(a.judgment)];
      return Status::Ok();
    }
    auto q = question_index.find(a.question_id);
    if (q == question_index.end()) {
      ++analysis.unknown_question_answers;
      return Status::Ok();
    }
    auto [p, added] = player_index.emplace(a.user_id, static_cast<std::uint32_t>(analysis.players.size()));
    if (added) analysis.players.push_back(PlayerJudgment{a.user_id});
    ++analysis.players[p->second].answers;
    QuestionJudgment& j = analysis.questions[q->second];
    ++j.answers;
    j.true_votes += a.answer ? 1 : 0;
    crowd.player.push_back(p->second);
    crowd.question.push_back(q->second);
    crowd.says_true.push_back(a.answer ? 1 : 0);
    return Status::Ok();
  }));
  crowd.players = static_cast<std::uint32_t>(analysis.players.size());
  analysis.answers = crowd.size();

  const auto start = std::chrono::steady_clock::now();
  const CrowdFit fit = FitCrowdModel(crowd, {.label_prior = options.label_prior});
  analysis.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  analysis.iterations = fit.iterations;
  analysis.converged = fit.converged;
  for (std::size_t q = 0; q < analysis.questions.size(); ++q) {
    QuestionJudgment& j = analysis.questions[q];
    j.p_true = fit.p_true[q];
    JudgeAgainstLabel(j, options.dispute_confidence, options.dispute_min_answers,
                      j.resolution ? &*j.resolution : nullptr);
    analysis.disputed += j.disputed ? 1 : 0;
  }
  for (std::size_t p = 0; p < analysis.players.size(); ++p) {
    PlayerJudgment& j = analysis.players[p];
    j.sensitivity = fit.sensitivity[p];
    j.specificity = fit.specificity[p];
    j.reliability = PlayerReliability(j.sensitivity, j.specificity);
  }
  // Empirical difficulty: how often the players who know what they are
  // doing give the crowd's answer, each weighted by how far above chance
  // they are (2 reliability - 1; random and backward players weigh 0).
  std::vector<double> right(analysis.questions.size(), 0.0), weight(analysis.questions.size(), 0.0);
  for (std::size_t i = 0; i < crowd.size(); ++i) {
    const double w = std::max(0.0, 2.0 * analysis.players[crowd.player[i]].reliability - 1.0);
    const std::uint32_t q = crowd.question[i];
    const bool truth = fit.p_true[q] >= 0.5;
    weight[q] += w;
    right[q] += (crowd.says_true[i] != 0) == truth ? w : 0.0;
  }
  for (std::size_t q = 0; q < analysis.questions.size(); ++q)
    if (weight[q] > 0) analysis.questions[q].empirical_difficulty = EmpiricalDifficulty(right[q] / weight[q]);
  return analysis;
}

}  // namespace truthbyte

// The crowd model over a store: every answer of every player, the
// questions' labels as priors, one fit, and the labels the crowd disputes.
// Reads the store only; thread-compatible (one analysis per call).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/crowd_model.h"
#include "core/status.h"
#include "store/store.h"

namespace truthbyte {

struct CrowdAnalysisOptions {
  double label_prior = 0.9;  // CrowdModelOptions::label_prior
  // A question is disputed when its posterior disagrees with its label with
  // at least this confidence, after at least `dispute_min_answers` answers.
  double dispute_confidence = 0.9;
  int dispute_min_answers = 5;
};

struct QuestionJudgment {
  std::string question_id;
  bool label = false;
  double p_true = 0.5;      // the crowd's P(true), the label included as a prior
  double confidence = 0.0;  // P(the label is wrong) = the posterior against it
  int answers = 0;
  int true_votes = 0;
  bool disputed = false;
  // 1 (nearly every reliable player gets it right) to 5 (most get it
  // wrong); 0 when no answer of a reliable player is known.
  int empirical_difficulty = 0;
  // The latest resolution of its dispute, if a reviewer made one; while it
  // settles the question (Settles) the question is not disputed.
  std::optional<Resolution> resolution = std::nullopt;
};

struct PlayerJudgment {
  std::string user_id;
  double sensitivity = 0.5;
  double specificity = 0.5;
  double reliability = 0.5;  // PlayerReliability
  int answers = 0;
};

struct CrowdAnalysis {
  std::vector<QuestionJudgment> questions;  // in the store's id order
  std::vector<PlayerJudgment> players;      // in the order of their first answer in the store's scan
  std::size_t answers = 0;                  // the answers the fit used
  std::size_t unknown_question_answers = 0;  // answers to questions no longer in the store
  // The answers kept out of the model, by Judgment (daily, unserved, ...).
  std::array<std::size_t, kJudgmentKinds> excluded{};
  int iterations = 0;
  bool converged = false;
  double seconds = 0;  // the fit's wall time
  int disputed = 0;
};

// Judges `j` (its p_true, answers and label set) against its label:
// `confidence` is the posterior against the label, and the question is
// disputed with at least `dispute_min_answers` answers and that confidence
// at `dispute_confidence`, unless `resolution` (its latest, or null)
// settles it (Settles). AnalyzeCrowd and a question's statistics alike.
void JudgeAgainstLabel(QuestionJudgment& j, double dispute_confidence, int dispute_min_answers,
                       const Resolution* resolution);

// What the model says of a question with no answers (or one newer than the
// fit): its label's prior, nothing more.
QuestionJudgment UnansweredJudgment(const std::string& question_id, bool label, double label_prior);

// The difficulty (1-5) of a question that reliable players answer as the
// crowd does `share_right` of the time (weighted by reliability).
int EmpiricalDifficulty(double share_right);

// Reads the questions, the answers and the resolutions (ScanQuestions,
// ScanAnswersUnordered, ScanResolutions) and fits.
Result<CrowdAnalysis> AnalyzeCrowd(Store& store, const CrowdAnalysisOptions& options = {});

}  // namespace truthbyte

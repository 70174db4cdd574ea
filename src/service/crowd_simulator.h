// A simulated crowd played through the game: questions with some labels
// flipped, players of known reliability fetching and answering as clients
// do (GameService), the crowd model refitted as the server refits it, and
// the final disputed list and reliabilities scored against the truth the
// simulation knows. Measures the crowd model and the adaptive choice end
// to end (docs/CROWD.md, "Simulated crowds"). Single-threaded; one run per
// call.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/crowd_simulation.h"
#include "core/question.h"
#include "core/status.h"
#include "service/crowd_analysis.h"
#include "store/store.h"

namespace truthbyte {

// How the players' questions are chosen: fetch-questions mode=random (each
// player's unanswered questions at random) or mode=label (AdaptiveChoice).
enum class AnswerChoice { kUniform, kAdaptive };

struct CrowdSimulationOptions {
  double flip_share = 0.05;  // of the questions, whose stored label is the opposite of the truth
  // The answer budget: this many answers per question on average, spent
  // in rounds of `round_size` answers by a player drawn at random.
  double answers_per_question = 10;
  int players = 100;
  CrowdMix mix;
  AnswerChoice choice = AnswerChoice::kAdaptive;
  CrowdAnalysisOptions analysis;  // of every refit and of the final fit
  // Answers between refits of the crowd model (CrowdTruth::RefitNow), of
  // adaptive choice only; 0: a fiftieth of the budget, at least 50.
  int refit_every = 0;
  int round_size = 7;  // the deployed client's fetch
  std::uint64_t seed = 1;
};

struct CrowdSimulationReport {
  std::size_t questions = 0;
  std::size_t flipped = 0;
  std::array<int, kPlayerKinds> players{};  // by PlayerKind
  std::size_t answers = 0;                  // recorded
  int refits = 0;                           // during play (adaptive choice: one at the start)
  // Questions by answers received: the fewest any got, and how many have
  // fewer than the dispute minimum (they cannot be disputed).
  int fewest_answers = 0;
  int below_dispute_minimum = 0;
  DisputeScore model;     // the final fit's disputed list
  DisputeScore majority;  // majority vote on the same answers (MajorityDisputes)
  // Mean |estimated - true| reliability over the players, and by kind.
  double reliability_error = 0;
  std::array<double, kPlayerKinds> reliability_error_by_kind{};
  double seconds = 0;  // the whole run
};

// Stores `questions` in `store` (the labels of ChooseFlips' share flipped;
// each question's `answer` is its true label), then plays until the budget
// is spent or every player has answered every question, and scores the
// final AnalyzeCrowd. The players are "good-0001", "random-0003", ...;
// every answer counts (no judgment hygiene: the simulated answers have no
// pace). REQUIRES: `store` holds no questions (kConditionFailed otherwise),
// `questions` have distinct ids; options within their documented ranges
// (kInvalidArgument otherwise).
Result<CrowdSimulationReport> SimulateCrowd(Store& store, std::vector<Question> questions,
                                            const CrowdSimulationOptions& options);

}  // namespace truthbyte

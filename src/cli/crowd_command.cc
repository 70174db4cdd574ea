// crowd analyze: a full fit of the crowd model over the store's answers;
// crowd resolve: a reviewer's decision on a disputed label.

#include <algorithm>
#include <ostream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/json_text.h"
#include "core/civil_date.h"
#include "service/crowd_analysis.h"
#include "service/dispute_resolution.h"
#include "service/stored_fit.h"
#include "store/open_store.h"

namespace truthbyte::cli {
namespace {

constexpr std::size_t kDisputesShown = 10;

}  // namespace

int RunCrowdAnalyze(const StoreOptions& store_options, double label_prior, bool json, std::ostream& out) {
  if (!(label_prior > 0 && label_prior < 1))
    return Fail(fmt::format("--label-prior must be above 0 and below 1, not {}", label_prior));
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  CrowdAnalysisOptions options;
  options.label_prior = label_prior;
  auto analysis = AnalyzeCrowd(**store, options);
  if (!analysis.ok()) return Fail(analysis.status());
  // Stored for `serve` to start from (a copy: the summary reads it below).
  if (Status stored = StoreFit(**store, {*analysis, options, NowIso()}); !stored.ok())
    return Fail("the fit was made but could not be stored: " + stored.message());

  std::vector<const QuestionJudgment*> disputed;
  for (const QuestionJudgment& q : analysis->questions)
    if (q.disputed) disputed.push_back(&q);
  std::stable_sort(disputed.begin(), disputed.end(),
                   [](const QuestionJudgment* a, const QuestionJudgment* b) { return a->confidence > b->confidence; });

  if (json) {
    nlohmann::ordered_json doc;
    doc["players"] = analysis->players.size();
    doc["questions"] = analysis->questions.size();
    doc["answers"] = analysis->answers;
    doc["unknown_question_answers"] = analysis->unknown_question_answers;
    doc["label_prior"] = label_prior;
    doc["iterations"] = analysis->iterations;
    doc["converged"] = analysis->converged;
    doc["seconds"] = analysis->seconds;
    doc["disputed"] = analysis->disputed;
    doc["stored"] = true;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const QuestionJudgment* q : disputed) {
      nlohmann::ordered_json j;
      j["question_id"] = q->question_id;
      j["label"] = q->label;
      j["crowd_p_true"] = q->p_true;
      j["confidence"] = q->confidence;
      j["answers"] = q->answers;
      j["true_votes"] = q->true_votes;
      list.push_back(std::move(j));
    }
    doc["disputed_questions"] = std::move(list);
    out << JsonText(doc) << '\n';
    return 0;
  }
  out << fmt::format("{} players, {} questions, {} answers", analysis->players.size(), analysis->questions.size(),
                     analysis->answers);
  if (analysis->unknown_question_answers)
    out << fmt::format(" ({} more to questions no longer in the store, left out)", analysis->unknown_question_answers);
  out << '\n';
  out << fmt::format("Fitted with label prior {} in {} iterations ({}), {:.3f} s\n", label_prior, analysis->iterations,
                     analysis->converged ? "converged" : "stopped at the iteration cap", analysis->seconds);
  out << fmt::format("{} disputed label{} (the crowd disagrees with confidence >= {}, at least {} answers)\n",
                     analysis->disputed, analysis->disputed == 1 ? "" : "s", options.dispute_confidence,
                     options.dispute_min_answers);
  for (std::size_t i = 0; i < std::min(disputed.size(), kDisputesShown); ++i) {
    const QuestionJudgment& q = *disputed[i];
    out << fmt::format("  {}  label {}, crowd P(true) {:.3f}, {} answers ({} true)\n", q.question_id,
                       q.label ? "true" : "false", q.p_true, q.answers, q.true_votes);
  }
  if (disputed.size() > kDisputesShown)
    out << fmt::format("  ... and {} more (--json lists them all)\n", disputed.size() - kDisputesShown);
  out << "Stored the fit: serve starts from it until its first refit\n";
  return 0;
}

int RunCrowdResolve(const StoreOptions& store_options, const std::string& question_id, const std::string& action,
                    const std::string& reviewer, const std::string& notes, std::ostream& out) {
  auto parsed = ParseResolutionAction(action);
  if (!parsed) return Fail("--action must be keep, flip or retire, not \"" + action + "\"");
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  DisputeDecision decision{question_id, *parsed, notes, std::nullopt};
  auto resolved = ResolveDispute(**store, nullptr, decision, reviewer, NowUnixMs());
  if (!resolved.ok()) return Fail(resolved.error().message);
  const char* label_after = resolved->label_after ? "true" : "false";
  switch (resolved->action) {
    case ResolutionAction::kKeep: out << fmt::format("kept the label of {} ({})\n", question_id, label_after); break;
    case ResolutionAction::kFlip:
      out << fmt::format("flipped the label of {} to {} (scores already given stand)\n", question_id, label_after);
      break;
    case ResolutionAction::kRetire: out << fmt::format("retired {} from play\n", question_id); break;
  }
  return 0;
}

}  // namespace truthbyte::cli

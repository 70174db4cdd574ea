#include "service/dispute_resolution.h"

#include <vector>

#include "core/civil_date.h"

namespace truthbyte {

Outcome<Resolution> ResolveDispute(Store& store, QuestionCatalog* catalog, const DisputeDecision& decision,
                                   const std::string& reviewer, std::int64_t now_ms) {
  const std::vector<std::string> ids{decision.question_id};
  auto found = store.GetQuestions(ids);
  if (!found.ok()) return ServiceError::FromStatus(found.status());
  if (found->empty()) return ServiceError::NotFound("no question with id \"" + decision.question_id + "\"");
  const bool label = found->front().answer;
  if (decision.label && *decision.label != label)
    return ServiceError::Of(ErrorCode::kAlreadyCompleted,
                            "the label of " + decision.question_id + " is " + (label ? "true" : "false") +
                                " now, not the one decided about: it changed since; decide again");
  Resolution r;
  r.question_id = decision.question_id;
  r.resolved_at = FormatTimestampMs(now_ms);
  r.action = decision.action;
  r.reviewer = reviewer;
  r.notes = decision.notes;
  r.label_before = label;
  r.label_after = decision.action == ResolutionAction::kFlip ? !label : label;
  if (Status s = store.RecordResolution(r); !s.ok()) {
    if (s.code() == StatusCode::kNotFound) return ServiceError::NotFound(s.message());
    return ServiceError::FromStatus(s);
  }
  // The resolution is recorded; a catalog that fails to reload now does at
  // its next check of the store's version.
  if (catalog) (void)catalog->RefreshNow();
  return r;
}

}  // namespace truthbyte

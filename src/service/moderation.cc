#include "service/moderation.h"

namespace truthbyte {

Question QuestionFromSubmission(const Submission& s) {
  Question q;
  // "sub_<hex>" becomes "uq_<hex>": user questions keep a visible origin.
  q.id = "uq_" + (s.id.rfind("sub_", 0) == 0 ? s.id.substr(4) : s.id);
  static_cast<QuestionContent&>(q) = s;
  q.categories = NormaliseCategories(s.categories);
  q.tags = q.categories;
  q.source = "proposal:" + s.id;
  return q;
}

Result<Submission> DecideSubmission(Store& store, const std::string& submission_id, bool approve,
                                    const std::string& reviewer_id, const std::string& notes,
                                    const std::string& now_iso) {
  auto existing = store.GetSubmission(submission_id);
  if (!existing.ok()) return existing.status();
  if (!*existing) return Status::NotFound("no submission " + submission_id);

  SubmissionDecision decision;
  decision.submission_id = submission_id;
  decision.status = approve ? SubmissionStatus::kApproved : SubmissionStatus::kRejected;
  decision.reviewer_id = reviewer_id;
  decision.reviewer_notes = notes;
  decision.reviewed_at = now_iso;
  if (approve) decision.approved_question = QuestionFromSubmission(**existing);
  TB_RETURN_IF_ERROR(store.DecideSubmission(decision));

  auto after = store.GetSubmission(submission_id);
  if (!after.ok()) return after.status();
  if (!*after) return Status::Internal("submission " + submission_id + " vanished after the decision");
  return std::move(**after);
}

}  // namespace truthbyte

// Moderation of proposed questions: the one place where a decision is made,
// for the operator command and the HTTP API alike.
#pragma once

#include <string>

#include "core/question.h"
#include "core/records.h"
#include "core/status.h"
#include "store/store.h"

namespace truthbyte {

// The question an approved submission becomes.
Question QuestionFromSubmission(const Submission& submission);

// Approves (publishing the question) or rejects a pending submission.
// kNotFound for an unknown id, kConditionFailed when already decided.
// Returns the submission as stored afterwards.
Result<Submission> DecideSubmission(Store& store, const std::string& submission_id, bool approve,
                                    const std::string& reviewer_id, const std::string& notes,
                                    const std::string& now_iso);

}  // namespace truthbyte

// What the crowd model says, for the dataset owner: the disputed labels,
// most confident first, page by page, and one question's statistics. Read
// from the latest fit (CrowdSnapshot) and the catalog; no store access.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/crowd_truth.h"
#include "service/question_catalog.h"
#include "service/service_error.h"

namespace truthbyte {

inline constexpr int kMaxDisputesPerPage = 500;

struct DisputeQuery {
  std::optional<double> min_confidence;  // default: the fit's dispute threshold
  int limit = 50;                        // 1 to kMaxDisputesPerPage
  std::string cursor;                    // empty: the first page
};

struct DisputedQuestion {
  QuestionJudgment judgment;
  std::string question;  // the text, from the catalog
};

struct DisputePage {
  std::vector<DisputedQuestion> questions;
  std::string next_cursor;  // empty on the last page
};

// The questions with at least the fit's minimum of answers whose label the
// crowd contradicts with at least `min_confidence`, by confidence (then id),
// after `cursor`; not those a reviewer's resolution settles (Settles), nor
// those gone from the catalog or relabelled since the fit. A cursor names the last question shown (its confidence
// and id), so a page after a refit goes on from there: within one fit every
// question appears exactly once. 400 for a cursor that is not one of ours.
Outcome<DisputePage> ListDisputes(const CrowdSnapshot& crowd, const QuestionCatalog::Snapshot& catalog,
                                  const DisputeQuery& query);

struct QuestionStats {
  QuestionJudgment judgment;
  // Among the fit's answers, the share that agree with the label.
  std::optional<double> agreement;
};

// One question's judgment, against its label now and with its latest
// resolution; 404 for a question the catalog does not have. A question
// newer than the fit has no answers yet in it.
Outcome<QuestionStats> StatsOf(const CrowdSnapshot& crowd, const QuestionCatalog::Snapshot& catalog,
                               const std::string& question_id);

}  // namespace truthbyte

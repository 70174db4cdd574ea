// A reviewer's decision on a label the crowd disputes (POST
// /v1/resolve-dispute): keep it, flip it or retire the question. The
// decision is recorded with who made it and when (the export shows it),
// and the catalog reloads at once so that the question leaves the disputed
// list, and a retired one leaves play.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/records.h"
#include "service/question_catalog.h"
#include "service/service_error.h"
#include "store/store.h"

namespace truthbyte {

struct DisputeDecision {
  std::string question_id;
  ResolutionAction action = ResolutionAction::kKeep;
  std::string notes;
  // The label the reviewer decided about, when the client says it: a
  // decision about a label that has changed since (another reviewer's flip)
  // is refused, and a retried flip does not flip back.
  std::optional<bool> label;
};

// Records the decision and reloads `catalog` (none from the command line:
// a server's catalog sees the store's version move). 404 for a question
// the store does not have; 409 when `label` is given and is no longer the
// question's label.
Outcome<Resolution> ResolveDispute(Store& store, QuestionCatalog* catalog, const DisputeDecision& decision,
                                   const std::string& reviewer, std::int64_t now_ms);

}  // namespace truthbyte

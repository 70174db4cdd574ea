// truthbyte moderate list | approve ID | reject ID.

#include <iostream>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "service/moderation.h"

namespace truthbyte::cli {

int RunModerateList(const StoreOptions& store_options, int limit, std::ostream& out) {
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  auto pending = (*store)->ListSubmissionsByStatus(SubmissionStatus::kPending, limit);
  if (!pending.ok()) return Fail(pending.status());
  if (pending->empty()) {
    out << "no submissions are waiting for moderation\n";
    return 0;
  }
  for (const Submission& s : *pending) {
    out << fmt::format("{}  {}  by {}  [{}; difficulty {}; answer {}]\n    {}\n", s.id, s.submitted_at, s.author,
                       fmt::join(s.categories, ", "), s.difficulty, s.answer ? "true" : "false", s.question);
  }
  out << fmt::format("{} pending\n", pending->size());
  return 0;
}

int RunModerateDecide(const StoreOptions& store_options, const std::string& id, bool approve,
                      const std::string& reviewer, const std::string& notes, std::ostream& out) {
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  auto decided = DecideSubmission(**store, id, approve, reviewer, notes, NowIso());
  if (!decided.ok()) return Fail(decided.status());
  if (approve) {
    out << fmt::format("approved {}: published as question {}\n", id, decided->approved_question_id);
  } else {
    out << fmt::format("rejected {}\n", id);
  }
  return 0;
}

}  // namespace truthbyte::cli

// Player-proposed questions and their moderation: per-player limits,
// duplicate detection, the moderation queue, decisions. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/proposal.h"
#include "core/records.h"
#include "service/question_catalog.h"
#include "service/service_error.h"
#include "store/store.h"

namespace truthbyte {

class ProposalService {
 public:
  ProposalService(Store& store, QuestionCatalog& catalog) : store_(store), catalog_(catalog) {}

  // Stores a proposal that passed CheckProposal as pending. Errors:
  // kRateLimited after 3 accepted proposals an hour or 10 a day (with the
  // limit as own_limit), kDuplicate when the text is already a question or
  // pending.
  Outcome<Submission> Propose(const std::string& author, const Proposal& proposal, std::int64_t now_ms);
  Outcome<std::vector<Submission>> ListOwn(const std::string& author, std::optional<SubmissionStatus> status,
                                           int limit);
  Outcome<std::vector<Submission>> Queue(int limit);
  // Approve publishes the question and refreshes the catalog at once.
  Outcome<Submission> Decide(const std::string& submission_id, bool approve, const std::string& reviewer,
                             const std::string& notes, std::int64_t now_ms);

 private:
  Store& store_;
  QuestionCatalog& catalog_;
  // Proposals are rare: one at a time per process keeps the limit check and
  // the duplicate check atomic with the write (across instances on one
  // DynamoDB, a burst may still pass by one).
  std::mutex propose_mu_;
};

}  // namespace truthbyte

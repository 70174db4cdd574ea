// Player-proposed questions and their moderation over HTTP: validation with
// every problem reported, per-player limits, duplicate detection, the
// moderation queue. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/records.h"
#include "service/question_catalog.h"
#include "service/service_error.h"
#include "store/store.h"

namespace truthbyte {

class ProposalService {
 public:
  ProposalService(Store& store, QuestionCatalog& catalog) : store_(store), catalog_(catalog) {}

  // Validates and stores a proposal as pending. Errors: 400
  // validation_failed (details: every problem), 429 after 3 accepted
  // proposals an hour or 10 a day, 409 duplicate.
  Outcome<Submission> Propose(const std::string& author, const nlohmann::json& body, std::int64_t now_ms);
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

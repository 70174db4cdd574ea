#include "service/proposal_service.h"

#include "core/civil_date.h"
#include "core/proposal.h"
#include "core/text.h"
#include "service/auth_service.h"
#include "service/moderation.h"

namespace truthbyte {
namespace {

constexpr std::int64_t kHourMs = 3600 * 1000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

}  // namespace

Outcome<Submission> ProposalService::Propose(const std::string& author, const Proposal& proposal,
                                             std::int64_t now_ms) {
  std::lock_guard lock(propose_mu_);
  // Limits count the proposals that were accepted (stored), whatever their
  // later fate.
  auto recent = store_.ListSubmissionsByAuthor(author, std::nullopt, kProposalsPerDay);
  if (!recent.ok()) return ServiceError::FromStatus(recent.status());
  int last_hour = 0, last_day = 0;
  std::int64_t oldest_in_hour = now_ms, oldest_in_day = now_ms;
  for (const Submission& s : *recent) {
    const std::int64_t at = ParseTimestampMs(s.submitted_at).value_or(0);
    if (at > now_ms - kDayMs) {
      ++last_day;
      oldest_in_day = std::min(oldest_in_day, at);
    }
    if (at > now_ms - kHourMs) {
      ++last_hour;
      oldest_in_hour = std::min(oldest_in_hour, at);
    }
  }
  auto limited = [&](int limit, const char* per, std::int64_t window_ends_ms) {
    ServiceError e = ServiceError::RateLimited(
        "at most " + std::to_string(limit) + " proposals " + per, (window_ends_ms - now_ms + 999) / 1000);
    e.own_limit = limit;
    e.own_limit_reset = (window_ends_ms + 999) / 1000;
    return e;
  };
  if (last_day >= kProposalsPerDay) return limited(kProposalsPerDay, "a day", oldest_in_day + kDayMs);
  if (last_hour >= kProposalsPerHour) return limited(kProposalsPerHour, "an hour", oldest_in_hour + kHourMs);

  const std::string normalised = NormaliseQuestionText(proposal.question);
  if (catalog_.Current()->HasNormalisedText(normalised))
    return ServiceError::Of(ErrorCode::kDuplicate, "this question already exists");
  auto pending = store_.PendingSubmissionWithText(normalised);
  if (!pending.ok()) return ServiceError::FromStatus(pending.status());
  if (*pending) return ServiceError::Of(ErrorCode::kDuplicate, "this question is already waiting for moderation");

  Submission s;
  s.id = "sub_" + RandomHex(8);
  static_cast<QuestionContent&>(s) = proposal;
  s.author = author;
  s.status = SubmissionStatus::kPending;
  s.submitted_at = FormatTimestampMs(now_ms);
  if (Status st = store_.CreateSubmission(s); !st.ok()) return ServiceError::FromStatus(st);
  return s;
}

Outcome<std::vector<Submission>> ProposalService::ListOwn(const std::string& author,
                                                          std::optional<SubmissionStatus> status, int limit) {
  auto list = store_.ListSubmissionsByAuthor(author, status, limit);
  if (!list.ok()) return ServiceError::FromStatus(list.status());
  return std::move(*list);
}

Outcome<std::vector<Submission>> ProposalService::Queue(int limit) {
  auto list = store_.ListSubmissionsByStatus(SubmissionStatus::kPending, limit);
  if (!list.ok()) return ServiceError::FromStatus(list.status());
  return std::move(*list);
}

Outcome<Submission> ProposalService::Decide(const std::string& submission_id, bool approve,
                                            const std::string& reviewer, const std::string& notes,
                                            std::int64_t now_ms) {
  auto decided = DecideSubmission(store_, submission_id, approve, reviewer, notes, FormatTimestampMs(now_ms));
  if (!decided.ok()) {
    if (decided.status().code() == StatusCode::kConditionFailed)
      return ServiceError::Of(ErrorCode::kAlreadyCompleted, decided.status().message());
    if (decided.status().code() == StatusCode::kNotFound) return ServiceError::NotFound(decided.status().message());
    return ServiceError::FromStatus(decided.status());
  }
  if (approve) {
    if (Status s = catalog_.RefreshNow(); !s.ok()) return ServiceError::FromStatus(s);
  }
  return std::move(*decided);
}

}  // namespace truthbyte

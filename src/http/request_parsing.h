// Requests read from the wire into the typed values the services take:
// query strings, JSON bodies, each endpoint's parameters. Each reader
// reports a bad request as the ServiceError the client gets, with every
// problem found where there can be several.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/proposal.h"
#include "core/records.h"
#include "service/auth_service.h"
#include "service/crowd_reports.h"
#include "service/dispute_resolution.h"
#include "service/game_service.h"
#include "service/service_error.h"

namespace truthbyte {

using QueryParams = std::map<std::string, std::string>;

// The parameters of a query string (the text after '?'), form-decoded.
Outcome<QueryParams> ParseQuery(std::string_view query);
// A JSON body: present, nested at most 32 deep, valid UTF-8 and JSON.
Outcome<nlohmann::json> ParseBody(const std::string& body);
// An integer parameter within [min, max], or `fallback` when absent.
Outcome<int> IntParam(const QueryParams& query, const std::string& name, int min, int max, int fallback);

// fetch-questions (GameService's FetchRequest): category (default
// "general", lower-cased), difficulty (0 for any), num_questions or its
// alias count, mode (random or label).
Outcome<FetchRequest> ReadFetchRequest(const QueryParams& query);
// disputed-questions: min_confidence (0.5 to 1), limit (1 to 500, default
// 50), cursor.
Outcome<DisputeQuery> ReadDisputeQuery(const QueryParams& query);
// question-stats: question_id (required, 1 to 128 bytes).
Outcome<std::string> ReadQuestionIdParam(const QueryParams& query);

// A list of answers (1 to 100). The token decides who answers: an answer's
// optional user_id must name the caller, as their user id or as their
// token's session id (the deployed client sends its session id there).
Outcome<std::vector<AnswerInput>> ReadAnswers(const nlohmann::json& list, const Caller& caller, std::int64_t now_ms);
// submit-answers: a bare list of answers or {"answers": [...]}.
Outcome<std::vector<AnswerInput>> ReadAnswerSubmission(const nlohmann::json& body, const Caller& caller,
                                                       std::int64_t now_ms);

// A `date` parameter: a real date, not in the future; today when absent.
Outcome<CivilDate> DateParam(const std::optional<std::string>& text, const CivilDate& today);

// fetch-daily-questions: the date, and the parts the compact default
// leaves out (`include`, a comma list of passage, tags, timestamps, all).
struct DailyRequest {
  CivilDate date;
  DailyQuestionParts parts;
  bool answer_timestamps = false;
};
Outcome<DailyRequest> ReadDailyRequest(const QueryParams& query, const CivilDate& today);

// submit-daily-answers: {"date"?, "answers"}; the date must be today.
struct DailySubmission {
  CivilDate date;
  std::vector<AnswerInput> answers;
};
Outcome<DailySubmission> ReadDailySubmission(const nlohmann::json& body, const Caller& caller, const CivilDate& today,
                                             std::int64_t now_ms);

// propose-question: a proposal that passed CheckProposal (SPEC section 4).
Outcome<Proposal> ReadProposal(const nlohmann::json& body);

// approve-question: {"question_id", "action": "approve"|"reject", "reviewer_notes"?}.
struct Decision {
  std::string submission_id;
  bool approve = false;
  std::string notes;
};
Outcome<Decision> ReadDecision(const nlohmann::json& body);

// resolve-dispute: {"question_id", "action": "keep"|"flip"|"retire", "notes"?, "label"?}.
Outcome<DisputeDecision> ReadDisputeDecision(const nlohmann::json& body);

// refresh: {"refresh_token"}.
Outcome<std::string> ReadRefreshToken(const nlohmann::json& body);

// user-submissions: `status`, absent for any.
Outcome<std::optional<SubmissionStatus>> StatusParam(const QueryParams& query);

}  // namespace truthbyte

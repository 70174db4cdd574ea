#include "http/request_parsing.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include <fmt/core.h>

#include "core/text.h"

namespace truthbyte {
namespace {

constexpr int kMaxJsonDepth = 32;
constexpr std::size_t kMaxReviewerNotesBytes = 1000;

// Decodes application/x-www-form-urlencoded text; nullopt on a bad escape or
// invalid UTF-8.
std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = HexDigitValue(in[i + 1]), lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (!IsValidUtf8(out)) return std::nullopt;
  return out;
}

// The JSON nesting depth of `body`, counting brackets outside strings; the
// parser recurses, so depth is bounded before parsing.
int JsonDepth(std::string_view body) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') max_depth = std::max(max_depth, ++depth);
    else if (c == ']' || c == '}') --depth;
  }
  return max_depth;
}

ServiceError Invalid(std::string message, std::vector<std::string> problems = {}) {
  return ServiceError::Of(ErrorCode::kValidationFailed, std::move(message), std::move(problems));
}

}  // namespace

Outcome<QueryParams> ParseQuery(std::string_view query) {
  QueryParams params;
  for (std::string_view rest = query; !rest.empty();) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq));
    auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value) return ServiceError::InvalidParameter("the query string is not valid UTF-8 form encoding");
    params.emplace(std::move(*key), std::move(*value));
  }
  return params;
}

Outcome<nlohmann::json> ParseBody(const std::string& body) {
  if (TrimWhitespace(body).empty()) return ServiceError::Of(ErrorCode::kInvalidJson, "a JSON body is required");
  if (JsonDepth(body) > kMaxJsonDepth)
    return ServiceError::Of(ErrorCode::kInvalidJson, "the JSON body is nested too deeply");
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    return ServiceError::Of(ErrorCode::kInvalidJson,
                            IsValidUtf8(body) ? "the body is not valid JSON" : "the body is not valid UTF-8");
  }
  return j;
}

Outcome<int> IntParam(const QueryParams& query, const std::string& name, int min, int max, int fallback) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return fallback;
  const std::string& v = it->second;
  const bool digits = v.size() <= 9 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  const int n = digits ? std::stoi(v) : -1;
  if (!digits || n < min || n > max)
    return ServiceError::InvalidParameter(fmt::format("{} must be an integer from {} to {}", name, min, max));
  return n;
}

Outcome<FetchRequest> ReadFetchRequest(const QueryParams& query) {
  auto given = [&](const char* key) {
    auto it = query.find(key);
    return it != query.end() && !it->second.empty();
  };
  FetchRequest r;
  auto count = IntParam(query, given("num_questions") ? "num_questions" : "count", 1, kMaxFetchQuestions,
                        kDefaultFetchQuestions);
  if (!count.ok()) return count.error();
  r.count = *count;
  auto difficulty = IntParam(query, "difficulty", 1, 5, 0);
  if (!difficulty.ok()) return difficulty.error();
  r.difficulty = *difficulty;
  r.category = "general";
  if (auto it = query.find("category"); it != query.end() && !TrimWhitespace(it->second).empty())
    r.category = ToLowerAscii(TrimWhitespace(it->second));
  if (r.category.size() > 50) return ServiceError::InvalidParameter("category must be at most 50 characters");
  if (auto it = query.find("mode"); it != query.end() && !it->second.empty()) {
    if (it->second == "label") r.mode = FetchMode::kLabel;
    else if (it->second != "random") return ServiceError::InvalidParameter("mode must be random or label");
  }
  return r;
}

Outcome<DisputeQuery> ReadDisputeQuery(const QueryParams& query) {
  DisputeQuery q;
  if (auto it = query.find("min_confidence"); it != query.end() && !it->second.empty()) {
    double v = -1;
    const char* begin = it->second.data();
    const char* end = begin + it->second.size();
    auto [stop, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || stop != end || !(v >= 0.5 && v <= 1.0))
      return ServiceError::InvalidParameter("min_confidence must be a number from 0.5 to 1");
    q.min_confidence = v;
  }
  auto limit = IntParam(query, "limit", 1, kMaxDisputesPerPage, 50);
  if (!limit.ok()) return limit.error();
  q.limit = *limit;
  if (auto it = query.find("cursor"); it != query.end()) q.cursor = it->second;
  return q;
}

Outcome<std::string> ReadQuestionIdParam(const QueryParams& query) {
  auto it = query.find("question_id");
  if (it == query.end() || it->second.empty() || it->second.size() > 128)
    return ServiceError::InvalidParameter("question_id is required (1 to 128 bytes)");
  return it->second;
}

Outcome<std::vector<AnswerInput>> ReadAnswers(const nlohmann::json& list, const Caller& caller, std::int64_t now_ms) {
  if (!list.is_array()) return Invalid("answers must be a list");
  if (list.empty() || list.size() > kMaxAnswersPerRequest)
    return Invalid(fmt::format("send 1 to {} answers", kMaxAnswersPerRequest));
  std::vector<AnswerInput> out;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& a = list[i];
    const std::string where = fmt::format("answers[{}]", i);
    if (!a.is_object()) {
      problems.push_back(where + " must be an object");
      continue;
    }
    AnswerInput in;
    auto qid = a.find("question_id");
    if (qid == a.end() || !qid->is_string() || qid->get_ref<const std::string&>().empty() ||
        qid->get_ref<const std::string&>().size() > 128) {
      problems.push_back(where + ".question_id must be a non-empty string");
    } else {
      in.question_id = qid->get<std::string>();
    }
    auto answer = a.find("answer");
    if (answer == a.end() || !answer->is_boolean()) {
      problems.push_back(where + ".answer must be true or false");
    } else {
      in.answer = answer->get<bool>();
    }
    auto ts = a.find("timestamp");
    if (ts == a.end() || ts->is_null()) {
      in.timestamp = static_cast<double>(now_ms) / 1000.0;
    } else if (!ts->is_number() || ts->get<double>() < 0 || ts->get<double>() > 1e13) {
      problems.push_back(where + ".timestamp must be a non-negative number");
    } else {
      in.timestamp = ts->get<double>();
      in.timestamp_given = true;
    }
    auto rt = a.find("response_time_ms");
    if (rt != a.end() && !rt->is_null()) {
      if (!rt->is_number() || rt->get<double>() < 0 || rt->get<double>() > 86400000.0) {
        problems.push_back(where + ".response_time_ms must be a number of milliseconds up to a day");
      } else {
        in.response_time_ms = static_cast<std::int64_t>(rt->get<double>());
      }
    }
    auto uid = a.find("user_id");
    if (uid != a.end() && !uid->is_null()) {
      if (!uid->is_string()) {
        problems.push_back(where + ".user_id must be a string");
      } else if (const std::string& named = uid->get_ref<const std::string&>();
                 named != caller.session_id && ToLowerAscii(named) != caller.user_id) {
        return ServiceError::Of(ErrorCode::kUserMismatch, where + ".user_id is not the authenticated user");
      }
    }
    out.push_back(std::move(in));
  }
  if (!problems.empty()) return Invalid("some answers are not valid", std::move(problems));
  return out;
}

Outcome<std::vector<AnswerInput>> ReadAnswerSubmission(const nlohmann::json& body, const Caller& caller,
                                                       std::int64_t now_ms) {
  if (!body.is_object()) return ReadAnswers(body, caller, now_ms);
  auto it = body.find("answers");
  if (it == body.end()) return Invalid("answers is required");
  return ReadAnswers(*it, caller, now_ms);
}

Outcome<CivilDate> DateParam(const std::optional<std::string>& text, const CivilDate& today) {
  if (!text || text->empty()) return today;
  auto date = CivilDate::Parse(*text);
  if (!date) return ServiceError::InvalidParameter("date must be a real date as YYYY-MM-DD");
  if (*date > today) return ServiceError::InvalidParameter("date must not be in the future");
  return *date;
}

Outcome<DailyRequest> ReadDailyRequest(const QueryParams& query, const CivilDate& today) {
  auto d = query.find("date");
  auto date = DateParam(d == query.end() ? std::nullopt : std::optional<std::string>(d->second), today);
  if (!date.ok()) return date.error();
  DailyRequest r{*date, {}, false};
  auto it = query.find("include");
  if (it == query.end()) return r;
  for (std::string_view rest = it->second; !rest.empty();) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = TrimWhitespace(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (part == "passage") {
      r.parts.passage = true;
    } else if (part == "tags") {
      r.parts.tags = true;
    } else if (part == "timestamps") {
      r.answer_timestamps = true;
    } else if (part == "all") {
      r.parts = {.passage = true, .tags = true};
      r.answer_timestamps = true;
    } else if (!part.empty()) {
      return ServiceError::InvalidParameter("include takes a comma list of passage, tags, timestamps and all, not \"" +
                                            std::string(part.substr(0, 40)) + "\"");
    }
  }
  return r;
}

Outcome<DailySubmission> ReadDailySubmission(const nlohmann::json& body, const Caller& caller, const CivilDate& today,
                                             std::int64_t now_ms) {
  if (!body.is_object()) return Invalid("the body must be an object");
  std::optional<std::string> date_text;
  if (auto d = body.find("date"); d != body.end() && !d->is_null()) {
    if (!d->is_string()) return ServiceError::InvalidParameter("date must be a string YYYY-MM-DD");
    date_text = d->get<std::string>();
  }
  auto date = DateParam(date_text, today);
  if (!date.ok()) return date.error();
  if (*date != today) return DailySubmissionDateError(today);
  auto list = body.find("answers");
  if (list == body.end()) return Invalid("answers is required");
  auto answers = ReadAnswers(*list, caller, now_ms);
  if (!answers.ok()) return answers.error();
  return DailySubmission{*date, std::move(*answers)};
}

Outcome<Proposal> ReadProposal(const nlohmann::json& body) {
  ProposalCheck check = CheckProposal(body);
  if (!check.ok()) {
    std::vector<std::string> problems;
    for (const ProposalProblem& p : check.problems) problems.push_back(p.field + " " + p.message);
    return Invalid("Input validation failed", std::move(problems));
  }
  return std::move(check.proposal);
}

namespace {

// Whether the optional reviewer's notes under `key` are absent, null or a
// string of at most kMaxReviewerNotesBytes.
bool AreNotes(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  return it->is_string() && it->get_ref<const std::string&>().size() <= kMaxReviewerNotesBytes;
}

}  // namespace

Outcome<Decision> ReadDecision(const nlohmann::json& j) {
  std::vector<std::string> problems;
  if (!j.is_object()) {
    problems.push_back("the body must be an object");
  } else {
    if (!j.contains("question_id") || !j["question_id"].is_string()) problems.push_back("question_id must be a string");
    if (!j.contains("action") || !j["action"].is_string() || (j["action"] != "approve" && j["action"] != "reject"))
      problems.push_back("action must be \"approve\" or \"reject\"");
    if (!AreNotes(j, "reviewer_notes")) problems.push_back("reviewer_notes must be a string of at most 1000 bytes");
  }
  if (!problems.empty()) return Invalid("the decision is not valid", std::move(problems));
  Decision d;
  d.submission_id = j["question_id"].get<std::string>();
  d.approve = j["action"] == "approve";
  if (j.contains("reviewer_notes") && j["reviewer_notes"].is_string()) d.notes = j["reviewer_notes"].get<std::string>();
  return d;
}

Outcome<DisputeDecision> ReadDisputeDecision(const nlohmann::json& j) {
  std::vector<std::string> problems;
  std::optional<ResolutionAction> action;
  if (!j.is_object()) {
    problems.push_back("the body must be an object");
  } else {
    if (!j.contains("question_id") || !j["question_id"].is_string() || j["question_id"].get_ref<const std::string&>().empty())
      problems.push_back("question_id must be a non-empty string");
    if (j.contains("action") && j["action"].is_string()) action = ParseResolutionAction(j["action"].get<std::string>());
    if (!action) problems.push_back("action must be \"keep\", \"flip\" or \"retire\"");
    if (!AreNotes(j, "notes")) problems.push_back("notes must be a string of at most 1000 bytes");
    if (j.contains("label") && !j["label"].is_null() && !j["label"].is_boolean())
      problems.push_back("label must be true or false (the label decided about)");
  }
  if (!problems.empty()) return Invalid("the resolution is not valid", std::move(problems));
  DisputeDecision d;
  d.question_id = j["question_id"].get<std::string>();
  d.action = *action;
  if (j.contains("notes") && j["notes"].is_string()) d.notes = j["notes"].get<std::string>();
  if (j.contains("label") && j["label"].is_boolean()) d.label = j["label"].get<bool>();
  return d;
}

Outcome<std::string> ReadRefreshToken(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("refresh_token") || !j["refresh_token"].is_string())
    return Invalid("refresh_token (a string) is required");
  return j["refresh_token"].get<std::string>();
}

Outcome<std::optional<SubmissionStatus>> StatusParam(const QueryParams& query) {
  auto it = query.find("status");
  if (it == query.end() || it->second.empty()) return std::optional<SubmissionStatus>();
  auto status = ParseSubmissionStatus(it->second);
  if (!status) return ServiceError::InvalidParameter("status must be pending, approved or rejected");
  return std::optional<SubmissionStatus>(*status);
}

}  // namespace truthbyte

// Questions and answers: /v1/fetch-questions, /v1/submit-answers,
// /v1/categories.
#include <algorithm>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "http/api_internal.h"
#include "http/request_parsing.h"

namespace truthbyte {
namespace {

std::string JsonString(const std::string& s) {
  // Printable ASCII but '"' and '\\' is written as it is (the common case,
  // a category name on every fetch); anything else through nlohmann, which
  // escapes and replaces invalid UTF-8.
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) return '"' + s + '"';
  return JsonText(nlohmann::json(s));
}

}  // namespace

std::string FetchQuestionsBody(const FetchedQuestions& fetched, const std::string& category, int difficulty,
                               int requested_count, bool debug) {
  std::string body;
  body.reserve(1024 * fetched.question_json.size() + 128);
  body += "{\"questions\":[";
  for (std::size_t i = 0; i < fetched.question_json.size(); ++i) {
    if (i) body += ',';
    body += fetched.question_json[i];
  }
  body += "],\"count\":";
  AppendNumber(body, static_cast<std::int64_t>(fetched.question_json.size()));
  body += ",\"category\":";
  body += JsonString(category);
  body += ",\"difficulty\":";
  if (difficulty) AppendNumber(body, difficulty); else body += "null";
  body += ",\"requested_count\":";
  AppendNumber(body, requested_count);
  if (debug) {
    body += fmt::format(",\"debug_info\":{{\"strategy\":\"{}\",\"catalog_version\":{},\"catalog_questions\":{}}}",
                        fetched.strategy, fetched.snapshot->version, fetched.snapshot->entries.size());
  }
  body += '}';
  return body;
}

HttpResponse Api::FetchQuestions(Context& ctx) {
  auto request = ReadFetchRequest(ctx.query);
  if (!request.ok()) return Error(ctx, request.error());
  auto fetched = services_.game->FetchQuestions(ctx.caller.user_id, *request);
  if (!fetched.ok()) return Error(ctx, fetched.error());
  metrics_.CountFetch(fetched->strategy);
  return Json(ctx, 200,
              FetchQuestionsBody(*fetched, request->category, request->difficulty, request->count, options_.debug));
}

HttpResponse Api::SubmitAnswers(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  auto answers = ReadAnswerSubmission(*body, ctx.caller, ctx.now_ms);
  if (!answers.ok()) return Error(ctx, answers.error());
  auto result = services_.game->SubmitAnswers(ctx.caller.user_id, *answers, ctx.now_ms);
  if (!result.ok()) return Error(ctx, result.error());
  if (services_.crowd) services_.crowd->NoteAnswers(result->recorded);
  metrics_.CountJudgments(result->judgments);
  const std::optional<double> reliability = Reliability(ctx.caller.user_id);
  nlohmann::ordered_json j;
  j["success"] = true;
  j["message"] = fmt::format("recorded {} answer{}", result->recorded, result->recorded == 1 ? "" : "s");
  j["trust_score"] = result->trust_score;
  j["correct_answers"] = result->correct_answers;
  j["total_answers"] = result->total_answers;
  j["recorded"] = result->recorded;
  j["duplicates"] = result->duplicates;
  j["unknown_questions"] = result->unknown_questions;
  j["reliability"] = reliability ? nlohmann::ordered_json(*reliability) : nlohmann::ordered_json();
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const AnswerOutcome& r : result->results)
    results.push_back({{"question_id", r.question_id}, {"correct", r.correct}, {"label", r.label}});
  j["results"] = std::move(results);
  return Json(ctx, 200, JsonText(j));
}

HttpResponse Api::Categories(Context& ctx) {
  // Serialised once per catalog snapshot.
  return Json(ctx, 200, services_.catalog->Current()->categories_json);
}

}  // namespace truthbyte

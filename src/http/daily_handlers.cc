// The daily challenge: /v1/fetch-daily-questions, /v1/submit-daily-answers.
#include <iterator>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/record_json.h"
#include "http/api_internal.h"
#include "http/request_parsing.h"

namespace truthbyte {

bool Api::FetchDailyFreezes(const HttpRequest& request) const {
  const std::string_view target(request.target().data(), request.target().size());
  const CivilDate today = TodayFromMs(clock_ms_());
  const auto question_mark = target.find('?');
  if (question_mark == std::string_view::npos) return !services_.game->HasChallengeOf(today);
  auto query = ParseQuery(target.substr(question_mark + 1));
  if (!query.ok()) return false;  // refused before any store call
  auto daily = ReadDailyRequest(*query, today);
  if (!daily.ok()) return false;  // the same
  return !services_.game->HasChallengeOf(daily->date);
}

HttpResponse Api::FetchDaily(Context& ctx) {
  const CivilDate today = TodayFromMs(ctx.now_ms);
  auto request = ReadDailyRequest(ctx.query, today);
  if (!request.ok()) return Error(ctx, request.error());
  auto view = services_.game->FetchDaily(ctx.caller.user_id, request->date, today, request->parts);
  if (!view.ok()) return Error(ctx, view.error());
  const std::string& questions = *view->questions_json;
  std::string body;
  body.reserve(questions.size() + 1024);
  body += "{\"questions\":";
  body += questions;
  // Written directly: this is a hot path, and every value is a number, a
  // boolean or a date (YYYY-MM-DD, nothing to escape). The streaks carry a
  // fraction (3.0): the deployed client reads them as floats, and reads an
  // integer's bits as 0.
  const std::string progress =
      view->progress ? JsonText(DailyProgressToJson(*view->progress, request->answer_timestamps))
                     : fmt::format(R"({{"completed":false,"score":null,"rank":null,"correct_count":0,)"
                                   R"("total_questions":{},"answers":[],"completed_at":null}})",
                                   view->total_questions);
  fmt::format_to(std::back_inserter(body),
                 R"(,"date":"{}","daily_progress":{},"streak_info":{{"current_streak":{}.0,"best_streak":{}.0,)"
                 R"("streak_eligible":{}}},"total_questions":{}}})",
                 view->date, progress, view->current_streak, view->best_streak, view->streak_eligible,
                 view->total_questions);
  return Json(ctx, 200, std::move(body));
}

HttpResponse Api::SubmitDaily(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  const CivilDate today = TodayFromMs(ctx.now_ms);
  auto submission = ReadDailySubmission(*body, ctx.caller, today, ctx.now_ms);
  if (!submission.ok()) return Error(ctx, submission.error());
  auto result = services_.game->SubmitDaily(ctx.caller.user_id, submission->date, submission->answers, today,
                                            ctx.now_ms);
  if (!result.ok()) return Error(ctx, result.error());
  nlohmann::ordered_json score;
  score["correct_count"] = result->score.correct;
  score["total_questions"] = result->score.total;
  score["score_percentage"] = result->score.percentage;
  score["rank"] = std::string(1, result->score.rank);
  score["streak_eligible"] = result->score.streak_eligible;
  nlohmann::ordered_json streak;
  streak["current_streak"] = result->streak.state.current;
  streak["best_streak"] = result->streak.state.best;
  streak["streak_continued"] = result->streak.continued;
  nlohmann::ordered_json j;
  j["success"] = true;
  j["score"] = std::move(score);
  j["streak_info"] = std::move(streak);
  j["date"] = result->date;
  return Json(ctx, 200, JsonText(j));
}

}  // namespace truthbyte

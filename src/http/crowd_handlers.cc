// Crowd truth for the dataset owner: /v1/disputed-questions and
// /v1/resolve-dispute (admin), /v1/question-stats.
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/record_json.h"
#include "http/api_internal.h"
#include "http/request_parsing.h"
#include "service/crowd_reports.h"

namespace truthbyte {
namespace {

nlohmann::ordered_json NumberOrNull(std::optional<double> v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}

}  // namespace

Outcome<std::shared_ptr<const CrowdSnapshot>> Api::CrowdFit() const {
  if (!services_.crowd)
    return ServiceError::NotFound("crowd truth is off on this server (serve --crowd-refit 0)");
  auto snapshot = services_.crowd->Current();
  if (!snapshot) return ServiceError::Of(ErrorCode::kStoreUnavailable, "the crowd model is being fitted; try again shortly");
  return snapshot;
}

HttpResponse Api::DisputedQuestions(Context& ctx) {
  auto query = ReadDisputeQuery(ctx.query);
  if (!query.ok()) return Error(ctx, query.error());
  auto fit = CrowdFit();
  if (!fit.ok()) return Error(ctx, fit.error());
  auto page = ListDisputes(**fit, *services_.catalog->Current(), *query);
  if (!page.ok()) return Error(ctx, page.error());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const DisputedQuestion& d : page->questions) {
    const QuestionJudgment& j = d.judgment;
    list.push_back({{"question_id", j.question_id}, {"question", d.question}, {"label", j.label},
                    {"crowd_p_true", j.p_true}, {"confidence", j.confidence}, {"answers", j.answers},
                    {"true_votes", j.true_votes}});
  }
  nlohmann::ordered_json out;
  out["questions"] = std::move(list);
  out["next_cursor"] = page->next_cursor.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(page->next_cursor);
  return Json(ctx, 200, JsonText(out));
}

HttpResponse Api::ResolveDispute(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  auto decision = ReadDisputeDecision(*body);
  if (!decision.ok()) return Error(ctx, decision.error());
  auto resolved = truthbyte::ResolveDispute(*services_.store, services_.catalog, *decision, ctx.caller.user_id,
                                            ctx.now_ms);
  if (!resolved.ok()) return Error(ctx, resolved.error());
  static constexpr const char* kMessages[kResolutionActions] = {
      "the label stands; the question is no longer flagged",
      "the label is flipped; answers already scored keep their scores",
      "the question is retired from play",
  };
  nlohmann::ordered_json out;
  out["success"] = true;
  out["message"] = kMessages[static_cast<int>(resolved->action)];
  out["resolution"] = ResolutionToJson(*resolved);
  return Json(ctx, 200, JsonText(out));
}

HttpResponse Api::QuestionStats(Context& ctx) {
  auto id = ReadQuestionIdParam(ctx.query);
  if (!id.ok()) return Error(ctx, id.error());
  auto fit = CrowdFit();
  if (!fit.ok()) return Error(ctx, fit.error());
  auto stats = StatsOf(**fit, *services_.catalog->Current(), *id);
  if (!stats.ok()) return Error(ctx, stats.error());
  const QuestionJudgment& j = stats->judgment;
  nlohmann::ordered_json out;
  out["question_id"] = j.question_id;
  out["answers"] = j.answers;
  out["true_votes"] = j.true_votes;
  out["crowd_p_true"] = j.p_true;
  out["label"] = j.label;
  out["agreement"] = NumberOrNull(stats->agreement);
  out["disputed"] = j.disputed;
  out["empirical_difficulty"] = j.empirical_difficulty ? nlohmann::ordered_json(j.empirical_difficulty)
                                                      : nlohmann::ordered_json();
  out["confidence"] = j.confidence;
  out["resolution"] = j.resolution ? nlohmann::ordered_json(ResolutionToJson(*j.resolution)) : nlohmann::ordered_json();
  return Json(ctx, 200, JsonText(out));
}

}  // namespace truthbyte

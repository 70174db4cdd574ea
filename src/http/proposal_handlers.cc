// Proposed questions and their moderation: /v1/propose-question,
// /v1/user-submissions, /v1/moderation-queue, /v1/approve-question.
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/record_json.h"
#include "http/api_internal.h"
#include "http/request_parsing.h"

namespace truthbyte {
namespace {

std::string SubmissionList(const std::vector<Submission>& list) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const Submission& s : list) items.push_back(SubmissionToJson(s));
  nlohmann::ordered_json j;
  j["submissions"] = std::move(items);
  j["count"] = list.size();
  return JsonText(j);
}

}  // namespace

HttpResponse Api::ProposeQuestion(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  auto proposal = ReadProposal(*body);
  if (!proposal.ok()) return Error(ctx, proposal.error());
  auto submission = services_.proposals->Propose(ctx.caller.user_id, *proposal, ctx.now_ms);
  if (!submission.ok()) return Error(ctx, submission.error());
  nlohmann::ordered_json data;
  data["id"] = submission->id;
  data["question"] = submission->question;
  data["answer"] = submission->answer;
  data["title"] = submission->title;
  data["passage"] = submission->passage;
  data["categories"] = submission->categories;
  data["difficulty"] = submission->difficulty;
  data["status"] = "pending";
  data["submitted_at"] = submission->submitted_at;
  data["author"] = submission->author;
  data["accepted"] = false;
  nlohmann::ordered_json j;
  j["success"] = true;
  j["data"] = std::move(data);
  return Json(ctx, 201, JsonText(j));
}

HttpResponse Api::UserSubmissions(Context& ctx) {
  auto limit = IntParam(ctx.query, "limit", 1, 100, 20);
  if (!limit.ok()) return Error(ctx, limit.error());
  auto status = StatusParam(ctx.query);
  if (!status.ok()) return Error(ctx, status.error());
  auto list = services_.proposals->ListOwn(ctx.caller.user_id, *status, *limit);
  if (!list.ok()) return Error(ctx, list.error());
  return Json(ctx, 200, SubmissionList(*list));
}

HttpResponse Api::ModerationQueue(Context& ctx) {
  auto limit = IntParam(ctx.query, "limit", 1, 100, 50);
  if (!limit.ok()) return Error(ctx, limit.error());
  auto list = services_.proposals->Queue(*limit);
  if (!list.ok()) return Error(ctx, list.error());
  return Json(ctx, 200, SubmissionList(*list));
}

HttpResponse Api::ApproveQuestion(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  auto decision = ReadDecision(*body);
  if (!decision.ok()) return Error(ctx, decision.error());
  auto decided = services_.proposals->Decide(decision->submission_id, decision->approve, ctx.caller.user_id,
                                             decision->notes, ctx.now_ms);
  if (!decided.ok()) return Error(ctx, decided.error());
  nlohmann::ordered_json out;
  out["success"] = true;
  out["message"] = decision->approve ? "approved and published" : "rejected";
  out["submission"] = SubmissionToJson(*decided);
  out["question_id"] = decided->approved_question_id.empty() ? nlohmann::ordered_json()
                                                             : nlohmann::ordered_json(decided->approved_question_id);
  return Json(ctx, 200, JsonText(out));
}

}  // namespace truthbyte

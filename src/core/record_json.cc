#include "core/record_json.h"

namespace truthbyte {

nlohmann::ordered_json AnswerToJson(const Answer& a) {
  nlohmann::ordered_json j;
  j["user_id"] = a.user_id;
  j["question_id"] = a.question_id;
  j["answer"] = a.answer;
  j["is_correct"] = a.is_correct ? nlohmann::ordered_json(*a.is_correct) : nlohmann::ordered_json();
  j["timestamp"] = a.timestamp;
  j["response_time_ms"] = a.response_time_ms ? nlohmann::ordered_json(*a.response_time_ms) : nlohmann::ordered_json();
  j["judgment"] = JudgmentName(a.judgment);
  return j;
}

nlohmann::ordered_json DailyProgressToJson(const DailyProgress& p, bool with_answer_timestamps) {
  nlohmann::ordered_json answers = nlohmann::ordered_json::array();
  for (const auto& a : p.answers) {
    nlohmann::ordered_json e;
    e["question_id"] = a.question_id;
    e["answer"] = a.answer;
    e["is_correct"] = a.is_correct;
    if (with_answer_timestamps) e["timestamp"] = a.timestamp;
    answers.push_back(std::move(e));
  }
  nlohmann::ordered_json j;
  j["completed"] = true;
  j["score"] = p.score;
  j["rank"] = p.rank;
  j["correct_count"] = p.correct_count;
  j["total_questions"] = p.total_questions;
  j["answers"] = std::move(answers);
  j["completed_at"] = p.completed_at;
  return j;
}

Status DailyProgressFromJson(const std::string& date, const nlohmann::json& j, DailyProgress* p) {
  try {
    p->date = date;
    p->score = j.at("score").get<double>();
    p->rank = j.at("rank").get<std::string>();
    p->correct_count = j.at("correct_count").get<int>();
    p->total_questions = j.at("total_questions").get<int>();
    p->completed_at = j.at("completed_at").get<std::string>();
    p->answers.clear();
    for (const auto& a : j.at("answers"))
      p->answers.push_back({a.at("question_id").get<std::string>(), a.at("answer").get<bool>(),
                            a.at("is_correct").get<bool>(), a.at("timestamp").get<double>()});
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption("daily progress of " + date + " does not decode: " + e.what());
  }
  return Status::Ok();
}

nlohmann::ordered_json UserToJson(const User& u) {
  nlohmann::ordered_json progress = nlohmann::ordered_json::object();
  for (const auto& [date, p] : u.daily_progress) progress[date] = DailyProgressToJson(p);
  nlohmann::ordered_json j;
  j["user_id"] = u.user_id;
  j["trust_score"] = TrustScore(u.correct_answers, u.total_answers);
  j["created_at"] = u.created_at;
  j["last_active"] = u.last_active;
  j["total_answers"] = u.total_answers;
  j["correct_answers"] = u.correct_answers;
  j["current_daily_streak"] = u.streak.current;
  j["best_daily_streak"] = u.streak.best;
  j["last_counted_date"] = u.streak.last_counted ? u.streak.last_counted->ToString() : std::string();
  j["daily_progress"] = std::move(progress);
  return j;
}

nlohmann::ordered_json SubmissionToJson(const Submission& s) {
  nlohmann::ordered_json j;
  j["id"] = s.id;
  j["question"] = s.question;
  j["title"] = s.title;
  j["passage"] = s.passage;
  j["answer"] = s.answer;
  j["categories"] = s.categories;
  j["difficulty"] = s.difficulty;
  j["author"] = s.author;
  j["status"] = SubmissionStatusName(s.status);
  j["submitted_at"] = s.submitted_at;
  j["reviewed_at"] = s.reviewed_at;
  j["reviewer_id"] = s.reviewer_id;
  j["reviewer_notes"] = s.reviewer_notes;
  j["approved_question_id"] = s.approved_question_id;
  return j;
}

nlohmann::ordered_json ResolutionToJson(const Resolution& r) {
  nlohmann::ordered_json j;
  j["question_id"] = r.question_id;
  j["action"] = ResolutionActionName(r.action);
  j["reviewer"] = r.reviewer;
  j["resolved_at"] = r.resolved_at;
  j["notes"] = r.notes;
  j["label_before"] = r.label_before;
  j["label_after"] = r.label_after;
  return j;
}

}  // namespace truthbyte

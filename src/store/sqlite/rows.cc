#include "store/sqlite/rows.h"

#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/record_json.h"
#include "core/text.h"

namespace truthbyte::sqlite {

std::string ToJsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[(c >> 4) & 0xf];
            out += kHex[c & 0xf];
          } else {
            out += c;
          }
      }
    }
    out += '"';
  }
  out += ']';
  return out;
}

Status FromJsonList(const char* text, std::vector<std::string>* out) {
  nlohmann::json j = nlohmann::json::parse(text ? text : "[]", nullptr, false);
  if (!j.is_array()) return Status::Corruption("a stored list is not a JSON list");
  out->clear();
  out->reserve(j.size());
  for (const auto& v : j) {
    if (!v.is_string()) return Status::Corruption("a stored list holds a non-string");
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

namespace {

// question, title, passage, answer, categories, difficulty: columns 1 to 6
// of both the questions and the submitted_questions rows.
Status ReadContent(const Query& q, QuestionContent* c) {
  c->question = q.Text(1);
  c->title = q.Text(2);
  c->passage = q.Text(3);
  c->answer = q.Int(4) != 0;
  TB_RETURN_IF_ERROR(FromJsonList(q.CText(5), &c->categories));
  c->difficulty = static_cast<int>(q.Int(6));
  return Status::Ok();
}

}  // namespace

Status ReadQuestion(const Query& q, Question* row) {
  row->id = q.Text(0);
  TB_RETURN_IF_ERROR(ReadContent(q, row));
  TB_RETURN_IF_ERROR(FromJsonList(q.CText(7), &row->tags));
  row->created_at = q.Text(8);
  row->source = q.Text(9);
  return Status::Ok();
}

void BindQuestionRow(Query& q, const Question& row, const std::string& created_at) {
  q.BindView(1, row.id).BindView(2, row.question).BindView(3, row.title).BindView(4, row.passage)
      .Bind(5, row.answer).Bind(6, ToJsonList(row.categories)).Bind(7, row.difficulty)
      .Bind(8, ToJsonList(row.tags)).BindView(9, created_at).BindView(10, row.source)
      .Bind(11, NormaliseQuestionText(row.question));
}

void ReadAnswer(const Query& q, Answer* a) {
  a->user_id = q.Text(0);
  a->question_id = q.Text(1);
  a->answer = q.Int(2) != 0;
  if (!q.IsNull(3)) a->is_correct = q.Int(3) != 0;
  a->timestamp = q.Real(4);
  if (!q.IsNull(5)) a->response_time_ms = q.Int(5);
  if (!q.IsNull(6)) a->judgment = ParseJudgment(q.Text(6)).value_or(Judgment::kCounted);
}

StreakState ReadStreak(const Query& q, int first) {
  StreakState streak;
  streak.current = static_cast<int>(q.Int(first));
  streak.best = static_cast<int>(q.Int(first + 1));
  streak.last_counted = CivilDate::Parse(q.Text(first + 2));
  return streak;
}

Status ReadUser(const Query& q, User* u) {
  u->user_id = q.Text(0);
  u->created_at = q.Text(1);
  u->last_active = q.Text(2);
  u->total_answers = q.Int(3);
  u->correct_answers = q.Int(4);
  u->streak = ReadStreak(q, 5);
  nlohmann::json progress = nlohmann::json::parse(q.Text(8), nullptr, false);
  if (!progress.is_object()) return Status::Corruption("daily progress of " + u->user_id + " does not decode");
  for (const auto& [date, day] : progress.items()) {
    DailyProgress p;
    TB_RETURN_IF_ERROR(DailyProgressFromJson(date, day, &p));
    u->daily_progress.emplace(date, std::move(p));
  }
  return Status::Ok();
}

Status ReadSubmission(const Query& q, Submission* s) {
  s->id = q.Text(0);
  TB_RETURN_IF_ERROR(ReadContent(q, s));
  s->author = q.Text(7);
  auto status = ParseSubmissionStatus(q.Text(8));
  if (!status) return Status::Corruption("submission " + s->id + " has an unknown status");
  s->status = *status;
  s->submitted_at = q.Text(9);
  s->reviewed_at = q.Text(10);
  s->reviewer_id = q.Text(11);
  s->reviewer_notes = q.Text(12);
  s->approved_question_id = q.Text(13);
  return Status::Ok();
}

}  // namespace truthbyte::sqlite

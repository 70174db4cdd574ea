// The SQLite engine's rows: the column lists of the statements that read
// whole rows, and each record read from or bound to them.
#pragma once

#include <string>
#include <vector>

#include "core/question.h"
#include "core/records.h"
#include "core/status.h"
#include "store/sqlite/statement.h"

// Column lists shared by the statements that read whole rows.
#define TB_QUESTION_COLUMNS "id, question, title, passage, answer, categories, difficulty, tags, created_at, source"
#define TB_USER_COLUMNS \
  "user_id, created_at, last_active, total_answers, correct_answers, current_daily_streak, " \
  "best_daily_streak, last_counted_date, daily_progress"
#define TB_SUBMISSION_COLUMNS \
  "id, question, title, passage, answer, categories, difficulty, author, status, submitted_at, " \
  "reviewed_at, reviewer_id, reviewer_notes, approved_question_id"

namespace truthbyte::sqlite {

// A JSON list of strings, byte for byte as nlohmann::json::dump() writes it
// (no spaces, UTF-8 as is, the short escapes, \u00xx for other control
// characters), without building a JSON value first: it runs for every
// imported question.
std::string ToJsonList(const std::vector<std::string>& items);
// A stored JSON list of strings; kCorruption when it is not one.
Status FromJsonList(const char* text, std::vector<std::string>* out);

// A questions row, TB_QUESTION_COLUMNS.
Status ReadQuestion(const Query& q, Question* row);
// Binds the columns of a questions row (TB_QUESTION_COLUMNS, then the
// normalised question) as ?1 to ?11. REQUIRES: `row` and `created_at`
// outlive `q`.
void BindQuestionRow(Query& q, const Question& row, const std::string& created_at);

// The columns ReadAnswer reads, in its order (a literal: statements are
// cached by their text's address).
#define TB_ANSWER_COLUMNS "user_id, question_id, answer, is_correct, timestamp, response_time_ms, judgment"
// An answers row: the TB_ANSWER_COLUMNS.
void ReadAnswer(const Query& q, Answer* a);
// current_daily_streak, best_daily_streak and last_counted_date, from
// column `first` on.
StreakState ReadStreak(const Query& q, int first);

// A users row, TB_USER_COLUMNS.
Status ReadUser(const Query& q, User* u);
// A submitted_questions row, TB_SUBMISSION_COLUMNS.
Status ReadSubmission(const Query& q, Submission* s);

}  // namespace truthbyte::sqlite

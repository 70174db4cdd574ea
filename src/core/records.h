// What the product remembers about players and their play: answers, users
// with their daily progress and streaks, sessions, proposed questions and
// frozen daily challenges. Plain values; the Store persists them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/question.h"
#include "core/scoring.h"

namespace truthbyte {

// One player's answer to one question (the first one counts).
struct Answer {
  std::string user_id;
  std::string question_id;
  bool answer = false;
  std::optional<bool> is_correct;  // empty when the question has no canonical answer
  double timestamp = 0;            // client time, seconds since the epoch
  std::optional<std::int64_t> response_time_ms;
};

// One answered question of a daily challenge.
struct DailyAnswer {
  std::string question_id;
  bool answer = false;
  bool is_correct = false;
  double timestamp = 0;
};

// A user's completed daily challenge for one date.
struct DailyProgress {
  std::string date;  // YYYY-MM-DD
  int correct_count = 0;
  int total_questions = 0;
  double score = 0;  // percentage
  std::string rank;  // "S".."D"
  std::vector<DailyAnswer> answers;
  std::string completed_at;  // ISO-8601
};

struct User {
  std::string user_id;
  std::string created_at;
  std::string last_active;
  std::int64_t total_answers = 0;    // answers to questions with a canonical answer
  std::int64_t correct_answers = 0;
  StreakState streak;
  std::map<std::string, DailyProgress> daily_progress;  // by date
};

// A session created by /v1/session; its tokens are bound to one user.
struct Session {
  std::string session_id;
  std::string ip_hash;  // salted hash, never the address
  std::string user_id;  // empty until bound
  std::int64_t created_at = 0;  // unix seconds
};

enum class SubmissionStatus { kPending, kApproved, kRejected };
const char* SubmissionStatusName(SubmissionStatus s);
std::optional<SubmissionStatus> ParseSubmissionStatus(const std::string& name);

// A question proposed by a player, waiting for or past moderation.
struct Submission : QuestionContent {
  std::string id;
  std::string author;
  SubmissionStatus status = SubmissionStatus::kPending;
  std::string submitted_at;  // ISO-8601
  std::string reviewed_at;
  std::string reviewer_id;
  std::string reviewer_notes;
  std::string approved_question_id;
};

// The frozen question list of one date.
struct DailyChallenge {
  std::string date;  // YYYY-MM-DD
  std::vector<std::string> question_ids;
  std::string created_at;
};

}  // namespace truthbyte

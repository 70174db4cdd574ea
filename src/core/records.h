// What the product remembers about players and their play: answers, users
// with their daily progress and streaks, sessions, proposed questions and
// frozen daily challenges. Plain values; the Store persists them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "core/question.h"
#include "core/scoring.h"

namespace truthbyte {

// Whether an answer is a human judgment the crowd model counts, and why
// not (docs/CROWD.md, "Which answers are judgments"). Every answer is
// recorded and scored the same way whatever its kind.
enum class Judgment : std::uint8_t {
  kCounted,   // an answer from play to a question served to the player
  kImported,  // brought by an operator (import --what answers): trusted
  kDaily,     // a daily-challenge answer: the same ten questions for everyone, shared socially
  kUnserved,  // to a question never served to the player
  kTooFast,   // given faster than a person reads a question
  kOverRate,  // beyond the plausible number of judgments a player gives in an hour
};
inline constexpr int kJudgmentKinds = 6;
const char* JudgmentName(Judgment j);
std::optional<Judgment> ParseJudgment(std::string_view name);
// Counted and imported answers are judgments; the others are kept out of the model.
inline bool IsJudgment(Judgment j) { return j == Judgment::kCounted || j == Judgment::kImported; }

// One player's answer to one question (the first one counts).
struct Answer {
  std::string user_id;
  std::string question_id;
  bool answer = false;
  std::optional<bool> is_correct;  // empty when the question has no canonical answer
  double timestamp = 0;            // client time, seconds since the epoch
  std::optional<std::int64_t> response_time_ms;
  Judgment judgment = Judgment::kCounted;
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

// What a reviewer decided about a label the crowd disputes
// (POST /v1/resolve-dispute).
enum class ResolutionAction : std::uint8_t {
  kKeep,    // the label stands: the question is no longer flagged
  kFlip,    // the label was wrong and is now the other one (past scores stand)
  kRetire,  // the question leaves play (fetches, the daily pool, category counts)
};
inline constexpr int kResolutionActions = 3;
const char* ResolutionActionName(ResolutionAction a);
std::optional<ResolutionAction> ParseResolutionAction(std::string_view name);

// One resolution of one question; a question's latest resolution is the
// one in force, the earlier ones are its history.
struct Resolution {
  std::string question_id;
  std::string resolved_at;  // ISO-8601 UTC with milliseconds; with question_id, the key
  ResolutionAction action = ResolutionAction::kKeep;
  std::string reviewer;  // the admin token's subject
  std::string notes;
  bool label_before = false;  // the question's label when it was resolved
  bool label_after = false;   // the label it left (the other one after a flip)
};

// Whether `r`, a question's latest resolution, keeps the question out of
// the disputed list while its label is `label`: a retired question always;
// a kept or flipped one while its label is the one the reviewer left (a
// later import that changes the label opens the dispute again).
bool Settles(const Resolution& r, bool label);

// The frozen question list of one date.
struct DailyChallenge {
  std::string date;  // YYYY-MM-DD
  std::vector<std::string> question_ids;
  std::string created_at;
};

}  // namespace truthbyte

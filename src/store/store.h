// Store: everything TruthByte persists, in the product's terms.
//
// One interface, several engines (SQLite now; DynamoDB later). Callers never
// see SQL or wire formats. Every method returns a Status or Result; none
// throws. Implementations are safe for concurrent use from many threads, and
// several processes may share one store (a server and an operator command).
//
// Absence is reported one way: a read of one item gives an empty optional,
// a list an empty list, and kNotFound comes only from a write that needs an
// item that is not there (BindSession, DecideSubmission). A missing table
// or an unreachable store is kUnavailable.
//
// Invariants every engine keeps:
//  * a question, its category-index rows and its categories' counts change
//    together, and re-writing identical content changes nothing;
//  * the first answer per (user, question) is kept;
//  * a daily challenge is frozen once per date, and a user completes a date
//    at most once;
//  * a submission is decided once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/question.h"
#include "core/records.h"
#include "core/status.h"

namespace truthbyte {

struct UpsertCounts {
  std::size_t inserted = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
};

// A question served to a player by fetch-questions.
struct ServedQuestion {
  std::string user_id;
  std::string question_id;
};

struct CategoryCount {
  std::string name;
  std::string display_name;
  std::int64_t count = 0;
};

struct AnswerTotals {
  std::int64_t total_answers = 0;
  std::int64_t correct_answers = 0;
};

// The outcome of recording a batch of answers.
struct AnswerBatchResult {
  int recorded = 0;
  int duplicates = 0;  // the user had already answered that question
  // Each user of the batch with their counts right after it (what GetUser
  // would read then), so that a caller needs no second read.
  std::map<std::string, AnswerTotals> totals;
};

// What the daily challenge of one date needs of a user: the streak and
// that date's result, without the rest of their history (which grows by a
// day's answers every day).
struct UserDay {
  bool exists = false;  // the user has a record
  StreakState streak;
  std::optional<DailyProgress> progress;  // the date's result, if completed
};

struct SubmissionDecision {
  std::string submission_id;
  SubmissionStatus status = SubmissionStatus::kApproved;  // approved or rejected
  std::string reviewer_id;
  std::string reviewer_notes;
  std::string reviewed_at;
  // REQUIRES when approving: the question to publish (its id is recorded as
  // the submission's approved_question_id).
  std::optional<Question> approved_question;
};

struct RateCounter {
  std::int64_t count = 0;
  std::int64_t resets_at = 0;  // unix seconds when the window ends
};

// How a category query was served (SPEC section 3, "Query strategy").
enum class QueryStrategy { kCategoryIndex, kScanFallback };

// The ids a category query found, and how it found them.
struct CategoryIds {
  std::vector<std::string> ids;
  QueryStrategy strategy = QueryStrategy::kCategoryIndex;
};

// How many category queries were served each way, for /metrics.
struct QueryStrategyCounts {
  std::uint64_t category_index = 0;  // the question-categories index
  std::uint64_t scan_fallback = 0;   // the filtered scan of questions
};

template <typename T>
using Visitor = std::function<Status(const T&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Creates or migrates the schema; idempotent.
  virtual Status Init() = 0;
  // "sqlite:/path/truthbyte.db" and the like, for messages.
  virtual std::string Describe() const = 0;
  // What the last Init() wants the operator to know (e.g. a feature the
  // endpoint lacks and was skipped); empty by default.
  virtual std::vector<std::string> InitNotes() const { return {}; }
  virtual QueryStrategyCounts QueryStrategies() const { return {}; }
  // Engine counters for /metrics as (Prometheus name, value); e.g. the
  // DynamoDB calls made. Empty by default.
  virtual std::vector<std::pair<std::string, double>> EngineMetrics() const { return {}; }

  // Whether a call of this kind may wait for more than its own work: for a
  // commit in progress, a lock held during one, a network round trip. A
  // caller that serves many clients on one thread makes such calls on
  // another. kRequestRead is the reads a request makes: GetUser,
  // GetUserDay, GetSession, GetQuestions, QueryCategoryIndex,
  // QuestionsVersion, GetDailyChallenge, FirstDailyChallengeDate,
  // GetSubmission, ListSubmissionsByStatus, ListSubmissionsByAuthor and
  // PendingSubmissionWithText (scans and counts are for tools and
  // background work, which may always wait). By default every call may.
  enum class Call { kRequestRead, kWrite };
  virtual bool MayBlock(Call call) const {
    (void)call;
    return true;
  }

  // ---- Questions ----------------------------------------------------------
  // Inserts or replaces each question by id, with its index rows and counts,
  // all or nothing. Identical content is left untouched (counted unchanged).
  // An empty created_at is filled with the time of the first insert; an
  // update keeps the stored created_at.
  virtual Status UpsertQuestions(std::span<const Question> questions, UpsertCounts* counts) = 0;
  // Brackets a bulk import: the UpsertQuestions calls of one import happen
  // between BeginQuestionImport and FinishQuestionImport, and Finish follows
  // every Begin, also when the import failed. An engine may postpone work
  // that no invariant needs to Finish (SQLite: the secondary indexes of an
  // import into an empty store); after every UpsertQuestions the questions,
  // their index rows and counts are complete all the same. No-ops by default.
  virtual Status BeginQuestionImport() { return Status::Ok(); }
  virtual Status FinishQuestionImport() { return Status::Ok(); }
  // The questions with these ids that exist, in the order asked (an unknown
  // id is left out).
  virtual Result<std::vector<Question>> GetQuestions(std::span<const std::string> ids) = 0;
  // Every question in id byte order; stops at the first non-ok visit.
  virtual Status ScanQuestions(const Visitor<Question>& visit) = 0;
  // How many questions there are (0 in an empty store).
  virtual Result<std::int64_t> CountQuestions() = 0;
  // Ids of the questions with difficulty in [min, max], in byte order.
  virtual Result<std::vector<std::string>> ListQuestionIds(int min_difficulty, int max_difficulty) = 0;
  // The category index: ids in `category` (all of them for "general"),
  // optionally only those of one difficulty, in byte order (none for an
  // unknown category), with the strategy that found them.
  virtual Result<CategoryIds> QueryCategoryIndex(const std::string& category, std::optional<int> difficulty) = 0;
  // Categories with their counts, largest first, then by name.
  virtual Result<std::vector<CategoryCount>> ListCategories() = 0;
  // Rebuilds the category index and counts from the questions.
  virtual Status RebuildCategoryIndex() = 0;
  // Changes whenever questions change (a cheap check for caches); 0 before
  // the first question.
  virtual Result<std::uint64_t> QuestionsVersion() = 0;

  // ---- Daily challenges ---------------------------------------------------
  // The frozen challenge of `date` (YYYY-MM-DD); nullopt when none is.
  virtual Result<std::optional<DailyChallenge>> GetDailyChallenge(const std::string& date) = 0;
  // Stores `challenge` unless its date already has one; returns the one that
  // is stored afterwards (the earlier one wins a race).
  virtual Result<DailyChallenge> FreezeDailyChallenge(const DailyChallenge& challenge) = 0;
  // The earliest date with a frozen challenge; nullopt when none is frozen.
  // A scan of the (small: one item a day) challenges on DynamoDB.
  virtual Result<std::optional<std::string>> FirstDailyChallengeDate() = 0;

  // ---- Answers and users --------------------------------------------------
  // Records each answer unless its user already answered that question, and
  // adds the recorded ones with a known is_correct to the user's counts.
  // Creates the user (created_at = now_iso) when new; sets last_active.
  virtual Result<AnswerBatchResult> RecordAnswers(std::span<const Answer> answers,
                                                  const std::string& now_iso) = 0;
  // Every answer, by (user, question); stops at the first non-ok visit.
  virtual Status ScanAnswers(const Visitor<Answer>& visit) = 0;
  // Every answer in the order the engine reads them fastest, without
  // holding the table in memory (DynamoDB: page by page as Scan returns
  // them); for readers that need no order, as the crowd model's refit.
  virtual Status ScanAnswersUnordered(const Visitor<Answer>& visit) { return ScanAnswers(visit); }
  // The answers to one question, by user id (the question_id index). On
  // DynamoDB the index is a global secondary index: eventually consistent.
  virtual Result<std::vector<Answer>> AnswersForQuestion(const std::string& question_id) = 0;
  // The ids of the questions a user has answered, in byte order (on the
  // request path: fetch-questions serves unanswered questions first).
  virtual Result<std::vector<std::string>> AnsweredQuestionIds(const std::string& user_id) = 0;
  // The user with its history; nullopt when unknown.
  virtual Result<std::optional<User>> GetUser(const std::string& user_id) = 0;
  // The user's streak and result of `date` (YYYY-MM-DD), as GetUser would
  // show them (no progress, a zero streak when unknown). The default reads the whole user; an engine whose users
  // carry long histories reads only what is asked.
  virtual Result<UserDay> GetUserDay(const std::string& user_id, const std::string& date);
  // Stores a completed daily challenge, the new streak and the day's
  // `answers` (recorded as RecordAnswers does), unless the user already has
  // a result for that date: then kConditionFailed and the day is unchanged.
  // SQLite: one transaction. DynamoDB: the answers first, then the
  // conditional completion, so a retry after a failure in between records
  // nothing twice and completes the day.
  virtual Status CompleteDailyChallenge(const std::string& user_id, const DailyProgress& progress,
                                        const StreakState& streak, std::span<const Answer> answers,
                                        const std::string& now_iso) = 0;
  // The same without answers.
  Status CompleteDailyChallenge(const std::string& user_id, const DailyProgress& progress, const StreakState& streak,
                                const std::string& now_iso) {
    return CompleteDailyChallenge(user_id, progress, streak, {}, now_iso);
  }
  // Every user, by id; stops at the first non-ok visit.
  virtual Status ScanUsers(const Visitor<User>& visit) = 0;

  // ---- Sessions -----------------------------------------------------------
  // kAlreadyExists when the id is taken.
  virtual Status CreateSession(const Session& session) = 0;
  // nullopt when unknown.
  virtual Result<std::optional<Session>> GetSession(const std::string& session_id) = 0;
  // Binds an unbound session to `user_id`; returns the user it is bound to
  // afterwards (which differs from `user_id` if it was bound before).
  // kNotFound for an unknown session.
  virtual Result<std::string> BindSession(const std::string& session_id, const std::string& user_id) = 0;

  // ---- Submitted questions ------------------------------------------------
  // kAlreadyExists when the id is taken.
  virtual Status CreateSubmission(const Submission& submission) = 0;
  // nullopt when unknown.
  virtual Result<std::optional<Submission>> GetSubmission(const std::string& id) = 0;
  // By status, oldest first.
  virtual Result<std::vector<Submission>> ListSubmissionsByStatus(SubmissionStatus status, int limit) = 0;
  // By author, newest first, optionally of one status.
  virtual Result<std::vector<Submission>> ListSubmissionsByAuthor(const std::string& author,
                                                                  std::optional<SubmissionStatus> status,
                                                                  int limit) = 0;
  // Approves or rejects a pending submission; an approval publishes the
  // question with its index rows and counts. kNotFound for an unknown id,
  // kConditionFailed when it was decided before. Of concurrent decisions on
  // any instances exactly one succeeds; a rejected submission's question is
  // never published, and an approval's counts change once. (DynamoDB: the
  // decision is written first; an approval of an approved submission whose
  // question a crash left unpublished publishes it, then reports
  // kConditionFailed.)
  virtual Status DecideSubmission(const SubmissionDecision& decision) = 0;
  // Every submission, by id; stops at the first non-ok visit.
  virtual Status ScanSubmissions(const Visitor<Submission>& visit) = 0;
  // Whether a pending submission has this normalised question text
  // (NormaliseQuestionText).
  virtual Result<bool> PendingSubmissionWithText(const std::string& normalised_question) = 0;

  // ---- Served questions ---------------------------------------------------
  // Notes that each question was served to its player (judgment hygiene:
  // an answer to a question never served is no judgment); one noted
  // before is left as it is.
  virtual Status RecordServed(std::span<const ServedQuestion> served) = 0;
  // Those of `question_ids` that were served to `user_id`, sorted, once each.
  virtual Result<std::vector<std::string>> ServedAmong(const std::string& user_id,
                                                       std::span<const std::string> question_ids) = 0;

  // ---- Dispute resolutions -------------------------------------------------
  // Records a reviewer's resolution of a disputed label (one at the same
  // question and resolved_at replaces it); a flip first sets the question's
  // label to label_after (kNotFound when the question is not stored).
  // Moves the questions version, so that every instance's catalog reloads
  // (a retired question leaves play). Repeating a call changes nothing more.
  virtual Status RecordResolution(const Resolution& resolution) = 0;
  // Every resolution, by question id, then resolved_at.
  virtual Status ScanResolutions(const Visitor<Resolution>& visit) = 0;

  // ---- The stored crowd fit -----------------------------------------------
  // Replaces the stored fit (`crowd analyze` stores one; serve starts from
  // it): a document as service/stored_fit writes it, of any size. A reader
  // sees the old document or the new one, never a mix.
  virtual Status PutCrowdFit(const std::string& document) = 0;
  // The stored document; nullopt when none was stored.
  virtual Result<std::optional<std::string>> GetCrowdFit() = 0;

  // ---- Rate limits and settings -------------------------------------------
  // Adds `amount` to counter `key` in its current window of `window_seconds`
  // (a new window starts when the old one has passed) and returns it.
  virtual Result<RateCounter> AddToCounter(const std::string& key, std::int64_t amount,
                                           std::int64_t window_seconds, std::int64_t now) = 0;
  // nullopt when unset.
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  // Stores the setting unless present; returns the stored value.
  virtual Result<std::string> PutSettingIfAbsent(const std::string& key, const std::string& value) = 0;
};

}  // namespace truthbyte

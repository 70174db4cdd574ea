#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/json_text.h"
#include "core/record_json.h"
#include "core/text.h"
#include "store/sqlite/group_commit.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/statement.h"

namespace truthbyte {
namespace {

using sqlite::CheckOn;
using sqlite::Connection;
using sqlite::FromJsonList;
using sqlite::ImportDeferredIndexes;
using sqlite::PrepareCached;
using sqlite::Query;
using sqlite::ReadAnswer;
using sqlite::ReadQuestion;
using sqlite::ReadStreak;
using sqlite::ReadSubmission;
using sqlite::ReadUser;
using sqlite::SchemaVersion;
using sqlite::ToJsonList;

// Page cache of a connection, in KiB (negative: SQLite's unit for KiB).
// 8 MiB: more is not better for the server, since SQLite walks the cache's
// whole hash table at every commit (sqlite3PcacheTruncate), which at 64 MiB
// cost 13% of a submit-answers request (callgrind). Imports, which commit
// once per 5,000 questions, raise it while they run.
constexpr const char* kCacheSizePragma = "PRAGMA cache_size=-8192";
constexpr const char* kImportCacheSizePragma = "PRAGMA cache_size=-262144";
constexpr const char* kQuestionsVersionKey = "questions_version";

// How much each category's count moves in one transaction; applied once at
// its end, so a batch of questions costs one count update per category.
using CategoryCountChanges = std::map<std::string, std::int64_t>;

std::string NowIso() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return FormatTimestampMs(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {}
  ~SqliteStore() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    if (db_) sqlite3_close(db_);
  }

  Status Open() {
    const int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      return Status::IoError("cannot open database " + path_ + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    sqlite3_extended_result_codes(db_, 1);
    TB_RETURN_IF_ERROR(sqlite::RegisterSqlFunctions(db_));
    group_ = std::make_unique<sqlite::GroupCommit>(Writer(), mu_, [this](const std::string& sql) { return Exec(sql); });
    TB_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL"));
    // FULL: a commit is on disk when it returns (the WAL is synced), so an
    // acknowledged write survives a power cut, not only a crash of this
    // process. Request-path writes share commits (sqlite::GroupCommit),
    // which keeps the cost of the sync to one per batch.
    TB_RETURN_IF_ERROR(Exec("PRAGMA synchronous=FULL"));
    // Checkpoint every 4,000 WAL pages (16 MB) instead of 1,000: a page that
    // several commits change (a users leaf, an index's inner pages) is
    // copied into the database once per checkpoint, and each checkpoint
    // syncs the database file. Submit-answers: +17 % and +44 % in two paired
    // runs, p99 of the writes 54 -> 78 ms (docs/PERFORMANCE.md).
    TB_RETURN_IF_ERROR(Exec("PRAGMA wal_autocheckpoint=4000"));
    TB_RETURN_IF_ERROR(Exec(kCacheSizePragma));
    TB_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=ON"));
    return Init();
  }

  std::string Describe() const override { return "sqlite:" + path_; }

  std::vector<std::pair<std::string, double>> EngineMetrics() const override {
    return {{"truthbyte_sqlite_commits_total", static_cast<double>(group_->commits())},
            {"truthbyte_sqlite_committed_writes_total", static_cast<double>(group_->writes())}};
  }

  // A request's reads run on the thread's own read connection, which
  // waits for no writer (WAL); a write waits for its group's commit.
  bool MayBlock(Call call) const override { return call == Call::kWrite; }

  Status Init() override {
    std::lock_guard lock(mu_);
    return InTransaction([&]() -> Status {
      int version = 0;
      {
        Query q(Prepare("PRAGMA user_version"));
        if (q.Step() == SQLITE_ROW) version = static_cast<int>(q.Int(0));
      }
      const int latest = SchemaVersion();
      if (version > latest)
        return Status::InvalidArgument(path_ + " has schema version " + std::to_string(version) +
                                       ", newer than this truthbyte (" + std::to_string(latest) +
                                       "); upgrade truthbyte");
      for (int v = version; v < latest; ++v) TB_RETURN_IF_ERROR(Exec(sqlite::Migrations()[v]));
      if (version != latest) TB_RETURN_IF_ERROR(Exec("PRAGMA user_version=" + std::to_string(latest)));
      return CreateDeferredIndexes();
    });
  }

  // ---- Questions ----------------------------------------------------------

  Status BeginQuestionImport() override {
    std::lock_guard lock(mu_);
    import_ = ImportState::kBegun;
    // 256 MiB: the id index and the category index of a large import.
    return Exec(kImportCacheSizePragma);
  }

  Status FinishQuestionImport() override {
    std::lock_guard lock(mu_);
    const bool deferred = import_ == ImportState::kIndexesDeferred;
    import_ = ImportState::kNone;
    Status s = deferred ? InTransaction([&] { return CreateDeferredIndexes(); }) : Status::Ok();
    Status restored = Exec(kCacheSizePragma);
    return s.ok() ? restored : s;
  }

  Status UpsertQuestions(std::span<const Question> questions, UpsertCounts* counts) override {
    std::lock_guard lock(mu_);
    UpsertCounts local;
    const std::string now = NowIso();
    bool dropped_indexes = false;
    Status s = InTransaction([&]() -> Status {
      if (import_ == ImportState::kBegun) {
        // Decided under the write lock: nobody adds a question meanwhile.
        bool empty = false;
        {
          Query q(Prepare("SELECT NOT EXISTS (SELECT 1 FROM questions)"));
          const int rc = q.Step();
          if (rc != SQLITE_ROW) return Check(rc, "count questions");
          empty = q.Int(0) != 0;
        }
        if (empty) {
          for (const auto& index : ImportDeferredIndexes())
            TB_RETURN_IF_ERROR(Exec(std::string("DROP INDEX IF EXISTS ") + index.name));
          dropped_indexes = true;
        }
      }
      CategoryCountChanges count_changes;
      for (const Question& q : questions) {
        // Most imported questions are new: one INSERT settles them, and only
        // an id that is already stored is read back and compared.
        bool inserted = false;
        TB_RETURN_IF_ERROR(InsertNewQuestion(q, now, &inserted, &count_changes));
        if (inserted) {
          ++local.inserted;
          continue;
        }
        std::optional<Question> existing;
        TB_RETURN_IF_ERROR(LoadQuestion(q.id, &existing));
        if (!existing) return Status::Internal("question " + q.id + " is neither new nor stored");
        if (existing->SameContent(q)) {
          ++local.unchanged;
          continue;
        }
        Question row = q;
        row.created_at = existing->created_at;
        if (row.source.empty()) row.source = existing->source;
        TB_RETURN_IF_ERROR(WriteQuestion(row, &*existing, &count_changes));
        ++local.updated;
      }
      TB_RETURN_IF_ERROR(ApplyCategoryCountChanges(count_changes));
      return local.inserted + local.updated > 0 ? BumpQuestionsVersion() : Status::Ok();
    });
    if (s.ok() && import_ == ImportState::kBegun)
      import_ = dropped_indexes ? ImportState::kIndexesDeferred : ImportState::kIndexesKept;
    if (s.ok() && counts) {
      counts->inserted += local.inserted;
      counts->updated += local.updated;
      counts->unchanged += local.unchanged;
    }
    return s;
  }

  Result<std::vector<Question>> GetQuestions(std::span<const std::string> ids) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    std::vector<Question> out;
    out.reserve(ids.size());
    for (const std::string& id : ids) {
      std::optional<Question> q;
      TB_RETURN_IF_ERROR(LoadQuestionOn(*reader, id, &q));
      if (q) out.push_back(std::move(*q));
    }
    return out;
  }

  Status ScanQuestions(const Visitor<Question>& visit) override {
    // On the thread's read connection, as ScanAnswers: a catalog refresh or
    // a crowd refit reads every question while the request path's writes go
    // on.
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT " TB_QUESTION_COLUMNS " FROM questions ORDER BY id"));
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Question row;
      TB_RETURN_IF_ERROR(ReadQuestion(q, &row));
      TB_RETURN_IF_ERROR(visit(row));
    }
    return reader->Check(rc, "scan questions");
  }

  Result<std::int64_t> CountQuestions() override {
    std::lock_guard lock(mu_);
    Query q(Prepare("SELECT count(*) FROM questions"));
    const int rc = q.Step();
    if (rc != SQLITE_ROW) return Check(rc, "count questions");
    return q.Int(0);
  }

  Result<std::vector<std::string>> ListQuestionIds(int min_difficulty, int max_difficulty) override {
    std::lock_guard lock(mu_);
    Query q(Prepare("SELECT id FROM questions WHERE difficulty BETWEEN ?1 AND ?2 ORDER BY id"));
    q.Bind(1, min_difficulty).Bind(2, max_difficulty);
    return CollectStrings(Writer(), q, "list question ids");
  }

  Result<CategoryIds> QueryCategoryIndex(const std::string& category, std::optional<int> difficulty) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    const Connection c = *reader;
    Query q(c.Prepare(difficulty ? "SELECT question_id FROM question_categories WHERE category = ?1 AND "
                                   "difficulty = ?2 ORDER BY question_id"
                                 : "SELECT question_id FROM question_categories WHERE category = ?1 "
                                   "ORDER BY question_id"));
    q.Bind(1, category);
    if (difficulty) q.Bind(2, *difficulty);
    auto ids = CollectStrings(c, q, "query the category index");
    if (!ids.ok()) return ids.status();
    return CategoryIds{std::move(*ids), QueryStrategy::kCategoryIndex};
  }

  Result<std::vector<CategoryCount>> ListCategories() override {
    std::lock_guard lock(mu_);
    Query q(Prepare("SELECT name, display_name, count FROM categories WHERE count > 0 "
                    "ORDER BY count DESC, name"));
    std::vector<CategoryCount> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back({q.Text(0), q.Text(1), q.Int(2)});
    TB_RETURN_IF_ERROR(Check(rc, "list categories"));
    return out;
  }

  Status RebuildCategoryIndex() override {
    std::lock_guard lock(mu_);
    return InTransaction([&]() -> Status {
      TB_RETURN_IF_ERROR(Exec("DELETE FROM question_categories; DELETE FROM categories;"));
      std::vector<std::pair<std::string, std::vector<std::string>>> rows;
      std::vector<int> difficulties;
      {
        Query q(Prepare("SELECT id, categories, difficulty FROM questions"));
        int rc;
        while ((rc = q.Step()) == SQLITE_ROW) {
          std::vector<std::string> cats;
          TB_RETURN_IF_ERROR(FromJsonList(q.CText(1), &cats));
          rows.emplace_back(q.Text(0), std::move(cats));
          difficulties.push_back(static_cast<int>(q.Int(2)));
        }
        TB_RETURN_IF_ERROR(Check(rc, "read questions"));
      }
      CategoryCountChanges count_changes;
      for (std::size_t i = 0; i < rows.size(); ++i)
        for (const std::string& cat : rows[i].second)
          TB_RETURN_IF_ERROR(AddIndexRow(cat, rows[i].first, difficulties[i], &count_changes));
      TB_RETURN_IF_ERROR(ApplyCategoryCountChanges(count_changes));
      return BumpQuestionsVersion();
    });
  }

  Result<std::uint64_t> QuestionsVersion() override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT value FROM settings WHERE key = ?1"));
    q.Bind(1, kQuestionsVersionKey);
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return std::uint64_t{0};
    if (rc != SQLITE_ROW) return reader->Check(rc, "read the questions version");
    return static_cast<std::uint64_t>(std::stoull(q.Text(0)));
  }

  // ---- Daily challenges ---------------------------------------------------

  Result<std::optional<DailyChallenge>> GetDailyChallenge(const std::string& date) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    return LoadDailyChallengeOn(*reader, date);
  }

  Result<DailyChallenge> FreezeDailyChallenge(const DailyChallenge& challenge) override {
    DailyChallenge frozen;
    Status s = group_->Write([&]() -> Status {
      {
        Query q(Prepare("INSERT INTO daily_challenges(date, question_ids, created_at) VALUES (?1, ?2, ?3) "
                        "ON CONFLICT(date) DO NOTHING"));
        q.Bind(1, challenge.date)
            .Bind(2, ToJsonList(challenge.question_ids))
            .Bind(3, challenge.created_at.empty() ? NowIso() : challenge.created_at);
        TB_RETURN_IF_ERROR(Check(q.Step(), "freeze the daily challenge"));
      }
      auto stored = LoadDailyChallenge(challenge.date);
      if (!stored.ok()) return stored.status();
      if (!*stored) return Status::Internal("daily challenge vanished after freezing");
      frozen = std::move(**stored);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return frozen;
  }

  Result<std::optional<std::string>> FirstDailyChallengeDate() override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT MIN(date) FROM daily_challenges"));
    const int rc = q.Step();
    if (rc != SQLITE_ROW) return reader->Check(rc, "read the first daily challenge date");
    if (q.IsNull(0)) return std::optional<std::string>();
    return std::optional<std::string>(q.Text(0));
  }

  // ---- Answers and users --------------------------------------------------

  Result<AnswerBatchResult> RecordAnswers(std::span<const Answer> answers, const std::string& now_iso) override {
    AnswerBatchResult result;
    Status s = group_->Write([&]() -> Status {
      result = AnswerBatchResult();
      return InsertAnswers(answers, now_iso, &result);
    });
    if (!s.ok()) return s;
    return result;
  }

  // RecordAnswers' writes, inside the caller's write transaction.
  Status InsertAnswers(std::span<const Answer> answers, const std::string& now_iso, AnswerBatchResult* result) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> tallies;  // user -> (total, correct)
    for (const Answer& a : answers) {
      Query q(Prepare("INSERT INTO answers(user_id, question_id, answer, is_correct, timestamp, response_time_ms, judgment) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(user_id, question_id) DO NOTHING"));
      q.Bind(1, a.user_id).Bind(2, a.question_id).Bind(3, a.answer).Bind(5, a.timestamp);
      if (a.is_correct) q.Bind(4, *a.is_correct); else q.BindNull(4);
      if (a.response_time_ms) q.Bind(6, *a.response_time_ms); else q.BindNull(6);
      if (a.judgment != Judgment::kCounted) q.Bind(7, std::string(JudgmentName(a.judgment))); else q.BindNull(7);
      TB_RETURN_IF_ERROR(Check(q.Step(), "record an answer"));
      auto& tally = tallies[a.user_id];
      if (sqlite3_changes(db_) == 0) {
        ++result->duplicates;
        continue;
      }
      ++result->recorded;
      if (a.is_correct) {
        ++tally.first;
        tally.second += *a.is_correct;
      }
    }
    for (const auto& [user_id, tally] : tallies) {
      TB_RETURN_IF_ERROR(EnsureUser(user_id, now_iso));
      Query q(Prepare("UPDATE users SET total_answers = total_answers + ?2, correct_answers = correct_answers + ?3 "
                      "WHERE user_id = ?1 RETURNING total_answers, correct_answers"));
      q.Bind(1, user_id).Bind(2, tally.first).Bind(3, tally.second);
      const int rc = q.Step();
      if (rc != SQLITE_ROW) return Check(rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "update answer counts");
      result->totals[user_id] = AnswerTotals{q.Int(0), q.Int(1)};
    }
    return Status::Ok();
  }

  Result<std::vector<Answer>> AnswersForQuestion(const std::string& question_id) override {
    std::lock_guard lock(mu_);
    Query q(Prepare("SELECT " TB_ANSWER_COLUMNS " FROM answers WHERE question_id = ?1 ORDER BY user_id"));
    q.Bind(1, question_id);
    std::vector<Answer> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Answer a;
      ReadAnswer(q, &a);
      out.push_back(std::move(a));
    }
    TB_RETURN_IF_ERROR(Check(rc, "read a question's answers"));
    return out;
  }

  Result<std::vector<std::string>> AnsweredQuestionIds(const std::string& user_id) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT question_id FROM answers WHERE user_id = ?1 ORDER BY question_id"));
    q.Bind(1, user_id);
    return CollectStrings(*reader, q, "read a player's answered questions");
  }

  Status ScanAnswers(const Visitor<Answer>& visit) override {
    // On the thread's read connection: one snapshot of the table, and the
    // writes of the request path go on meanwhile (a crowd refit, an export).
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT " TB_ANSWER_COLUMNS " FROM answers ORDER BY user_id, question_id"));
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Answer a;
      ReadAnswer(q, &a);
      TB_RETURN_IF_ERROR(visit(a));
    }
    return reader->Check(rc, "scan answers");
  }

  Result<std::optional<User>> GetUser(const std::string& user_id) override {
    // On the request path (daily, profile, answers): the thread's own read
    // connection, so that readers neither wait for each other nor for a
    // writer's transaction.
    auto reader = ThreadReader();
    if (!reader.ok()) return reader.status();
    constexpr const char* kSql = "SELECT " TB_USER_COLUMNS " FROM users WHERE user_id = ?1";
    return LoadRowOn<User>((*reader)->db, (*reader)->Prepare(kSql), user_id,
                           [this](const Query& q, User* u) { return ReadUser(q, u); }, "read a user");
  }

  Result<UserDay> GetUserDay(const std::string& user_id, const std::string& date) override {
    auto reader = ThreadReader();
    if (!reader.ok()) return reader.status();
    // One statement, so one snapshot of the streak and the day. The users
    // columns read come before daily_progress, whose pages are not read.
    Query q((*reader)->Prepare(
        "SELECT users.current_daily_streak, users.best_daily_streak, users.last_counted_date, daily_results.progress "
        "FROM users LEFT JOIN daily_results ON daily_results.user_id = users.user_id AND daily_results.date = ?2 "
        "WHERE users.user_id = ?1"));
    q.Bind(1, user_id).Bind(2, date);
    UserDay day;
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return day;
    if (rc != SQLITE_ROW) return CheckOn((*reader)->db, rc, "read a user's day");
    day.exists = true;
    day.streak = ReadStreak(q, 0);
    if (!q.IsNull(3)) {
      const nlohmann::json j = nlohmann::json::parse(q.Text(3), nullptr, false);
      if (!j.is_object()) return Status::Corruption("daily result " + date + " of " + user_id + " does not decode");
      DailyProgress p;
      TB_RETURN_IF_ERROR(DailyProgressFromJson(date, j, &p));
      day.progress = std::move(p);
    }
    return day;
  }

  Status CompleteDailyChallenge(const std::string& user_id, const DailyProgress& progress, const StreakState& streak,
                                std::span<const Answer> answers, const std::string& now_iso) override {
    const std::string progress_json = JsonText(DailyProgressToJson(progress));
    return group_->Write([&]() -> Status {
      const Status done = Status::ConditionFailed("the daily challenge of " + progress.date + " is already completed");
      {
        // The day's row is the exactly-once check; the user's
        // daily_progress below must agree.
        Query q(Prepare("INSERT INTO daily_results(user_id, date, progress) VALUES (?1, ?2, ?3) "
                        "ON CONFLICT(user_id, date) DO NOTHING"));
        q.Bind(1, user_id).Bind(2, progress.date).Bind(3, progress_json);
        TB_RETURN_IF_ERROR(Check(q.Step(), "complete a daily challenge"));
        if (sqlite3_changes(db_) == 0) return done;
      }
      TB_RETURN_IF_ERROR(EnsureUser(user_id, now_iso));
      Query q(Prepare(
          "UPDATE users SET daily_progress = json_set(daily_progress, '$.\"' || ?2 || '\"', json(?3)), "
          "current_daily_streak = ?4, best_daily_streak = ?5, last_counted_date = ?6, last_active = ?7 "
          "WHERE user_id = ?1 AND json_extract(daily_progress, '$.\"' || ?2 || '\"') IS NULL"));
      q.Bind(1, user_id)
          .Bind(2, progress.date)
          .Bind(3, progress_json)
          .Bind(4, streak.current)
          .Bind(5, streak.best)
          .Bind(6, streak.last_counted ? streak.last_counted->ToString() : std::string())
          .Bind(7, now_iso);
      TB_RETURN_IF_ERROR(Check(q.Step(), "complete a daily challenge"));
      if (sqlite3_changes(db_) == 0) return done;
      // In the same transaction: the day and its answers are kept together
      // or not at all.
      AnswerBatchResult recorded;
      return InsertAnswers(answers, now_iso, &recorded);
    });
  }

  Status ScanUsers(const Visitor<User>& visit) override {
    std::lock_guard lock(mu_);
    return ScanRows<User>("SELECT " TB_USER_COLUMNS " FROM users ORDER BY user_id",
                          [this](const Query& q, User* r) { return ReadUser(q, r); }, visit, "scan users");
  }

  // ---- Sessions -----------------------------------------------------------

  Status CreateSession(const Session& s) override {
    return group_->Write([&]() -> Status {
      Query q(Prepare("INSERT INTO sessions(session_id, ip_hash, user_id, created_at) VALUES (?1, ?2, ?3, ?4)"));
      q.Bind(1, s.session_id).Bind(2, s.ip_hash).Bind(4, s.created_at);
      if (s.user_id.empty()) q.BindNull(3); else q.Bind(3, s.user_id);
      const int rc = q.Step();
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) return Status::AlreadyExists("session " + s.session_id + " exists");
      return Check(rc, "create a session");
    });
  }

  Result<std::optional<Session>> GetSession(const std::string& session_id) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    return LoadSessionOn(*reader, session_id);
  }

  Result<std::string> BindSession(const std::string& session_id, const std::string& user_id) override {
    std::string bound;
    Status status = group_->Write([&]() -> Status {
      {
        Query q(Prepare("UPDATE sessions SET user_id = ?2 WHERE session_id = ?1 AND user_id IS NULL"));
        q.Bind(1, session_id).Bind(2, user_id);
        TB_RETURN_IF_ERROR(Check(q.Step(), "bind a session"));
      }
      auto s = LoadSession(session_id);
      if (!s.ok()) return s.status();
      if (!*s) return Status::NotFound("no session " + session_id);
      bound = (*s)->user_id;
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return bound;
  }

  // ---- Submitted questions ------------------------------------------------

  Status CreateSubmission(const Submission& s) override {
    return group_->Write([&]() -> Status {
      Query q(Prepare("INSERT INTO submitted_questions(id, question, title, passage, answer, categories, difficulty, "
                      "author, status, submitted_at, reviewed_at, reviewer_id, reviewer_notes, approved_question_id, "
                      "normalised_question) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"));
      q.Bind(1, s.id).Bind(2, s.question).Bind(3, s.title).Bind(4, s.passage).Bind(5, s.answer)
          .Bind(6, ToJsonList(s.categories)).Bind(7, s.difficulty).Bind(8, s.author)
          .Bind(9, SubmissionStatusName(s.status)).Bind(10, s.submitted_at).Bind(11, s.reviewed_at)
          .Bind(12, s.reviewer_id).Bind(13, s.reviewer_notes).Bind(14, s.approved_question_id)
          .Bind(15, NormaliseQuestionText(s.question));
      const int rc = q.Step();
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) return Status::AlreadyExists("submission " + s.id + " exists");
      return Check(rc, "create a submission");
    });
  }

  Result<std::optional<Submission>> GetSubmission(const std::string& id) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    return LoadSubmissionOn(*reader, id);
  }

  Result<std::vector<Submission>> ListSubmissionsByStatus(SubmissionStatus status, int limit) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT " TB_SUBMISSION_COLUMNS " FROM submitted_questions WHERE status = ?1 "
                    "ORDER BY submitted_at, id LIMIT ?2"));
    q.Bind(1, SubmissionStatusName(status)).Bind(2, limit);
    return CollectSubmissions(*reader, q);
  }

  Result<std::vector<Submission>> ListSubmissionsByAuthor(const std::string& author,
                                                          std::optional<SubmissionStatus> status,
                                                          int limit) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT " TB_SUBMISSION_COLUMNS " FROM submitted_questions WHERE author = ?1 "
                    "AND (?2 IS NULL OR status = ?2) ORDER BY submitted_at DESC, id DESC LIMIT ?3"));
    q.Bind(1, author).Bind(3, limit);
    if (status) q.Bind(2, SubmissionStatusName(*status)); else q.BindNull(2);
    return CollectSubmissions(*reader, q);
  }

  Status DecideSubmission(const SubmissionDecision& d) override {
    if (d.status == SubmissionStatus::kPending) return Status::InvalidArgument("a decision must approve or reject");
    if (d.status == SubmissionStatus::kApproved && !d.approved_question)
      return Status::InvalidArgument("an approval needs the question to publish");
    return group_->Write([&]() -> Status {
      auto existing = LoadSubmission(d.submission_id);
      if (!existing.ok()) return existing.status();
      if (!*existing) return Status::NotFound("no submission " + d.submission_id);
      if ((*existing)->status != SubmissionStatus::kPending)
        return Status::ConditionFailed("submission " + d.submission_id + " was already " +
                                       SubmissionStatusName((*existing)->status));
      // Only an approval publishes; a question attached to a rejection is ignored.
      const bool publish = d.status == SubmissionStatus::kApproved;
      const std::string question_id = publish ? d.approved_question->id : std::string();
      {
        Query q(Prepare("UPDATE submitted_questions SET status = ?2, reviewed_at = ?3, reviewer_id = ?4, "
                        "reviewer_notes = ?5, approved_question_id = ?6 WHERE id = ?1 AND status = 'pending'"));
        q.Bind(1, d.submission_id).Bind(2, SubmissionStatusName(d.status)).Bind(3, d.reviewed_at)
            .Bind(4, d.reviewer_id).Bind(5, d.reviewer_notes).Bind(6, question_id);
        TB_RETURN_IF_ERROR(Check(q.Step(), "decide a submission"));
      }
      if (publish) {
        std::optional<Question> previous;
        TB_RETURN_IF_ERROR(LoadQuestion(question_id, &previous));
        Question row = *d.approved_question;
        if (row.created_at.empty()) row.created_at = NowIso();
        CategoryCountChanges count_changes;
        TB_RETURN_IF_ERROR(WriteQuestion(row, previous ? &*previous : nullptr, &count_changes));
        TB_RETURN_IF_ERROR(ApplyCategoryCountChanges(count_changes));
        TB_RETURN_IF_ERROR(BumpQuestionsVersion());
      }
      return Status::Ok();
    });
  }

  Status ScanSubmissions(const Visitor<Submission>& visit) override {
    std::lock_guard lock(mu_);
    return ScanRows<Submission>("SELECT " TB_SUBMISSION_COLUMNS " FROM submitted_questions ORDER BY id",
                                ReadSubmission, visit,
                                "scan submissions");
  }

  Result<bool> PendingSubmissionWithText(const std::string& normalised_question) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT 1 FROM submitted_questions WHERE normalised_question = ?1 AND status = 'pending' "
                    "LIMIT 1"));
    q.Bind(1, normalised_question);
    const int rc = q.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return reader->Check(rc, "look for a duplicate submission");
    return rc == SQLITE_ROW;
  }

  // ---- Served questions ---------------------------------------------------

  Status RecordServed(std::span<const ServedQuestion> served) override {
    if (served.empty()) return Status::Ok();
    return group_->Write([&]() -> Status {
      for (const ServedQuestion& s : served) {
        Query q(Prepare("INSERT OR IGNORE INTO served(user_id, question_id) VALUES (?1, ?2)"));
        q.Bind(1, s.user_id).Bind(2, s.question_id);
        TB_RETURN_IF_ERROR(Check(q.Step(), "note a served question"));
      }
      return Status::Ok();
    });
  }

  Result<std::vector<std::string>> ServedAmong(const std::string& user_id,
                                               std::span<const std::string> question_ids) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    std::vector<std::string> out;
    for (const std::string& id : question_ids) {
      Query q(reader->Prepare("SELECT 1 FROM served WHERE user_id = ?1 AND question_id = ?2"));
      q.Bind(1, user_id).Bind(2, id);
      const int rc = q.Step();
      if (rc == SQLITE_ROW) {
        out.push_back(id);
      } else if (rc != SQLITE_DONE) {
        return reader->Check(rc, "look up served questions");
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // ---- Dispute resolutions -------------------------------------------------

  Status RecordResolution(const Resolution& r) override {
    return group_->Write([&]() -> Status {
      if (r.action == ResolutionAction::kFlip) {
        Query q(Prepare("UPDATE questions SET answer = ?2 WHERE id = ?1"));
        q.Bind(1, r.question_id).Bind(2, r.label_after ? 1 : 0);
        TB_RETURN_IF_ERROR(Check(q.Step(), "flip a question's label"));
        if (sqlite3_changes(db_) == 0) return Status::NotFound("no question " + r.question_id);
      }
      {
        Query q(Prepare("INSERT OR REPLACE INTO resolutions(question_id, resolved_at, action, reviewer, notes, "
                        "label_before, label_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
        q.Bind(1, r.question_id).Bind(2, r.resolved_at).Bind(3, ResolutionActionName(r.action)).Bind(4, r.reviewer)
            .Bind(5, r.notes).Bind(6, r.label_before ? 1 : 0).Bind(7, r.label_after ? 1 : 0);
        TB_RETURN_IF_ERROR(Check(q.Step(), "record a resolution"));
      }
      return BumpQuestionsVersion();
    });
  }

  Status ScanResolutions(const Visitor<Resolution>& visit) override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT question_id, resolved_at, action, reviewer, notes, label_before, label_after "
                            "FROM resolutions ORDER BY question_id, resolved_at"));
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Resolution r;
      r.question_id = q.Text(0);
      r.resolved_at = q.Text(1);
      auto action = ParseResolutionAction(q.Text(2));
      if (!action) return Status::Corruption("resolution of " + r.question_id + " has action " + q.Text(2));
      r.action = *action;
      r.reviewer = q.Text(3);
      r.notes = q.Text(4);
      r.label_before = q.Int(5) != 0;
      r.label_after = q.Int(6) != 0;
      TB_RETURN_IF_ERROR(visit(r));
    }
    return reader->Check(rc, "scan resolutions");
  }

  // ---- The stored crowd fit -----------------------------------------------

  Status PutCrowdFit(const std::string& document) override {
    return group_->Write([&]() -> Status {
      Query q(Prepare("INSERT OR REPLACE INTO crowd_fit(id, document) VALUES (1, ?1)"));
      q.BindView(1, document);
      return Check(q.Step(), "store the crowd fit");
    });
  }

  Result<std::optional<std::string>> GetCrowdFit() override {
    auto reader = Reader();
    if (!reader.ok()) return reader.status();
    Query q(reader->Prepare("SELECT document FROM crowd_fit WHERE id = 1"));
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return reader->Check(rc, "read the crowd fit");
    return std::optional<std::string>(q.Text(0));
  }

  // ---- Rate limits and settings -------------------------------------------

  Result<RateCounter> AddToCounter(const std::string& key, std::int64_t amount, std::int64_t window_seconds,
                                   std::int64_t now) override {
    RateCounter counter;
    Status s = group_->Write([&]() -> Status {
      Query q(Prepare("INSERT INTO rate_limits(key, count, expires_at) VALUES (?1, ?2, ?3 + ?4) "
                      "ON CONFLICT(key) DO UPDATE SET "
                      "count = CASE WHEN expires_at <= ?3 THEN ?2 ELSE count + ?2 END, "
                      "expires_at = CASE WHEN expires_at <= ?3 THEN ?3 + ?4 ELSE expires_at END "
                      "RETURNING count, expires_at"));
      q.Bind(1, key).Bind(2, amount).Bind(3, now).Bind(4, window_seconds);
      const int rc = q.Step();
      if (rc != SQLITE_ROW) return Check(rc, "count toward a rate limit");
      counter = RateCounter{q.Int(0), q.Int(1)};
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return counter;
  }

  Result<std::optional<std::string>> GetSetting(const std::string& key) override {
    std::lock_guard lock(mu_);
    return LoadRow<std::string>(
        "SELECT value FROM settings WHERE key = ?1", key,
        [](const Query& q, std::string* value) {
          *value = q.Text(0);
          return Status::Ok();
        },
        "read a setting");
  }

  Result<std::string> PutSettingIfAbsent(const std::string& key, const std::string& value) override {
    std::lock_guard lock(mu_);
    Query q(Prepare("INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET "
                    "value = value RETURNING value"));
    q.Bind(1, key).Bind(2, value);
    const int rc = q.Step();
    if (rc != SQLITE_ROW) return Check(rc, "write a setting");
    return q.Text(0);
  }

 private:
  // REQUIRES: mu_ held.
  sqlite3_stmt* Prepare(const char* sql) { return PrepareCached(db_, statements_, sql); }

  Status Check(int rc, const char* what) { return CheckOn(db_, rc, what); }

  // The writer's connection. REQUIRES: mu_ held.
  Connection Writer() { return {db_, &statements_}; }
  // The calling thread's read connection: it waits for no writer (WAL).
  Result<Connection> Reader() {
    auto reader = ThreadReader();
    if (!reader.ok()) return reader.status();
    return Connection{(*reader)->db, &(*reader)->statements};
  }

  Status Exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return Status::Ok();
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(msg);
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
      return Status::Corruption(path_ + " is not a TruthByte database: " + msg);
    return Status::IoError(path_ + ": " + msg);
  }

  // Runs `body` in one write transaction; rolls back when it fails.
  // REQUIRES: mu_ held.
  Status InTransaction(const std::function<Status()>& body) {
    TB_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status s = body();
    if (s.ok()) s = Exec("COMMIT");
    if (!s.ok()) Exec("ROLLBACK");
    return s;
  }

  static Result<std::vector<std::string>> CollectStrings(Connection c, Query& q, const char* what) {
    std::vector<std::string> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(q.Text(0));
    TB_RETURN_IF_ERROR(c.Check(rc, what));
    return out;
  }

  // Runs a whole-table SELECT and visits each row read by `read`.
  // REQUIRES: mu_ held.
  template <typename Row, typename Reader>
  Status ScanRows(const char* sql, Reader read, const Visitor<Row>& visit, const char* what) {
    Query q(Prepare(sql));
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Row row;
      TB_RETURN_IF_ERROR(read(q, &row));
      TB_RETURN_IF_ERROR(visit(row));
    }
    return Check(rc, what);
  }

  // Reads the one row a keyed SELECT finds, or nothing.
  // REQUIRES: mu_ held.
  template <typename Row, typename Reader>
  Result<std::optional<Row>> LoadRow(const char* sql, const std::string& key, Reader read, const char* what) {
    return LoadRowOn<Row>(db_, Prepare(sql), key, read, what);
  }
  template <typename Row, typename Reader>
  static Result<std::optional<Row>> LoadRowOn(Connection c, const char* sql, const std::string& key, Reader read,
                                              const char* what) {
    return LoadRowOn<Row>(c.db, c.Prepare(sql), key, read, what);
  }

  // LoadRow on any connection, with its statement prepared.
  template <typename Row, typename Reader>
  static Result<std::optional<Row>> LoadRowOn(sqlite3* db, sqlite3_stmt* stmt, const std::string& key, Reader read,
                                              const char* what) {
    Query q(stmt);
    q.Bind(1, key);
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return std::optional<Row>();
    if (rc != SQLITE_ROW) return CheckOn(db, rc, what);
    Row row;
    TB_RETURN_IF_ERROR(read(q, &row));
    return std::optional<Row>(std::move(row));
  }

  // REQUIRES: mu_ held.
  Status LoadQuestion(const std::string& id, std::optional<Question>* out) { return LoadQuestionOn(Writer(), id, out); }
  static Status LoadQuestionOn(Connection c, const std::string& id, std::optional<Question>* out) {
    Query q(c.Prepare("SELECT " TB_QUESTION_COLUMNS " FROM questions WHERE id = ?1"));
    q.Bind(1, id);
    const int rc = q.Step();
    if (rc == SQLITE_DONE) {
      out->reset();
      return Status::Ok();
    }
    if (rc != SQLITE_ROW) return c.Check(rc, "read a question");
    out->emplace();
    return ReadQuestion(q, &**out);
  }

  // Inserts `q` with its index rows when no question has its id; sets
  // *inserted to whether it did. REQUIRES: in a transaction.
  Status InsertNewQuestion(const Question& q, const std::string& now, bool* inserted,
                           CategoryCountChanges* count_changes) {
    {
      Query insert(Prepare("INSERT INTO questions(" TB_QUESTION_COLUMNS ", normalised_question) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(id) DO NOTHING"));
      BindQuestionRow(insert, q, q.created_at.empty() ? now : q.created_at);
      TB_RETURN_IF_ERROR(Check(insert.Step(), "write a question"));
    }
    *inserted = sqlite3_changes(db_) > 0;
    if (!*inserted) return Status::Ok();
    return AddIndexRows(q, nullptr, count_changes);
  }

  // Writes `row` and moves its index rows and counts from `previous` (the
  // stored version, or null for a new question). REQUIRES: in a transaction.
  Status WriteQuestion(const Question& row, const Question* previous, CategoryCountChanges* count_changes) {
    {
      Query q(Prepare("INSERT INTO questions(" TB_QUESTION_COLUMNS ", normalised_question) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(id) DO UPDATE SET "
                      "question = excluded.question, title = excluded.title, passage = excluded.passage, "
                      "answer = excluded.answer, categories = excluded.categories, "
                      "difficulty = excluded.difficulty, tags = excluded.tags, created_at = excluded.created_at, "
                      "source = excluded.source, normalised_question = excluded.normalised_question"));
      BindQuestionRow(q, row, row.created_at);
      TB_RETURN_IF_ERROR(Check(q.Step(), "write a question"));
    }
    return AddIndexRows(row, previous, count_changes);
  }

  // Moves the index rows of `row` from those of `previous` (null: none).
  Status AddIndexRows(const Question& row, const Question* previous, CategoryCountChanges* count_changes) {
    if (!previous) {
      for (auto cat = row.categories.begin(); cat != row.categories.end(); ++cat)
        if (std::find(row.categories.begin(), cat, *cat) == cat)
          TB_RETURN_IF_ERROR(AddIndexRow(*cat, row.id, row.difficulty, count_changes));
      return Status::Ok();
    }
    const std::set<std::string> old_cats(previous->categories.begin(), previous->categories.end());
    const std::set<std::string> new_cats(row.categories.begin(), row.categories.end());
    for (const std::string& cat : old_cats)
      if (!new_cats.count(cat)) TB_RETURN_IF_ERROR(RemoveIndexRow(cat, row.id, count_changes));
    for (const std::string& cat : new_cats) {
      if (!old_cats.count(cat)) {
        TB_RETURN_IF_ERROR(AddIndexRow(cat, row.id, row.difficulty, count_changes));
      } else if (previous->difficulty != row.difficulty) {
        Query q(Prepare("UPDATE question_categories SET difficulty = ?3 WHERE category = ?1 AND question_id = ?2"));
        q.Bind(1, cat).Bind(2, row.id).Bind(3, row.difficulty);
        TB_RETURN_IF_ERROR(Check(q.Step(), "update the category index"));
      }
    }
    return Status::Ok();
  }

  Status AddIndexRow(const std::string& category, const std::string& question_id, int difficulty,
                     CategoryCountChanges* count_changes) {
    Query q(Prepare("INSERT INTO question_categories(category, question_id, difficulty) VALUES (?1, ?2, ?3)"));
    q.Bind(1, category).Bind(2, question_id).Bind(3, difficulty);
    TB_RETURN_IF_ERROR(Check(q.Step(), "add to the category index"));
    ++(*count_changes)[category];
    return Status::Ok();
  }

  Status RemoveIndexRow(const std::string& category, const std::string& question_id,
                        CategoryCountChanges* count_changes) {
    Query q(Prepare("DELETE FROM question_categories WHERE category = ?1 AND question_id = ?2"));
    q.Bind(1, category).Bind(2, question_id);
    TB_RETURN_IF_ERROR(Check(q.Step(), "remove from the category index"));
    --(*count_changes)[category];
    return Status::Ok();
  }

  // Adds the changes to the category counts; a category whose count drops
  // to zero disappears. REQUIRES: in the transaction that made the changes.
  Status ApplyCategoryCountChanges(const CategoryCountChanges& count_changes) {
    for (const auto& [category, change] : count_changes) {
      if (change == 0) continue;
      {
        Query q(Prepare("INSERT INTO categories(name, count, display_name) VALUES (?1, ?2, ?3) "
                        "ON CONFLICT(name) DO UPDATE SET count = count + excluded.count"));
        q.Bind(1, category).Bind(2, change).Bind(3, CategoryDisplayName(category));
        TB_RETURN_IF_ERROR(Check(q.Step(), "count a category"));
      }
      if (change < 0) {
        Query q(Prepare("DELETE FROM categories WHERE name = ?1 AND count <= 0"));
        q.Bind(1, category);
        TB_RETURN_IF_ERROR(Check(q.Step(), "drop an empty category"));
      }
    }
    return Status::Ok();
  }

  // REQUIRES: in a transaction.
  Status CreateDeferredIndexes() {
    for (const auto& index : ImportDeferredIndexes()) TB_RETURN_IF_ERROR(Exec(index.create));
    return Status::Ok();
  }

  Status BumpQuestionsVersion() {
    Query q(Prepare("INSERT INTO settings(key, value) VALUES (?1, '1') ON CONFLICT(key) DO UPDATE SET "
                    "value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"));
    q.Bind(1, kQuestionsVersionKey);
    return Check(q.Step(), "bump the questions version");
  }

  // REQUIRES: mu_ held.
  Result<std::optional<DailyChallenge>> LoadDailyChallenge(const std::string& date) {
    return LoadDailyChallengeOn(Writer(), date);
  }
  static Result<std::optional<DailyChallenge>> LoadDailyChallengeOn(Connection c, const std::string& date) {
    auto read = [](const Query& q, DailyChallenge* c) {
      c->date = q.Text(0);
      c->created_at = q.Text(2);
      return FromJsonList(q.CText(1), &c->question_ids);
    };
    return LoadRowOn<DailyChallenge>(c, "SELECT date, question_ids, created_at FROM daily_challenges WHERE date = ?1",
                                     date, read, "read a daily challenge");
  }

  Status EnsureUser(const std::string& user_id, const std::string& now_iso) {
    Query q(Prepare("INSERT INTO users(user_id, created_at, last_active) VALUES (?1, ?2, ?2) "
                    "ON CONFLICT(user_id) DO UPDATE SET last_active = ?2"));
    q.Bind(1, user_id).Bind(2, now_iso);
    return Check(q.Step(), "write a user");
  }

  // A read-only connection used by one thread.
  struct ReadConnection {
    sqlite3* db = nullptr;
    std::unordered_map<const char*, sqlite3_stmt*> statements;
    ReadConnection() = default;
    ReadConnection(const ReadConnection&) = delete;
    ReadConnection& operator=(const ReadConnection&) = delete;
    ~ReadConnection() {
      for (auto& [sql, stmt] : statements) sqlite3_finalize(stmt);
      if (db) sqlite3_close(db);
    }
    sqlite3_stmt* Prepare(const char* sql) { return PrepareCached(db, statements, sql); }
  };

  // The calling thread's read connection to this store, opened on first use.
  Result<ReadConnection*> ThreadReader() {
    // Keyed by a number no other store ever has, so an entry left by a
    // destroyed store is never found again.
    thread_local std::unordered_map<std::uint64_t, ReadConnection*> mine;
    if (auto it = mine.find(id_); it != mine.end()) return it->second;
    auto reader = std::make_unique<ReadConnection>();
    const int rc = sqlite3_open_v2(path_.c_str(), &reader->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return CheckOn(reader->db, rc, "open a read connection");
    sqlite3_busy_timeout(reader->db, 10000);
    sqlite3_exec(reader->db, "PRAGMA cache_size=-2048", nullptr, nullptr, nullptr);
    ReadConnection* raw = reader.get();
    {
      std::lock_guard lock(readers_mu_);
      readers_.push_back(std::move(reader));
    }
    mine.emplace(id_, raw);
    return raw;
  }

  // REQUIRES: mu_ held.
  Result<std::optional<Session>> LoadSession(const std::string& session_id) {
    return LoadSessionOn(Writer(), session_id);
  }
  static Result<std::optional<Session>> LoadSessionOn(Connection c, const std::string& session_id) {
    auto read = [](const Query& q, Session* session) {
      *session = Session{q.Text(0), q.Text(1), q.Text(2), q.Int(3)};
      return Status::Ok();
    };
    return LoadRowOn<Session>(c, "SELECT session_id, ip_hash, user_id, created_at FROM sessions WHERE session_id = ?1",
                              session_id, read, "read a session");
  }

  // REQUIRES: mu_ held.
  Result<std::optional<Submission>> LoadSubmission(const std::string& id) { return LoadSubmissionOn(Writer(), id); }
  static Result<std::optional<Submission>> LoadSubmissionOn(Connection c, const std::string& id) {
    return LoadRowOn<Submission>(c, "SELECT " TB_SUBMISSION_COLUMNS " FROM submitted_questions WHERE id = ?1", id,
                                 ReadSubmission, "read a submission");
  }

  static Result<std::vector<Submission>> CollectSubmissions(Connection c, Query& q) {
    std::vector<Submission> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Submission s;
      TB_RETURN_IF_ERROR(ReadSubmission(q, &s));
      out.push_back(std::move(s));
    }
    TB_RETURN_IF_ERROR(c.Check(rc, "list submissions"));
    return out;
  }

  // Where a bulk import (BeginQuestionImport) stands: begun and not yet
  // written, or written with the deferred indexes dropped or kept.
  enum class ImportState { kNone, kBegun, kIndexesDeferred, kIndexesKept };

  const std::string path_;
  sqlite3* db_ = nullptr;
  std::mutex mu_;
  ImportState import_ = ImportState::kNone;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
  // Per-thread read connections (ThreadReader); closed with the store.
  inline static std::atomic<std::uint64_t> next_id_{1};
  const std::uint64_t id_ = next_id_.fetch_add(1);
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<ReadConnection>> readers_;
  // Group commit of the request path's writes (group_->Write); made when the
  // writer connection opens.
  std::unique_ptr<sqlite::GroupCommit> group_;
};

}  // namespace

int SqliteSchemaVersion() { return SchemaVersion(); }

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  auto store = std::make_unique<SqliteStore>(path);
  TB_RETURN_IF_ERROR(store->Open());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace truthbyte

#include "store/sqlite/schema.h"

#include <iterator>
#include <string>
#include <string_view>

#include "core/text.h"

namespace truthbyte::sqlite {
namespace {

// Each entry moves the schema one version up; never edit a released entry,
// append a new one. The tables are those of SPEC section 3 with '_' for '-'.
const char* const kMigrations[] = {
    // Version 1.
    R"sql(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE questions (
  id TEXT PRIMARY KEY,
  question TEXT NOT NULL,
  title TEXT NOT NULL,
  passage TEXT NOT NULL,
  answer INTEGER NOT NULL,
  categories TEXT NOT NULL,
  difficulty INTEGER NOT NULL,
  tags TEXT NOT NULL,
  created_at TEXT NOT NULL,
  source TEXT NOT NULL,
  normalised_question TEXT NOT NULL
);
CREATE INDEX questions_difficulty_index ON questions(difficulty, id);
CREATE INDEX questions_normalised_index ON questions(normalised_question);

CREATE TABLE question_categories (
  category TEXT NOT NULL,
  question_id TEXT NOT NULL,
  difficulty INTEGER NOT NULL,
  PRIMARY KEY (category, question_id)
) WITHOUT ROWID;
CREATE INDEX question_categories_difficulty_index
  ON question_categories(category, difficulty, question_id);

CREATE TABLE categories (
  name TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  display_name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE answers (
  user_id TEXT NOT NULL,
  question_id TEXT NOT NULL,
  answer INTEGER NOT NULL,
  is_correct INTEGER,
  timestamp REAL NOT NULL,
  response_time_ms INTEGER,
  PRIMARY KEY (user_id, question_id)
) WITHOUT ROWID;
CREATE INDEX answers_question_id_index ON answers(question_id);

CREATE TABLE sessions (
  session_id TEXT PRIMARY KEY,
  ip_hash TEXT NOT NULL,
  user_id TEXT,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_ip_hash_index ON sessions(ip_hash);

CREATE TABLE submitted_questions (
  id TEXT PRIMARY KEY,
  question TEXT NOT NULL,
  title TEXT NOT NULL,
  passage TEXT NOT NULL,
  answer INTEGER NOT NULL,
  categories TEXT NOT NULL,
  difficulty INTEGER NOT NULL,
  author TEXT NOT NULL,
  status TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  reviewed_at TEXT NOT NULL DEFAULT '',
  reviewer_id TEXT NOT NULL DEFAULT '',
  reviewer_notes TEXT NOT NULL DEFAULT '',
  approved_question_id TEXT NOT NULL DEFAULT '',
  normalised_question TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX submitted_questions_author_index ON submitted_questions(author, submitted_at);
CREATE INDEX submitted_questions_status_index ON submitted_questions(status, submitted_at);
CREATE INDEX submitted_questions_normalised_index ON submitted_questions(normalised_question);

CREATE TABLE users (
  user_id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  last_active TEXT NOT NULL,
  total_answers INTEGER NOT NULL DEFAULT 0,
  correct_answers INTEGER NOT NULL DEFAULT 0,
  current_daily_streak INTEGER NOT NULL DEFAULT 0,
  best_daily_streak INTEGER NOT NULL DEFAULT 0,
  last_counted_date TEXT NOT NULL DEFAULT '',
  daily_progress TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;

CREATE TABLE daily_challenges (
  date TEXT PRIMARY KEY,
  question_ids TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // Version 2: the questions' normalised-text index goes. Nothing reads
    // it: proposals are checked against the catalog's hashes of the
    // normalised texts (and pending ones against submitted_questions'
    // index), while an import spent about a tenth of its time building it.
    // The column stays.
    R"sql(
DROP INDEX IF EXISTS questions_normalised_index;
)sql",
    // Version 3: the users' daily results by (user, date), beside the
    // users' daily_progress, which holds every day a player completed in
    // one JSON object: after a year about 375 KB, which the daily screen
    // read and parsed whole on every request (120 requests/s for such a
    // player, against 18,000 for a new one). A row a day reads one day.
    // A user whose daily_progress does not decode gets no rows (GetUser
    // reports it as before) instead of failing the migration.
    R"sql(
CREATE TABLE daily_results (
  user_id TEXT NOT NULL,
  date TEXT NOT NULL,
  progress TEXT NOT NULL,
  PRIMARY KEY (user_id, date)
) WITHOUT ROWID;
INSERT INTO daily_results(user_id, date, progress)
  SELECT users.user_id, day.key, day.value
  FROM users, json_each(CASE WHEN json_valid(users.daily_progress) AND json_type(users.daily_progress) = 'object'
                             THEN users.daily_progress ELSE '{}' END) AS day;
)sql",
    // Version 4: NormaliseQuestionText folds Unicode (NFKC, case folding,
    // every space and zero-width character), so the stored forms of the
    // proposals are recomputed (truthbyte_normalise: registered on every
    // connection; ASCII text keeps its form).
    R"sql(
UPDATE submitted_questions SET normalised_question = truthbyte_normalise(question)
  WHERE normalised_question <> truthbyte_normalise(question);
)sql",
    // Version 5: each answer says whether it is a judgment the crowd model
    // counts (Judgment; NULL is "counted"). The answers a player gave in a
    // daily challenge are recognised by their day's result: the same
    // question at the same time.
    R"sql(
ALTER TABLE answers ADD COLUMN judgment TEXT;
UPDATE answers SET judgment = 'daily' WHERE EXISTS (
  SELECT 1 FROM daily_results AS d, json_each(d.progress, '$.answers') AS e
  WHERE d.user_id = answers.user_id AND json_valid(d.progress)
    AND json_extract(e.value, '$.question_id') = answers.question_id
    AND json_extract(e.value, '$.timestamp') = answers.timestamp);
)sql",
    // Version 6: reviewers' resolutions of disputed labels
    // (Store::RecordResolution).
    R"sql(
CREATE TABLE resolutions (
  question_id TEXT NOT NULL,
  resolved_at TEXT NOT NULL,
  action TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  label_before INTEGER NOT NULL,
  label_after INTEGER NOT NULL,
  PRIMARY KEY (question_id, resolved_at)
) WITHOUT ROWID;
)sql",
    // Version 7: the questions fetch-questions served to each player
    // (Store::RecordServed) and the stored crowd fit (Store::PutCrowdFit).
    R"sql(
CREATE TABLE served (
  user_id TEXT NOT NULL,
  question_id TEXT NOT NULL,
  PRIMARY KEY (user_id, question_id)
) WITHOUT ROWID;
CREATE TABLE crowd_fit (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  document TEXT NOT NULL
);
)sql",
};

// truthbyte_normalise(text): NormaliseQuestionText in SQL, for migrations.
void NormaliseSqlFunction(sqlite3_context* ctx, int, sqlite3_value** args) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
  if (!text) {
    sqlite3_result_null(ctx);
    return;
  }
  const std::string normalised =
      NormaliseQuestionText(std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(args[0]))));
  sqlite3_result_text(ctx, normalised.data(), static_cast<int>(normalised.size()), SQLITE_TRANSIENT);
}

const DeferredIndex kImportDeferredIndexes[] = {
    {"questions_difficulty_index", "CREATE INDEX IF NOT EXISTS questions_difficulty_index ON questions(difficulty, id)"},
    {"question_categories_difficulty_index",
     // The line break as in migration 1: sqlite_master holds the same text.
     "CREATE INDEX IF NOT EXISTS question_categories_difficulty_index\n"
     "  ON question_categories(category, difficulty, question_id)"},
};

}  // namespace

std::span<const char* const> Migrations() { return kMigrations; }

Status RegisterSqlFunctions(sqlite3* db) {
  const int rc = sqlite3_create_function(db, "truthbyte_normalise", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                         &NormaliseSqlFunction, nullptr, nullptr);
  if (rc != SQLITE_OK) return Status::IoError("cannot register truthbyte_normalise: " + std::string(sqlite3_errstr(rc)));
  return Status::Ok();
}

std::span<const DeferredIndex> ImportDeferredIndexes() { return kImportDeferredIndexes; }

}  // namespace truthbyte::sqlite

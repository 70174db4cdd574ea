// Behaviour of the SQLite engine that the Store interface does not express:
// the file, its schema and journal mode, several handles on one file, crash
// durability, and failures injected inside the database.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/text.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::SizeIs;

// A plain sqlite3 connection, as an operator with the sqlite3 shell has.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
    sqlite3_busy_timeout(db_, 10000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("raw SQL failed: " + msg + ": " + sql);
    }
  }

  // Column `col` (the first by default) of every row, as text.
  std::vector<std::string> Column(const std::string& sql, int col = 0) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("raw SQL failed: ") + sqlite3_errmsg(db_) + ": " + sql);
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(stmt, col);
      out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("raw SQL failed: ") + sqlite3_errmsg(db_));
    return out;
  }

  std::string One(const std::string& sql) {
    auto rows = Column(sql);
    if (rows.empty()) throw std::runtime_error("no row: " + sql);
    return rows.front();
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open() { return Must(OpenSqliteStore(path_)); }

  // Index rows and counts as stored, for comparing states.
  std::vector<std::string> IndexRows() {
    RawDb raw(path_);
    auto rows = raw.Column(
        "SELECT category || '/' || question_id || '/' || difficulty FROM question_categories ORDER BY 1");
    for (auto& c : raw.Column("SELECT 'count/' || name || '/' || count || '/' || display_name FROM categories "
                              "ORDER BY 1"))
      rows.push_back(c);
    return rows;
  }

  TempDir dir_;
  const std::string path_ = dir_.File("truthbyte.db");
};

TEST_F(SqliteStoreTest, DescribeNamesTheFile) {
  EXPECT_EQ(Open()->Describe(), "sqlite:" + path_);
}

TEST_F(SqliteStoreTest, DataSurvivesClosingAndReopening) {
  std::uint64_t version = 0;
  {
    auto store = Open();
    UpsertCounts counts;
    Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("q1", {"science"}, 2), MakeQuestion("q2")},
                                &counts));
    Must(store->RecordAnswers(std::vector<Answer>{{"u1", "q1", true, true, 12.5, 300}}, "2024-01-01T00:00:00.000Z"));
    Must(store->CompleteDailyChallenge("u1", DailyProgress{"2024-01-01", 1, 1, 100, "S", {}, "2024-01-01T01:00:00Z"},
                                       StreakState{1, 1, CivilDate::Parse("2024-01-01")}, "2024-01-01T01:00:00Z"));
    Must(store->CreateSession({"s1", "ip", "", 5}));
    Must(store->BindSession("s1", "u1"));
    Must(store->CreateSubmission(MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00.000Z")));
    Must(store->FreezeDailyChallenge({"2024-01-01", {"q1"}, "2024-01-01T00:00:00.000Z"}));
    Must(store->AddToCounter("k", 7, 60, 1000));
    Must(store->PutSettingIfAbsent("salt", "s3cret"));
    version = Must(store->QuestionsVersion());
  }
  auto store = Open();
  EXPECT_EQ(Must(store->CountQuestions()), 2);
  EXPECT_THAT(Must(store->QueryCategoryIndex("science", 2)).ids, ElementsAre("q1"));
  EXPECT_EQ(Must(store->QuestionsVersion()), version);
  auto user = Must(store->GetUser("u1"));
  ASSERT_TRUE(user);
  EXPECT_EQ(user->total_answers, 1);
  EXPECT_EQ(user->streak.current, 1);
  EXPECT_EQ(user->daily_progress.at("2024-01-01").rank, "S");
  EXPECT_EQ(Must(store->GetSession("s1"))->user_id, "u1");
  EXPECT_EQ(Must(store->GetSubmission("sub_1"))->author, "alice");
  EXPECT_THAT(Must(store->GetDailyChallenge("2024-01-01"))->question_ids, ElementsAre("q1"));
  EXPECT_EQ(Must(store->AddToCounter("k", 1, 60, 1001)).count, 8);
  EXPECT_EQ(Must(store->GetSetting("salt")), std::optional<std::string>("s3cret"));
}

TEST_F(SqliteStoreTest, DatabaseIsInWalModeWithTheSpecTablesAndVersion) {
  auto store = Open();
  RawDb raw(path_);
  EXPECT_EQ(raw.One("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(SqliteSchemaVersion()));
  EXPECT_GE(SqliteSchemaVersion(), 1);
  const auto tables = raw.Column("SELECT name FROM sqlite_master WHERE type = 'table'");
  for (const char* name : {"questions", "question_categories", "categories", "answers", "sessions",
                           "submitted_questions", "users", "daily_challenges", "rate_limits"})
    EXPECT_THAT(tables, Contains(name));
  for (const std::string& name : tables) EXPECT_THAT(name, Not(HasSubstr("-")));
}

TEST_F(SqliteStoreTest, InitIsIdempotent) {
  std::vector<std::string> schema;
  {
    auto store = Open();
    Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("q1", {"science"})}, nullptr));
    schema = RawDb(path_).Column("SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY 1");
    ASSERT_THAT(store->Init(), IsOk());
    ASSERT_THAT(store->Init(), IsOk());
  }
  auto store = Open();  // Init again, on an existing file
  ASSERT_THAT(store->Init(), IsOk());
  RawDb raw(path_);
  EXPECT_EQ(raw.Column("SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY 1"),
            schema);
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(SqliteSchemaVersion()));
  EXPECT_EQ(Must(store->CountQuestions()), 1);
  EXPECT_THAT(Must(store->QueryCategoryIndex("science", std::nullopt)).ids, ElementsAre("q1"));
}

// An import into an empty store builds the read-only indexes at its end;
// the schema afterwards is the one Init creates, and the data is complete
// after every batch, also while the indexes are missing.
TEST_F(SqliteStoreTest, AnImportIntoAnEmptyStoreEndsWithTheSameSchema) {
  const std::string schema_sql =
      "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY 1";
  auto store = Open();
  const auto schema = RawDb(path_).Column(schema_sql);
  ASSERT_THAT(store->BeginQuestionImport(), IsOk());
  Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("q1", {"science"}, 2)}, nullptr));
  EXPECT_THAT(RawDb(path_).Column("SELECT name FROM sqlite_master WHERE type = 'index'"),
              Not(Contains("questions_difficulty_index")));
  Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("q2", {"science"}, 2)}, nullptr));
  EXPECT_THAT(Must(store->QueryCategoryIndex("science", 2)).ids, ElementsAre("q1", "q2"));
  ASSERT_THAT(store->FinishQuestionImport(), IsOk());
  EXPECT_EQ(RawDb(path_).Column(schema_sql), schema);
  EXPECT_EQ(RawDb(path_).One("PRAGMA integrity_check"), "ok");

  // Into a store that has questions, the indexes stay.
  ASSERT_THAT(store->BeginQuestionImport(), IsOk());
  Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("q3", {"history"}, 4)}, nullptr));
  EXPECT_EQ(RawDb(path_).Column(schema_sql), schema);
  ASSERT_THAT(store->FinishQuestionImport(), IsOk());
  EXPECT_EQ(RawDb(path_).Column(schema_sql), schema);
}

TEST_F(SqliteStoreTest, OpeningRestoresIndexesAnInterruptedImportLeftOut) {
  std::vector<std::string> schema;
  {
    auto store = Open();
    schema = RawDb(path_).Column("SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY 1");
    ASSERT_THAT(store->BeginQuestionImport(), IsOk());
    Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("q1", {"science"}, 2)}, nullptr));
    // The process dies here: no FinishQuestionImport.
  }
  auto store = Open();
  EXPECT_EQ(RawDb(path_).Column("SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY 1"),
            schema);
  EXPECT_THAT(Must(store->QueryCategoryIndex("science", 2)).ids, ElementsAre("q1"));
}

// Version 2 drops the questions' normalised-text index, which nothing
// reads; a version 1 store is migrated on open and keeps its data, and no
// import puts the index back.
TEST_F(SqliteStoreTest, OpeningAVersion1StoreDropsTheNormalisedTextIndex) {
  {
    auto store = Open();
    Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("q1", {"science"}, 2)}, nullptr));
  }
  {
    RawDb raw(path_);
    // What version 1 had and later versions do not, and not what they add.
    raw.Exec("CREATE INDEX questions_normalised_index ON questions(normalised_question); DROP TABLE daily_results; "
             "DROP TABLE resolutions; DROP TABLE served; DROP TABLE crowd_fit; "
             "ALTER TABLE answers DROP COLUMN judgment; PRAGMA user_version = 1;");
  }
  auto store = Open();
  RawDb raw(path_);
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(SqliteSchemaVersion()));
  EXPECT_GE(SqliteSchemaVersion(), 2);
  const std::string indexes = "SELECT name FROM sqlite_master WHERE type = 'index'";
  EXPECT_THAT(raw.Column(indexes), AllOf(Not(Contains("questions_normalised_index")),
                                         Contains("questions_difficulty_index"),
                                         Contains("question_categories_difficulty_index")));
  EXPECT_EQ(Must(store->GetQuestions(std::vector<std::string>{"q1"})).size(), 1u);
  EXPECT_THAT(Must(store->QueryCategoryIndex("science", 2)).ids, ElementsAre("q1"));

  ASSERT_THAT(store->BeginQuestionImport(), IsOk());
  Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("q2", {"science"}, 2)}, nullptr));
  ASSERT_THAT(store->FinishQuestionImport(), IsOk());
  EXPECT_THAT(raw.Column(indexes), Not(Contains("questions_normalised_index")));
}

// u1's day of 2024-03-01: q1 right, q2 wrong (50 %, rank D), and the same
// two answers as the store keeps them.
DailyProgress TwoAnswerDay() {
  DailyProgress day;
  day.date = "2024-03-01";
  day.correct_count = 1;
  day.total_questions = 2;
  day.score = 50;
  day.rank = "D";
  day.answers = {{"q1", true, true, 1709251200.5}, {"q2", false, false, 1709251201.5}};
  day.completed_at = "2024-03-01T09:00:00.000Z";
  return day;
}

std::vector<Answer> TwoAnswerDayAnswers() {
  return {{"u1", "q1", true, true, 1709251200.5, std::nullopt}, {"u1", "q2", false, false, 1709251201.5, std::nullopt}};
}

// A failure while the day's answers are written leaves nothing of the day:
// no result, no streak, no answers, no totals; a retry completes it.
TEST_F(SqliteStoreTest, AFailureWritingTheDaysAnswersLeavesNothingAndTheRetryCompletesIt) {
  auto store = Open();
  const DailyProgress day = TwoAnswerDay();
  const std::vector<Answer> answers = TwoAnswerDayAnswers();
  const StreakState streak{1, 1, CivilDate::Parse("2024-03-01")};
  {
    RawDb raw(path_);
    raw.Exec("CREATE TRIGGER injected_failure BEFORE INSERT ON answers WHEN NEW.question_id = 'q2' "
             "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  }
  EXPECT_THAT(store->CompleteDailyChallenge("u1", day, streak, answers, "2024-03-01T09:00:00.000Z"), Not(IsOk()));
  const UserDay after_failure = Must(store->GetUserDay("u1", "2024-03-01"));
  EXPECT_FALSE(after_failure.progress) << "the day was kept without its answers";
  EXPECT_EQ(after_failure.streak.current, 0);
  EXPECT_THAT(Must(store->AnswersForQuestion("q1")), IsEmpty()) << "the first answer was kept";
  if (auto user = Must(store->GetUser("u1"))) {
    EXPECT_EQ(user->total_answers, 0);
  }
  {
    RawDb raw(path_);
    EXPECT_EQ(raw.One("SELECT count(*) FROM daily_results"), "0");
    raw.Exec("DROP TRIGGER injected_failure;");
  }
  // The retry is not refused as already done (it was a 409 before).
  ASSERT_THAT(store->CompleteDailyChallenge("u1", day, streak, answers, "2024-03-01T09:00:05.000Z"), IsOk());
  const UserDay done = Must(store->GetUserDay("u1", "2024-03-01"));
  ASSERT_TRUE(done.progress);
  EXPECT_EQ(done.progress->score, 50);
  EXPECT_EQ(done.streak.current, 1);
  EXPECT_THAT(Must(store->AnswersForQuestion("q1")), SizeIs(1));
  EXPECT_THAT(Must(store->AnswersForQuestion("q2")), SizeIs(1));
  EXPECT_EQ(Must(store->GetUser("u1"))->total_answers, 2);
}

// Version 3 adds the daily results by (user, date); a version 2 store gets
// them from its users' daily_progress on open.
TEST_F(SqliteStoreTest, OpeningAVersion2StoreFillsTheDailyResults) {
  DailyProgress day;
  day.date = "2024-03-01";
  day.correct_count = 6;
  day.total_questions = 10;
  day.score = 60;
  day.rank = "C";
  day.answers = {{"q1", true, true, 1709251200.5}};
  day.completed_at = "2024-03-01T09:00:00.000Z";
  {
    auto store = Open();
    ASSERT_THAT(store->CompleteDailyChallenge("u1", day, StreakState{2, 4, CivilDate::Parse("2024-03-01")},
                                              "2024-03-01T09:00:00.000Z"),
                IsOk());
  }
  {
    RawDb raw(path_);
    // Beside the good user, ones whose progress is empty or does not
    // decode: the migration fills what it can and fails for none of them.
    raw.Exec("DROP TABLE daily_results; "
             "INSERT INTO users(user_id, created_at, last_active, daily_progress) VALUES "
             "('empty', 'x', 'x', '{}'), ('broken', 'x', 'x', 'not json'), ('list', 'x', 'x', '[1,2]'); "
             "DROP TABLE resolutions; DROP TABLE served; DROP TABLE crowd_fit; "
             "ALTER TABLE answers DROP COLUMN judgment; PRAGMA user_version = 2;");
  }
  auto store = Open();
  RawDb raw(path_);
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(SqliteSchemaVersion()));
  EXPECT_EQ(raw.One("SELECT count(*) FROM daily_results"), "1");
  EXPECT_EQ(raw.One("SELECT user_id || ' ' || date FROM daily_results"), "u1 2024-03-01");
  EXPECT_FALSE(Must(store->GetUserDay("broken", "2024-03-01")).progress);
  EXPECT_TRUE(Must(store->GetUserDay("empty", "2024-03-01")).exists);
  const UserDay read = Must(store->GetUserDay("u1", "2024-03-01"));
  ASSERT_TRUE(read.progress);
  EXPECT_EQ(read.progress->correct_count, 6);
  EXPECT_EQ(read.progress->rank, "C");
  EXPECT_EQ(read.streak.best, 4);
  // And the exactly-once check holds for the migrated day.
  EXPECT_THAT(store->CompleteDailyChallenge("u1", day, StreakState{}, "2024-03-01T10:00:00.000Z"),
              HasCode(StatusCode::kConditionFailed));
}

// Version 4 recomputes the proposals' normalised text in the Unicode-folding
// form, so a pending proposal written before is still found as a duplicate.
TEST_F(SqliteStoreTest, OpeningAVersion3StoreRefoldsThePendingProposals) {
  const std::string fullwidth = "\xef\xbc\xa9s the sky blue\xef\xbc\x9f";  // "Ｉs the sky blue？"
  {
    auto store = Open();
    ASSERT_THAT(store->CreateSubmission(MakeSubmission("s1", "alice", "2024-01-01T00:00:00.000Z")), IsOk());
    ASSERT_THAT(store->CreateSubmission(MakeSubmission("s2", "bob", "2024-01-02T00:00:00.000Z")), IsOk());
  }
  {
    RawDb raw(path_);
    // What version 3 stored for a full-width question: case folded in ASCII only.
    raw.Exec("UPDATE submitted_questions SET question = '" + fullwidth +
             "', normalised_question = 'ï¼©s the sky blueï¼' WHERE id = 's1'; "
             "DROP TABLE resolutions; DROP TABLE served; DROP TABLE crowd_fit; "
             "ALTER TABLE answers DROP COLUMN judgment; PRAGMA user_version = 3;");
  }
  auto store = Open();
  RawDb raw(path_);
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(SqliteSchemaVersion()));
  EXPECT_EQ(raw.One("SELECT normalised_question FROM submitted_questions WHERE id = 's1'"), "is the sky blue");
  EXPECT_TRUE(Must(store->PendingSubmissionWithText(NormaliseQuestionText("Is the sky blue?"))));
  EXPECT_EQ(raw.One("SELECT normalised_question FROM submitted_questions WHERE id = 's2'"),
            NormaliseQuestionText(MakeSubmission("s2", "bob", "x").question));
}

// Version 5 adds each answer's judgment; the answers of a completed daily
// challenge (the same question at the same time) become "daily", and the
// same question answered earlier in arcade play stays counted.
TEST_F(SqliteStoreTest, OpeningAVersion4StoreMarksTheDailyAnswers) {
  const DailyProgress day = TwoAnswerDay();
  {
    auto store = Open();
    Must(store->RecordAnswers(std::vector<Answer>{{"u1", "q2", false, false, 1000.0, std::nullopt},
                                                  {"u1", "q3", true, true, 1001.0, std::nullopt}},
                              "2024-02-01T00:00:00.000Z"));
    ASSERT_THAT(store->CompleteDailyChallenge("u1", day, StreakState{1, 1, CivilDate::Parse("2024-03-01")},
                                              TwoAnswerDayAnswers(),
                                              "2024-03-01T09:00:00.000Z"),
                IsOk());
  }
  {
    RawDb raw(path_);
    raw.Exec("DROP TABLE resolutions; DROP TABLE served; DROP TABLE crowd_fit; "
             "ALTER TABLE answers DROP COLUMN judgment; PRAGMA user_version = 4;");
  }
  auto store = Open();
  std::map<std::string, Judgment> judgments;
  Must(store->ScanAnswers([&](const Answer& a) {
    judgments[a.question_id] = a.judgment;
    return Status::Ok();
  }));
  EXPECT_THAT(judgments, ElementsAre(Pair("q1", Judgment::kDaily), Pair("q2", Judgment::kCounted),
                                     Pair("q3", Judgment::kCounted)));
}

// Versions 6 and 7 add tables only: a version 5 store gains them and
// keeps its answers.
TEST_F(SqliteStoreTest, OpeningAVersion5StoreAddsTheResolutionsServedAndFitTables) {
  {
    auto store = Open();
    Must(store->RecordAnswers(std::vector<Answer>{{"u1", "q2", false, false, 1000.0, std::nullopt}},
                              "2024-02-01T00:00:00.000Z"));
  }
  {
    RawDb raw(path_);
    raw.Exec("DROP TABLE resolutions; DROP TABLE served; DROP TABLE crowd_fit; PRAGMA user_version = 5;");
  }
  auto store = Open();
  Must(store->RecordServed(std::vector<ServedQuestion>{{"u1", "q2"}}));
  EXPECT_THAT(Must(store->ServedAmong("u1", std::vector<std::string>{"q2"})), ElementsAre("q2"));
  Must(store->PutCrowdFit("{}"));
  EXPECT_EQ(*Must(store->GetCrowdFit()), "{}");
  EXPECT_THAT(Must(store->AnsweredQuestionIds("u1")), ElementsAre("q2"));
  RawDb raw(path_);
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(SqliteSchemaVersion()));
  EXPECT_EQ(raw.One("SELECT count(*) FROM resolutions"), "0");
}

TEST_F(SqliteStoreTest, OpeningAFileThatIsNotADatabaseFailsClearly) {
  std::string junk;
  while (junk.size() < 8192) junk += "this is a text file, not a database\n";
  WriteFile(path_, junk);

  auto opened = OpenSqliteStore(path_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kCorruption) << opened.status().ToString();
  EXPECT_THAT(opened.status().message(), AllOf(HasSubstr(path_), HasSubstr("not a")));
  EXPECT_EQ(ReadFile(path_), junk);  // left as it was
}

TEST_F(SqliteStoreTest, OpeningInAMissingDirectoryFails) {
  const std::string path = dir_.File("no/such/dir/truthbyte.db");
  auto opened = OpenSqliteStore(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(), HasSubstr(path));
}

TEST_F(SqliteStoreTest, ANewerSchemaIsRefused) {
  const int newer = SqliteSchemaVersion() + 1;
  {
    RawDb raw(path_);
    raw.Exec("CREATE TABLE future_table (x TEXT); PRAGMA user_version = " + std::to_string(newer) + ";");
  }
  auto opened = OpenSqliteStore(path_);
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(),
              AllOf(HasSubstr("newer"), HasSubstr(std::to_string(newer)), HasSubstr("upgrade")));

  RawDb raw(path_);  // untouched
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(newer));
  EXPECT_THAT(raw.Column("SELECT name FROM sqlite_master WHERE type = 'table'"), ElementsAre("future_table"));
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  auto server = Open();
  auto operator_command = Open();

  const std::uint64_t version = Must(server->QuestionsVersion());
  UpsertCounts counts;
  Must(operator_command->UpsertQuestions(std::vector<Question>{MakeQuestion("q1", {"science"}, 2)}, &counts));
  EXPECT_EQ(counts.inserted, 1u);
  EXPECT_NE(Must(server->QuestionsVersion()), version);  // the server's cache sees the import
  EXPECT_THAT(Must(server->QueryCategoryIndex("science", 2)).ids, ElementsAre("q1"));
  ASSERT_THAT(Must(server->GetQuestions(std::vector<std::string>{"q1"})), SizeIs(1));

  Must(server->RecordAnswers(std::vector<Answer>{{"u1", "q1", true, true, 1, std::nullopt}}, "2024-01-01T00:00:00Z"));
  EXPECT_EQ(Must(operator_command->GetUser("u1"))->total_answers, 1);

  Must(server->FreezeDailyChallenge({"2024-01-01", {"q1"}, "2024-01-01T00:00:00Z"}));
  EXPECT_THAT(Must(operator_command->FreezeDailyChallenge({"2024-01-01", {"zzz"}, ""})).question_ids,
              ElementsAre("q1"));

  const DailyProgress progress{"2024-01-01", 1, 1, 100, "S", {}, "2024-01-01T00:00:00Z"};
  ASSERT_THAT(server->CompleteDailyChallenge("u1", progress, StreakState{1, 1, std::nullopt}, "x"), IsOk());
  EXPECT_THAT(operator_command->CompleteDailyChallenge("u1", progress, StreakState{}, "y"),
              HasCode(StatusCode::kConditionFailed));

  Must(server->CreateSubmission(MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00Z")));
  SubmissionDecision d;
  d.submission_id = "sub_1";
  d.status = SubmissionStatus::kRejected;
  ASSERT_THAT(operator_command->DecideSubmission(d), IsOk());
  EXPECT_EQ(Must(server->GetSubmission("sub_1"))->status, SubmissionStatus::kRejected);
}

// The interface offers no input that makes a write fail, so a trigger makes
// the database refuse one row in the middle of a batch.
TEST_F(SqliteStoreTest, AFailedQuestionBatchChangesNothing) {
  auto store = Open();
  Must(store->UpsertQuestions(
      std::vector<Question>{MakeQuestion("e1", {"science"}, 2, "Original?"), MakeQuestion("e2", {"history"}, 3)},
      nullptr));
  const auto rows_before = IndexRows();
  const std::uint64_t version = Must(store->QuestionsVersion());
  RawDb(path_).Exec(
      "CREATE TRIGGER refuse_boom BEFORE INSERT ON questions WHEN NEW.id = 'boom' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");

  UpsertCounts counts;
  const std::vector<Question> batch{MakeQuestion("n1", {"sports"}, 1),
                                    MakeQuestion("e1", {"geography"}, 4, "Changed?"), MakeQuestion("boom")};
  const Status s = store->UpsertQuestions(batch, &counts);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("injected failure"));
  EXPECT_EQ(counts.inserted + counts.updated + counts.unchanged, 0u);

  EXPECT_EQ(Must(store->CountQuestions()), 2);
  EXPECT_THAT(Must(store->GetQuestions(std::vector<std::string>{"n1", "boom"})), IsEmpty());
  EXPECT_EQ(Must(store->GetQuestions(std::vector<std::string>{"e1"}))[0].question, "Original?");
  EXPECT_EQ(IndexRows(), rows_before);
  EXPECT_EQ(Must(store->QuestionsVersion()), version);

  // The store is usable afterwards (the transaction was rolled back).
  RawDb(path_).Exec("DROP TRIGGER refuse_boom");
  ASSERT_THAT(store->UpsertQuestions(batch, &counts), IsOk());
  EXPECT_EQ(counts.inserted, 2u);
  EXPECT_EQ(counts.updated, 1u);
  EXPECT_EQ(Must(store->CountQuestions()), 4);
}

TEST_F(SqliteStoreTest, AFailedApprovalLeavesTheSubmissionPending) {
  auto store = Open();
  Must(store->CreateSubmission(MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00Z")));
  RawDb(path_).Exec(
      "CREATE TRIGGER refuse_index BEFORE INSERT ON question_categories WHEN NEW.question_id = 'uq_1' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  SubmissionDecision d;
  d.submission_id = "sub_1";
  d.status = SubmissionStatus::kApproved;
  d.reviewer_id = "mod1";
  d.approved_question = MakeQuestion("uq_1", {"science"});
  ASSERT_FALSE(store->DecideSubmission(d).ok());

  auto sub = Must(store->GetSubmission("sub_1"));
  EXPECT_EQ(sub->status, SubmissionStatus::kPending);
  EXPECT_EQ(sub->reviewer_id, "");
  EXPECT_EQ(Must(store->CountQuestions()), 0);
  EXPECT_THAT(Must(store->ListCategories()), IsEmpty());

  RawDb(path_).Exec("DROP TRIGGER refuse_index");
  ASSERT_THAT(store->DecideSubmission(d), IsOk());
  EXPECT_EQ(Must(store->GetSubmission("sub_1"))->status, SubmissionStatus::kApproved);
}

TEST_F(SqliteStoreTest, AFailedAnswerBatchRecordsNothing) {
  auto store = Open();
  RawDb(path_).Exec(
      "CREATE TRIGGER refuse_user BEFORE INSERT ON users WHEN NEW.user_id = 'boom' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  const std::vector<Answer> batch{{"u1", "q1", true, true, 1, std::nullopt}, {"boom", "q1", true, true, 2, std::nullopt}};
  ASSERT_FALSE(store->RecordAnswers(batch, "2024-01-01T00:00:00Z").ok());
  int answers = 0;
  Must(store->ScanAnswers([&](const Answer&) {
    ++answers;
    return Status::Ok();
  }));
  EXPECT_EQ(answers, 0);
  EXPECT_FALSE(Must(store->GetUser("u1")));
}

// A question's answers are read through the question_id index, not a scan.
TEST_F(SqliteStoreTest, AnswersForQuestionUsesTheQuestionIndex) {
  auto store = Open();
  Must(store->RecordAnswers(std::vector<Answer>{{"u2", "q1", true, true, 1, std::nullopt},
                                                {"u1", "q1", false, false, 2, 40},
                                                {"u1", "q2", true, true, 3, std::nullopt}},
                            "2024-01-01T00:00:00Z"));
  auto q1 = Must(store->AnswersForQuestion("q1"));
  ASSERT_EQ(q1.size(), 2u);
  EXPECT_EQ(q1[0].user_id, "u1");
  EXPECT_EQ(q1[0].response_time_ms, std::optional<std::int64_t>(40));
  EXPECT_EQ(q1[1].user_id, "u2");
  EXPECT_THAT(RawDb(path_).Column("EXPLAIN QUERY PLAN SELECT user_id FROM answers WHERE question_id = 'q1'", 3),
              Contains(HasSubstr("answers_question_id_index")));
}

// Writers that share a commit (group commit): the one whose write fails
// inside the database fails alone; the others' writes are all there.
TEST_F(SqliteStoreTest, AWriteThatFailsInASharedCommitFailsAlone) {
  auto store = Open();
  RawDb(path_).Exec(
      "CREATE TRIGGER refuse_user BEFORE INSERT ON users WHEN NEW.user_id = 'boom' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  constexpr int kWriters = 8;
  constexpr int kRounds = 25;
  std::vector<int> ok(kWriters, 0), failed(kWriters, 0);
  RunTogether(kWriters, [&](int i) {
    const std::string user = i == 0 ? "boom" : "u" + std::to_string(i);
    for (int round = 0; round < kRounds; ++round) {
      const std::vector<Answer> one{{user, "q" + std::to_string(round), true, true, 1.0 * round, std::nullopt}};
      if (store->RecordAnswers(one, "2024-01-01T00:00:00Z").ok()) ++ok[i];
      else ++failed[i];
    }
  });
  EXPECT_EQ(ok[0], 0);
  EXPECT_EQ(failed[0], kRounds);
  for (int i = 1; i < kWriters; ++i) {
    EXPECT_EQ(ok[i], kRounds) << "writer " << i;
    auto u = Must(store->GetUser("u" + std::to_string(i)));
    ASSERT_TRUE(u);
    EXPECT_EQ(u->total_answers, kRounds);
  }
  EXPECT_FALSE(Must(store->GetUser("boom")));
  EXPECT_EQ(RawDb(path_).One("SELECT count(*) FROM answers WHERE user_id = 'boom'"), "0");
  EXPECT_EQ(RawDb(path_).One("SELECT count(*) FROM answers"), std::to_string((kWriters - 1) * kRounds));
}

TEST_F(SqliteStoreTest, RebuildRepairsADriftedIndex) {
  auto store = Open();
  Must(store->UpsertQuestions(std::vector<Question>{MakeQuestion("a", {"science"}, 2),
                                                   MakeQuestion("b", {"science", "history"}, 3),
                                                   MakeQuestion("c", {}, 5)},
                              nullptr));
  const auto good = IndexRows();
  RawDb(path_).Exec(
      "DELETE FROM question_categories WHERE category = 'science';"
      "UPDATE question_categories SET difficulty = 1 WHERE question_id = 'c';"
      "UPDATE categories SET count = 99 WHERE name = 'general';"
      "INSERT INTO question_categories VALUES ('ghost', 'zzz', 1);"
      "INSERT INTO categories VALUES ('ghost', 1, 'Ghost');");
  ASSERT_NE(IndexRows(), good);

  ASSERT_THAT(store->RebuildCategoryIndex(), IsOk());
  EXPECT_EQ(IndexRows(), good);
  EXPECT_THAT(Must(store->QueryCategoryIndex("ghost", std::nullopt)).ids, IsEmpty());
  EXPECT_THAT(Must(store->QueryCategoryIndex("science", 3)).ids, ElementsAre("b"));
}

// An acknowledged write survives the process being killed (no close, no
// checkpoint): the committed WAL frames are replayed by the next opener.
TEST_F(SqliteStoreTest, CommittedWritesSurviveAKilledProcess) {
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    auto opened = OpenSqliteStore(path_);
    if (!opened.ok()) _exit(10);
    Store& store = **opened;
    UpsertCounts counts;
    if (!store.UpsertQuestions(std::vector<Question>{MakeQuestion("q1", {"science"})}, &counts).ok()) _exit(11);
    if (!store.RecordAnswers(std::vector<Answer>{{"u1", "q1", true, true, 1, std::nullopt}}, "t").ok()) _exit(12);
    if (!store.FreezeDailyChallenge({"2024-01-01", {"q1"}, "t"}).ok()) _exit(13);
    kill(getpid(), SIGKILL);
    _exit(14);
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited with " << WEXITSTATUS(wstatus);
  ASSERT_EQ(WTERMSIG(wstatus), SIGKILL);

  auto store = Open();
  EXPECT_EQ(Must(store->CountQuestions()), 1);
  EXPECT_THAT(Must(store->QueryCategoryIndex("science", std::nullopt)).ids, ElementsAre("q1"));
  EXPECT_EQ(Must(store->GetUser("u1"))->total_answers, 1);
  EXPECT_TRUE(Must(store->GetDailyChallenge("2024-01-01")));
}

}  // namespace
}  // namespace truthbyte::testing

// import and export, tried as an operator would with the real data sets.

#include <fstream>
#include <set>

#include "cli/cli_helpers.h"
#include "core/question.h"
#include "store/sqlite_store.h"

namespace truthbyte::testing {
namespace {

using ::testing::HasSubstr;

std::vector<nlohmann::json> ReadJsonLines(const std::string& path) {
  std::vector<nlohmann::json> rows;
  for (const std::string& line : SplitLines(ReadFile(path))) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

TEST_F(CliTest, SeedThenCuratedGivesAllQuestionsWithCuratedCategoriesAndDifficulties) {
  EXPECT_EQ(RunOk({"import", SharedDataFile("dev_with_ids.jsonl")}),
            "read 3270, inserted 3270, updated 0, unchanged 0, skipped 0\n");
  EXPECT_EQ(RunOk({"import", SharedDataFile("curated_questions.jsonl")}),
            "read 2000, inserted 0, updated 2000, unchanged 0, skipped 0\n");

  auto exported = ExportedQuestions();
  ASSERT_EQ(exported.size(), 3270u);
  for (const nlohmann::json& row : ReadJsonLines(SharedDataFile("curated_questions.jsonl"))) {
    const nlohmann::json& q = exported.at(row["id"].get<std::string>());
    std::vector<std::string> expected =
        NormaliseCategories({row["category"].get<std::string>()});
    EXPECT_EQ(q["categories"].get<std::vector<std::string>>(), expected) << row["id"];
    EXPECT_EQ(q["difficulty"], row["difficulty"]) << row["id"];
    EXPECT_EQ(q["question"], row["question"]) << row["id"];
    EXPECT_EQ(q["tags"], row["tags"]) << "tags are kept as the legacy copy";
  }
  // A row only in the seed file keeps its tags as categories, plus general.
  const nlohmann::json& seed_only = exported.at("q001");
  EXPECT_EQ(seed_only["difficulty"], 3);
  EXPECT_EQ(seed_only["categories"].back(), "general");

  // The categories listing agrees: general holds every question.
  nlohmann::json cats = nlohmann::json::parse(RunOk({"categories", "--json"}));
  EXPECT_EQ(cats["total_questions"], 3270);
  EXPECT_EQ(cats["categories"][0]["name"], "general");
  EXPECT_EQ(cats["categories"][0]["count"], 3270);
}

TEST_F(CliTest, ReimportingAFileChangesNothing) {
  RunOk({"import", SharedDataFile("dev_with_ids.jsonl"), SharedDataFile("curated_questions.jsonl")});
  const std::string before = RunOk({"export"});
  const std::string cats_before = RunOk({"categories"});
  EXPECT_EQ(RunOk({"import", SharedDataFile("curated_questions.jsonl")}),
            "read 2000, inserted 0, updated 0, unchanged 2000, skipped 0\n");
  EXPECT_EQ(RunOk({"export"}), before);
  EXPECT_EQ(RunOk({"categories"}), cats_before);
}

TEST_F(CliTest, BoolQRowsGetStableDerivedIds) {
  EXPECT_EQ(RunOk({"import", SharedDataFile("dev.jsonl")}),
            "read 3270, inserted 3270, updated 0, unchanged 0, skipped 0\n");
  EXPECT_EQ(RunOk({"import", SharedDataFile("dev.jsonl")}),
            "read 3270, inserted 0, updated 0, unchanged 3270, skipped 0\n");
  auto exported = ExportedQuestions();
  ASSERT_EQ(exported.size(), 3270u);
  nlohmann::json first = nlohmann::json::parse(SplitLines(ReadFile(SharedDataFile("dev.jsonl"))).front());
  const std::string id = DeriveQuestionId(first["question"].get<std::string>(), first["title"].get<std::string>());
  ASSERT_TRUE(exported.count(id)) << id;
  EXPECT_EQ(exported.at(id)["question"], first["question"]);
  for (const auto& [qid, q] : exported) {
    EXPECT_EQ(qid.size(), 14u);
    EXPECT_EQ(qid.rfind("q_", 0), 0u);
    EXPECT_EQ(q["categories"], nlohmann::json::array({"general"}));
  }
}

TEST_F(CliTest, ByteOrderMarkAndCrlfLineEndingsImport) {
  std::vector<std::string> lines = SplitLines(ReadFile(SharedDataFile("curated_questions.jsonl")));
  std::string content = "\xEF\xBB\xBF";
  for (int i = 0; i < 5; ++i) content += lines[i] + "\r\n";
  WriteFile(dir_.File("windows.jsonl"), content);
  CommandResult r = Run({"import", dir_.File("windows.jsonl")});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "read 5, inserted 5, updated 0, unchanged 0, skipped 0\n");
  EXPECT_EQ(r.err, "");
  auto exported = ExportedQuestions();
  nlohmann::json first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(exported.at(first["id"].get<std::string>())["passage"], first["passage"]);
}

std::string BadFile(const TempDir& dir) {
  const std::string path = dir.File("mixed.jsonl");
  WriteFile(path,
            R"({"id":"ok1","question":"Is this fine?","answer":true,"categories":["Science"],"difficulty":2})" "\n"
            R"({"id":"broken", "question": )" "\n"
            R"({"id":"noanswer","question":"Where is the answer?"})" "\n"
            "\n"
            R"({"id":"hard","question":"Too hard?","answer":false,"difficulty":9})" "\n"
            R"({"id":"ok2","question":"Is this fine too?","answer":false,"tags":["History"]})" "\n");
  return path;
}

TEST_F(CliTest, BadLinesAreReportedWithFileAndLineAndSkipped) {
  const std::string path = BadFile(dir_);
  CommandResult r = Run({"import", path});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "read 5, inserted 2, updated 0, unchanged 0, skipped 3\n");
  std::vector<std::string> err = SplitLines(r.err);
  ASSERT_EQ(err.size(), 3u) << r.err;
  EXPECT_EQ(err[0], path + ":2: invalid JSON");
  EXPECT_EQ(err[1], path + ":3: missing \"answer\"");
  EXPECT_EQ(err[2], path + ":5: \"difficulty\" must be an integer from 1 to 5");
  auto exported = ExportedQuestions();
  EXPECT_EQ(exported.size(), 2u);
  EXPECT_EQ(exported.at("ok1")["categories"], nlohmann::json::array({"science", "general"}));
  EXPECT_EQ(exported.at("ok2")["categories"], nlohmann::json::array({"history", "general"}));
}

TEST_F(CliTest, StrictImportsAllOrNothing) {
  RunOk({"init"});
  CommandResult r = Run({"import", "--strict", SharedDataFile("curated_questions.jsonl"), BadFile(dir_)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("mixed.jsonl:2: invalid JSON"));
  EXPECT_THAT(r.err, HasSubstr("nothing was imported"));
  EXPECT_EQ(ExportedQuestions().size(), 0u);

  EXPECT_EQ(RunOk({"import", "--strict", SharedDataFile("curated_questions.jsonl")}),
            "read 2000, inserted 2000, updated 0, unchanged 0, skipped 0\n");
}

TEST_F(CliTest, MissingFileFailsBeforeImportingAnything) {
  CommandResult r = Run({"import", SharedDataFile("curated_questions.jsonl"), dir_.File("nope.jsonl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(SplitLines(r.err).size(), 1u);
  EXPECT_THAT(r.err, HasSubstr("nope.jsonl"));
  EXPECT_EQ(ExportedQuestions().size(), 0u);
}

TEST_F(CliTest, ExportImportExportIsIdentical) {
  RunOk({"import", SharedDataFile("dev_with_ids.jsonl"), SharedDataFile("curated_questions.jsonl"),
         SharedDataFile("dev.jsonl")});
  const std::string first = dir_.File("first.jsonl");
  RunOk({"export", "--out", first});
  ASSERT_EQ(SplitLines(ReadFile(first)).size(), 6540u);

  TempDir other;
  const std::string other_store = "sqlite:" + other.File("copy.db");
  CommandResult imported = RunTruthbyte({"--store", other_store, "import", first});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out, "read 6540, inserted 6540, updated 0, unchanged 0, skipped 0\n");
  CommandResult second = RunTruthbyte({"--store", other_store, "export", "--what", "questions"});
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_EQ(second.out, ReadFile(first));
}

TEST_F(CliTest, ExportOfEmptyRecordKindsAndBadKind) {
  RunOk({"init"});
  for (const char* what : {"answers", "users", "submissions"}) EXPECT_EQ(RunOk({"export", "--what", what}), "");
  CommandResult bad = Run({"export", "--what", "everything"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--what"));
}

// The answers to one question (the question_id index), as an analyst asks.
TEST_F(CliTest, ExportOfOneQuestionsAnswers) {
  {
    auto store = OpenSqliteStore(dir_.File("truthbyte.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)
                    ->RecordAnswers(std::vector<Answer>{{"u2", "q1", true, true, 1, std::nullopt},
                                                        {"u1", "q1", false, false, 2, 1500},
                                                        {"u1", "q2", true, true, 3, std::nullopt}},
                                    "2024-01-01T00:00:00.000Z")
                    .ok());
  }
  const auto lines = SplitLines(RunOk({"export", "--what", "answers", "--question", "q1"}));
  ASSERT_EQ(lines.size(), 2u);
  const nlohmann::json first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["user_id"], "u1");
  EXPECT_EQ(first["question_id"], "q1");
  EXPECT_EQ(first["response_time_ms"], 1500);
  EXPECT_EQ(nlohmann::json::parse(lines[1])["user_id"], "u2");
  EXPECT_EQ(RunOk({"export", "--what", "answers", "--question", "nope"}), "");
  CommandResult wrong = Run({"export", "--what", "users", "--question", "q1"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_THAT(wrong.err, HasSubstr("--what answers"));
}

TEST_F(CliTest, GeneratedQuestionsAreVariedDeterministicAndImport) {
  const std::string a = dir_.File("a.jsonl"), b = dir_.File("b.jsonl");
  RunOk({"gen-questions", "2000", "--out", a});
  RunOk({"gen-questions", "2000", "--out", b});
  EXPECT_EQ(ReadFile(a), ReadFile(b));
  EXPECT_NE(RunOk({"gen-questions", "5", "--seed", "7"}), RunOk({"gen-questions", "5", "--seed", "8"}));

  std::set<std::string> categories;
  std::set<int> difficulties;
  std::set<bool> answers;
  std::size_t shortest = SIZE_MAX, longest = 0;
  for (const nlohmann::json& q : ReadJsonLines(a)) {
    for (const auto& c : q["categories"]) categories.insert(c.get<std::string>());
    difficulties.insert(q["difficulty"].get<int>());
    answers.insert(q["answer"].get<bool>());
    shortest = std::min(shortest, q["passage"].get<std::string>().size());
    longest = std::max(longest, q["passage"].get<std::string>().size());
  }
  EXPECT_GE(categories.size(), 9u);
  EXPECT_EQ(difficulties, (std::set<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(answers.size(), 2u);
  EXPECT_LT(shortest, 250u);
  EXPECT_GT(longest, 1000u);
  EXPECT_EQ(RunOk({"import", a}), "read 2000, inserted 2000, updated 0, unchanged 0, skipped 0\n");
}

}  // namespace
}  // namespace truthbyte::testing

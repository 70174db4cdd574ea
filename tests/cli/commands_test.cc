// The other operator commands: help, usage errors, init, categories, daily,
// reindex, moderate, configuration from the environment.

#include <fmt/core.h>

#include "cli/cli_helpers.h"
#include "core/civil_date.h"
#include "store/open_store.h"
#include "store/sqlite_store.h"

namespace truthbyte::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(CliHelpTest, EveryCommandHasHelp) {
  const std::vector<std::vector<std::string>> commands = {
      {},           {"init"},   {"import"},  {"export"},          {"categories"},
      {"daily"},    {"reindex"}, {"gen-questions"}, {"moderate"}, {"moderate", "list"},
      {"moderate", "approve"}, {"moderate", "reject"}, {"crowd"}, {"crowd", "analyze"}};
  for (auto args : commands) {
    args.push_back("--help");
    CommandResult r = RunTruthbyte(args);
    EXPECT_EQ(r.exit_code, 0) << fmt::format("{}", args.size() > 1 ? args[0] : "truthbyte");
    EXPECT_THAT(r.out, HasSubstr("Usage:")) << args[0];
    EXPECT_THAT(r.out, HasSubstr("--help"));
  }
  EXPECT_THAT(RunTruthbyte({"--help"}).out, HasSubstr("gen-questions"));
  EXPECT_THAT(RunTruthbyte({"import", "--help"}).out, HasSubstr("--strict"));
}

TEST(CliHelpTest, BadUsageExitsWithTwoAndOneMessage) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{}, {"frobnicate"}, {"gen-questions"}, {"gen-questions", "many"},
                                             {"moderate"}, {"moderate", "approve"}, {"daily", "--bogus"}}) {
    CommandResult r = RunTruthbyte(args);
    EXPECT_EQ(r.exit_code, 2) << (args.empty() ? "(none)" : args[0]);
    EXPECT_THAT(r.err, StartsWith("truthbyte: "));
  }
}

TEST_F(CliTest, InitIsIdempotent) {
  const std::string version = "schema version " + std::to_string(SqliteSchemaVersion());
  EXPECT_THAT(RunOk({"init"}), HasSubstr(version));
  EXPECT_THAT(RunOk({"init"}), HasSubstr(version));
  EXPECT_EQ(RunOk({"categories"}), "CATEGORY  QUESTIONS\n0 categories, 0 questions\n");
}

TEST_F(CliTest, StoreErrorsAreOneLineAndExitOne) {
  CommandResult unknown = RunTruthbyte({"--store", "mongodb://x", "categories"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "truthbyte: unknown store \"mongodb://x\"; use sqlite:PATH or dynamodb:\n");

  WriteFile(dir_.File("not-a-db"), std::string(4096, 'x'));
  CommandResult garbage = RunTruthbyte({"--store", "sqlite:" + dir_.File("not-a-db"), "categories"});
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_EQ(SplitLines(garbage.err).size(), 1u) << garbage.err;
  EXPECT_THAT(garbage.err, HasSubstr("not a"));

  CommandResult unwritable = RunTruthbyte({"--store", "sqlite:/nonexistent-dir/x.db", "init"});
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_THAT(unwritable.err, HasSubstr("/nonexistent-dir/x.db"));
}

TEST_F(CliTest, StoreComesFromTheEnvironment) {
  CommandResult r = RunTruthbyte({"import", SharedDataFile("curated_questions.jsonl")},
                                 {{"TRUTHBYTE_STORE", StoreUrl()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(RunOk({"categories"}), HasSubstr("2000 questions"));
}

// Writes a full-format file with ids q0001..q1000 (difficulties 1-4) and
// returns its path.
std::string ThousandQuestionPool(const TempDir& dir) {
  std::string content;
  for (int i = 1; i <= 1000; ++i)
    content += fmt::format(R"({{"id":"q{:04d}","question":"Question {}?","answer":true,"difficulty":{}}})" "\n",
                           i, i, 1 + i % 4);
  // Difficulty 5 never enters the pool.
  content += R"({"id":"q0000","question":"Too hard?","answer":true,"difficulty":5})" "\n";
  const std::string path = dir.File("pool.jsonl");
  WriteFile(path, content);
  return path;
}

std::vector<std::string> DailyIds(const std::string& out) {
  std::vector<std::string> ids;
  for (const std::string& line : SplitLines(out)) {
    std::size_t dot = line.find(". ");
    if (dot == std::string::npos || dot > 3) continue;
    std::string rest = line.substr(dot + 2);
    ids.push_back(rest.substr(0, rest.find(' ')));
  }
  return ids;
}

TEST_F(CliTest, DailyReproducesTheSpecTestVector) {
  RunOk({"import", ThousandQuestionPool(dir_)});
  const std::string out = RunOk({"daily", "--date", "2024-01-15"});
  EXPECT_THAT(out, StartsWith("Daily challenge for 2024-01-15 (frozen, 10 questions)\n"));
  EXPECT_EQ(DailyIds(out), (std::vector<std::string>{"q0376", "q0996", "q0248", "q0744", "q0441", "q0103",
                                                     "q0890", "q0560", "q0769", "q0568"}));
  nlohmann::json doc = nlohmann::json::parse(RunOk({"daily", "--date", "2024-01-15", "--json"}));
  EXPECT_EQ(doc["question_ids"][0], "q0376");
  EXPECT_EQ(doc["questions"].size(), 10u);
  EXPECT_EQ(doc["frozen"], true);
}

TEST_F(CliTest, DailyOfThreeQuestionsReproducesTheSmallVector) {
  WriteFile(dir_.File("abc.jsonl"), R"({"id":"c","question":"C?","answer":true})" "\n"
                                    R"({"id":"a","question":"A?","answer":true})" "\n"
                                    R"({"id":"b","question":"B?","answer":false})" "\n");
  RunOk({"import", dir_.File("abc.jsonl")});
  EXPECT_EQ(DailyIds(RunOk({"daily", "--date", "2024-01-15"})), (std::vector<std::string>{"b", "c", "a"}));
}

TEST_F(CliTest, StartedDaysAreFrozenFutureDaysArePreviews) {
  RunOk({"import", ThousandQuestionPool(dir_)});
  const std::string past = RunOk({"daily", "--date", "2024-01-15"});
  const std::string future_date = CivilDate::FromDays(CivilDate::Parse("2024-01-15")->DaysSinceEpoch() + 365 * 50).ToString();
  const std::string future = RunOk({"daily", "--date", future_date});
  EXPECT_THAT(future, HasSubstr("preview"));

  // New questions change the pool: the frozen day stays, the preview moves.
  std::string more;
  for (int i = 0; i < 500; ++i)
    more += fmt::format(R"({{"id":"a{:04d}","question":"Extra {}?","answer":false,"difficulty":2}})" "\n", i, i);
  WriteFile(dir_.File("more.jsonl"), more);
  RunOk({"import", dir_.File("more.jsonl")});
  EXPECT_EQ(RunOk({"daily", "--date", "2024-01-15"}), past);
  EXPECT_NE(DailyIds(RunOk({"daily", "--date", future_date})), DailyIds(future));

  CommandResult today = Run({"daily"});
  EXPECT_EQ(today.exit_code, 0);
  EXPECT_THAT(today.out, HasSubstr("(frozen, 10 questions)"));
}

TEST_F(CliTest, DailyRejectsImpossibleDates) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "yesterday", "2024-1-5"}) {
    CommandResult r = Run({"daily", "--date", bad});
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_EQ(SplitLines(r.err).size(), 1u);
    EXPECT_THAT(r.err, HasSubstr("--date"));
  }
}

TEST_F(CliTest, ReindexRebuildsTheSameIndex) {
  RunOk({"import", SharedDataFile("dev_with_ids.jsonl"), SharedDataFile("curated_questions.jsonl")});
  const std::string before = RunOk({"categories", "--json"});
  EXPECT_THAT(RunOk({"reindex"}), HasSubstr("rebuilt the category index"));
  EXPECT_EQ(RunOk({"categories", "--json"}), before);
}

TEST_F(CliTest, ModerationQueueApprovesOnceAndPublishes) {
  {
    StoreOptions options;
    options.url = StoreUrl();
    auto store = OpenStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Submission s;
    s.id = "sub_0123456789abcdef";
    s.question = "Is the Moon about a quarter of the Earth's diameter?";
    s.answer = true;
    s.categories = {"space", "general"};
    s.difficulty = 2;
    s.author = "11111111-1111-4111-8111-111111111111";
    s.submitted_at = "2026-01-01T00:00:00.000Z";
    ASSERT_TRUE((*store)->CreateSubmission(s).ok());
    s.id = "sub_fedcba9876543210";
    s.question = "Is this one going to be rejected by the moderator?";
    s.submitted_at = "2026-01-02T00:00:00.000Z";
    ASSERT_TRUE((*store)->CreateSubmission(s).ok());
  }
  const std::string listed = RunOk({"moderate", "list"});
  EXPECT_THAT(listed, HasSubstr("sub_0123456789abcdef"));
  EXPECT_LT(listed.find("sub_0123456789abcdef"), listed.find("sub_fedcba9876543210")) << "oldest first";

  EXPECT_EQ(RunOk({"moderate", "approve", "sub_0123456789abcdef"}),
            "approved sub_0123456789abcdef: published as question uq_0123456789abcdef\n");
  EXPECT_THAT(RunOk({"categories"}), HasSubstr("space"));
  EXPECT_EQ(ExportedQuestions().at("uq_0123456789abcdef")["difficulty"], 2);

  CommandResult again = Run({"moderate", "reject", "sub_0123456789abcdef"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already approved"));

  EXPECT_EQ(RunOk({"moderate", "reject", "sub_fedcba9876543210", "--notes", "not a fact"}),
            "rejected sub_fedcba9876543210\n");
  EXPECT_EQ(RunOk({"moderate", "list"}), "no submissions are waiting for moderation\n");
  EXPECT_EQ(ExportedQuestions().size(), 1u);
  const std::string submissions = RunOk({"export", "--what", "submissions"});
  EXPECT_THAT(submissions, HasSubstr(R"("reviewer_notes":"not a fact")"));

  CommandResult unknown = Run({"moderate", "approve", "sub_nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "truthbyte: no submission sub_nope\n");
}

}  // namespace
}  // namespace truthbyte::testing

// import --what answers: judgments brought from elsewhere, as a dataset
// owner imports them.

#include "cli/cli_helpers.h"

namespace truthbyte::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class AnswerImportTest : public CliTest {
 protected:
  void SetUp() override {
    WriteFile(dir_.File("q.jsonl"), R"({"id":"q1","question":"One?","answer":true})" "\n"
                                    R"({"id":"q2","question":"Two?","answer":false})" "\n");
    RunOk({"import", dir_.File("q.jsonl")});
  }

  std::vector<nlohmann::json> Answers() {
    std::vector<nlohmann::json> out;
    for (const std::string& line : SplitLines(RunOk({"export", "--what", "answers"}))) out.push_back(nlohmann::json::parse(line));
    return out;
  }
};

TEST_F(AnswerImportTest, GoodLinesAreRecordedAndEveryBadOneReportedWithItsPlace) {
  const std::string file = dir_.File("a.jsonl");
  WriteFile(file, "\xEF\xBB\xBF" R"({"user_id":"demo-session-123","question_id":"q1","answer":true})" "\r\n"
                  R"({"user_id":"7D1F3C2A-8B4E-4F6A-9C3D-2E1B0A9F8C7D","question_id":"q2","answer":true,"timestamp":1700000000,"response_time_ms":1200})" "\n"
                  "\n"
                  "not json\n"
                  R"({"user_id":"w1","question_id":"q404","answer":true})" "\n"
                  R"({"user_id":"demo-session-123","question_id":"q1","answer":false})" "\n"
                  R"({"user_id":"","question_id":"q1","answer":true})" "\n"
                  R"({"user_id":"w2","question_id":"q1","answer":"yes"})" "\n");
  CommandResult r = Run({"import", "--what", "answers", file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "read 7, recorded 2, duplicates 1, skipped 4\n");
  const std::vector<std::string> errors = SplitLines(r.err);
  EXPECT_THAT(errors, UnorderedElementsAre(file + ":4: not valid JSON", file + ":5: unknown question q404",
                                           file + ":7: user_id must be 1 to 128 bytes",
                                           file + ":8: answer must be true or false"));
  const auto answers = Answers();
  ASSERT_EQ(answers.size(), 2u);
  // Ids are kept as given; the first answer per player and question wins;
  // correctness follows the question's label.
  EXPECT_EQ(answers[0]["user_id"], "7D1F3C2A-8B4E-4F6A-9C3D-2E1B0A9F8C7D");
  EXPECT_EQ(answers[0]["is_correct"], false);
  EXPECT_EQ(answers[0]["timestamp"], 1700000000.0);
  EXPECT_EQ(answers[0]["response_time_ms"], 1200);
  EXPECT_EQ(answers[1]["user_id"], "demo-session-123");
  EXPECT_EQ(answers[1]["answer"], true);
  EXPECT_EQ(answers[1]["is_correct"], true);

  // Running it again records nothing twice.
  EXPECT_EQ(Run({"import", "--what", "answers", file}).out, "read 7, recorded 0, duplicates 3, skipped 4\n");
}

TEST_F(AnswerImportTest, StrictImportsAllOrNothing) {
  const std::string bad = dir_.File("bad.jsonl");
  WriteFile(bad, R"({"user_id":"w1","question_id":"q1","answer":true})" "\n"
                 R"({"user_id":"w1","question_id":"q404","answer":true})" "\n");
  CommandResult r = Run({"import", "--what", "answers", "--strict", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(bad + ":2: unknown question q404"));
  EXPECT_THAT(r.err, HasSubstr("nothing was imported"));
  EXPECT_TRUE(Answers().empty());

  const std::string good = dir_.File("good.jsonl");
  WriteFile(good, R"({"user_id":"w1","question_id":"q1","answer":true})" "\n"
                  R"({"user_id":"w1","question_id":"q2","answer":false})" "\n");
  EXPECT_EQ(RunOk({"import", "--what", "answers", "--strict", good}), "read 2, recorded 2, duplicates 0, skipped 0\n");
  EXPECT_EQ(Answers().size(), 2u);
}

TEST_F(AnswerImportTest, ImportedAnswersAreJudgmentsTheCrowdModelReads) {
  // Six players agree with the labels of q2 to q6 and all say q1, labelled
  // true, is false.
  std::string questions, lines;
  for (int q = 3; q <= 6; ++q)
    questions += R"({"id":"q)" + std::to_string(q) + R"(","question":"Q)" + std::to_string(q) + R"(?","answer":)" +
                 (q % 2 ? "true" : "false") + "}\n";
  WriteFile(dir_.File("more.jsonl"), questions);
  RunOk({"import", dir_.File("more.jsonl")});
  for (int p = 0; p < 6; ++p) {
    for (int q = 1; q <= 6; ++q) {
      const bool says = q == 1 ? false : q == 2 ? false : q % 2 == 1;
      lines += R"({"user_id":"w)" + std::to_string(p) + R"(","question_id":"q)" + std::to_string(q) +
               R"(","answer":)" + (says ? "true" : "false") + "}\n";
    }
  }
  WriteFile(dir_.File("a.jsonl"), lines);
  RunOk({"import", "--what", "answers", dir_.File("a.jsonl")});
  const nlohmann::json doc = nlohmann::json::parse(RunOk({"crowd", "analyze", "--json"}));
  EXPECT_EQ(doc["players"], 6);
  EXPECT_EQ(doc["answers"], 36);
  ASSERT_EQ(doc["disputed_questions"].size(), 1u);
  EXPECT_EQ(doc["disputed_questions"][0]["question_id"], "q1");
}

TEST_F(AnswerImportTest, AMissingFileOrTheStarterSetIsOneLineAndExitOne) {
  CommandResult missing = Run({"import", "--what", "answers", dir_.File("nope.jsonl")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(SplitLines(missing.err).size(), 1u);
  EXPECT_THAT(missing.err, HasSubstr("cannot open"));
  CommandResult starter = Run({"import", "--what", "answers", "--starter"});
  EXPECT_EQ(starter.exit_code, 1);
  EXPECT_THAT(starter.err, HasSubstr("--starter imports questions"));
  EXPECT_EQ(Run({"import", "--what", "votes", dir_.File("q.jsonl")}).exit_code, 2);
}

}  // namespace
}  // namespace truthbyte::testing

// crowd analyze: a full fit over the store's answers, as an operator runs it.

#include <fmt/core.h>

#include "cli/cli_helpers.h"
#include "store/sqlite_store.h"

namespace truthbyte::testing {
namespace {

using ::testing::HasSubstr;

class CrowdAnalyzeTest : public CliTest {
 protected:
  // q1 and q3 are labelled true, q2 false; six players agree that q1 is
  // true and q2 false, and that q3 is false too.
  void SetUp() override {
    WriteFile(dir_.File("q.jsonl"), R"({"id":"q1","question":"One?","answer":true})" "\n"
                                    R"({"id":"q2","question":"Two?","answer":false})" "\n"
                                    R"({"id":"q3","question":"Three?","answer":true})" "\n");
    RunOk({"import", dir_.File("q.jsonl")});
    auto store = OpenSqliteStore(dir_.File("truthbyte.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<Answer> answers;
    for (int p = 0; p < 6; ++p) {
      for (const auto& [question, says] : std::vector<std::pair<std::string, bool>>{{"q1", true}, {"q2", false}, {"q3", false}}) {
        Answer a;
        a.user_id = fmt::format("player-{}", p);
        a.question_id = question;
        a.answer = says;
        a.timestamp = 1764669600 + p;
        answers.push_back(a);
      }
    }
    ASSERT_TRUE((*store)->RecordAnswers(answers, "2026-12-03T10:00:00.000Z").ok());
  }
};

TEST_F(CrowdAnalyzeTest, TheCrowdDisputesTheLabelItAgreesAgainst) {
  const nlohmann::json doc = nlohmann::json::parse(RunOk({"crowd", "analyze", "--json"}));
  EXPECT_EQ(doc["players"], 6);
  EXPECT_EQ(doc["questions"], 3);
  EXPECT_EQ(doc["answers"], 18);
  EXPECT_EQ(doc["label_prior"], 0.9);
  EXPECT_EQ(doc["converged"], true);
  EXPECT_EQ(doc["disputed"], 1);
  ASSERT_EQ(doc["disputed_questions"].size(), 1u);
  const nlohmann::json& q3 = doc["disputed_questions"][0];
  EXPECT_EQ(q3["question_id"], "q3");
  EXPECT_EQ(q3["label"], true);
  EXPECT_EQ(q3["answers"], 6);
  EXPECT_EQ(q3["true_votes"], 0);
  EXPECT_LT(q3["crowd_p_true"].get<double>(), 0.1);
  EXPECT_GT(q3["confidence"].get<double>(), 0.9);

  const std::string text = RunOk({"crowd", "analyze"});
  EXPECT_THAT(text, HasSubstr("6 players, 3 questions, 18 answers\n"));
  EXPECT_THAT(text, HasSubstr("1 disputed label "));
  EXPECT_THAT(text, HasSubstr("  q3  label true, crowd P(true) 0.0"));
}

// export --what judgments: one line per question with the crowd's view;
// --what answers: each answer with its kind and its player's reliability.
TEST_F(CrowdAnalyzeTest, ExportWritesEveryQuestionsJudgmentAndTheAnswersReliabilities) {
  const std::vector<std::string> lines = SplitLines(RunOk({"export", "--what", "judgments"}));
  ASSERT_EQ(lines.size(), 3u);
  const nlohmann::ordered_json q1 = nlohmann::ordered_json::parse(lines[0]);
  const nlohmann::json q3 = nlohmann::json::parse(lines[2]);
  std::vector<std::string> keys;
  for (const auto& [key, value] : q1.items()) keys.push_back(key);
  EXPECT_THAT(keys, ::testing::ElementsAre("id", "question", "label", "crowd_p_true", "confidence", "answers",
                                           "true_votes", "disputed", "empirical_difficulty", "resolution"));
  EXPECT_EQ(q1["id"], "q1");
  EXPECT_EQ(q1["question"], "One?");
  EXPECT_EQ(q1["disputed"], false);
  EXPECT_EQ(q1["answers"], 6);
  EXPECT_EQ(q1["empirical_difficulty"], 1);
  EXPECT_EQ(q3["id"], "q3");
  EXPECT_EQ(q3["disputed"], true);
  EXPECT_EQ(q3["true_votes"], 0);
  EXPECT_GT(q3["confidence"].get<double>(), 0.9);

  const std::vector<std::string> answers = SplitLines(RunOk({"export", "--what", "answers"}));
  ASSERT_EQ(answers.size(), 18u);
  for (const std::string& line : answers) {
    const nlohmann::json a = nlohmann::json::parse(line);
    EXPECT_EQ(a["judgment"], "counted");
    ASSERT_TRUE(a["reliability"].is_number()) << line;
    // Above chance: every player agrees with the crowd (three answers each,
    // and the smoothing's two pseudo-answers).
    EXPECT_GT(a["reliability"].get<double>(), 0.65);
  }
  CommandResult bad = Run({"export", "--what", "judgments", "--label-prior", "2"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("--label-prior"));
}

TEST_F(CrowdAnalyzeTest, AStrongerLabelPriorNeedsMoreToDispute) {
  // Six unanimous answers outweigh odds of 9 to 1, not of a million to one.
  const nlohmann::json doc = nlohmann::json::parse(RunOk({"crowd", "analyze", "--json", "--label-prior", "0.999999"}));
  EXPECT_EQ(doc["disputed"], 0) << doc.dump();
}

TEST_F(CrowdAnalyzeTest, ALabelPriorOutsideZeroToOneIsOneLineAndExitOne) {
  for (const char* bad : {"1.5", "0", "1", "-0.2"}) {
    CommandResult r = Run({"crowd", "analyze", "--label-prior", bad});
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_EQ(SplitLines(r.err).size(), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr("--label-prior"));
  }
}

TEST_F(CliTest, CrowdAnalyzeOfAnEmptyStoreFindsNothing) {
  RunOk({"init"});
  const nlohmann::json doc = nlohmann::json::parse(RunOk({"crowd", "analyze", "--json"}));
  EXPECT_EQ(doc["players"], 0);
  EXPECT_EQ(doc["answers"], 0);
  EXPECT_EQ(doc["disputed"], 0);
}

// crowd analyze stores its fit, for serve to start from.
TEST_F(CrowdAnalyzeTest, AnalyzeStoresTheFit) {
  EXPECT_THAT(RunOk({"crowd", "analyze"}), HasSubstr("Stored the fit"));
  auto store = OpenSqliteStore(dir_.File("truthbyte.db"));
  ASSERT_TRUE(store.ok());
  auto fit = (*store)->GetCrowdFit();
  ASSERT_TRUE(fit.ok());
  ASSERT_TRUE(*fit);
  const nlohmann::json doc = nlohmann::json::parse(**fit);
  EXPECT_EQ(doc["answers"], 18);
  EXPECT_EQ(doc["questions"].size(), 3u);
  EXPECT_EQ(doc["players"].size(), 6u);
  EXPECT_EQ(doc["disputed"], 1);
}

// crowd resolve: the reviewer's decision from the command line, in the
// judgments export and in the resolutions export.
TEST_F(CrowdAnalyzeTest, ResolveRecordsTheDecisionAndTheExportsShowIt) {
  EXPECT_EQ(RunOk({"crowd", "resolve", "q3", "--action", "flip", "--notes", "three is false", "--reviewer", "ana"}),
            "flipped the label of q3 to false (scores already given stand)\n");
  EXPECT_EQ(RunOk({"crowd", "resolve", "q2", "--action", "retire"}), "retired q2 from play\n");
  const nlohmann::json after = nlohmann::json::parse(RunOk({"crowd", "analyze", "--json"}));
  EXPECT_EQ(after["disputed"], 0) << "q3's label is now the crowd's";
  const std::vector<std::string> judgments = SplitLines(RunOk({"export", "--what", "judgments"}));
  ASSERT_EQ(judgments.size(), 3u);
  const nlohmann::json q3 = nlohmann::json::parse(judgments[2]);
  EXPECT_EQ(q3["label"], false);
  EXPECT_EQ(q3["resolution"]["action"], "flip");
  EXPECT_EQ(q3["resolution"]["reviewer"], "ana");
  EXPECT_EQ(q3["resolution"]["label_before"], true);
  EXPECT_EQ(q3["resolution"]["label_after"], false);
  EXPECT_TRUE(nlohmann::json::parse(judgments[0])["resolution"].is_null());
  const std::vector<std::string> resolutions = SplitLines(RunOk({"export", "--what", "resolutions"}));
  ASSERT_EQ(resolutions.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(resolutions[0])["question_id"], "q2");
  EXPECT_EQ(nlohmann::json::parse(resolutions[0])["reviewer"], "operator");
  EXPECT_EQ(nlohmann::json::parse(resolutions[1])["notes"], "three is false");

  CommandResult bad = Run({"crowd", "resolve", "q1", "--action", "delete"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("--action must be keep, flip or retire"));
  CommandResult missing = Run({"crowd", "resolve", "nope", "--action", "keep"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no question with id \"nope\""));
}

}  // namespace
}  // namespace truthbyte::testing

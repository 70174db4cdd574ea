// crowd simulate: a simulated crowd on a question file, as an operator runs
// it, on a temporary store or a kept one.

#include <filesystem>

#include <fmt/core.h>

#include "cli/cli_helpers.h"

namespace truthbyte::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class CrowdSimulateTest : public CliTest {
 protected:
  void SetUp() override {
    std::string lines;
    for (int i = 0; i < 60; ++i)
      lines += fmt::format(R"({{"id":"s{:03}","question":"Is {} even?","answer":{}}})" "\n", i, i,
                           i % 2 == 0 ? "true" : "false");
    WriteFile(questions_, lines);
  }

  // Runs without --store (a temporary store under `tmp`).
  CommandResult RunTemporary(const std::vector<std::string>& args) {
    return RunTruthbyte(args, {{"TMPDIR", tmp_.path()}});
  }

  std::string questions_ = dir_.File("questions.jsonl");
  TempDir tmp_;
};

TEST_F(CrowdSimulateTest, PrintsTheScoresAndLeavesNoStoreBehind) {
  CommandResult r = RunTemporary({"crowd", "simulate", "--questions", questions_, "--players", "20", "--flip", "0.1",
                                  "--seed", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["questions"], 60);
  EXPECT_EQ(doc["flipped"], 6);
  EXPECT_EQ(doc["players"]["good"], 11);
  EXPECT_EQ(doc["players"]["mediocre"], 5);
  EXPECT_EQ(doc["players"]["random"], 2);
  EXPECT_EQ(doc["players"]["adversarial"], 2);
  EXPECT_EQ(doc["choice"], "adaptive");
  EXPECT_EQ(doc["answers"], 600);
  EXPECT_GE(doc["fewest_answers"].get<int>(), 1);
  EXPECT_GE(doc["model"]["recall"].get<double>(), 0.8) << r.out;
  EXPECT_GE(doc["model"]["precision"].get<double>(), 0.8) << r.out;
  EXPECT_TRUE(doc["majority_vote"]["precision"].is_number());
  EXPECT_LT(doc["reliability_error"].get<double>(), 0.15);
  EXPECT_EQ(doc["seed"], 5);
  EXPECT_TRUE(std::filesystem::is_empty(tmp_.path())) << "the temporary store is removed";

  r = RunTemporary({"crowd", "simulate", "--questions", questions_, "--players", "20", "--choice", "uniform",
                    "--answers-per-question", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines[0], "60 questions, 3 labels flipped; 20 players: 11 good, 5 mediocre, 2 random, 2 adversarial");
  EXPECT_THAT(lines[1], HasSubstr("300 answers (uniform choice, 5 a question on average, "));
  EXPECT_THAT(lines[2], MatchesRegex("Crowd model:   [0-9]+ disputed, [0-9]+ of them flipped: precision [0-9.]+, "
                                     "recall [0-9.]+"));
  EXPECT_THAT(lines[3], HasSubstr("Majority vote: "));
  EXPECT_THAT(lines[4], HasSubstr("Reliability error: "));
  EXPECT_THAT(lines[4], HasSubstr("adversarial "));
  EXPECT_THAT(lines[5], HasSubstr(" s (seed 1)"));
}

TEST_F(CrowdSimulateTest, WithStoreTheRunIsKeptAndAUsedStoreIsRefused) {
  RunOk({"crowd", "simulate", "--questions", questions_, "--players", "10", "--answers-per-question", "3"});
  const nlohmann::json kept = nlohmann::json::parse(RunOk({"crowd", "analyze", "--json"}));
  EXPECT_EQ(kept["questions"], 60);
  EXPECT_EQ(kept["answers"], 180);
  EXPECT_EQ(kept["players"], 10);

  CommandResult again = Run({"crowd", "simulate", "--questions", questions_});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(SplitLines(again.err).size(), 1u) << again.err;
  EXPECT_THAT(again.err, HasSubstr("empty store"));
}

TEST_F(CrowdSimulateTest, ABadOptionIsOneLineAndExitOne) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--flip", "1.5"}, "--flip"},
      {{"--bad-players", "-0.1"}, "--bad-players"},
      {{"--answers-per-question", "0"}, "--answers-per-question"},
      {{"--players", "0"}, "--players"},
      {{"--choice", "greedy"}, "--choice"},
      {{"--label-prior", "1"}, "--label-prior"},
  };
  for (const auto& [extra, flag] : cases) {
    std::vector<std::string> args = {"crowd", "simulate", "--questions", questions_};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = RunTemporary(args);
    EXPECT_EQ(r.exit_code, 1) << flag;
    EXPECT_EQ(SplitLines(r.err).size(), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr(flag));
  }
  CommandResult missing = RunTemporary({"crowd", "simulate"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("--questions"));
  CommandResult unreadable = RunTemporary({"crowd", "simulate", "--questions", dir_.File("nope.jsonl")});
  EXPECT_EQ(unreadable.exit_code, 1);
  EXPECT_THAT(unreadable.err, HasSubstr("nope.jsonl"));
}

}  // namespace
}  // namespace truthbyte::testing

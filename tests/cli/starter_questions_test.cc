// The bundled starter set: enough questions, spread over categories and
// difficulties, balanced answers, each one a proposal we would accept.

#include <map>
#include <set>

#include "cli/cli_helpers.h"
#include "core/proposal.h"
#include "core/question_format.h"
#include "core/text.h"

namespace truthbyte::testing {
namespace {

TEST(StarterQuestionsTest, AreAWellSpreadValidSet) {
  const std::vector<std::string> lines = SplitLines(ReadFile(SourceFile("data/starter_questions.jsonl")));
  ASSERT_GE(lines.size(), 150u);
  std::map<std::string, int> per_category;
  std::set<int> difficulties;
  std::set<std::string> ids, texts;
  int true_answers = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Result<Question> q = ParseQuestionRecord(lines[i]);
    ASSERT_TRUE(q.ok()) << "line " << i + 1 << ": " << q.status().message();
    EXPECT_TRUE(ids.insert(q->id).second) << "duplicate id " << q->id;
    EXPECT_TRUE(texts.insert(NormaliseQuestionText(q->question)).second) << "duplicate question " << q->question;
    ProposalCheck check = CheckProposal(nlohmann::json::parse(lines[i]));
    for (const auto& p : check.problems) ADD_FAILURE() << q->id << ": " << p.field << " " << p.message;
    EXPECT_GE(q->passage.size(), 80u) << q->id << " needs a passage that supports the answer";
    for (const auto& c : q->categories)
      if (c != "general") ++per_category[c];
    difficulties.insert(q->difficulty);
    true_answers += q->answer;
  }
  EXPECT_GE(per_category.size(), 8u);
  for (const auto& [name, count] : per_category) EXPECT_GE(count, 10) << name;
  EXPECT_EQ(difficulties, (std::set<int>{1, 2, 3, 4, 5}));
  const int n = static_cast<int>(lines.size());
  EXPECT_LE(std::abs(2 * true_answers - n), n / 10) << true_answers << " true of " << n;
}

TEST_F(CliTest, StarterImportsWithoutSkips) {
  const std::string out = RunOk({"import", "--starter"});
  EXPECT_THAT(out, ::testing::HasSubstr("inserted 200"));
  EXPECT_THAT(out, ::testing::HasSubstr("skipped 0"));
  EXPECT_THAT(RunOk({"daily"}), ::testing::HasSubstr("10 questions"));
}

}  // namespace
}  // namespace truthbyte::testing

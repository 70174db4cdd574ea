#include "core/question.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

using Names = std::vector<std::string>;

TEST(NormaliseCategoriesTest, LowerCasesTrimsAndAppendsGeneral) {
  EXPECT_EQ(NormaliseCategories({" Science ", "HISTORY"}), (Names{"science", "history", "general"}));
}

TEST(NormaliseCategoriesTest, EmptyInputIsJustGeneral) {
  EXPECT_EQ(NormaliseCategories({}), (Names{"general"}));
  EXPECT_EQ(NormaliseCategories({"", "   ", "\t"}), (Names{"general"}));
}

TEST(NormaliseCategoriesTest, DropsEmptiesAndDuplicatesKeepingFirstPosition) {
  EXPECT_EQ(NormaliseCategories({"sports", "", "Science", "  ", "SPORTS", "history", " science"}),
            (Names{"sports", "science", "history", "general"}));
}

TEST(NormaliseCategoriesTest, GeneralIsNotDuplicated) {
  EXPECT_EQ(NormaliseCategories({"General", "science"}), (Names{"general", "science"}));
  EXPECT_EQ(NormaliseCategories({"science", " GENERAL ", "general"}), (Names{"science", "general"}));
  EXPECT_EQ(NormaliseCategories({"general"}), (Names{"general"}));
}

TEST(NormaliseCategoriesTest, IsIdempotent) {
  const Names once = NormaliseCategories({"Pop-Culture", "Food", "pop-culture"});
  EXPECT_EQ(once, (Names{"pop-culture", "food", "general"}));
  EXPECT_EQ(NormaliseCategories(once), once);
}

TEST(DeriveQuestionIdTest, IsQPrefixAnd12HexOfSha256) {
  // printf 'Is legally blonde a pun on legally blind?\nLegally Blonde' | sha256sum
  //   593f9b9b03b3196ab0925bf81b8157574f644c3eac5c44db50dab85e1b1051e5
  EXPECT_EQ(DeriveQuestionId("Is legally blonde a pun on legally blind?", "Legally Blonde"), "q_593f9b9b03b3");
  // printf 'does ethanol take more energy make that produces\nEthanol fuel' | sha256sum
  //   2987a09433155254cbfd84dccefd65d242f7c6e81ce86c9baf6b95d9873f71a8
  EXPECT_EQ(DeriveQuestionId("does ethanol take more energy make that produces", "Ethanol fuel"),
            "q_2987a0943315");
}

TEST(DeriveQuestionIdTest, StableAndSensitiveToBothParts) {
  const std::string a = DeriveQuestionId("is the sky blue", "Sky");
  EXPECT_EQ(a, DeriveQuestionId("is the sky blue", "Sky"));
  EXPECT_NE(a, DeriveQuestionId("is the sky blue", "Sky (colour)"));
  EXPECT_NE(a, DeriveQuestionId("is the sky green", "Sky"));
  // The separator matters: moving text across it gives another id.
  EXPECT_NE(DeriveQuestionId("ab", "c"), DeriveQuestionId("a", "bc"));
  ASSERT_EQ(a.size(), 14u);
  EXPECT_EQ(a.substr(0, 2), "q_");
  for (char c : a.substr(2)) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << a;
}

TEST(CategoryDisplayNameTest, CapitalisesEachWord) {
  EXPECT_EQ(CategoryDisplayName("science"), "Science");
  EXPECT_EQ(CategoryDisplayName("pop-culture"), "Pop-Culture");
  EXPECT_EQ(CategoryDisplayName("general"), "General");
  EXPECT_EQ(CategoryDisplayName("video games"), "Video Games");
  EXPECT_EQ(CategoryDisplayName("sci_fi"), "Sci_Fi");
  EXPECT_EQ(CategoryDisplayName("3d art"), "3d Art");
  EXPECT_EQ(CategoryDisplayName(""), "");
}

TEST(DifficultyTest, ValidRangeIsOneToFive) {
  EXPECT_FALSE(IsValidDifficulty(0));
  EXPECT_FALSE(IsValidDifficulty(-1));
  for (int d = 1; d <= 5; ++d) EXPECT_TRUE(IsValidDifficulty(d)) << d;
  EXPECT_FALSE(IsValidDifficulty(6));
  EXPECT_FALSE(IsValidDifficulty(1LL << 40));
  EXPECT_EQ(kDefaultDifficulty, 3);
}

Question Sample() {
  Question q;
  q.id = "q1";
  q.question = "Is the sky blue?";
  q.title = "Sky";
  q.passage = "The sky appears blue.";
  q.answer = true;
  q.categories = {"science", "general"};
  q.difficulty = 2;
  q.tags = {"science"};
  q.created_at = "2024-01-15T00:00:00.000Z";
  q.source = "file.jsonl";
  return q;
}

TEST(QuestionTest, SameContentIgnoresBookkeeping) {
  Question a = Sample(), b = Sample();
  EXPECT_TRUE(a.SameContent(b));
  b.created_at = "2030-01-01T00:00:00.000Z";
  b.source = "other.jsonl";
  EXPECT_TRUE(a.SameContent(b));
}

TEST(QuestionTest, SameContentNoticesEveryVisibleField) {
  const Question base = Sample();
  auto differs = [&](auto mutate) {
    Question other = Sample();
    mutate(other);
    return !base.SameContent(other);
  };
  EXPECT_TRUE(differs([](Question& q) { q.id = "q2"; }));
  EXPECT_TRUE(differs([](Question& q) { q.question = "Is the sky green?"; }));
  EXPECT_TRUE(differs([](Question& q) { q.title = "Sea"; }));
  EXPECT_TRUE(differs([](Question& q) { q.passage += "!"; }));
  EXPECT_TRUE(differs([](Question& q) { q.answer = false; }));
  EXPECT_TRUE(differs([](Question& q) { q.categories = {"general"}; }));
  EXPECT_TRUE(differs([](Question& q) { q.difficulty = 3; }));
  EXPECT_TRUE(differs([](Question& q) { q.tags = {"history"}; }));
}

}  // namespace
}  // namespace truthbyte

#include "core/proposal.h"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace truthbyte {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using Names = std::vector<std::string>;

json ValidBody() {
  return json{{"question", "Is the Pacific the largest ocean on Earth?"},
              {"title", "Pacific Ocean"},
              {"passage", "The Pacific Ocean is the largest and deepest of the oceans."},
              {"answer", true},
              {"categories", {"Geography", "science"}},
              {"difficulty", 2}};
}

json With(const char* key, const json& value) {
  json j = ValidBody();
  j[key] = value;
  return j;
}

json Without(const char* key) {
  json j = ValidBody();
  j.erase(key);
  return j;
}

std::string Describe(const ProposalCheck& c) {
  std::string out;
  for (const auto& p : c.problems) out += "[" + p.field + ": " + p.message + "] ";
  return out;
}

// Expects exactly one problem, on `field`; returns its message.
std::string OnlyProblem(const json& body, const std::string& field) {
  const ProposalCheck c = CheckProposal(body);
  EXPECT_EQ(c.problems.size(), 1u) << Describe(c) << "\n  body: " << body.dump(-1, ' ', false, json::error_handler_t::replace);
  if (c.problems.empty()) return "";
  EXPECT_EQ(c.problems[0].field, field) << Describe(c);
  EXPECT_FALSE(c.problems[0].message.empty());
  return c.problems[0].message;
}

void ExpectOk(const json& body) {
  const ProposalCheck c = CheckProposal(body);
  EXPECT_TRUE(c.ok()) << Describe(c) << "\n  body: " << body.dump(-1, ' ', false, json::error_handler_t::replace);
}

// "Is " + filler + "?" of exactly `n` characters, without long runs.
std::string QuestionOfLength(std::size_t n) {
  std::string q = "Is ";
  const std::string filler = "abcd ";
  while (q.size() < n - 1) q += filler[(q.size() - 3) % filler.size()];
  if (q.back() == ' ') q.back() = 'x';
  q += '?';
  return q;
}

TEST(ProposalTest, ValidProposalPassesAndIsNormalised) {
  json body = ValidBody();
  body["question"] = "   Is the Pacific the largest ocean on Earth?  ";
  body["categories"] = {"Geography", " science", "geography"};
  const ProposalCheck c = CheckProposal(body);
  ASSERT_TRUE(c.ok()) << Describe(c);
  EXPECT_EQ(c.proposal.question, "Is the Pacific the largest ocean on Earth?");
  EXPECT_EQ(c.proposal.title, "Pacific Ocean");
  EXPECT_EQ(c.proposal.passage, "The Pacific Ocean is the largest and deepest of the oceans.");
  EXPECT_TRUE(c.proposal.answer);
  EXPECT_EQ(c.proposal.categories, (Names{"geography", "science", "general"}));
  EXPECT_EQ(c.proposal.difficulty, 2);
}

TEST(ProposalTest, TitleAndPassageAreOptional) {
  json body = Without("title");
  body.erase("passage");
  ExpectOk(body);
  ExpectOk(With("title", nullptr));
}

TEST(ProposalTest, NonObjectBody) {
  for (const json& body : {json::array({1}), json("question"), json(nullptr), json(3)}) {
    const ProposalCheck c = CheckProposal(body);
    ASSERT_EQ(c.problems.size(), 1u) << body.dump();
    EXPECT_EQ(c.problems[0].field, "body");
  }
}

// --- question text ---------------------------------------------------------------

TEST(ProposalQuestionTest, LengthBoundaries) {
  ASSERT_EQ(CountCodePoints(QuestionOfLength(10)), 10u);
  ASSERT_EQ(CountCodePoints(QuestionOfLength(200)), 200u);
  EXPECT_THAT(OnlyProblem(With("question", "Is it ok?"), "question"), HasSubstr("at least 10"));  // 9
  ExpectOk(With("question", "Is it oka?"));                                                       // 10
  ExpectOk(With("question", QuestionOfLength(10)));
  ExpectOk(With("question", QuestionOfLength(200)));
  EXPECT_THAT(OnlyProblem(With("question", QuestionOfLength(201)), "question"), HasSubstr("at most 200"));
}

TEST(ProposalQuestionTest, LengthCountsCharactersNotBytes) {
  // "Is été o?": 9 characters in 11 bytes is still too short...
  EXPECT_THAT(OnlyProblem(With("question", "Is \xC3\xA9t\xC3\xA9 o?"), "question"), HasSubstr("at least 10"));
  ExpectOk(With("question", "Is \xC3\xA9t\xC3\xA9 ok?"));  // 10 characters
  // ...and 200 two-byte characters are within the maximum.
  std::string accented = "Is ";
  while (CountCodePoints(accented) < 199) accented += (CountCodePoints(accented) % 3 == 0) ? " " : "\xC3\xA9";
  accented += "?";
  ASSERT_EQ(CountCodePoints(accented), 200u);
  ExpectOk(With("question", accented));
}

TEST(ProposalQuestionTest, AcceptsWhatTheOriginalBackendAccepted) {
  // The deployed client's proposals: no final mark, few letters.
  ExpectOk(With("question", "The Great Wall of China is visible from space"));
  ExpectOk(With("question", "Is pi > 3?"));
  ExpectOk(With("question", "Is 1234 5678?"));
  ExpectOk(With("question", "Is the sky blue today,"));
  ExpectOk(With("question", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAF\xE9\x9B\xA3\xE3\x81\x97\xE3\x81\x84\xE3\x81\xA7\xE3\x81\x99\xE3\x81\x8B?"));
  // The rules it had still hold.
  EXPECT_THAT(OnlyProblem(With("question", "Is pi > 3"), "question"), HasSubstr("at least 10"));
  EXPECT_THAT(OnlyProblem(With("question", "Is piiiii > 3?"), "question"), HasSubstr("repeat"));
}

TEST(ProposalQuestionTest, NoControlCharacters) {
  EXPECT_THAT(OnlyProblem(With("question", "Is the sky\x01 blue?"), "question"), HasSubstr("control"));
  EXPECT_THAT(OnlyProblem(With("question", "Is the sky\tblue today?"), "question"), HasSubstr("control"));
  EXPECT_THAT(OnlyProblem(With("question", "Is the sky\nblue today?"), "question"), HasSubstr("control"));
  EXPECT_THAT(OnlyProblem(With("question", "Is the sky\x7f blue?"), "question"), HasSubstr("control"));
  EXPECT_THAT(OnlyProblem(With("question", "Is the sky\xC2\x85 blue?"), "question"), HasSubstr("control"));  // U+0085
}

TEST(ProposalQuestionTest, NoRunLongerThanFour) {
  ExpectOk(With("question", "Is it soooo blue?"));  // 4 in a row
  EXPECT_THAT(OnlyProblem(With("question", "Is it sooooo blue?"), "question"), HasSubstr("4 times"));  // 5
  EXPECT_THAT(OnlyProblem(With("question", "Is it blue?????"), "question"), HasSubstr("4 times"));
  ExpectOk(With("question", "Is it blue????"));
}

TEST(ProposalQuestionTest, InvalidUtf8AndWrongType) {
  EXPECT_THAT(OnlyProblem(With("question", std::string("Is the caf\xE9 open?")), "question"),
              HasSubstr("UTF-8"));
  EXPECT_THAT(OnlyProblem(With("question", 42), "question"), HasSubstr("string"));
  EXPECT_THAT(OnlyProblem(Without("question"), "question"), HasSubstr("required"));
  EXPECT_THAT(OnlyProblem(With("question", nullptr), "question"), HasSubstr("required"));
}

// --- script / markup patterns ------------------------------------------------------

const char* const kUnsafe[] = {"<script", "javascript:", "data:", "vbscript:", "onclick=", " onload =",
                               "eval(",   "document.",   "window.", "\\x",      "\\u",      "%3C",
                               "%3E",     "&#",          "<SCRIPT", "JavaScript:", "onMouseOver="};

std::string Expected(const char* pattern) { return ToLowerAscii(TrimWhitespace(pattern)); }

TEST(ProposalPatternTest, EachPatternInQuestionIsRejected) {
  for (const char* p : kUnsafe) {
    SCOPED_TRACE(p);
    const std::string q = std::string("Is the ") + p + " thing safe?";
    EXPECT_THAT(OnlyProblem(With("question", q), "question"), HasSubstr(Expected(p)));
  }
}

TEST(ProposalPatternTest, EachPatternInTitleIsRejected) {
  for (const char* p : kUnsafe) {
    SCOPED_TRACE(p);
    EXPECT_THAT(OnlyProblem(With("title", std::string("A ") + p + " title"), "title"), HasSubstr(Expected(p)));
  }
}

TEST(ProposalPatternTest, EachPatternInPassageIsRejected) {
  for (const char* p : kUnsafe) {
    SCOPED_TRACE(p);
    EXPECT_THAT(OnlyProblem(With("passage", std::string("Some text ") + p + " more text."), "passage"),
                HasSubstr(Expected(p)));
  }
}

TEST(ProposalPatternTest, FindUnsafePattern) {
  EXPECT_EQ(FindUnsafePattern(""), "");
  EXPECT_EQ(FindUnsafePattern("Is London on the Thames?"), "");
  EXPECT_EQ(FindUnsafePattern("Is the window open?"), "");
  EXPECT_EQ(FindUnsafePattern("Was the document signed in 1776?"), "");
  EXPECT_EQ(FindUnsafePattern("<SCRIPT>alert(1)</script>"), "<script");
  EXPECT_EQ(FindUnsafePattern("a onerror = b"), "onerror =");
  EXPECT_EQ(FindUnsafePattern("x onload=y"), "onload=");
  EXPECT_EQ(FindUnsafePattern("%3cb%3e"), "%3c");
}

// Variants that slipped past the first deny list: encodings, references,
// other tags, spaces and invisible characters inside schemes and calls.
TEST(ProposalPatternTest, FindUnsafePatternSeesThroughEncodings) {
  for (const char* text : {
           "java&Tab;script:alert(1)", "javascript&colon;alert(1)", "&lt;b&gt;", "&#x6a;avascript",
           "java\tscript:alert(1)", "java script:x", "jav\xe2\x80\x8b" "ascript:x", "<iframe src=x>", "<meta http-equiv=refresh>",
           "<base href=//x>", "<style>body{}</style>", "<svg/onload=x>", "<img src=x>", "</title>", "<!-- x -->",
           "eval (x)", "eval\t(x)", "document['cookie']", "window [\"location\"]", "%253Cscript%253E", "%25253Cb",
           "%3Ciframe", "setTimeout (x)", "x = function () {}", "width: expression (x)", "vbscript :x",
       }) {
    EXPECT_NE(FindUnsafePattern(text), "") << text;
  }
  for (const char* text : {
           "Is 2 < 3?", "Is x<5 for every x below 5?", "Is AT&T a telephone company?", "Is 100% of water wet?",
           "Is the window open?", "Does the function of the heart include pumping blood?", "Is Rock & Roll music?",
           "Does eval mean evaluate?", "Is the data centre in Dublin?",
       }) {
    EXPECT_EQ(FindUnsafePattern(text), "") << text;
  }
}

// --- title, passage ------------------------------------------------------------------

TEST(ProposalTest, TitleAndPassageLimits) {
  ExpectOk(With("title", std::string(100, 'a').replace(4, 1, " ")));
  EXPECT_THAT(OnlyProblem(With("title", std::string(101, 't')), "title"), HasSubstr("100"));
  std::string passage_500;
  while (passage_500.size() < 500) passage_500 += "Word ";
  passage_500.back() = '.';
  ASSERT_EQ(passage_500.size(), 500u);
  ExpectOk(With("passage", passage_500));
  EXPECT_THAT(OnlyProblem(With("passage", passage_500 + "x"), "passage"), HasSubstr("500"));
  ExpectOk(With("passage", "Line one.\nLine two."));  // newlines are fine in passages
  EXPECT_THAT(OnlyProblem(With("title", "Line one\nLine two"), "title"), HasSubstr("control"));
  EXPECT_THAT(OnlyProblem(With("title", 12), "title"), HasSubstr("string"));
}

// --- answer ----------------------------------------------------------------------------

TEST(ProposalTest, AnswerMustBeBoolean) {
  EXPECT_THAT(OnlyProblem(Without("answer"), "answer"), HasSubstr("required"));
  EXPECT_THAT(OnlyProblem(With("answer", "true"), "answer"), HasSubstr("true or false"));
  EXPECT_THAT(OnlyProblem(With("answer", 1), "answer"), HasSubstr("true or false"));
  const ProposalCheck c = CheckProposal(With("answer", false));
  ASSERT_TRUE(c.ok()) << Describe(c);
  EXPECT_FALSE(c.proposal.answer);
}

TEST(ProposalTest, LegacyFieldNamesAccepted) {
  json body = Without("answer");
  body.erase("categories");
  body["suggested_answer"] = false;
  body["tags"] = {"History"};
  const ProposalCheck c = CheckProposal(body);
  ASSERT_TRUE(c.ok()) << Describe(c);
  EXPECT_FALSE(c.proposal.answer);
  EXPECT_EQ(c.proposal.categories, (Names{"history", "general"}));

  // The current names win over the legacy ones.
  json both = ValidBody();
  both["suggested_answer"] = false;
  both["tags"] = {"sports"};
  const ProposalCheck d = CheckProposal(both);
  ASSERT_TRUE(d.ok()) << Describe(d);
  EXPECT_TRUE(d.proposal.answer);
  EXPECT_EQ(d.proposal.categories, (Names{"geography", "science", "general"}));
}

// --- categories ---------------------------------------------------------------------------

TEST(ProposalCategoriesTest, Rules) {
  EXPECT_THAT(OnlyProblem(Without("categories"), "categories"), HasSubstr("required"));
  EXPECT_THAT(OnlyProblem(With("categories", json::array()), "categories"), HasSubstr("1 to 5"));
  EXPECT_THAT(OnlyProblem(With("categories", {"a", "b", "c", "d", "e", "f"}), "categories"), HasSubstr("1 to 5"));
  ExpectOk(With("categories", {"a", "b", "c", "d", "e"}));
  EXPECT_FALSE(OnlyProblem(With("categories", {"sci!ence"}), "categories").empty());
  EXPECT_FALSE(OnlyProblem(With("categories", {std::string(51, 'c')}), "categories").empty());
  ExpectOk(With("categories", {std::string(50, 'c')}));
  ExpectOk(With("categories", {"pop culture", "sci_fi", "k-pop", "2024"}));
  EXPECT_FALSE(OnlyProblem(With("categories", {"science", 7}), "categories").empty());
  EXPECT_FALSE(OnlyProblem(With("categories", {""}), "categories").empty());
  EXPECT_FALSE(OnlyProblem(With("categories", {"caf\xC3\xA9"}), "categories").empty());
  EXPECT_THAT(OnlyProblem(With("categories", "science"), "categories"), HasSubstr("list"));
}

TEST(ProposalCategoriesTest, IsValidCategoryName) {
  EXPECT_TRUE(IsValidCategoryName("science"));
  EXPECT_TRUE(IsValidCategoryName("Pop Culture_2-x"));
  EXPECT_FALSE(IsValidCategoryName("   "));
  EXPECT_TRUE(IsValidCategoryName(std::string(50, 'a')));
  EXPECT_FALSE(IsValidCategoryName(std::string(51, 'a')));
  EXPECT_FALSE(IsValidCategoryName(""));
  EXPECT_FALSE(IsValidCategoryName("sci!ence"));
  EXPECT_FALSE(IsValidCategoryName("a.b"));
  EXPECT_FALSE(IsValidCategoryName("tab\there"));
}

// --- difficulty -------------------------------------------------------------------------------

TEST(ProposalTest, Difficulty) {
  for (const json& bad : {json(0), json(6), json(2.5), json("3"), json(true), json(-1)}) {
    EXPECT_THAT(OnlyProblem(With("difficulty", bad), "difficulty"), HasSubstr("1 to 5")) << bad.dump();
  }
  const ProposalCheck absent = CheckProposal(Without("difficulty"));
  ASSERT_TRUE(absent.ok()) << Describe(absent);
  EXPECT_EQ(absent.proposal.difficulty, 3);
  for (int d = 1; d <= 5; ++d) {
    const ProposalCheck c = CheckProposal(With("difficulty", d));
    ASSERT_TRUE(c.ok()) << Describe(c);
    EXPECT_EQ(c.proposal.difficulty, d);
  }
}

// --- all problems at once -----------------------------------------------------------------------

TEST(ProposalTest, ReportsEveryProblemAtOnce) {
  const json body = {{"question", "shorttttt"},  // too short, and a run of five
                     {"title", std::string(101, 't')},
                     {"passage", "see javascript:alert"},
                     {"answer", "yes"},
                     {"categories", json::array()},
                     {"difficulty", 9}};
  const ProposalCheck c = CheckProposal(body);
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.problems.size(), 7u) << Describe(c);
  std::multiset<std::string> fields;
  for (const auto& p : c.problems) fields.insert(p.field);
  EXPECT_EQ(fields, (std::multiset<std::string>{"question", "question", "title", "passage", "answer",
                                                "categories", "difficulty"}))
      << Describe(c);
}

TEST(ProposalQuestionTest, RejectsFormatAndSeparatorCharacters) {
  // Right-to-left override, line separator, byte-order mark, zero-width space.
  for (const char* c : {"\u202E", "\u2028", "\uFEFF", "\u200B", "\u2066"}) {
    const std::string text = std::string("Is this ") + c + "question fine?";
    EXPECT_THAT(OnlyProblem(With("question", text), "question"), HasSubstr("control")) << text;
  }
  ExpectOk(With("question", "Is caf\u00E9 au lait \u00A0 French?"));  // letters and a no-break space
}

TEST(ProposalTest, ReportsEveryQuestionProblemAtOnce) {
  // Too short and a long run: both are reported.
  const ProposalCheck d = CheckProposal(With("question", "ab 11111"));
  ASSERT_EQ(d.problems.size(), 2u) << Describe(d);
  EXPECT_EQ(d.problems[0].field, "question");
  EXPECT_EQ(d.problems[1].field, "question");
  EXPECT_THAT(Describe(d), HasSubstr("at least 10"));
  EXPECT_THAT(Describe(d), HasSubstr("repeat"));
}

TEST(ProposalTest, EmptyBodyReportsEveryRequiredField) {
  const ProposalCheck c = CheckProposal(json::object());
  std::set<std::string> fields;
  for (const auto& p : c.problems) fields.insert(p.field);
  EXPECT_EQ(fields, (std::set<std::string>{"question", "answer", "categories"})) << Describe(c);
  EXPECT_EQ(c.problems.size(), 3u) << Describe(c);
}

// --- helpers --------------------------------------------------------------------------------------

TEST(ProposalHelpersTest, HasLongRun) {
  EXPECT_FALSE(HasLongRun("", 4));
  EXPECT_FALSE(HasLongRun("aaaa", 4));
  EXPECT_TRUE(HasLongRun("aaaaa", 4));
  EXPECT_FALSE(HasLongRun("aaaabaaaa", 4));
  EXPECT_TRUE(HasLongRun("xx!!!!!", 4));
  EXPECT_TRUE(HasLongRun("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4));   // ééééé: characters, not bytes
  EXPECT_FALSE(HasLongRun("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4));
  EXPECT_TRUE(HasLongRun("aa", 1));
}

}  // namespace
}  // namespace truthbyte

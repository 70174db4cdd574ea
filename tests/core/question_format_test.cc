#include "core/question_format.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/question.h"
#include "core/text.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

using ::testing::HasSubstr;
using Names = std::vector<std::string>;
using json = nlohmann::json;

Question MustParse(const std::string& line) {
  Result<Question> r = ParseQuestionRecord(line);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n  line: " << line;
  return r.ok() ? std::move(r).value() : Question{};
}

// The reason a line is rejected, or "" when it parses.
std::string Reason(const std::string& line) {
  Result<Question> r = ParseQuestionRecord(line);
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << line;
  EXPECT_FALSE(r.status().message().empty()) << line;
  return r.status().message();
}

// A valid full-format record to break one field at a time.
json Valid() {
  return json{{"id", "q1"},          {"question", "Is the sky blue?"}, {"title", "Sky"},
              {"passage", "Blue."},  {"answer", true},                 {"categories", {"science"}},
              {"difficulty", 2}};
}

std::string With(const char* key, const json& value) {
  json j = Valid();
  j[key] = value;
  return j.dump();
}

std::string Without(const char* key) {
  json j = Valid();
  j.erase(key);
  return j.dump();
}

// --- The four formats ------------------------------------------------------

TEST(QuestionFormatTest, BoolQRowGetsDerivedIdAndGeneral) {
  const std::string line =
      R"({"question": "does ethanol take more energy make that produces", "title": "Ethanol fuel", )"
      R"("answer": false, "passage": "All biomass goes through at least some of these steps."})";
  Question q = MustParse(line);
  EXPECT_EQ(q.id, "q_2987a0943315");
  EXPECT_EQ(q.id, DeriveQuestionId(q.question, q.title));
  EXPECT_EQ(q.question, "does ethanol take more energy make that produces");
  EXPECT_EQ(q.title, "Ethanol fuel");
  EXPECT_EQ(q.passage, "All biomass goes through at least some of these steps.");
  EXPECT_FALSE(q.answer);
  EXPECT_EQ(q.categories, (Names{"general"}));
  EXPECT_EQ(q.tags, (Names{"general"}));  // no tags given: the categories
  EXPECT_EQ(q.difficulty, 3);
  // Same input, same id.
  EXPECT_EQ(MustParse(line).id, q.id);
}

TEST(QuestionFormatTest, BoolQRowWithNullIdAlsoDerivesOne) {
  Question q = MustParse(R"({"id": null, "question": "is it", "title": "T", "answer": true})");
  EXPECT_EQ(q.id, DeriveQuestionId("is it", "T"));
}

TEST(QuestionFormatTest, SeedRowUsesTagsAsCategoriesAndKeepsTagsAsGiven) {
  Question q = MustParse(
      R"({"id": "q001", "tags": ["geography", "Literature", " science ", "geography"], )"
      R"("question": "does ethanol take more energy make that produces", "title": "Ethanol fuel", )"
      R"("passage": "All biomass...", "answer": false})");
  EXPECT_EQ(q.id, "q001");
  EXPECT_EQ(q.categories, (Names{"geography", "literature", "science", "general"}));
  EXPECT_EQ(q.tags, (Names{"geography", "Literature", " science ", "geography"}));
  EXPECT_EQ(q.difficulty, 3);
}

TEST(QuestionFormatTest, CuratedRowCategoryOutranksTags) {
  // A real curated line (passage shortened): its tags are keyword noise.
  Question q = MustParse(
      R"({"id": "q530", "question": "Is legally blonde a pun on legally blind?", "answer": true, )"
      R"("category": "entertainment", "difficulty": 2, )"
      R"("tags": ["geography", "politics", "entertainment", "literature", "education", "health"], )"
      R"("title": "Legally Blonde", "passage": "Legally Blonde is a 2001 American comedy film. )"
      R"(The title is a pun on the term ``legally blind''."})");
  EXPECT_EQ(q.id, "q530");
  EXPECT_EQ(q.question, "Is legally blonde a pun on legally blind?");
  EXPECT_TRUE(q.answer);
  EXPECT_EQ(q.categories, (Names{"entertainment", "general"}));
  EXPECT_EQ(q.difficulty, 2);
  EXPECT_EQ(q.tags, (Names{"geography", "politics", "entertainment", "literature", "education", "health"}));
  EXPECT_EQ(q.title, "Legally Blonde");
}

TEST(QuestionFormatTest, CuratedShapeFromBrief) {
  Question q = MustParse(
      R"({"id": "q530", "question": "Is legally blonde a pun on legally blind?", "answer": true, )"
      R"("category": "entertainment", "difficulty": 2, "tags": ["geography","politics"], )"
      R"("title": "Legally Blonde", "passage": "..."})");
  EXPECT_EQ(q.categories, (Names{"entertainment", "general"}));
  EXPECT_EQ(q.difficulty, 2);
  EXPECT_EQ(q.tags, (Names{"geography", "politics"}));
}

TEST(QuestionFormatTest, FullRowCategoriesListOutranksCategoryAndTags) {
  Question q = MustParse(
      R"({"id": "x-1", "question": "Q?", "title": "T", "passage": "P", "answer": true, )"
      R"("categories": ["Science", "History", "science"], "category": "sports", "tags": ["geography"], )"
      R"("difficulty": 5})");
  EXPECT_EQ(q.categories, (Names{"science", "history", "general"}));
  EXPECT_EQ(q.tags, (Names{"geography"}));
  EXPECT_EQ(q.difficulty, 5);
}

TEST(QuestionFormatTest, FullRowWithoutTagsGetsCategoriesAsTags) {
  Question q = MustParse(
      R"({"id": "x-2", "question": "Q?", "title": "T", "passage": "P", "answer": false, )"
      R"("categories": ["Food"], "difficulty": 1})");
  EXPECT_EQ(q.categories, (Names{"food", "general"}));
  EXPECT_EQ(q.tags, q.categories);
  EXPECT_EQ(q.difficulty, 1);
}

TEST(QuestionFormatTest, EmptyCategoriesListFallsBackToCategoryThenTags) {
  EXPECT_EQ(MustParse(R"({"question":"Q?","answer":true,"categories":[],"category":"Sports","tags":["x"]})")
                .categories,
            (Names{"sports", "general"}));
  EXPECT_EQ(MustParse(R"({"question":"Q?","answer":true,"categories":[" "],"category":"","tags":["X"]})")
                .categories,
            (Names{"x", "general"}));
  EXPECT_EQ(MustParse(R"({"question":"Q?","answer":true,"category":"  ","tags":[]})").categories,
            (Names{"general"}));
}

TEST(QuestionFormatTest, DifficultyDefaultsToThreeAndAcceptsIntegralNumbers) {
  EXPECT_EQ(MustParse(Without("difficulty")).difficulty, 3);
  EXPECT_EQ(MustParse(With("difficulty", nullptr)).difficulty, 3);
  EXPECT_EQ(MustParse(With("difficulty", 2.0)).difficulty, 2);
  for (int d = 1; d <= 5; ++d) EXPECT_EQ(MustParse(With("difficulty", d)).difficulty, d);
}

TEST(QuestionFormatTest, TextIsTrimmedAndCreatedAtAndSourceAreRead) {
  Question q = MustParse(
      R"({"id":"q9","question":"  Is it?  ","title":" T ","passage":"line one\nline two\n","answer":true,)"
      R"("created_at":"2024-01-15T12:00:00.000Z","source":"seed.jsonl"})");
  EXPECT_EQ(q.question, "Is it?");
  EXPECT_EQ(q.title, "T");
  EXPECT_EQ(q.passage, "line one\nline two");  // newlines allowed in passages
  EXPECT_EQ(q.created_at, "2024-01-15T12:00:00.000Z");
  EXPECT_EQ(q.source, "seed.jsonl");
}

TEST(QuestionFormatTest, CarriageReturnFromCrlfFilesIsIgnored) {
  Question q = MustParse("{\"id\":\"q1\",\"question\":\"Is it?\",\"answer\":true}\r");
  EXPECT_EQ(q.id, "q1");
  EXPECT_TRUE(q.answer);
}

// --- Bad lines -------------------------------------------------------------

TEST(QuestionFormatErrorsTest, InvalidJson) {
  EXPECT_THAT(Reason(R"({"question": "Is it?", "answer": tru)"), HasSubstr("invalid JSON"));
  EXPECT_THAT(Reason(""), HasSubstr("invalid JSON"));
  EXPECT_THAT(Reason("{\"question\": \"Is it?\"} trailing"), HasSubstr("invalid JSON"));
}

TEST(QuestionFormatErrorsTest, NotAnObject) {
  EXPECT_THAT(Reason("[1, 2]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(Reason("\"question\""), HasSubstr("not a JSON object"));
  EXPECT_THAT(Reason("42"), HasSubstr("not a JSON object"));
  EXPECT_THAT(Reason("null"), HasSubstr("not a JSON object"));
}

TEST(QuestionFormatErrorsTest, MissingOrEmptyQuestion) {
  EXPECT_THAT(Reason(Without("question")), HasSubstr("\"question\""));
  EXPECT_THAT(Reason(With("question", "")), HasSubstr("\"question\""));
  EXPECT_THAT(Reason(With("question", "   ")), HasSubstr("\"question\""));
  EXPECT_THAT(Reason(With("question", nullptr)), HasSubstr("\"question\""));
  EXPECT_THAT(Reason(With("question", 42)), HasSubstr("\"question\" must be a string"));
}

TEST(QuestionFormatErrorsTest, AnswerMissingOrNotBoolean) {
  EXPECT_THAT(Reason(Without("answer")), HasSubstr("missing \"answer\""));
  EXPECT_THAT(Reason(With("answer", nullptr)), HasSubstr("missing \"answer\""));
  EXPECT_THAT(Reason(With("answer", "true")), HasSubstr("\"answer\" must be true or false"));
  EXPECT_THAT(Reason(With("answer", 1)), HasSubstr("\"answer\" must be true or false"));
}

TEST(QuestionFormatErrorsTest, DifficultyOutOfRangeOrNotAnInteger) {
  EXPECT_THAT(Reason(With("difficulty", 0)), HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(With("difficulty", 6)), HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(With("difficulty", -3)), HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(With("difficulty", 2.5)), HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(With("difficulty", "3")), HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(With("difficulty", true)), HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(With("difficulty", json::array({3}))), HasSubstr("\"difficulty\""));
  // Huge numbers must not wrap around into the valid range.
  EXPECT_THAT(Reason(With("difficulty", 4294967299ULL)), HasSubstr("\"difficulty\""));  // 2^32 + 3
  EXPECT_THAT(Reason(With("difficulty", 18446744073709551615ULL)), HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(R"({"question":"Q?","answer":true,"difficulty":1e300})"), HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(R"({"question":"Q?","answer":true,"difficulty":100000000000000000000000000003})"),
              HasSubstr("\"difficulty\""));
  EXPECT_THAT(Reason(With("difficulty", 3.0000001)), HasSubstr("\"difficulty\""));
}

TEST(QuestionFormatErrorsTest, BadIds) {
  EXPECT_THAT(Reason(With("id", 17)), HasSubstr("\"id\" must be a string"));
  EXPECT_THAT(Reason(With("id", json::array({"q1"}))), HasSubstr("\"id\" must be a string"));
  EXPECT_THAT(Reason(With("id", "")), HasSubstr("\"id\""));
  EXPECT_THAT(Reason(With("id", "q 1")), HasSubstr("\"id\""));
  EXPECT_THAT(Reason(With("id", " q1")), HasSubstr("\"id\""));
  EXPECT_THAT(Reason(With("id", "q1\t")), HasSubstr("\"id\""));
  EXPECT_THAT(Reason(With("id", std::string(129, 'q'))), HasSubstr("\"id\""));
  EXPECT_EQ(MustParse(With("id", std::string(128, 'q'))).id, std::string(128, 'q'));
}

TEST(QuestionFormatErrorsTest, BadCategoryLists) {
  EXPECT_THAT(Reason(With("categories", "science")), HasSubstr("\"categories\" must be a list of strings"));
  EXPECT_THAT(Reason(With("categories", json::array({"science", 1}))),
              HasSubstr("\"categories\" must be a list of strings"));
  EXPECT_THAT(Reason(With("categories", json::array({1, 2}))),
              HasSubstr("\"categories\" must be a list of strings"));
  EXPECT_THAT(Reason(With("tags", json::array({true}))), HasSubstr("\"tags\" must be a list of strings"));
  EXPECT_THAT(Reason(With("tags", "science")), HasSubstr("\"tags\""));
  EXPECT_THAT(Reason(With("category", 5)), HasSubstr("\"category\" must be a string"));
  EXPECT_THAT(Reason(With("category", json::array({"science"}))), HasSubstr("\"category\""));
}

TEST(QuestionFormatErrorsTest, InvalidUtf8) {
  const std::string line = "{\"question\": \"Is caf\xE9 open?\", \"answer\": true}";
  EXPECT_THAT(Reason(line), HasSubstr("UTF-8"));
  const std::string surrogate = "{\"question\": \"Is \xED\xA0\x80 ok?\", \"answer\": true}";
  EXPECT_THAT(Reason(surrogate), HasSubstr("UTF-8"));
}

TEST(QuestionFormatErrorsTest, ControlCharactersAndOversizedText) {
  EXPECT_THAT(Reason(With("question", "Is\x01 it?")), HasSubstr("\"question\""));
  EXPECT_THAT(Reason(With("title", "a\nb")), HasSubstr("\"title\""));
  EXPECT_THAT(Reason(With("question", std::string(1001, 'a'))), HasSubstr("\"question\""));
  EXPECT_THAT(Reason(With("title", 5)), HasSubstr("\"title\" must be a string"));
  EXPECT_THAT(Reason(With("passage", json::object())), HasSubstr("\"passage\" must be a string"));
  EXPECT_EQ(Reason(With("passage", "tab\there\r\nnewline")), "");
}

// Lines go through simdjson and, when it refuses them, nlohmann::json: the
// outcome must be the reference parser's either way.
TEST(QuestionFormatTest, ParsesAsTheReferenceParserDoesAtTheEdges) {
  // A repeated key: the last one counts.
  EXPECT_EQ(MustParse(R"({"question":"First?","answer":true,"question":"Last?"})").question, "Last?");
  EXPECT_EQ(MustParse(R"({"question":"Q?","answer":true,"difficulty":9,"difficulty":4})").difficulty, 4);
  EXPECT_THAT(Reason(R"({"question":"Q?","answer":true,"answer":"yes"})"),
              HasSubstr("\"answer\" must be true or false"));
  // An integer beyond 64 bits in a field nobody reads does not spoil the line.
  EXPECT_EQ(MustParse(R"({"question":"Q?","answer":true,"views":123456789012345678901234567890})").question, "Q?");
  EXPECT_EQ(MustParse(R"({"question":"Q?","answer":false,"difficulty":2.0e0})").difficulty, 2);
  // Escapes decode alike; a lone surrogate or an overflowing number is bad JSON.
  EXPECT_EQ(MustParse(R"({"question":"caf\u00e9 \ud83d\ude00?","answer":true})").question, "café 😀?");
  EXPECT_THAT(Reason(R"({"question":"Q\ud800?","answer":true})"), HasSubstr("invalid JSON"));
  EXPECT_THAT(Reason(R"({"question":"Q?","answer":true,"difficulty":1e400})"), HasSubstr("invalid JSON"));
  EXPECT_THAT(Reason(R"({"question":"Q\u0001?","answer":true})"), HasSubstr("\"question\" contains control"));
  EXPECT_THAT(Reason("{\"question\":\"Q\t?\",\"answer\":true}"), HasSubstr("invalid JSON"));
  EXPECT_THAT(Reason(R"({"question":"Q?","answer":true}{})"), HasSubstr("invalid JSON"));
}

TEST(ReadDifficultyTest, OnlyIntegralOneToFive) {
  int d = -1;
  EXPECT_TRUE(ReadDifficulty(json(4), &d));
  EXPECT_EQ(d, 4);
  EXPECT_TRUE(ReadDifficulty(json(1.0), &d));
  EXPECT_EQ(d, 1);
  d = -1;
  for (const json& bad : {json(0), json(6), json(2.5), json("3"), json(nullptr), json(-1), json(1e300)}) {
    EXPECT_FALSE(ReadDifficulty(bad, &d)) << bad.dump();
    EXPECT_EQ(d, -1) << "must not write on failure: " << bad.dump();
  }
}

// --- Round trip --------------------------------------------------------------

TEST(QuestionFormatTest, JsonLineRoundTrip) {
  Question q;
  q.id = "q_round";
  q.question = "Is caf\xC3\xA9 \"quoted\" text \\ fine?";
  q.title = "Caf\xC3\xA9 \xF0\x9F\x98\x80";
  q.passage = "First line.\nSecond line with \"quotes\".";
  q.answer = true;
  q.categories = {"food", "pop-culture", "general"};
  q.difficulty = 4;
  q.tags = {"Geography", "food"};
  q.created_at = "2024-01-15T12:34:56.789Z";
  q.source = "curated_questions.jsonl";

  const std::string line = QuestionToJsonLine(q);
  EXPECT_EQ(line.find('\n'), std::string::npos) << "one line: " << line;
  EXPECT_EQ(line.rfind("{\"id\":\"q_round\",\"question\":", 0), 0u) << line;
  EXPECT_EQ(line, QuestionToJsonLine(q));  // reproducible

  Question back = MustParse(line);
  EXPECT_TRUE(back.SameContent(q)) << line;
  EXPECT_EQ(back.created_at, q.created_at);
  EXPECT_EQ(back.source, q.source);
  EXPECT_EQ(QuestionToJsonLine(back), line);
}

TEST(QuestionFormatTest, ParsedRowsSurviveRoundTrip) {
  for (const std::string& line : {
           std::string(R"({"question": "is it", "title": "T", "answer": false, "passage": "P"})"),
           std::string(R"({"id": "q1", "tags": ["Geo", "x"], "question": "q?", "answer": true})"),
           std::string(R"({"id": "q2", "question": "q?", "answer": true, "category": "Film", "difficulty": 1,)"
                       R"( "tags": ["geography"]})"),
       }) {
    Question first = MustParse(line);
    Question second = MustParse(QuestionToJsonLine(first));
    EXPECT_TRUE(second.SameContent(first)) << line;
  }
}

TEST(QuestionFormatTest, QuestionToJsonHasFixedKeysWithoutBookkeeping) {
  Question q;
  q.id = "a";
  q.question = "b?";
  q.categories = {"general"};
  q.tags = {"general"};
  q.created_at = "x";
  const auto j = QuestionToJson(q);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (Names{"id", "question", "title", "passage", "answer", "categories", "difficulty", "tags"}));
}

// --- The real data files -----------------------------------------------------

void ExpectEveryLineParses(const std::string& name, int expected_lines) {
  const std::string path = testing::SharedDataFile(name);
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not available";
  const auto lines = testing::SplitLines(testing::ReadFile(path));
  EXPECT_EQ(static_cast<int>(lines.size()), expected_lines);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Result<Question> r = ParseQuestionRecord(lines[i]);
    ASSERT_TRUE(r.ok()) << name << ":" << i + 1 << ": " << r.status().ToString();
    const json raw = json::parse(lines[i]);
    const Question& q = r.value();
    ASSERT_FALSE(q.categories.empty());
    EXPECT_NE(std::find(q.categories.begin(), q.categories.end(), "general"), q.categories.end());
    if (raw.contains("category")) {
      EXPECT_EQ(q.categories.front(), ToLowerAscii(TrimWhitespace(raw["category"].get<std::string>())))
          << name << ":" << i + 1;
      EXPECT_EQ(q.categories.size(), q.categories.front() == "general" ? 1u : 2u) << name << ":" << i + 1;
    }
    if (raw.contains("tags")) {
      EXPECT_EQ(q.tags, raw["tags"].get<Names>()) << name << ":" << i + 1;
    }
    if (!raw.contains("id")) {
      EXPECT_EQ(q.id, DeriveQuestionId(q.question, q.title));
    }
  }
}

TEST(RealDataTest, BoolQFileParses) { ExpectEveryLineParses("dev.jsonl", 3270); }
TEST(RealDataTest, SeedFileParses) { ExpectEveryLineParses("dev_with_ids.jsonl", 3270); }
TEST(RealDataTest, CuratedFileParses) { ExpectEveryLineParses("curated_questions.jsonl", 2000); }

}  // namespace
}  // namespace truthbyte

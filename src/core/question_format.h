// The four question file formats of SPEC section 2 (BoolQ, seed, curated,
// full) and the full format we write. One line of JSON in, one Question out.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/question.h"
#include "core/status.h"

namespace truthbyte {

// Parses one JSON Lines record in any of the four formats, applying the
// category precedence (categories, else category, else tags), the "general"
// rule, the difficulty default and the derived id for rows without one.
// created_at and source are taken when present (our own exports carry them).
// On failure the Status message is the reason, fit for "file:line: reason".
Result<Question> ParseQuestionRecord(std::string_view line);
Result<Question> QuestionFromJson(const nlohmann::json& record);

// A difficulty given as a JSON number: an integer (2 or 2.0) from 1 to 5.
// Returns false for anything else.
bool ReadDifficulty(const nlohmann::json& value, int* difficulty);

// The full format, one line without the trailing newline; keys in a fixed
// order so that exports are byte-for-byte reproducible.
std::string QuestionToJsonLine(const Question& q);
nlohmann::ordered_json QuestionToJson(const Question& q);
// The Question object of the API as JSON text; invalid UTF-8 (a question
// written by another tool) becomes U+FFFD instead of throwing.
std::string QuestionToJsonText(const Question& q);

// The optional parts of a Question object.
struct QuestionParts {
  bool passage = true;
  bool tags = true;
};
// `question_json` (a Question object as QuestionToJsonText writes it) with
// only the optional parts asked for; the other keys keep their order.
std::string QuestionJsonWithParts(std::string_view question_json, QuestionParts parts);
// `question_json` (as QuestionToJsonText writes it) without its "answer"
// (fetch-questions mode=label: the player answers before seeing the label).
std::string QuestionJsonWithoutAnswer(std::string_view question_json);

}  // namespace truthbyte

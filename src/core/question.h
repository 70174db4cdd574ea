// The question model and the rules that normalise imported questions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace truthbyte {

inline constexpr int kMinDifficulty = 1;
inline constexpr int kMaxDifficulty = 5;
inline constexpr int kDefaultDifficulty = 3;
inline constexpr std::string_view kGeneralCategory = "general";

// What a question says, wherever it is: published, proposed by a player,
// or waiting for moderation.
struct QuestionContent {
  std::string question;
  std::string title;
  std::string passage;
  bool answer = false;
  // Normalised (see NormaliseCategories); always contains "general".
  std::vector<std::string> categories;
  int difficulty = kDefaultDifficulty;

  bool operator==(const QuestionContent&) const = default;
};

// A true/false question with the passage that supports its answer.
struct Question : QuestionContent {
  std::string id;
  // The legacy copy, stored as given (or the categories when none given).
  std::vector<std::string> tags;
  // ISO-8601 UTC time of the first insert; the store fills it when empty.
  std::string created_at;
  // Where the question came from: an import file name, "proposal", ...
  std::string source;

  // Equal in everything a player or the daily selection can see; created_at
  // and source are bookkeeping and do not count.
  bool SameContent(const Question& other) const;
};

// Lower-cases and trims each name, drops empty names and repeats (first
// occurrence wins the position) and appends "general" when absent.
std::vector<std::string> NormaliseCategories(const std::vector<std::string>& raw);

// The stable id of a question that arrives without one: "q_" followed by
// the first 12 hex digits of SHA-256(question + "\n" + title).
std::string DeriveQuestionId(std::string_view question, std::string_view title);

// "science" -> "Science", "pop-culture" -> "Pop-Culture", "general" -> "General".
std::string CategoryDisplayName(std::string_view name);

bool IsValidDifficulty(long long difficulty);

}  // namespace truthbyte

// Validation of player-proposed questions (SPEC section 4). Every problem
// is reported at once, so a player can fix a proposal in one go.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/question.h"

namespace truthbyte {

inline constexpr std::size_t kProposalMinQuestionChars = 10;
inline constexpr std::size_t kProposalMaxQuestionChars = 200;
inline constexpr std::size_t kProposalMaxTitleChars = 100;
inline constexpr std::size_t kProposalMaxPassageChars = 500;
inline constexpr std::size_t kProposalMaxCategories = 5;
inline constexpr int kProposalsPerHour = 3;
inline constexpr int kProposalsPerDay = 10;

// A proposal that passed validation, with trimmed text and normalised
// categories ("general" added).
using Proposal = QuestionContent;

struct ProposalProblem {
  std::string field;
  std::string message;
};

struct ProposalCheck {
  Proposal proposal;  // meaningful only when problems is empty
  std::vector<ProposalProblem> problems;
  bool ok() const { return problems.empty(); }
};

// Checks a request body {"question","title"?,"passage"?,"answer","categories",
// "difficulty"?}; the legacy names "suggested_answer" and "tags" are read
// when the current ones are absent.
ProposalCheck CheckProposal(const nlohmann::json& body);

// The individual text rules, exposed for tests and for other callers.
// The script/markup pattern `text` contains (lower-cased), or "" if none.
std::string FindUnsafePattern(const std::string& text);
// Whether some character repeats more than `max_run` times in a row.
bool HasLongRun(const std::string& text, std::size_t max_run);
bool IsValidCategoryName(const std::string& name);  // ^[A-Za-z0-9 _-]{1,50}$

}  // namespace truthbyte

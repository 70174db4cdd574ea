// Small helpers shared by the store tests: unwrapping Status/Result and
// building the values the store keeps.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/question.h"
#include "core/records.h"
#include "core/status.h"

namespace truthbyte::testing {

// The value of a Result that must be ok. A failure throws, which GoogleTest
// reports as a failed test with the Status text.
template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) throw std::runtime_error("unexpected error: " + result.status().ToString());
  return std::move(result).value();
}

inline void Must(const Status& status) {
  if (!status.ok()) throw std::runtime_error("unexpected error: " + status.ToString());
}

MATCHER(IsOk, "is ok") {
  *result_listener << arg.ToString();
  return arg.ok();
}

MATCHER_P(HasCode, code, std::string("has code ") + StatusCodeName(code)) {
  *result_listener << arg.ToString();
  return arg.code() == code;
}

// A question with normalised categories (REQUIRES: `categories` already
// lower-case; "general" is appended when absent, as NormaliseCategories does).
inline Question MakeQuestion(const std::string& id, std::vector<std::string> categories = {}, int difficulty = 3,
                             const std::string& text = "") {
  Question q;
  q.id = id;
  q.question = text.empty() ? "is " + id + " true?" : text;
  q.title = "Title of " + id;
  q.passage = "A passage about " + id + ".";
  q.answer = (id.size() % 2) == 0;
  q.categories = NormaliseCategories(categories);
  q.difficulty = difficulty;
  q.tags = q.categories;
  q.source = "test.jsonl";
  return q;
}

inline Submission MakeSubmission(const std::string& id, const std::string& author, const std::string& submitted_at,
                                 std::vector<std::string> categories = {"science"}) {
  Submission s;
  s.id = id;
  s.question = "Is proposal " + id + " correct?";
  s.title = "Proposal " + id;
  s.passage = "The passage of proposal " + id + ".";
  s.answer = true;
  s.categories = std::move(categories);
  s.difficulty = 2;
  s.author = author;
  s.status = SubmissionStatus::kPending;
  s.submitted_at = submitted_at;
  return s;
}

}  // namespace truthbyte::testing

#include "service/crowd_reports.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/jwt.h"

namespace truthbyte {
namespace {

std::string EncodeCursor(const QuestionJudgment& j) {
  char number[32];
  const int n = std::snprintf(number, sizeof number, "%.17g", j.confidence);
  return Base64UrlEncode(std::string(number, static_cast<std::size_t>(n)) + "\n" + j.question_id);
}

bool DecodeCursor(const std::string& cursor, double* confidence, std::string* id) {
  std::string text;
  if (!Base64UrlDecode(cursor, &text)) return false;
  const std::size_t newline = text.find('\n');
  if (newline == std::string::npos || newline + 1 >= text.size()) return false;
  const char* begin = text.data();
  auto [end, ec] = std::from_chars(begin, begin + newline, *confidence);
  if (ec != std::errc() || end != begin + newline || !(*confidence >= 0 && *confidence <= 1)) return false;
  *id = text.substr(newline + 1);
  return true;
}

std::string QuestionText(const QuestionCatalog::Entry& entry) {
  const auto j = nlohmann::json::parse(entry.json, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("question") && j["question"].is_string() ? j["question"].get<std::string>() : "";
}

// Whether a reviewer's resolution, as the catalog has it now, settles the
// question: a resolution made since the fit counts at once.
bool SettledNow(const QuestionCatalog::Snapshot& catalog, const std::string& id, bool label) {
  const Resolution* r = catalog.ResolutionOf(id);
  return r && Settles(*r, label);
}

}  // namespace

Outcome<DisputePage> ListDisputes(const CrowdSnapshot& crowd, const QuestionCatalog::Snapshot& catalog,
                                  const DisputeQuery& query) {
  const double min_confidence = query.min_confidence.value_or(crowd.dispute_confidence);
  double after_confidence = 2.0;
  std::string after_id;
  if (!query.cursor.empty() && !DecodeCursor(query.cursor, &after_confidence, &after_id))
    return ServiceError::InvalidParameter("cursor is not one this server gave");
  DisputePage page;
  const auto& questions = crowd.analysis.questions;
  // crowd.by_confidence is in the order shown: the first after the cursor.
  auto first = std::partition_point(crowd.by_confidence.begin(), crowd.by_confidence.end(), [&](std::uint32_t i) {
    const QuestionJudgment& j = questions[i];
    return ListedBefore(j.confidence, j.question_id, after_confidence, after_id) ||
           (j.confidence == after_confidence && j.question_id == after_id);
  });
  for (auto it = first; it != crowd.by_confidence.end(); ++it) {
    const QuestionJudgment& j = questions[*it];
    if (j.confidence < min_confidence) break;
    const QuestionCatalog::Entry* entry = catalog.Find(j.question_id);
    // Gone from the store, or its label changed since the fit (the next
    // fit judges the new one), or settled by a reviewer.
    if (!entry || entry->answer != j.label || SettledNow(catalog, j.question_id, j.label)) continue;
    if (page.questions.size() == static_cast<std::size_t>(query.limit)) {
      page.next_cursor = EncodeCursor(page.questions.back().judgment);
      break;
    }
    page.questions.push_back({j, QuestionText(*entry)});
  }
  return page;
}

Outcome<QuestionStats> StatsOf(const CrowdSnapshot& crowd, const QuestionCatalog::Snapshot& catalog,
                               const std::string& question_id) {
  const QuestionCatalog::Entry* entry = catalog.Find(question_id);
  if (!entry) return ServiceError::NotFound("no question with id \"" + question_id + "\"");
  const auto& questions = crowd.analysis.questions;
  auto it = std::lower_bound(questions.begin(), questions.end(), question_id,
                             [](const QuestionJudgment& j, const std::string& id) { return j.question_id < id; });
  QuestionStats stats;
  stats.judgment = it != questions.end() && it->question_id == question_id
                       ? *it
                       : UnansweredJudgment(question_id, entry->answer, crowd.label_prior);
  QuestionJudgment& j = stats.judgment;
  // The posterior stands, judged against the label and the resolution now
  // (a flip or a decision since the fit shows at once).
  j.label = entry->answer;
  const Resolution* resolution = catalog.ResolutionOf(question_id);
  JudgeAgainstLabel(j, crowd.dispute_confidence, crowd.dispute_min_answers, resolution);
  if (resolution) j.resolution = *resolution;
  if (j.answers > 0) stats.agreement = static_cast<double>(j.label ? j.true_votes : j.answers - j.true_votes) / j.answers;
  return stats;
}

}  // namespace truthbyte

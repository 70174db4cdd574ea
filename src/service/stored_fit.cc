#include "service/stored_fit.h"

#include <nlohmann/json.hpp>

#include "core/crowd_model.h"
#include "core/json_text.h"

namespace truthbyte {
namespace {

constexpr int kFormatVersion = 1;

}  // namespace

std::string EncodeFit(const StoredFit& fit) {
  const CrowdAnalysis& a = fit.analysis;
  nlohmann::ordered_json doc;
  doc["format"] = kFormatVersion;
  doc["fitted_at"] = fit.fitted_at;
  doc["label_prior"] = fit.options.label_prior;
  doc["dispute_confidence"] = fit.options.dispute_confidence;
  doc["dispute_min_answers"] = fit.options.dispute_min_answers;
  doc["answers"] = a.answers;
  doc["unknown_question_answers"] = a.unknown_question_answers;
  doc["excluded"] = a.excluded;
  doc["iterations"] = a.iterations;
  doc["converged"] = a.converged;
  doc["seconds"] = a.seconds;
  doc["disputed"] = a.disputed;
  // Rows as arrays: a million questions stay tens of megabytes.
  nlohmann::ordered_json questions = nlohmann::ordered_json::array();
  for (const QuestionJudgment& q : a.questions)
    questions.push_back({q.question_id, q.label, q.p_true, q.confidence, q.answers, q.true_votes, q.disputed,
                         q.empirical_difficulty});
  doc["questions"] = std::move(questions);
  nlohmann::ordered_json players = nlohmann::ordered_json::array();
  for (const PlayerJudgment& p : a.players) players.push_back({p.user_id, p.sensitivity, p.specificity, p.answers});
  doc["players"] = std::move(players);
  return JsonText(doc);
}

Result<StoredFit> DecodeFit(const std::string& document) {
  const auto doc = nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("format", 0) != kFormatVersion)
    return Status::Corruption("the stored crowd fit is not in a format this truthbyte reads");
  try {
    StoredFit fit;
    fit.fitted_at = doc.at("fitted_at").get<std::string>();
    fit.options.label_prior = doc.at("label_prior").get<double>();
    fit.options.dispute_confidence = doc.at("dispute_confidence").get<double>();
    fit.options.dispute_min_answers = doc.at("dispute_min_answers").get<int>();
    CrowdAnalysis& a = fit.analysis;
    a.answers = doc.at("answers").get<std::size_t>();
    a.unknown_question_answers = doc.at("unknown_question_answers").get<std::size_t>();
    a.excluded = doc.at("excluded").get<std::array<std::size_t, kJudgmentKinds>>();
    a.iterations = doc.at("iterations").get<int>();
    a.converged = doc.at("converged").get<bool>();
    a.seconds = doc.at("seconds").get<double>();
    a.disputed = doc.at("disputed").get<int>();
    for (const auto& row : doc.at("questions")) {
      QuestionJudgment q;
      q.question_id = row.at(0).get<std::string>();
      q.label = row.at(1).get<bool>();
      q.p_true = row.at(2).get<double>();
      q.confidence = row.at(3).get<double>();
      q.answers = row.at(4).get<int>();
      q.true_votes = row.at(5).get<int>();
      q.disputed = row.at(6).get<bool>();
      q.empirical_difficulty = row.at(7).get<int>();
      a.questions.push_back(std::move(q));
    }
    for (const auto& row : doc.at("players")) {
      PlayerJudgment p;
      p.user_id = row.at(0).get<std::string>();
      p.sensitivity = row.at(1).get<double>();
      p.specificity = row.at(2).get<double>();
      p.answers = row.at(3).get<int>();
      p.reliability = PlayerReliability(p.sensitivity, p.specificity);
      a.players.push_back(std::move(p));
    }
    return fit;
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("the stored crowd fit does not decode: ") + e.what());
  }
}

Status StoreFit(Store& store, const StoredFit& fit) { return store.PutCrowdFit(EncodeFit(fit)); }

Result<std::optional<StoredFit>> LoadFit(Store& store) {
  auto document = store.GetCrowdFit();
  if (!document.ok()) return document.status();
  if (!*document) return std::optional<StoredFit>();
  auto fit = DecodeFit(**document);
  if (!fit.ok()) return fit.status();
  return std::optional<StoredFit>(std::move(*fit));
}

}  // namespace truthbyte

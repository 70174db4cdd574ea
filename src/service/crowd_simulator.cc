#include "service/crowd_simulator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "service/crowd_truth.h"
#include "service/game_service.h"
#include "service/question_catalog.h"

namespace truthbyte {
namespace {

constexpr std::size_t kImportBatch = 5000;
// The simulated clock starts at 2026-01-01T00:00:00Z and moves a second
// per answer.
constexpr std::int64_t kStartMs = 1767225600000;

Status ValidateOptions(const CrowdSimulationOptions& o, std::size_t questions) {
  auto share = [](double x) { return x >= 0 && x <= 1; };
  if (questions == 0) return Status::InvalidArgument("a simulation needs questions");
  if (!share(o.flip_share)) return Status::InvalidArgument("the flipped share must be in [0, 1]");
  if (!(o.answers_per_question > 0)) return Status::InvalidArgument("the answers per question must be above 0");
  if (o.players < 1) return Status::InvalidArgument("a simulation needs players");
  if (!share(o.mix.bad_share) || !share(o.mix.mediocre_share))
    return Status::InvalidArgument("the players' shares must be in [0, 1]");
  if (!(o.analysis.label_prior > 0 && o.analysis.label_prior < 1))
    return Status::InvalidArgument("the label prior must be above 0 and below 1");
  if (o.round_size < 1 || o.round_size > kMaxFetchQuestions)
    return Status::InvalidArgument("a round is 1 to " + std::to_string(kMaxFetchQuestions) + " answers");
  if (o.refit_every < 0) return Status::InvalidArgument("the refit interval cannot be negative");
  return Status::Ok();
}

Status AsStatus(const ServiceError& error) {
  return Status::Internal(error.internal_detail.empty() ? error.message : error.message + ": " + error.internal_detail);
}

// "good-0007": the kind shows in a kept store.
std::string PlayerId(PlayerKind kind, std::size_t index) {
  std::string number = std::to_string(index);
  if (number.size() < 4) number.insert(0, 4 - number.size(), '0');
  return std::string(PlayerKindName(kind)) + "-" + number;
}

Status StoreQuestions(Store& store, const std::vector<Question>& questions) {
  TB_RETURN_IF_ERROR(store.BeginQuestionImport());
  Status written;
  for (std::size_t i = 0; i < questions.size() && written.ok(); i += kImportBatch) {
    const std::size_t n = std::min(kImportBatch, questions.size() - i);
    written = store.UpsertQuestions(std::span<const Question>(questions).subspan(i, n), nullptr);
  }
  const Status finished = store.FinishQuestionImport();
  return written.ok() ? finished : written;
}

}  // namespace

Result<CrowdSimulationReport> SimulateCrowd(Store& store, std::vector<Question> questions,
                                            const CrowdSimulationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  TB_RETURN_IF_ERROR(ValidateOptions(options, questions.size()));
  bool has_questions = false;
  const Status scanned = store.ScanQuestions([&](const Question&) {
    has_questions = true;
    return Status::ConditionFailed("stop at the first");
  });
  if (has_questions) return Status::ConditionFailed("a simulation needs an empty store, and this one has questions");
  TB_RETURN_IF_ERROR(scanned);

  // One stream per concern, so that (say) more players leave the flips alone.
  SplitMix64 seeds(options.seed);
  SplitMix64 flip_rng(seeds.Next()), player_rng(seeds.Next()), answer_rng(seeds.Next()), turn_rng(seeds.Next());
  const std::uint64_t choice_seed = seeds.Next();

  CrowdSimulationReport report;
  const std::size_t q_count = questions.size();
  report.questions = q_count;
  std::unordered_map<std::string, std::uint32_t> index_of;
  std::vector<bool> truth(q_count), flipped(q_count, false);
  for (std::size_t q = 0; q < q_count; ++q) {
    if (!index_of.emplace(questions[q].id, static_cast<std::uint32_t>(q)).second)
      return Status::InvalidArgument("question id " + questions[q].id + " appears twice");
    truth[q] = questions[q].answer;
  }
  for (std::uint32_t q : ChooseFlips(q_count, options.flip_share, flip_rng)) {
    flipped[q] = true;
    questions[q].answer = !questions[q].answer;
  }
  report.flipped = static_cast<std::size_t>(std::count(flipped.begin(), flipped.end(), true));
  TB_RETURN_IF_ERROR(StoreQuestions(store, questions));
  questions.clear();

  const std::vector<SimulatedPlayer> players = MakeSimulatedPlayers(options.players, options.mix, player_rng);
  report.players = CountByKind(players);
  std::vector<std::string> user_ids;
  std::array<std::size_t, kPlayerKinds> numbered{};
  for (const SimulatedPlayer& p : players) user_ids.push_back(PlayerId(p.kind, ++numbered[static_cast<int>(p.kind)]));

  QuestionCatalog catalog(store);
  TB_RETURN_IF_ERROR(catalog.RefreshNow());
  CrowdTruth crowd(store, options.analysis);
  if (options.choice == AnswerChoice::kAdaptive) TB_RETURN_IF_ERROR(crowd.RefitNow());
  GameService game(store, catalog, kDefaultDailyWindowDays, &crowd, options.analysis.label_prior, /*hygiene=*/nullptr);
  game.SeedQuestionChoice(choice_seed);

  // Each player answers a question at most once: the budget cannot exceed
  // one answer of every player to every question.
  const auto budget = static_cast<std::size_t>(std::min(
      std::llround(options.answers_per_question * static_cast<double>(q_count)),
      static_cast<long long>(players.size() * q_count)));
  const std::size_t refit_every = options.refit_every > 0 ? static_cast<std::size_t>(options.refit_every)
                                                          : std::max<std::size_t>(50, budget / 50);
  FetchRequest request;
  request.category = std::string(kGeneralCategory);
  request.mode = options.choice == AnswerChoice::kAdaptive ? FetchMode::kLabel : FetchMode::kRandom;
  std::vector<std::size_t> active(players.size());  // those with questions left to answer
  for (std::size_t i = 0; i < active.size(); ++i) active[i] = i;
  std::int64_t now_ms = kStartMs;
  std::size_t since_refit = 0;
  std::vector<AnswerInput> round;
  while (report.answers < budget && !active.empty()) {
    const std::size_t turn = turn_rng.Below(active.size());
    const std::size_t p = active[turn];
    request.count = static_cast<int>(std::min<std::size_t>(options.round_size, budget - report.answers));
    auto fetched = game.FetchQuestions(user_ids[p], request);
    if (!fetched.ok() && fetched.error().code != ErrorCode::kNotFound) return AsStatus(fetched.error());
    round.clear();
    if (fetched.ok()) {
      for (std::string_view text : fetched->question_json) {
        const nlohmann::json question = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
        auto it = question.is_object() && question.contains("id") && question["id"].is_string()
                      ? index_of.find(question["id"].get<std::string>())
                      : index_of.end();
        if (it == index_of.end()) return Status::Internal("fetch-questions served a question the simulation lacks");
        AnswerInput& in = round.emplace_back();
        in.question_id = it->first;
        in.answer = SimulatedAnswer(players[p], truth[it->second], answer_rng);
        in.timestamp = static_cast<double>(now_ms / 1000);
        now_ms += 1000;
      }
    }
    int recorded = 0;
    if (!round.empty()) {
      auto submitted = game.SubmitAnswers(user_ids[p], round, now_ms);
      if (!submitted.ok()) return AsStatus(submitted.error());
      recorded = submitted->recorded;
    }
    // Nothing new to answer (mode random serves answered questions once
    // the unanswered ones run out): this player is done.
    if (recorded == 0) {
      active[turn] = active.back();
      active.pop_back();
      continue;
    }
    report.answers += static_cast<std::size_t>(recorded);
    since_refit += static_cast<std::size_t>(recorded);
    // Mode random does not read the fit: only adaptive choice refits.
    if (options.choice == AnswerChoice::kAdaptive && since_refit >= refit_every && report.answers < budget) {
      TB_RETURN_IF_ERROR(crowd.RefitNow());
      since_refit = 0;
    }
  }
  report.refits = static_cast<int>(crowd.refits());

  auto analysis = AnalyzeCrowd(store, options.analysis);
  if (!analysis.ok()) return analysis.status();
  std::vector<bool> disputed(q_count, false), majority(q_count, false);
  report.fewest_answers = analysis->questions.empty() ? 0 : analysis->questions.front().answers;
  for (const QuestionJudgment& j : analysis->questions) {
    const std::uint32_t q = index_of.at(j.question_id);
    disputed[q] = j.disputed;
    const int against = j.label ? j.answers - j.true_votes : j.true_votes;
    majority[q] = MajorityDisputes(j.answers, against, options.analysis.dispute_min_answers);
    report.fewest_answers = std::min(report.fewest_answers, j.answers);
    report.below_dispute_minimum += j.answers < options.analysis.dispute_min_answers ? 1 : 0;
  }
  report.model = ScoreDisputes(disputed, flipped);
  report.majority = ScoreDisputes(majority, flipped);

  // A player the fit never saw stands at the model's 0.5.
  std::unordered_map<std::string, double> estimated;
  for (const PlayerJudgment& j : analysis->players) estimated.emplace(j.user_id, j.reliability);
  std::array<std::vector<double>, kPlayerKinds> true_by_kind, estimate_by_kind;
  std::vector<double> true_all, estimate_all;
  for (std::size_t p = 0; p < players.size(); ++p) {
    auto it = estimated.find(user_ids[p]);
    const double estimate = it == estimated.end() ? 0.5 : it->second;
    const int kind = static_cast<int>(players[p].kind);
    true_all.push_back(players[p].reliability);
    estimate_all.push_back(estimate);
    true_by_kind[kind].push_back(players[p].reliability);
    estimate_by_kind[kind].push_back(estimate);
  }
  report.reliability_error = MeanAbsoluteError(true_all, estimate_all);
  for (int k = 0; k < kPlayerKinds; ++k)
    report.reliability_error_by_kind[k] = MeanAbsoluteError(true_by_kind[k], estimate_by_kind[k]);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace truthbyte

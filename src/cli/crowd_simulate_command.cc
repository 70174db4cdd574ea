// crowd simulate: a simulated crowd played through the game on a question
// file, and how well the crowd model finds the labels flipped on purpose.

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <ostream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/json_lines.h"
#include "core/json_text.h"
#include "core/question_format.h"
#include "service/crowd_simulator.h"

namespace truthbyte::cli {
namespace {

// A fresh directory for the simulation's store, removed with it.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/truthbyte-simulate-XXXXXX";
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  // Empty when the directory could not be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<std::vector<Question>> ReadQuestions(const std::string& path) {
  std::vector<Question> questions;
  std::uint64_t bytes = 0;
  TB_RETURN_IF_ERROR(ForEachJsonLine(path, bytes, [&](std::string_view text, std::uint64_t line_no) -> Status {
    Result<Question> q = ParseQuestionRecord(text);
    if (!q.ok()) return Status::InvalidArgument(fmt::format("{}:{}: {}", path, line_no, q.status().message()));
    questions.push_back(std::move(*q));
    return Status::Ok();
  }));
  return questions;
}

std::string ScoreLine(const DisputeScore& s) {
  return fmt::format("{} disputed, {} of them flipped: precision {:.3f}, recall {:.3f}", s.disputed, s.found,
                     s.precision, s.recall);
}

nlohmann::ordered_json ScoreJson(const DisputeScore& s) {
  nlohmann::ordered_json j;
  j["disputed"] = s.disputed;
  j["found"] = s.found;
  j["precision"] = s.precision;
  j["recall"] = s.recall;
  return j;
}

void PrintReport(const SimulateOptions& o, const CrowdSimulationReport& r, std::ostream& out) {
  const std::string& choice = o.choice;  // validated: adaptive or uniform
  if (o.json) {
    nlohmann::ordered_json doc;
    doc["questions"] = r.questions;
    doc["flipped"] = r.flipped;
    nlohmann::ordered_json players;
    for (int k = 0; k < kPlayerKinds; ++k) players[std::string(PlayerKindName(static_cast<PlayerKind>(k)))] = r.players[k];
    doc["players"] = std::move(players);
    doc["choice"] = choice;
    doc["answers"] = r.answers;
    doc["refits"] = r.refits;
    doc["fewest_answers"] = r.fewest_answers;
    doc["below_dispute_minimum"] = r.below_dispute_minimum;
    doc["model"] = ScoreJson(r.model);
    doc["majority_vote"] = ScoreJson(r.majority);
    doc["reliability_error"] = r.reliability_error;
    nlohmann::ordered_json by_kind;
    for (int k = 0; k < kPlayerKinds; ++k)
      if (r.players[k]) by_kind[std::string(PlayerKindName(static_cast<PlayerKind>(k)))] = r.reliability_error_by_kind[k];
    doc["reliability_error_by_kind"] = std::move(by_kind);
    doc["seed"] = o.seed;
    doc["seconds"] = r.seconds;
    out << JsonText(doc) << '\n';
    return;
  }
  int players = 0;
  std::string kinds;
  for (int k = 0; k < kPlayerKinds; ++k) {
    players += r.players[k];
    kinds += fmt::format("{}{} {}", k ? ", " : "", r.players[k], PlayerKindName(static_cast<PlayerKind>(k)));
  }
  out << fmt::format("{} questions, {} labels flipped; {} players: {}\n", r.questions, r.flipped, players, kinds);
  out << fmt::format("{} answers ({} choice, {:g} a question on average, {} refits); the fewest a question got: {}, "
                     "{} below the dispute minimum\n",
                     r.answers, choice, r.questions ? static_cast<double>(r.answers) / r.questions : 0.0, r.refits,
                     r.fewest_answers, r.below_dispute_minimum);
  out << "Crowd model:   " << ScoreLine(r.model) << '\n';
  out << "Majority vote: " << ScoreLine(r.majority) << '\n';
  std::string by_kind;
  for (int k = 0; k < kPlayerKinds; ++k)
    if (r.players[k])
      by_kind += fmt::format("{}{} {:.3f}", by_kind.empty() ? "" : ", ", PlayerKindName(static_cast<PlayerKind>(k)),
                             r.reliability_error_by_kind[k]);
  out << fmt::format("Reliability error: {:.3f} on average ({})\n", r.reliability_error, by_kind);
  out << fmt::format("{:.1f} s (seed {})\n", r.seconds, o.seed);
}

}  // namespace

int RunCrowdSimulate(const StoreOptions& store_options, bool store_given, const SimulateOptions& o,
                     std::ostream& out) {
  auto share = [](double x) { return x >= 0 && x <= 1; };
  if (o.questions_path.empty()) return Fail("crowd simulate needs --questions FILE");
  if (!share(o.flip)) return Fail(fmt::format("--flip must be from 0 to 1, not {}", o.flip));
  if (!share(o.bad_players)) return Fail(fmt::format("--bad-players must be from 0 to 1, not {}", o.bad_players));
  if (!(o.answers_per_question > 0))
    return Fail(fmt::format("--answers-per-question must be above 0, not {}", o.answers_per_question));
  if (o.players < 1) return Fail(fmt::format("--players must be at least 1, not {}", o.players));
  if (o.choice != "adaptive" && o.choice != "uniform")
    return Fail(fmt::format("--choice must be adaptive or uniform, not {}", o.choice));
  if (!(o.label_prior > 0 && o.label_prior < 1))
    return Fail(fmt::format("--label-prior must be above 0 and below 1, not {}", o.label_prior));
  if (o.refit_every < 0) return Fail(fmt::format("--refit-every must be 0 or more, not {}", o.refit_every));

  auto questions = ReadQuestions(o.questions_path);
  if (!questions.ok()) return Fail(questions.status());

  ScratchDirectory scratch;
  StoreOptions where = store_options;
  if (!store_given) {
    if (scratch.path().empty()) return Fail("cannot make a temporary directory for the simulation's store");
    where = StoreOptions{};
    where.url = "sqlite:" + scratch.path() + "/simulation.db";
  }
  auto store = OpenStore(where);
  if (!store.ok()) return Fail(store.status());

  CrowdSimulationOptions options;
  options.flip_share = o.flip;
  options.answers_per_question = o.answers_per_question;
  options.players = o.players;
  options.mix.bad_share = o.bad_players;
  options.choice = o.choice == "adaptive" ? AnswerChoice::kAdaptive : AnswerChoice::kUniform;
  options.analysis.label_prior = o.label_prior;
  options.refit_every = o.refit_every;
  options.seed = o.seed;
  auto report = SimulateCrowd(**store, std::move(*questions), options);
  store->reset();  // closed before its directory goes
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kConditionFailed)
      return Fail(report.status().message() + ": give --store a new one, or none for a temporary store");
    return Fail(report.status());
  }
  PrintReport(o, *report, out);
  return 0;
}

}  // namespace truthbyte::cli

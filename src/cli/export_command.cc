// truthbyte export: JSON Lines of questions, answers, users, submissions or
// the crowd's judgments.

#include <cstdio>
#include <iostream>

#include <optional>
#include <unordered_map>

#include <fmt/core.h>

#include "cli/commands.h"
#include "core/json_text.h"
#include "core/question_format.h"
#include "core/record_json.h"
#include "service/crowd_analysis.h"

namespace truthbyte::cli {
namespace {

template <typename Record, typename ToJson>
Visitor<Record> WriteLines(std::ostream& os, ToJson to_json) {
  return [&os, to_json](const Record& r) -> Status {
    os << to_json(r) << '\n';
    return os ? Status::Ok() : Status::IoError("cannot write the export");
  };
}

std::string JsonLine(const nlohmann::ordered_json& j) {
  return JsonText(j);
}

// One question's crowd judgment, as `export --what judgments` writes it.
std::string JudgmentLine(const QuestionJudgment& j, const std::string& question) {
  nlohmann::ordered_json out;
  out["id"] = j.question_id;
  out["question"] = question;
  out["label"] = j.label;
  out["crowd_p_true"] = j.p_true;
  out["confidence"] = j.confidence;
  out["answers"] = j.answers;
  out["true_votes"] = j.true_votes;
  out["disputed"] = j.disputed;
  out["empirical_difficulty"] =
      j.empirical_difficulty ? nlohmann::ordered_json(j.empirical_difficulty) : nlohmann::ordered_json();
  out["resolution"] = j.resolution ? nlohmann::ordered_json(ResolutionToJson(*j.resolution)) : nlohmann::ordered_json();
  return JsonText(out);
}

// Every question's judgment, in id order; the texts from a second scan.
Status WriteJudgments(Store& s, const CrowdAnalysis& analysis, std::ostream& os) {
  std::size_t next = 0;
  return s.ScanQuestions([&](const Question& q) -> Status {
    while (next < analysis.questions.size() && analysis.questions[next].question_id < q.id) ++next;
    if (next >= analysis.questions.size() || analysis.questions[next].question_id != q.id) return Status::Ok();  // newer than the fit
    os << JudgmentLine(analysis.questions[next], q.question) << '\n';
    return os ? Status::Ok() : Status::IoError("cannot write the export");
  });
}

// An answer with its judgment kind and its player's reliability in the fit
// (null for a player the fit did not count).
Visitor<Answer> WriteAnswers(std::ostream& os, const CrowdAnalysis* analysis) {
  std::unordered_map<std::string, double> reliability;
  if (analysis)
    for (const PlayerJudgment& p : analysis->players) reliability.emplace(p.user_id, p.reliability);
  return [&os, reliability = std::move(reliability), with = analysis != nullptr](const Answer& a) -> Status {
    nlohmann::ordered_json j = AnswerToJson(a);
    if (with) {
      auto it = reliability.find(a.user_id);
      j["reliability"] = it == reliability.end() ? nlohmann::ordered_json() : nlohmann::ordered_json(it->second);
    }
    os << JsonText(j) << '\n';
    return os ? Status::Ok() : Status::IoError("cannot write the export");
  };
}

}  // namespace

int RunExport(const StoreOptions& store_options, const ExportOptions& options, std::ostream& out) {
  // Checked before anything is opened or created.
  if (!options.question_id.empty() && options.what != "answers")
    return Fail("--question selects answers: use it with --what answers");
  if (!(options.label_prior > 0 && options.label_prior < 1))
    return Fail(fmt::format("--label-prior must be above 0 and below 1, not {}", options.label_prior));
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  Store& s = **store;
  // Answers and judgments carry the crowd model's view: one fit first.
  std::optional<CrowdAnalysis> analysis;
  if (options.what == "answers" || options.what == "judgments") {
    auto fitted = AnalyzeCrowd(s, {.label_prior = options.label_prior});
    if (!fitted.ok()) return Fail(fitted.status());
    analysis = std::move(*fitted);
  }
  const CrowdAnalysis* fit = analysis ? &*analysis : nullptr;

  OutputTarget target(out, options.out_path);
  if (Status st = target.Open(); !st.ok()) return Fail(st);
  std::ostream* os = &target.stream();

  Status status;
  if (!options.question_id.empty()) {
    auto answers = s.AnswersForQuestion(options.question_id);
    status = answers.status();
    if (answers.ok()) {
      auto write = WriteAnswers(*os, fit);
      for (const Answer& a : *answers) {
        status = write(a);
        if (!status.ok()) break;
      }
    }
  } else if (options.what == "questions") {
    status = s.ScanQuestions(WriteLines<Question>(*os, [](const Question& q) { return QuestionToJsonLine(q); }));
  } else if (options.what == "answers") {
    status = s.ScanAnswers(WriteAnswers(*os, fit));
  } else if (options.what == "judgments") {
    status = WriteJudgments(s, *analysis, *os);
  } else if (options.what == "users") {
    status = s.ScanUsers(WriteLines<User>(*os, [](const User& u) { return JsonLine(UserToJson(u)); }));
  } else if (options.what == "submissions") {
    status = s.ScanSubmissions(
        WriteLines<Submission>(*os, [](const Submission& x) { return JsonLine(SubmissionToJson(x)); }));
  } else if (options.what == "resolutions") {
    status = s.ScanResolutions(
        WriteLines<Resolution>(*os, [](const Resolution& r) { return JsonLine(ResolutionToJson(r)); }));
  } else {
    return Fail("--what must be questions, answers, users, submissions, judgments or resolutions");
  }
  if (!status.ok()) return Fail(status);
  if (Status st = target.Finish(); !st.ok()) return Fail(st);
  return 0;
}

OutputTarget::OutputTarget(std::ostream& stdout_stream, const std::string& out_path) : stream_(&stdout_stream) {
  if (!out_path.empty()) file_ = std::make_unique<AtomicFile>(out_path);
}

Status OutputTarget::Open() {
  if (!file_) return Status::Ok();
  TB_RETURN_IF_ERROR(file_->Open());
  stream_ = &file_->stream();
  return Status::Ok();
}

Status OutputTarget::Finish() {
  if (file_) return file_->Commit();
  stream_->flush();
  return *stream_ ? Status::Ok() : Status::IoError("cannot write to standard output");
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), tmp_path_(path_ + ".tmp") {}

AtomicFile::~AtomicFile() {
  if (file_ && !committed_) {
    file_->close();
    std::remove(tmp_path_.c_str());
  }
}

Status AtomicFile::Open() {
  file_ = std::make_unique<std::ofstream>(tmp_path_, std::ios::binary | std::ios::trunc);
  if (!*file_) return Status::IoError("cannot write " + path_);
  return Status::Ok();
}

std::ostream& AtomicFile::stream() { return *file_; }

Status AtomicFile::Commit() {
  file_->flush();
  file_->close();
  if (file_->fail()) return Status::IoError("cannot write " + path_);
  if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0) return Status::IoError("cannot write " + path_);
  committed_ = true;
  return Status::Ok();
}

}  // namespace truthbyte::cli

// truthbyte export: JSON Lines of questions, answers, users or submissions.

#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "core/json_text.h"
#include "core/question_format.h"
#include "core/record_json.h"

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

}  // namespace

int RunExport(const StoreOptions& store_options, const ExportOptions& options, std::ostream& out) {
  // Checked before anything is opened or created.
  if (!options.question_id.empty() && options.what != "answers")
    return Fail("--question selects answers: use it with --what answers");
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  Store& s = **store;

  OutputTarget target(out, options.out_path);
  if (Status st = target.Open(); !st.ok()) return Fail(st);
  std::ostream* os = &target.stream();

  Status status;
  if (!options.question_id.empty()) {
    auto answers = s.AnswersForQuestion(options.question_id);
    status = answers.status();
    if (answers.ok()) {
      auto write = WriteLines<Answer>(*os, [](const Answer& a) { return JsonLine(AnswerToJson(a)); });
      for (const Answer& a : *answers) {
        status = write(a);
        if (!status.ok()) break;
      }
    }
  } else if (options.what == "questions") {
    status = s.ScanQuestions(WriteLines<Question>(*os, [](const Question& q) { return QuestionToJsonLine(q); }));
  } else if (options.what == "answers") {
    status = s.ScanAnswers(WriteLines<Answer>(*os, [](const Answer& a) { return JsonLine(AnswerToJson(a)); }));
  } else if (options.what == "users") {
    status = s.ScanUsers(WriteLines<User>(*os, [](const User& u) { return JsonLine(UserToJson(u)); }));
  } else if (options.what == "submissions") {
    status = s.ScanSubmissions(
        WriteLines<Submission>(*os, [](const Submission& x) { return JsonLine(SubmissionToJson(x)); }));
  } else {
    return Fail("--what must be questions, answers, users or submissions");
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

// truthbyte import --what answers FILE...: judgments gathered elsewhere.

#include <algorithm>
#include <chrono>
#include <iostream>
#include <unordered_map>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/json_lines.h"
#include "cli/terminal.h"
#include "core/answer_format.h"

namespace truthbyte::cli {
namespace {

struct AnswerImportTally {
  std::uint64_t read = 0;
  std::uint64_t skipped = 0;
  std::uint64_t recorded = 0;
  std::uint64_t duplicates = 0;  // a later answer of a player to the same question
};

// A parsed answer and where it came from, until its question is known.
struct PendingAnswer {
  Answer answer;
  std::string where;  // "file:line"
};

// Looks up the batch's questions and records the answers to known ones;
// answers to unknown questions are reported through `on_bad_line`. With
// `write` false only checks.
template <typename OnBadLine>
Status ResolveAndRecord(Store& store, std::vector<PendingAnswer>& batch, bool write, const std::string& now_iso,
                        AnswerImportTally& tally, OnBadLine on_bad_line) {
  std::vector<std::string> ids;
  std::unordered_map<std::string, bool> labels;  // question id -> canonical answer
  for (const PendingAnswer& p : batch)
    if (labels.emplace(p.answer.question_id, false).second) ids.push_back(p.answer.question_id);
  labels.clear();
  auto questions = store.GetQuestions(ids);
  if (!questions.ok()) return questions.status();
  for (const Question& q : *questions) labels.emplace(q.id, q.answer);
  std::vector<Answer> known;
  known.reserve(batch.size());
  for (PendingAnswer& p : batch) {
    auto label = labels.find(p.answer.question_id);
    if (label == labels.end()) {
      on_bad_line(fmt::format("{}: unknown question {}", p.where, p.answer.question_id));
      continue;
    }
    p.answer.is_correct = p.answer.answer == label->second;
    known.push_back(std::move(p.answer));
  }
  batch.clear();
  if (!write || known.empty()) return Status::Ok();
  auto result = store.RecordAnswers(known, now_iso);
  if (!result.ok()) return result.status();
  tally.recorded += static_cast<std::uint64_t>(result->recorded);
  tally.duplicates += static_cast<std::uint64_t>(result->duplicates);
  return Status::Ok();
}

}  // namespace

int RunAnswerImport(const StoreOptions& store_options, const ImportOptions& options, std::ostream& out) {
  auto importable = ImportableBytes(options.files);
  if (!importable.ok()) return Fail(importable.status());
  const std::uint64_t total_bytes = *importable;
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());

  const std::string now_iso = NowIso();
  const double now_seconds = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                                     std::chrono::system_clock::now().time_since_epoch())
                                                     .count());
  AnswerImportTally tally;
  ProgressBar bar("importing answers", total_bytes);
  auto on_bad_line = [&](const std::string& report) {
    bar.Finish();
    std::cerr << report << '\n';
    ++tally.skipped;
  };

  // With --strict every line is read and every question looked up before
  // anything is written; all of it is kept in memory meanwhile.
  std::vector<PendingAnswer> batch, strict_all;
  std::uint64_t bytes_done = 0;
  Status status;
  for (const std::string& path : options.files) {
    status = ForEachJsonLine(path, bytes_done, [&](std::string_view text, std::uint64_t line_no) -> Status {
      ++tally.read;
      const std::string where = fmt::format("{}:{}", path, line_no);
      Result<Answer> a = ParseAnswerRecord(text, now_seconds);
      if (!a.ok()) {
        on_bad_line(where + ": " + a.status().message());
        return Status::Ok();
      }
      batch.push_back({std::move(*a), where});
      if (batch.size() >= options.batch_size) {
        if (options.strict) {
          for (PendingAnswer& p : batch) strict_all.push_back(p);
          TB_RETURN_IF_ERROR(ResolveAndRecord(**store, batch, false, now_iso, tally, on_bad_line));
        } else {
          TB_RETURN_IF_ERROR(ResolveAndRecord(**store, batch, true, now_iso, tally, on_bad_line));
        }
      }
      bar.Update(bytes_done, tally.read);
      return Status::Ok();
    });
    if (!status.ok()) break;
  }
  if (status.ok() && options.strict) {
    for (PendingAnswer& p : batch) strict_all.push_back(p);
    status = ResolveAndRecord(**store, batch, false, now_iso, tally, on_bad_line);
    if (status.ok() && tally.skipped == 0) {
      for (std::size_t start = 0; status.ok() && start < strict_all.size(); start += options.batch_size) {
        std::vector<PendingAnswer> chunk(strict_all.begin() + static_cast<std::ptrdiff_t>(start),
                                         strict_all.begin() + static_cast<std::ptrdiff_t>(
                                                                  std::min(strict_all.size(), start + options.batch_size)));
        status = ResolveAndRecord(**store, chunk, true, now_iso, tally, on_bad_line);
      }
    }
  } else if (status.ok()) {
    status = ResolveAndRecord(**store, batch, true, now_iso, tally, on_bad_line);
  }
  bar.Finish();
  if (!status.ok()) return Fail(fmt::format("{} ({} answers were recorded before this)", status.message(), tally.recorded));
  if (options.strict && tally.skipped > 0) return Fail("import aborted by --strict: nothing was imported");
  out << fmt::format("read {}, recorded {}, duplicates {}, skipped {}\n", tally.read, tally.recorded, tally.duplicates,
                     tally.skipped);
  return 0;
}

}  // namespace truthbyte::cli

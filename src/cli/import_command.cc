// truthbyte import FILE...: JSON Lines in any of the four formats.

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/terminal.h"
#include "core/question_format.h"
#include "core/text.h"

namespace truthbyte::cli {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string BaseName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct ImportTally {
  std::uint64_t read = 0;
  std::uint64_t skipped = 0;
  UpsertCounts written;
};

// Reads `path` line by line, handing each parsed question or bad line to the
// callbacks. Returns a non-ok Status only when the file cannot be read.
template <typename OnQuestion, typename OnBadLine>
Status ReadQuestionFile(const std::string& path, ProgressBar& bar, std::uint64_t& bytes_done,
                        ImportTally& tally, OnQuestion on_question, OnBadLine on_bad_line) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  const std::string source = BaseName(path);
  std::string line;
  std::uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    bytes_done += line.size() + 1;
    std::string_view text(line);
    if (line_no == 1 && text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (TrimWhitespace(text).empty()) continue;
    ++tally.read;
    Result<Question> q = ParseQuestionRecord(text);
    if (!q.ok()) {
      if (!on_bad_line(fmt::format("{}:{}: {}", path, line_no, q.status().message()))) return Status::Ok();
      continue;
    }
    if (q->source.empty()) q->source = source;
    TB_RETURN_IF_ERROR(on_question(std::move(*q)));
    bar.Update(bytes_done, tally.read);
  }
  if (in.bad()) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

int RunImport(const StoreOptions& store_options, const ImportOptions& options, std::ostream& out) {
  // Every file must be readable before anything is written.
  std::uint64_t total_bytes = 0;
  for (const std::string& path : options.files) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return Fail("cannot open " + path + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return Fail("cannot import " + path + ": it is a directory");
    total_bytes += static_cast<std::uint64_t>(st.st_size);
  }
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());

  ImportTally tally;
  ProgressBar bar("importing", total_bytes);
  std::uint64_t bytes_done = 0;
  std::vector<Question> batch;
  bool aborted = false;

  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    Status s = (*store)->UpsertQuestions(batch, &tally.written);
    batch.clear();
    return s;
  };
  auto on_question = [&](Question q) -> Status {
    batch.push_back(std::move(q));
    // --strict keeps everything for one all-or-nothing write at the end.
    if (!options.strict && batch.size() >= options.batch_size) return flush();
    return Status::Ok();
  };
  auto on_bad_line = [&](const std::string& report) {
    bar.Finish();
    std::cerr << report << '\n';
    ++tally.skipped;
    if (options.strict) aborted = true;
    return !aborted;
  };

  for (const std::string& path : options.files) {
    Status s = ReadQuestionFile(path, bar, bytes_done, tally, on_question, on_bad_line);
    if (!s.ok()) {
      bar.Finish();
      return Fail(s.message() + fmt::format(" ({} questions were stored before this)",
                                            tally.written.inserted + tally.written.updated));
    }
    if (aborted) break;
  }
  if (aborted) return Fail("import aborted by --strict: nothing was imported");
  if (Status s = flush(); !s.ok()) {
    bar.Finish();
    return Fail(s.message() + fmt::format(" ({} questions were stored before this)",
                                          tally.written.inserted + tally.written.updated));
  }
  bar.Finish();
  out << fmt::format("read {}, inserted {}, updated {}, unchanged {}, skipped {}\n", tally.read,
                     tally.written.inserted, tally.written.updated, tally.written.unchanged, tally.skipped);
  return 0;
}

}  // namespace truthbyte::cli

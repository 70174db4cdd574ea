// truthbyte import FILE...: JSON Lines in any of the four formats.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <fstream>
#include <iostream>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/json_lines.h"
#include "cli/terminal.h"
#include "core/question_format.h"
#include "core/text.h"

namespace truthbyte::cli {
namespace {

std::string BaseName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct ImportTally {
  std::uint64_t read = 0;
  std::uint64_t skipped = 0;
  UpsertCounts written;
};

// Reads `path`, handing each parsed question or bad line to the callbacks.
// Returns a non-ok Status only when the file cannot be read (or on_question
// failed).
template <typename OnQuestion, typename OnBadLine>
Status ReadQuestionFile(const std::string& path, ProgressBar& bar, std::uint64_t& bytes_done,
                        ImportTally& tally, OnQuestion on_question, OnBadLine on_bad_line) {
  const std::string source = BaseName(path);
  bool stopped = false;
  Status s = ForEachJsonLine(path, bytes_done, [&](std::string_view text, std::uint64_t line_no) -> Status {
    ++tally.read;
    Result<Question> q = ParseQuestionRecord(text);
    if (!q.ok()) {
      if (!on_bad_line(fmt::format("{}:{}: {}", path, line_no, q.status().message()))) {
        stopped = true;
        return Status::Internal("stopped");  // ends the loop; not an error
      }
      return Status::Ok();
    }
    if (q->source.empty()) q->source = source;
    TB_RETURN_IF_ERROR(on_question(std::move(*q)));
    bar.Update(bytes_done, tally.read);
    return Status::Ok();
  });
  return stopped ? Status::Ok() : s;
}

// Parsed batches travel from the reading thread to the writing thread
// through this bounded queue, so parsing and SQLite overlap on two cores.
// Written batches travel back and are freed by the reading thread, which
// has time to spare: the writing thread is the slower one.
class BatchQueue {
 public:
  // Blocks while full; false once the consumer has cancelled.
  bool Push(std::vector<Question> batch) {
    std::vector<std::vector<Question>> written;
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return cancelled_ || queue_.size() < kCapacity; });
    if (cancelled_) return false;
    queue_.push_back(std::move(batch));
    written.swap(written_);
    cv_.notify_all();
    lock.unlock();
    return true;  // `written` is freed here, outside the lock
  }
  // Hands back the previous batch in *batch, then blocks until a batch
  // arrives; false when the producer is done.
  bool Pop(std::vector<Question>* batch) {
    std::unique_lock lock(mu_);
    if (!batch->empty()) written_.push_back(std::move(*batch));
    batch->clear();
    cv_.wait(lock, [&] { return done_ || !queue_.empty(); });
    if (queue_.empty()) return false;
    *batch = std::move(queue_.front());
    queue_.pop_front();
    cv_.notify_all();
    return true;
  }
  void Close() {
    std::lock_guard lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }

 private:
  static constexpr std::size_t kCapacity = 4;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<Question>> queue_;
  std::vector<std::vector<Question>> written_;
  bool done_ = false;
  bool cancelled_ = false;
};

}  // namespace

int RunImport(const StoreOptions& store_options, const ImportOptions& options, std::ostream& out) {
  // Every file must be readable before anything is written.
  auto importable = ImportableBytes(options.files);
  if (!importable.ok()) return Fail(importable.status());
  const std::uint64_t total_bytes = *importable;
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->BeginQuestionImport(); !s.ok()) return Fail(s);

  ImportTally tally;
  ProgressBar bar("importing", total_bytes);
  BatchQueue queue;
  Status read_status;
  bool aborted = false;

  // Reader: parses every file into batches. With --strict it hands over one
  // batch at the very end, and nothing if any line is bad.
  std::thread reader([&] {
    std::uint64_t bytes_done = 0;
    std::vector<Question> batch;
    bool stopped = false;
    auto on_question = [&](Question q) -> Status {
      batch.push_back(std::move(q));
      if (!options.strict && batch.size() >= options.batch_size) {
        if (!queue.Push(std::move(batch))) {
          stopped = true;
          return Status::Unavailable("import stopped");
        }
        batch = {};
      }
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
        if (!stopped) read_status = s;
        break;
      }
      if (aborted) break;
    }
    if (read_status.ok() && !aborted && !stopped && !batch.empty()) queue.Push(std::move(batch));
    queue.Close();
  });

  Status write_status;
  std::vector<Question> batch;
  while (queue.Pop(&batch)) {
    write_status = (*store)->UpsertQuestions(batch, &tally.written);
    if (!write_status.ok()) {
      queue.Cancel();
      break;
    }
  }
  reader.join();
  bar.Finish();
  const Status finish_status = (*store)->FinishQuestionImport();

  const std::size_t stored = tally.written.inserted + tally.written.updated;
  if (aborted) return Fail("import aborted by --strict: nothing was imported");
  if (!read_status.ok()) return Fail(fmt::format("{} ({} questions were stored before this)", read_status.message(), stored));
  if (!write_status.ok()) return Fail(fmt::format("{} ({} questions were stored before this)", write_status.message(), stored));
  if (!finish_status.ok()) return Fail(finish_status);
  out << fmt::format("read {}, inserted {}, updated {}, unchanged {}, skipped {}\n", tally.read,
                     tally.written.inserted, tally.written.updated, tally.written.unchanged, tally.skipped);
  return 0;
}

}  // namespace truthbyte::cli

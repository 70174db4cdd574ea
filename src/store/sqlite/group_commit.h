// Group commit for the SQLite engine's request-path writes.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/sqlite/statement.h"

namespace truthbyte::sqlite {

// The writes of the request path go through GroupCommit::Write. Writers that
// arrive while a commit is under way queue up; the first of them to find
// no batch running leads the next one: it runs every queued body in one
// transaction, each in its own savepoint (a body that fails undoes only
// itself), commits once and wakes the others. With synchronous=FULL that
// is one WAL sync for the whole batch, and the pages the batch shares are
// written once. A caller returns only when its body's effects are
// committed, or with the error that kept them out.
//
// Write REQUIRES: `mu` not held; `body` runs with `mu` held (possibly on
// another caller's thread) and must not call Write.
class GroupCommit {
 public:
  // `writer` is the connection every batch runs on, `mu` the lock that
  // guards it, `exec` runs a statement on it (BEGIN, COMMIT, ROLLBACK).
  GroupCommit(Connection writer, std::mutex& mu, std::function<Status(const std::string&)> exec)
      : writer_(writer), mu_(mu), exec_(std::move(exec)) {}

  Status Write(const std::function<Status()>& body);

  // For /metrics: batches committed, and the writes they carried.
  std::uint64_t commits() const { return commits_.load(std::memory_order_relaxed); }
  std::uint64_t writes() const { return writes_.load(std::memory_order_relaxed); }

 private:
  struct PendingWrite {
    explicit PendingWrite(const std::function<Status()>* b) : body(b) {}
    const std::function<Status()>* body;
    Status status = Status::Ok();
    bool done = false;
    std::condition_variable wake;
  };
  static constexpr std::size_t kMaxBatch = 512;

  static Status RunBody(const PendingWrite& w);
  // Runs a batch of writes in one transaction; sets each one's status.
  void RunBatch(const std::vector<PendingWrite*>& batch);

  const Connection writer_;
  std::mutex& mu_;
  const std::function<Status(const std::string&)> exec_;
  // The writes waiting for the next batch, and whether a batch is running.
  std::mutex queue_mu_;
  std::deque<PendingWrite*> queue_;
  bool leading_ = false;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> writes_{0};
};

}  // namespace truthbyte::sqlite
